"""The computation-graph widget: a DAG of engine Values, its forward values, and its backward pass edge by edge.

The graph is data (a root Value, display names, which leaves get sliders), so any expression the engine builds
can be shown; the lesson's neuron L = (σ(w·x + b) − y*)² is one such `Diagram`. The animation replays the
engine's own `backward_steps`, so the badges show exactly what the engine computes.
"""

from __future__ import annotations

from engine import Value, backward_steps, topological_order
from engine.rules import RULES, local_formula
from web import exprpanel
from web.codeview import Compiled
from web.diagram import LESSON_VALUES, Diagram, Slider, expression_diagram, lesson_diagram
from web.expr import ExprError
from web.format import fixed, parse_number
from web.layout import Layout, curve, layout, point_on
from web.tree import El, h
from web.widget import UIEvent, Widget

__all__ = ["Diagram", "GraphWidget", "Player", "Slider", "lesson_diagram"]

STEP_MS = 600.0  # one edge of the backward pass; the lesson's 8 edges take 4.8 s
PASS_MAX_MS = 15_000.0  # a learner's big expression plays faster, so no pass lasts longer than this

# Geometry in SVG user units (the SVG scales with its box through viewBox).
# Each box holds three lines: caption, forward value, and the grad badge once a gradient has arrived.
NODE_H = 80
NODE_MIN_W = 100
CHAR_W = 8.8  # rough advance of a 16px character, enough to size boxes and labels
LABEL_CHAR_W = 8.4  # the same for the 15px edge label (a column gap fits 10 characters)
BADGE_CHAR_W = 7.8  # and for the 14px badge
LABEL_LINE = 18
# Wide screens flow left to right with room between columns for the active edge's label; phones flow top to
# bottom, the label sitting beside the edge in the gap between rows.
WIDE = {"rank_gap": 104, "cross_gap": 26, "margin": 14}
TALL = {"rank_gap": 48, "cross_gap": 30, "margin": 10}
# A learner's big expression: past these widths (wide screen, phone) the drawing stops shrinking to fit and
# is shown at BIG_SCALE in a box that scrolls sideways, so its numbers stay readable.
BIG_WIDTH = {True: 1500, False: 420}
BIG_SCALE = 0.75
# On a phone the top-to-bottom drawing shrinks to fit the screen below the sticky control strip, so a learner
# sees the sliders, the buttons and the whole graph at once; but never below MIN_FIT_SCALE (14px badges stay
# ~11px). Only drawings up to FIT_MAX_HEIGHT get that (static/graph.css floors the height at their product);
# taller ones keep their size and scroll under the strip.
MIN_FIT_SCALE = 0.8
FIT_MAX_HEIGHT = 760
STRIP_COLUMNS = 2  # sliders per row of the phone's control strip (graph.css sizes the strip by its rows)

# How a node's caption reads, by op: "p = w·x". Display only; derivative formulas live in engine.rules.
CAPTIONS = {
    "add": "{a} + {b}", "sub": "{a} − {b}", "mul": "{a}·{b}", "div": "{a}/{b}", "neg": "−{a}",
    "sigmoid": "σ({a})",
}
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def recompute(order: list[Value]) -> None:
    """Forward pass in place over a topological order, after leaves changed (the graph itself is kept)."""
    for node in order:
        if node.parents:
            a = node.parents[0].data
            b = node.parents[1].data if len(node.parents) > 1 else 0.0
            node.data = RULES[node.op].forward(a, b, node.arg)


class Player:
    """The backward pass as a state machine over step indices: play, pause, step, reset, driven by frames.

    With motion, step k is in flight (active, progress 0→1) and lands when its time is up. With reduced motion
    (`eager`) a step lands the moment it becomes active and the next one jumps in a beat later: no tweening.
    """

    def __init__(self, total: int, *, step_ms: float = STEP_MS, eager: bool = False):
        self.total = total
        self.step_ms = step_ms
        self.eager = eager
        self.reset()

    def reset(self) -> None:
        """Before the pass: nothing applied, nothing active, not playing."""
        self.applied = 0
        self.active: int | None = None
        self.playing = False
        self.progress = 0.0
        self._since: float | None = None

    @property
    def started(self) -> bool:
        return self.playing or self.applied > 0 or self.active is not None

    @property
    def finished(self) -> bool:
        return self.applied >= self.total

    def play(self) -> None:
        """Start or resume the pass; while playing, pause instead (the button is a toggle)."""
        if self.playing:
            self.pause()
            return
        if self.finished:
            self.reset()
        if self.total == 0:
            return
        self.playing = True
        self._since = None  # the next frame starts the clock: events carry no time
        if self.eager:
            self._land()
        else:
            self.active = self.applied

    def pause(self) -> None:
        """Stop here; an edge in flight stays active but unapplied."""
        self.playing = False
        self.progress = 0.0
        self._since = None

    def step(self) -> bool:
        """Apply exactly one edge (the one in flight, if any) and pause; False once the pass is complete."""
        self.pause()
        if self.finished:
            return False
        self._land()
        return True

    def _land(self) -> None:
        self.applied += 1
        self.active = self.applied - 1

    def frame(self, now_ms: float) -> None:
        """Advance to now_ms: land every step whose time is up, then set the in-flight progress."""
        if not self.playing:
            return
        if self._since is None:
            self._since = now_ms
        while self.playing and now_ms - self._since >= self.step_ms:
            self._since += self.step_ms
            self._tick()
        self.progress = (now_ms - self._since) / self.step_ms if self.playing else 0.0

    def _tick(self) -> None:
        if not self.eager:
            self.applied += 1
        if self.finished:
            # One beat after the last edge lands (eager) or as it lands: the pass is over.
            self.playing = False
            self.active = None
            self._since = None
        elif self.eager:
            self._land()
        else:
            self.active = self.applied


class GraphWidget(Widget):
    """State: the diagram's leaf values and the player; everything shown is derived through the engine."""

    key = "graph"

    def __init__(self, diagram: Diagram | None = None):
        self.load(diagram or lesson_diagram())
        self.draft = self.diagram.text  # what the Expression field holds; applied with Enter or "Apply"
        self.error = ""  # why the last applied text was refused ("" when it was fine)
        self.show_code = False
        self.show_check = False

    def load(self, diagram: Diagram) -> None:
        """Show a new diagram: names, edges, layouts and backward steps derived from it, no pass started."""
        self.diagram = diagram
        root = diagram.root
        self.order = topological_order(root)
        self.index = {id(node): k for k, node in enumerate(self.order)}
        self.names = [self._name(node, k) for k, node in enumerate(self.order)]
        self.by_name = {name: node for name, node in zip(self.names, self.order, strict=True)}
        # Edges in (child, argument) order; a Step finds its edge by (child, argument index).
        self.edges: list[tuple[int, int]] = []
        self.edge_of: dict[tuple[int, int], int] = {}
        for k, node in enumerate(self.order):
            for arg, parent in enumerate(node.parents):
                self.edge_of[(k, arg)] = len(self.edges)
                self.edges.append((self.index[id(parent)], k))
        self.captions = [self._caption(node, k) for k, node in enumerate(self.order)]
        width = max([NODE_MIN_W] + [len(c) * CHAR_W + 22 for c in self.captions])
        sizes = [(width, NODE_H)] * len(self.order)
        self.layouts = {True: layout(sizes, self.edges, horizontal=True, **WIDE),
                        False: layout(sizes, self.edges, horizontal=False, **TALL)}
        self.steps = backward_steps(root)
        self.player = Player(len(self.steps), step_ms=min(STEP_MS, PASS_MAX_MS / max(len(self.steps), 1)))
        self.notice = ""  # set when a slider changes a started pass; cleared by the next button
        self.revealed: int | None = None  # the step whose label the page last scrolled into view
        # The lesson's links carry the sliders that moved away from these.
        self.initial = ({s.name: LESSON_VALUES[s.link] for s in diagram.sliders} if diagram.is_lesson
                        else {s.name: self.by_name[s.name].data for s in diagram.sliders})
        self._compiled: Compiled | None = None  # generated code, made when first needed

    @property
    def compiled(self) -> Compiled:
        """The engine's generated forward and backward code for this diagram (compiled once per diagram)."""
        if self._compiled is None:
            self._compiled = Compiled(self.diagram, self.by_name)
        return self._compiled

    def values(self) -> dict[str, float]:
        """Each variable's value, by its typed name."""
        return {s.link: self.by_name[s.name].data for s in self.diagram.sliders}

    # --- names and captions ---

    def _name(self, node: Value, k: int) -> str:
        name = self.diagram.names.get(id(node)) or node.label
        if name:
            return name
        return f"{node.data:g}" if not node.parents else f"v{k}"

    def name_of(self, node: Value) -> str:
        """The display name of a node of this diagram."""
        return self.names[self.index[id(node)]]

    def _caption(self, node: Value, k: int) -> str:
        if not node.parents:
            return self.names[k]
        names = [self.name_of(parent) for parent in node.parents]
        a, b = names[0], names[1] if len(names) > 1 else ""
        if node.op == "pow":
            n = node.arg
            power = f"{int(n)}".translate(SUPERSCRIPT) if n == int(n) else f"^{n:g}"
            text = f"{a}{power}"
        else:
            text = CAPTIONS.get(node.op, node.op + "({a})").format(a=a, b=b)
        return f"{self.names[k]} = {text}"

    # --- state changes ---

    def set_input(self, name: str, value: float) -> None:
        """Move one slider: forward pass at once; a pass in progress is cancelled, a finished one is redone."""
        slider = next(s for s in self.diagram.sliders if s.name == name)
        self.by_name[name].data = slider.snap(value)
        recompute(self.order)
        self.steps = backward_steps(self.diagram.root)
        p = self.player
        if p.finished and p.started:
            # The pass is complete: keep it complete for the new values, so the gradients follow the slider.
            p.active = None
            self.notice = "live"
        elif p.started:
            p.reset()
            self.notice = "cancelled"

    def animate(self) -> None:
        """The "Animate backward pass" button: play, or pause while playing."""
        self.notice = ""
        self.player.eager = self.reduced_motion
        self.player.play()

    def step(self) -> None:
        """The "Step" button: exactly one more edge."""
        self.notice = "" if self.player.step() else "complete"

    def reset(self) -> None:
        """The "Reset" button: no gradients, no active edge."""
        self.notice = ""
        self.player.reset()

    def apply(self, text: str) -> bool:
        """Show the graph of a typed expression; if it cannot be read, say why and keep the graph shown."""
        self.draft = text
        try:
            diagram = expression_diagram(text, self.values())
        except ExprError as error:
            self.error = str(error)
            return False
        self.error = ""
        self.load(diagram)
        return True

    def toggle_code(self) -> None:
        """The "Show code" button: show or hide the generated Python."""
        self.show_code = not self.show_code

    def check(self) -> None:
        """The "Check with finite differences" button: show the table (it then follows the sliders)."""
        self.show_check = True

    def handle(self, event: UIEvent) -> None:
        if event.kind in ("input", "change") and event.name.startswith("set:"):
            value = parse_number(event.value)
            if value is not None:
                self.set_input(event.name[4:], value)
        elif event.name == "expr":
            if event.kind == "input":
                self.draft = event.value
            elif event.kind == "key" and event.key == "Enter":
                self.apply(event.value)
        elif event.kind == "click":
            action = {"animate": self.animate, "step": self.step, "reset": self.reset, "code": self.toggle_code,
                      "check": self.check, "apply": lambda: self.apply(self.draft)}.get(event.name)
            if action:
                action()

    def share_state(self) -> dict[str, str]:
        """The expression (unless it is the lesson's) and the slider values that differ from where they started."""
        d = self.diagram
        own = bool(d.text) and not d.is_lesson
        # A learner's expression carries every slider: where a new variable starts depends on the open page.
        fields = {"expr": d.text} if own else {}
        fields.update({s.link: f"{self.by_name[s.name].data:.2f}" for s in d.sliders
                       if s.link != "expr" and (own or self.by_name[s.name].data != self.initial[s.name])})
        return fields

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        """The expression first (its sliders then exist), then slider values; anything odd becomes a notice."""
        notices = []
        fields = dict(fields)
        if "expr" in fields:
            text = fields.pop("expr")
            draft, error = self.draft, self.error
            if not self.apply(text):
                notices.append(f"ignored {self.key}.expr: {self.error}")
                self.draft, self.error = draft, error  # a bad link leaves the field as the learner had it
        sliders = {s.link: s for s in self.diagram.sliders}
        for name, text in fields.items():
            slider = sliders.get(name)
            value = parse_number(text) if slider else None
            if value is None or not slider.lo <= value <= slider.hi:
                notices.append(f"ignored {self.key}.{name}={text[:20]!r}")
            else:
                self.set_input(slider.name, value)
        return notices

    @property
    def wants_frame(self) -> bool:
        return self.player.playing

    def frame(self, now_ms: float) -> None:
        self.player.frame(now_ms)

    # --- derived numbers ---

    def grads(self) -> list[float | None]:
        """Each node's gradient so far (None where nothing has arrived): the replay of the applied steps."""
        grads: list[float | None] = [None] * len(self.order)
        if self.player.started:
            grads[self.index[id(self.diagram.root)]] = 1.0
        for step in self.steps[: self.player.applied]:
            k = self.index[id(step.parent)]
            grads[k] = (grads[k] or 0.0) + step.contribution
        return grads

    def formula(self, step) -> str:
        """The step's local derivative as the lesson writes it, in this diagram's names."""
        return local_formula(step.child, step.index, self.name_of)

    def edge_label(self, step, horizontal: bool) -> list[str]:
        """The active edge's label, ∂child/∂parent = formula = value, in lines narrow enough for the gap.

        A bare number is not repeated: ∂z/∂p = 1.
        """
        formula = self.formula(step)
        name = f"∂{self.name_of(step.child)}/∂{self.name_of(step.parent)}"
        number = parse_number(formula) is not None
        if horizontal:
            return [name, f"= {formula}"] + ([] if number else [f"= {fixed(step.local, 4)}"])
        return [f"{name} = {formula}"] + ([] if number else [f"= {fixed(step.local, 4)}"])

    def message(self) -> str:
        """The explanation panel: changes once per step (never per frame), so a screen reader hears each once."""
        p = self.player
        n = len(self.steps)
        if self.notice == "cancelled":
            return ("A slider moved, so the backward pass stopped: its gradients belonged to the old values. "
                    "Press “Animate backward pass” or “Step” to start again.")
        if self.notice == "live":
            return ("The pass is complete, so every slider move now reruns the forward and the backward pass: "
                    "the badges and read-outs show the gradients for the new values.")
        if self.notice == "complete":
            return ("The backward pass is already complete. Press “Reset” to clear the gradients, or "
                    "“Animate backward pass” to run it again.")
        if p.active is not None:
            return self.explain(p.active) + (" That was the last edge: the backward pass is complete."
                                             if p.finished else "")
        if p.finished and p.started:
            grads = self.grads()
            parts = ", ".join(f"∂L/∂{name} = {fixed(grads[self.index[id(self.by_name[name])]] or 0.0, 4)}"
                              for name in self.diagram.readouts)
            return f"Backward pass complete: {parts}. Move a slider and the gradients follow at once."
        return (f"Press “Animate backward pass” to watch the gradient flow back from {self.name_of(self.diagram.root)}"
                f" along all {n} edges, or “Step” to advance one edge at a time.")

    def explain(self, k: int) -> str:
        """One step in words with its numbers: upstream, local derivative, contribution, new total."""
        step = self.steps[k]
        child, parent = self.name_of(step.child), self.name_of(step.parent)
        root = self.name_of(self.diagram.root)
        formula = self.formula(step)
        local = formula if parse_number(formula) is not None else f"{formula} = {fixed(step.local, 4)}"
        up, loc, add = fixed(step.upstream, 4), fixed(step.local, 4), fixed(step.contribution, 4)
        text = (f"Edge {k + 1} of {len(self.steps)}, {child} → {parent}: ∂{root}/∂{child} = {up}; "
                f"local ∂{child}/∂{parent} = {local}; so ∂{root}/∂{parent} += {up} × {loc} = {add}.")
        before = sum(s.contribution for s in self.steps[:k] if s.parent is step.parent)
        if any(s.parent is step.parent for s in self.steps[:k]):
            text += f" With what arrived before, ∂{root}/∂{parent} = {fixed(before + step.contribution, 4)}."
        if k == 0:
            text = f"Seed ∂{root}/∂{root} = 1. " + text
        return text

    # --- view ---

    def render(self, *, ready: bool = True) -> El:
        rows = -(-len(self.diagram.sliders) // STRIP_COLUMNS)
        return h(
            "div", {"class": f"graph-widget graph-rows-{rows}"},
            exprpanel.render_expression(self, ready),
            # One strip for everything a learner plays with: on a phone it stays at the top of the screen while
            # the graph scrolls under it, so w can move while the gradients are watched.
            h("div", {"class": "graph-strip"},
              h("div", {"class": "controls graph-sliders"}, *[self.render_slider(i, s, ready)
                                                              for i, s in enumerate(self.diagram.sliders)]),
              self.render_buttons(ready)),
            self.render_readouts(),
            h("div", {"class": "graph-figure", **({"tabindex": "0", "role": "group", "data-scrollbox": "",
                                                   "aria-label": "Graph drawing, scrolls sideways"}
                                                  if self.is_big(True) or self.is_big(False) else {})},
              self.render_svg(True), self.render_svg(False)),
            h("p", {"class": "graph-legend"},
              h("span", {"class": "key-fwd"}, "green: forward value"), " · ",
              h("span", {"class": "key-grad"}, "orange badge: gradient ∂L/∂node"), " · ",
              "highlighted: the edge the gradient is crossing"),
            h("p", {"class": "graph-explain", "id": "graph-explain", "aria-live": "polite"}, self.message()),
            exprpanel.render_tools(self, ready),
        )

    def render_slider(self, i: int, slider: Slider, ready: bool) -> El:
        value = self.by_name[slider.name].data
        ident = f"graph-in-{i}"
        return h(
            "div", {"class": "control"},
            h("label", {"for": ident}, slider.name),
            h("input", {"id": ident, "type": "range", "data-on": f"set:{slider.name}", "min": slider.lo,
                        "max": slider.hi, "step": slider.step, "value": f"{value:.2f}", "disabled": not ready,
                        "aria-valuetext": f"{slider.name} = {fixed(value, 2)}"}),
            h("output", {"for": ident, "class": "value", "aria-live": "off"}, fixed(value, 2)),
        )

    def render_buttons(self, ready: bool) -> El:
        playing = self.player.playing
        return h(
            "div", {"class": "graph-buttons"},
            h("button", {"type": "button", "data-on": "animate", "disabled": not ready,
                         "aria-pressed": "true" if playing else "false"}, "Animate backward pass"),
            h("button", {"type": "button", "data-on": "step", "disabled": not ready}, "Step"),
            h("button", {"type": "button", "data-on": "reset", "disabled": not ready}, "Reset"),
        )

    def render_readouts(self) -> El:
        grads = self.grads()
        root = self.name_of(self.diagram.root)
        items = [h("output", {"class": "graph-loss", "aria-live": "off"},
                   f"{root} = {fixed(self.diagram.root.data, 4)}")]
        for name in self.diagram.readouts:
            g = grads[self.index[id(self.by_name[name])]] or 0.0
            items.append(h("output", {"class": "graph-grad", "aria-live": "off"}, f"∂{root}/∂{name} = {fixed(g, 4)}"))
        return h("p", {"class": "graph-readouts"}, *items)

    def render_svg(self, horizontal: bool) -> El:
        """The graph drawn for one flow direction (CSS shows the wide one on wide screens, the tall one on phones)."""
        lay = self.layouts[horizontal]
        tag = "wide" if horizontal else "tall"
        p = self.player
        grads = self.grads()
        active = self.steps[p.active] if p.active is not None else None
        active_edge = self.edge_of[(self.index[id(active.child)], active.index)] if active else None
        landed = {self.edge_of[(self.index[id(s.child)], s.index)] for s in self.steps[: p.applied]}
        edges = []
        for e, route in enumerate(lay.routes):
            cls = "edge active" if e == active_edge else "edge carried" if e in landed else "edge"
            marker = f"graph-{tag}-arrow-active" if e == active_edge else f"graph-{tag}-arrow"
            src, dst = self.edges[e]
            edges.append(h("path", {"class": cls, "d": curve(route, horizontal), "marker-end": f"url(#{marker})",
                                    "data-from": self.names[src], "data-to": self.names[dst]}))
        # The active edge is drawn last so it sits above the others.
        if active_edge is not None:
            edges.append(edges.pop(active_edge))
        nodes = [self.render_node(k, grads[k], active, lay.boxes[k]) for k in range(len(self.order))]
        overlay = []
        if active is not None:
            route = lay.routes[active_edge]
            if p.playing and not self.reduced_motion:
                # The gradient travels from the child (route end) back to the parent (route start), passing
                # under the label so the numbers stay legible.
                cx, cy = point_on(route, 1.0 - p.progress, horizontal)
                overlay.append(h("circle", {"class": "pulse", "cx": cx, "cy": cy, "r": 6}))
            overlay.append(self.render_label(self.edge_label(active, horizontal), point_on(route, 0.5, horizontal),
                                             lay, f"graph-{tag}-label"))
        title, desc = f"graph-{tag}-title", f"graph-{tag}-desc"
        # A drawing too wide for its screen keeps a readable scale and scrolls sideways instead of shrinking.
        big = self.is_big(horizontal)
        scale = BIG_SCALE if big else 1.0
        fit = not horizontal and not big and lay.height <= FIT_MAX_HEIGHT
        return h(
            "svg",
            {"class": f"graph graph-{tag}" + (" graph-big" if big else "") + (" graph-fit" if fit else ""),
             "viewBox": f"0 0 {lay.width:.0f} {lay.height:.0f}", "width": f"{lay.width * scale:.0f}",
             "height": f"{lay.height * scale:.0f}", "role": "img",
             "aria-labelledby": f"{title} {desc}"},
            h("title", {"id": title}, self.diagram.title),
            h("desc", {"id": desc}, self.describe(grads, horizontal)),
            h("defs", {},
              *[h("marker", {"id": name, "viewBox": "0 0 10 10", "refX": 9, "refY": 5, "markerWidth": 11,
                             "markerHeight": 11, "orient": "auto", "markerUnits": "userSpaceOnUse"},
                  h("path", {"class": cls, "d": "M0,0L10,5L0,10z"}))
                for name, cls in ((f"graph-{tag}-arrow", "arrowhead"),
                                  (f"graph-{tag}-arrow-active", "arrowhead active"))]),
            h("g", {"class": "edges"}, *edges),
            h("g", {"class": "nodes"}, *nodes),
            h("g", {"class": "overlay"}, *overlay),
        )

    def take_reveal(self) -> list[str]:
        """The active edge's label, once per step, in each drawing that scrolls sideways: on a phone a long
        expression's graph is wider than the screen, and the edge being explained must not be out of sight."""
        if self.player.active == self.revealed:
            return []
        self.revealed = self.player.active
        if self.revealed is None:
            return []
        return [f"graph-{tag}-label" for tag, wide in (("wide", True), ("tall", False)) if self.is_big(wide)]

    def is_big(self, horizontal: bool) -> bool:
        """True when the drawing would shrink below a readable size on its screen (see BIG_WIDTH)."""
        return self.layouts[horizontal].width > BIG_WIDTH[horizontal]

    def render_node(self, k: int, grad: float | None, active, box) -> El:
        node = self.order[k]
        cls = "node leaf" if not node.parents else "node"
        if active is not None and node is active.parent:
            cls += " receiving"
        parts = [
            h("rect", {"class": "node-box", "x": box.left, "y": box.top, "width": box.width,
                       "height": box.height, "rx": 8}),
            h("text", {"class": "node-caption", "x": box.cx, "y": box.top + 22, "text-anchor": "middle"},
              self.captions[k]),
            h("text", {"class": "node-value", "x": box.cx, "y": box.top + 44, "text-anchor": "middle"},
              fixed(node.data, 4)),
        ]
        if grad is not None:
            text = fixed(grad, 4)
            width = len(text) * BADGE_CHAR_W + 16
            parts.append(h("g", {"class": "badge"},
                           h("rect", {"x": box.cx - width / 2, "y": box.top + 53, "width": width, "height": 21,
                                      "rx": 10}),
                           h("text", {"x": box.cx, "y": box.top + 68.5, "text-anchor": "middle"}, text)))
        return h("g", {"class": cls}, *parts)

    def render_label(self, lines: list[str], at: tuple[float, float], lay: Layout, label_id: str) -> El:
        """The active edge's label, a tag on the middle of the edge: the gap between columns (or rows) fits it."""
        width = max(len(line) for line in lines) * LABEL_CHAR_W + 14
        height = len(lines) * LABEL_LINE + 8
        x, y = at[0] - width / 2, at[1] - height / 2
        x = min(max(x, 2.0), lay.width - width - 2)
        y = min(max(y, 2.0), lay.height - height - 2)
        texts = [h("text", {"x": x + width / 2, "y": y + 18 + i * LABEL_LINE, "text-anchor": "middle"}, line)
                 for i, line in enumerate(lines)]
        return h("g", {"class": "edge-label", "id": label_id},
                 h("rect", {"x": x, "y": y, "width": width, "height": height, "rx": 5}), *texts)

    def describe(self, grads: list[float | None], horizontal: bool) -> str:
        """The picture in words, for the SVG's <desc>."""
        values = "; ".join(f"{cap} = {fixed(node.data, 4)}" for cap, node in zip(self.captions, self.order,
                                                                                  strict=True))
        where = "on the left" if horizontal else "at the top"
        text = (f"{len(self.order)} nodes and {len(self.edges)} edges, inputs {where}, arrows pointing towards "
                f"{self.name_of(self.diagram.root)}. Forward values: {values}.")
        known = [f"{self.names[k]} {fixed(g, 4)}" for k, g in enumerate(grads) if g is not None]
        if known:
            text += " Gradients so far: " + ", ".join(known) + "."
        return text
