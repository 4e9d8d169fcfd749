"""What the computation graph shows for a state: pure functions of values, returning element trees.

Nothing here changes the state (see web.graph.state for that). The drawing's geometry comes from
web.graph.geometry and its sentences from web.graph.words.
"""

from __future__ import annotations

from engine.graph import Step
from web.format import fixed
from web.graph import words
from web.graph.check import check, render_check
from web.graph.code import render_code, step_lines
from web.graph.diagram import CONSTANT, INPUT, Slider
from web.graph.geometry import (
    BADGE_FONT,
    BADGE_H,
    BADGE_PAD,
    BADGE_TOP,
    CAPTION_Y,
    LABEL_LINE,
    LABEL_PAD,
    VALUE_Y,
    Drawing,
    text_width,
)
from web.graph.state import GraphState
from web.layout import Box, curve, point_on
from web.tree import El, h

STRIP_COLUMNS = 2  # sliders per row of the phone's control strip (graph.css sizes the strip by its rows)


def label_id(horizontal: bool) -> str:
    """The id of the active edge's label in one drawing (the page scrolls a big drawing's box to it)."""
    return f"graph-{'wide' if horizontal else 'tall'}-label"


def render_graph(state: GraphState, *, ready: bool = True, reduced_motion: bool = False) -> El:
    """The whole widget: expression field, control strip, read-outs, the drawing, explanation and tools."""
    rows = -(-len(state.diagram.sliders) // STRIP_COLUMNS)
    big = any(d.big for d in state.drawings.values())
    grads = state.grads()
    return h(
        "div", {"class": f"graph-widget graph-rows-{rows}"},
        render_expression(state.draft, state.error, ready),
        # One strip for everything a learner plays with: on a phone it stays at the top of the screen while
        # the graph scrolls under it, so w can move while the gradients are watched.
        h("div", {"class": "graph-strip"},
          h("div", {"class": "controls graph-sliders"},
            *[render_slider(i, s, state.scene.node(s.name).data, ready) for i, s in enumerate(state.diagram.sliders)]),
          render_buttons(words.play_name(state.player), state.player.playing, ready)),
        render_readouts(state, grads),
        h("div", {"class": "graph-figure" + (" graph-scrolls" if big else ""),
                  **({"tabindex": "0", "role": "group", "data-scrollbox": "",
                      "aria-label": "Graph drawing, scrolls: the active edge is kept in view"} if big else {})},
          *[render_svg(state, d, grads, reduced_motion) for d in (state.drawings[True], state.drawings[False])]),
        h("p", {"class": "graph-scroll-cue"}, "The graph is larger than its box: scroll it, or let the pass "
          "bring each edge into view.") if big else None,
        h("p", {"class": "graph-legend"},
          h("span", {"class": "key-fwd"}, words.LEGEND[0]), " · ",
          h("span", {"class": "key-grad"}, words.LEGEND[1]), " · ", words.LEGEND[2]),
        h("p", {"class": "graph-explain", "id": "graph-explain", "aria-live": "polite"},
          words.message(state.scene, state.steps, state.player, state.notice, readout_texts(state, grads)[1:])),
        render_tools(state, ready),
    )


def render_expression(draft: str, error: str, ready: bool) -> El:
    """Label, text field and Apply button; the alert below them only while the last text was refused."""
    described = "graph-expr-error graph-expr-hint" if error else "graph-expr-hint"
    return h(
        "div", {"class": "graph-expr"},
        h("label", {"for": "graph-expr"}, "Expression"),
        h("div", {"class": "graph-expr-row"},
          h("input", {"id": "graph-expr", "type": "text", "data-on": "expr", "data-keys": "Enter",
                      "value": draft, "disabled": not ready, "spellcheck": "false", "autocomplete": "off",
                      "autocapitalize": "off", "aria-invalid": "true" if error else None,
                      "aria-describedby": described}),
          h("button", {"type": "button", "data-on": "apply", "disabled": not ready}, "Apply")),
        h("p", {"class": "graph-expr-error", "id": "graph-expr-error", "role": "alert"}, error) if error else None,
        h("p", {"class": "graph-expr-hint", "id": "graph-expr-hint"}, words.HINT),
    )


def render_slider(i: int, slider: Slider, value: float, ready: bool) -> El:
    """One variable's slider with its value."""
    ident = f"graph-in-{i}"
    return h(
        "div", {"class": "control"},
        h("label", {"for": ident}, slider.name),
        h("input", {"id": ident, "type": "range", "data-on": f"set:{slider.name}", "min": slider.lo,
                    "max": slider.hi, "step": slider.step, "value": f"{value:.2f}", "disabled": not ready,
                    "aria-valuetext": f"{slider.name} = {fixed(value, 2)}"}),
        h("output", {"for": ident, "class": "value", "aria-live": "off"}, fixed(value, 2)),
    )


def render_buttons(play: str, playing: bool, ready: bool) -> El:
    """Play (named for what it does now), Step and Reset."""
    return h(
        "div", {"class": "graph-buttons"},
        h("button", {"type": "button", "data-on": "animate", "disabled": not ready,
                     "class": "graph-play" + (" playing" if playing else "")}, play),
        h("button", {"type": "button", "data-on": "step", "disabled": not ready}, "Step"),
        h("button", {"type": "button", "data-on": "reset", "disabled": not ready}, "Reset"),
    )


def readout_texts(state: GraphState, grads: list[float | None]) -> list[str]:
    """L = 0.1256, then ∂L/∂v for each read-out variable (— before the pass reaches it)."""
    scene = state.scene
    root = scene.name_of(scene.root)
    return [f"{root} = {fixed(scene.root.data, 4)}"] + [
        words.readout(root, name, grads[scene.index(scene.node(name))]) for name in state.diagram.readouts]


def render_readouts(state: GraphState, grads: list[float | None]) -> El:
    """The loss and the gradients of the variables, under the controls."""
    loss, *rest = readout_texts(state, grads)
    return h("p", {"class": "graph-readouts"},
             h("output", {"class": "graph-loss", "aria-live": "off"}, loss),
             *[h("output", {"class": "graph-grad", "aria-live": "off"}, text) for text in rest])


def render_svg(state: GraphState, d: Drawing, grads: list[float | None], reduced_motion: bool) -> El:
    """The graph drawn for one flow direction (CSS shows the wide one on wide screens, the tall one on phones).

    Forward arrows point from parents to children; while the pass runs they fade, and each edge the gradient
    has crossed carries an orange arrow pointing back at its parent, the active one bold.
    """
    scene, p, lay, horizontal = state.scene, state.player, d.layout, d.horizontal
    tag = "wide" if horizontal else "tall"
    active: Step | None = state.steps[p.active] if p.active is not None else None
    active_edge = scene.edge(active) if active is not None else None
    landed = {scene.edge(s) for s in state.steps[: p.applied]}
    forward = [h("path", {"class": "edge", "d": curve(route, horizontal), "marker-end": f"url(#graph-{tag}-fwd)",
                          "data-from": scene.names[src], "data-to": scene.names[dst]})
               for (src, dst), route in zip(scene.edges, lay.routes, strict=True)]
    back = [h("path", {"class": "back carried", "d": curve(lay.routes[e][::-1], horizontal),
                       "marker-end": f"url(#graph-{tag}-back)"})
            for e in sorted(landed - {active_edge})]
    overlay = []
    if active is not None:
        route = lay.routes[active_edge]
        back.append(h("path", {"class": "back active", "d": curve(route[::-1], horizontal),
                               "marker-end": f"url(#graph-{tag}-back-active)", "data-from": scene.name_of(active.child),
                               "data-to": scene.name_of(active.parent)}))
        if p.playing and not reduced_motion:
            # The gradient travels from the child (route end) back to the parent (route start).
            cx, cy = point_on(route, 1.0 - p.progress, horizontal)
            overlay.append(h("circle", {"class": "pulse", "cx": cx, "cy": cy, "r": 6}))
        box, split = d.label(p.active)
        lines = words.edge_label_lines(scene, active, fixed(active.local, 4), split)
        overlay.insert(0, render_leader(box, point_on(route, 0.5, horizontal)))
        overlay.append(render_label(lines, box, label_id(horizontal)))
    nodes = [render_node(scene.captions[k], fixed(node.data, 4), scene.kinds[k], grads[k],
                         active is not None and node is active.parent, lay.boxes[k])
             for k, node in enumerate(scene.order)]
    title, desc = f"graph-{tag}-title", f"graph-{tag}-desc"
    classes = ["graph", f"graph-{tag}"] + (["graph-big"] if d.big else []) + (["graph-fit"] if d.fit else [])
    classes += ["passing"] if p.started and not (p.finished and p.active is None and not p.playing) else []
    classes += ["passed"] if p.started else []
    width = lay.width * (d.scale if d.big else 1.0)
    return h(
        "svg",
        {"class": " ".join(classes), "viewBox": f"0 0 {lay.width:.0f} {lay.height:.0f}", "width": f"{width:.0f}",
         "height": f"{lay.height * width / lay.width:.0f}", "role": "img", "aria-labelledby": f"{title} {desc}"},
        h("title", {"id": title}, state.diagram.title),
        h("desc", {"id": desc}, words.describe(scene, grads, horizontal)),
        h("defs", {}, *[render_marker(f"graph-{tag}-{name}", cls, size)
                        for name, cls, size in (("fwd", "arrowhead", 10), ("back", "arrowhead back", 9),
                                                ("back-active", "arrowhead back active", 14))]),
        h("g", {"class": "edges"}, *forward),
        h("g", {"class": "backs"}, *back),
        h("g", {"class": "nodes"}, *nodes),
        h("g", {"class": "overlay"}, *overlay),
    )


def render_marker(ident: str, cls: str, size: float) -> El:
    """An arrowhead at the end of a path, in user units so it keeps its size on every stroke width."""
    return h("marker", {"id": ident, "viewBox": "0 0 10 10", "refX": 9, "refY": 5, "markerWidth": size,
                        "markerHeight": size, "orient": "auto", "markerUnits": "userSpaceOnUse"},
             h("path", {"class": cls, "d": "M0,0L10,5L0,10z"}))


def render_node(caption: str, value: str, kind: str, grad: float | None, receiving: bool, box: Box) -> El:
    """A node's box: caption, forward value, and its gradient badge once one has arrived (a number typed in the
    expression is a constant: it never gets one)."""
    cls = f"node {kind}" + (" receiving" if receiving else "")
    parts = [
        h("rect", {"class": "node-box", "x": box.left, "y": box.top, "width": box.width, "height": box.height,
                   "rx": 8}),
        h("text", {"class": "node-caption", "x": box.cx, "y": box.top + CAPTION_Y, "text-anchor": "middle"}, caption),
        h("text", {"class": "node-value", "x": box.cx, "y": box.top + VALUE_Y, "text-anchor": "middle"}, value),
    ]
    if grad is not None and kind != CONSTANT:
        text = fixed(grad, 4)
        width = text_width(text, BADGE_FONT) + BADGE_PAD
        parts.append(h("g", {"class": "badge"},
                       h("rect", {"x": box.cx - width / 2, "y": box.top + BADGE_TOP, "width": width,
                                  "height": BADGE_H, "rx": 10}),
                       h("text", {"x": box.cx, "y": box.top + BADGE_TOP + 16, "text-anchor": "middle"}, text)))
    return h("g", {"class": cls, **({"data-input": ""} if kind == INPUT else {})}, *parts)


def render_leader(box: Box, at: tuple[float, float]) -> El:
    """A thin line from the label to the middle of its edge, so a label placed aside still points at it."""
    x = min(max(at[0], box.left), box.right)
    y = min(max(at[1], box.top), box.bottom)
    return h("path", {"class": "leader", "d": f"M{x:.1f},{y:.1f}L{at[0]:.1f},{at[1]:.1f}"})


def render_label(lines: list[str], box: Box, ident: str) -> El:
    """The active edge's label, ∂child/∂parent = formula = value, in its free spot."""
    texts = [h("text", {"x": box.cx, "y": box.top + LABEL_PAD / 2 + 16 + i * LABEL_LINE, "text-anchor": "middle"},
               line) for i, line in enumerate(lines)]
    return h("g", {"class": "edge-label", "id": ident},
             h("rect", {"x": box.left, "y": box.top, "width": box.width, "height": box.height, "rx": 5}), *texts)


def render_tools(state: GraphState, ready: bool) -> El:
    """The two buttons that look under the hood, and what they show."""
    return h(
        "div", {"class": "graph-tools"},
        h("div", {"class": "graph-buttons"},
          # aria-controls only while the panel exists: an id that names nothing is an accessibility error
          h("button", {"type": "button", "data-on": "code", "disabled": not ready,
                       "aria-controls": "graph-code" if state.show_code else None,
                       "aria-expanded": "true" if state.show_code else "false"}, "Show code"),
          h("button", {"type": "button", "data-on": "check", "disabled": not ready,
                       "aria-controls": "graph-check" if state.show_check else None},
            "Check with finite differences")),
        render_code_panel(state, ready) if state.show_code else None,
        render_check(check(state.code, [s.name for s in state.diagram.sliders])) if state.show_check else None,
    )


def render_code_panel(state: GraphState, ready: bool) -> El:
    """Show code: the pass one line per step (lit: the active step), or the compiler's fused code."""
    k = state.player.active
    step = state.steps[k] if k is not None else None
    if state.optimized:
        code = state.code
        active = code.lines_for(step) if step is not None else ()
        block = render_code(code.lines, [code.part(i) for i in range(len(code.lines))], active,
                            "Generated Python, optimized")
        node = id(step.parent) if step is not None else None
        note = words.optimized_note(state.scene, step, k, active, node in code.own, node in code.varying)
        intro = words.OPTIMIZED_INTRO
    else:
        lines = step_lines(state.scene, state.steps)
        block = render_code(lines, ["head"] + ["bwd"] * (len(lines) - 1), () if k is None else (k + 2,),
                            "Backward pass in Python, one line per step")
        note, intro = words.steps_note(state.scene, state.steps, k), words.STEPS_INTRO
    return h(
        "div", {"class": "graph-code", "id": "graph-code"},
        h("p", {"class": "code-intro"}, intro),
        h("button", {"type": "button", "data-on": "optimized", "disabled": not ready,
                     "aria-pressed": "true" if state.optimized else "false"}, "Optimized"),
        block,
        h("p", {"class": "code-note", "aria-live": "off"}, note),
    )
