"""A DAG drawn as SVG for one flow direction: nodes with forward values and gradient badges, forward arrows, the
backward pass's arrows, and the active edge's label. Pure functions of values; the computation graph and the
practice graphs of "Your turn" both draw through here."""

from __future__ import annotations

from dataclasses import dataclass

from engine.graph import Step
from web.dag.diagram import CONSTANT, INPUT, Scene
from web.dag.geometry import (
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
from web.dag.player import Player
from web.dag.words import describe, edge_label_lines, tag_lines
from web.format import fixed
from web.layout import Box, curve, point_on
from web.tree import El, h


@dataclass(frozen=True, slots=True)
class Pass:
    """What a drawing shows of a backward pass: the scene, its steps, where the pass is, and each node's gradient
    so far (None before the pass reaches it)."""

    scene: Scene
    steps: tuple[Step, ...]
    player: Player
    grads: list[float | None]
    hidden: int | None = None  # a step whose local derivative is not shown yet (a question waits for it)
    shown: tuple[int, ...] = ()  # steps whose local derivative stays on the drawing, besides the active one


def label_id(horizontal: bool, prefix: str = "graph") -> str:
    """The id of the active edge's label in one drawing (the page scrolls a big drawing's box to it)."""
    return f"{prefix}-{'wide' if horizontal else 'tall'}-label"


def render_svg(pass_: Pass, d: Drawing, title: str, *, prefix: str = "graph", reduced_motion: bool = False) -> El:
    """The graph drawn for one flow direction (CSS shows the wide one on wide screens, the tall one on phones).

    Forward arrows point from parents to children; while the pass runs they fade, and each edge the gradient
    has crossed carries an orange arrow pointing back at its parent, the active one bold. Ids start with
    `prefix`, so that two widgets can each draw a graph on one page.
    """
    scene, steps, p, grads = pass_.scene, pass_.steps, pass_.player, pass_.grads
    lay, horizontal = d.layout, d.horizontal
    tag = f"{prefix}-{'wide' if horizontal else 'tall'}"
    active: Step | None = steps[p.active] if p.active is not None else None
    active_edge = scene.edge(active) if active is not None else None
    landed = {scene.edge(s) for s in steps[: p.applied]}
    forward = [h("path", {"class": "edge", "d": curve(route, horizontal), "marker-end": f"url(#{tag}-fwd)",
                          "data-from": scene.names[src], "data-to": scene.names[dst]})
               for (src, dst), route in zip(scene.edges, lay.routes, strict=True)]
    back = [h("path", {"class": "back carried", "d": curve(lay.routes[e][::-1], horizontal),
                       "marker-end": f"url(#{tag}-back)"})
            for e in sorted(landed - {active_edge})]
    overlay = []
    # Every kept local derivative in words too, with its formula, for the picture's description.
    kept = [" ".join(edge_label_lines(scene, steps[k], fixed(steps[k].local, 4))) for k in pass_.shown
            if k != pass_.hidden]
    for k in pass_.shown:
        if k != p.active and k != pass_.hidden:
            box = d.tag(k)
            step = steps[k]
            overlay.insert(0, render_leader(box, point_on(lay.routes[scene.edge(step)], 0.5, horizontal)))
            overlay.append(render_label(tag_lines(scene, step, fixed(step.local, 4)), box, None, "edge-tag"))
    if active is not None:
        route = lay.routes[active_edge]
        back.append(h("path", {"class": "back active", "d": curve(route[::-1], horizontal),
                               "marker-end": f"url(#{tag}-back-active)", "data-from": scene.name_of(active.child),
                               "data-to": scene.name_of(active.parent)}))
    if active is not None and p.active != pass_.hidden:
        if p.playing and not reduced_motion:
            # The gradient travels from the child (route end) back to the parent (route start).
            cx, cy = point_on(route, 1.0 - p.progress, horizontal)
            overlay.append(h("circle", {"class": "pulse", "cx": cx, "cy": cy, "r": 6}))
        box, split = d.label(p.active)
        lines = edge_label_lines(scene, active, fixed(active.local, 4), split)
        overlay.insert(0, render_leader(box, point_on(route, 0.5, horizontal)))
        overlay.append(render_label(lines, box, label_id(horizontal, prefix)))
    nodes = [render_node(scene.captions[k], fixed(node.data, 4), scene.kinds[k], grads[k],
                         active is not None and node is active.parent, lay.boxes[k])
             for k, node in enumerate(scene.order)]
    title_id, desc = f"{tag}-title", f"{tag}-desc"
    classes = ["graph", "graph-wide" if horizontal else "graph-tall"]  # graph.css shows one by the screen's width
    classes += (["graph-big"] if d.big else []) + (["graph-fit"] if d.fit else [])
    classes += ["passing"] if p.started and not (p.finished and p.active is None and not p.playing) else []
    classes += ["passed"] if p.started else []
    width = lay.width * (d.scale if d.big else 1.0)
    return h(
        "svg",
        {"class": " ".join(classes), "viewBox": f"0 0 {lay.width:.0f} {lay.height:.0f}", "width": f"{width:.0f}",
         "height": f"{lay.height * width / lay.width:.0f}", "role": "img", "aria-labelledby": f"{title_id} {desc}"},
        h("title", {"id": title_id}, title),
        h("desc", {"id": desc}, describe(scene, grads, horizontal, kept)),
        h("defs", {}, *[render_marker(f"{tag}-{name}", cls, size)
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


def render_label(lines: list[str], box: Box, ident: str | None, cls: str = "edge-label") -> El:
    """The active edge's label, ∂child/∂parent = formula = value, in its free spot (or another edge's kept one)."""
    texts = [h("text", {"x": box.cx, "y": box.top + LABEL_PAD / 2 + 16 + i * LABEL_LINE, "text-anchor": "middle"},
               line) for i, line in enumerate(lines)]
    return h("g", {"class": cls, "id": ident},
             h("rect", {"x": box.left, "y": box.top, "width": box.width, "height": box.height, "rx": 5}), *texts)
