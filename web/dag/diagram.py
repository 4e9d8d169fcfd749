"""What the computation-graph widget shows, as data: the lesson's neuron, or any expression a learner types.

A `Diagram` is a root Value plus display names, sliders and read-outs. `lesson_diagram` names the lesson's
nodes p, z, s, d as the lesson text does; `expression_diagram` builds one from typed text through the safe
reader in `web.expr`, and gives back exactly the lesson's diagram when the text is the lesson's L.

A `Scene` is a diagram indexed for drawing: nodes in forward order with their names, kinds (input, constant,
operation) and captions, the edges, and a layout for each flow direction (see `web.dag.geometry`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from engine import Value, backward_steps, topological_order
from engine.graph import Step
from engine.rules import RULES, superscript
from web.expr import Expr, ExprError, Var, build, display_name, parse, to_text, variables
from web.format import MINUS, sci

# The lesson's L with the target spelled as a valid name; it reads back as y* everywhere it is shown.
LESSON_TEXT = "(sigmoid(w*x + b) - ystar)**2"
LESSON_VALUES = {"w": 0.5, "x": 1.0, "b": 0.1, "ystar": 1.0}
# A target is a probability in this lesson; every other variable gets the general range.
RANGES = {"ystar": (0.0, 1.0)}
DEFAULT_RANGE = (-3.0, 3.0)
DEFAULT_VALUE = 1.0
STEP = 0.01


@dataclass(frozen=True)
class Slider:
    """A leaf the learner sets: its display name, range and step, and its name in links (the typed name)."""

    name: str
    lo: float
    hi: float
    step: float
    key: str = ""

    @property
    def link(self) -> str:
        """The field name in a shareable link: an identifier, so `y*` travels as `ystar`."""
        return self.key or self.name

    def snap(self, value: float) -> float:
        """Onto the slider's grid, inside its range."""
        snapped = round(self.lo + round((value - self.lo) / self.step) * self.step, 6)
        return min(self.hi, max(self.lo, snapped))


@dataclass(frozen=True)
class Diagram:
    """What the widget shows: the output Value, a display name per node, the sliders and gradient read-outs."""

    root: Value
    names: dict[int, str]  # id(Value) -> name; unnamed nodes fall back to their label
    sliders: tuple[Slider, ...]
    readouts: tuple[str, ...]  # names of the nodes whose ∂L/∂· is read out under the graph
    title: str
    text: str = ""  # the expression it was built from, as typed ("" for a graph built in code)

    @property
    def is_lesson(self) -> bool:
        return self.text == LESSON_TEXT


def slider_for(link: str) -> Slider:
    """The slider of the variable written `link` in typed text and links, with its range from RANGES."""
    return Slider(display_name(link), *RANGES.get(link, DEFAULT_RANGE), STEP, key=link)


def lesson_diagram(values: Mapping[str, float] = LESSON_VALUES) -> Diagram:
    """The lesson's neuron L = (σ(w·x + b) − y*)², with the node names of the lesson text, at `values` (by link
    name, the lesson's own where one is missing)."""
    wv, xv, bv, yv = (Value(values.get(k, LESSON_VALUES[k]), label=display_name(k)) for k in LESSON_VALUES)
    p = wv * xv
    z = p + bv
    s = z.sigmoid()
    d = s - yv
    loss = d**2
    named = {"w": wv, "x": xv, "b": bv, "y*": yv, "p": p, "z": z, "s": s, "d": d, "L": loss}
    for name, node in named.items():
        node.label = name
    return Diagram(
        root=loss,
        names={id(node): name for name, node in named.items()},
        sliders=tuple(slider_for(k) for k in LESSON_VALUES),
        readouts=("w", "x", "b"),
        title="Computation graph of L = (σ(w·x + b) − y*)²",
        text=LESSON_TEXT,
    )


LESSON_EXPR = parse(LESSON_TEXT)


def expression_diagram(text: str, values: Mapping[str, float] | None = None) -> Diagram:
    """The diagram of a typed expression (raises web.expr.ExprError with a message for the page).

    `values` maps typed variable names to values to keep (a same-named slider keeps its place); a new
    variable starts at the lesson's value for it, or at 1.0.
    """
    expr = parse(text)
    if isinstance(expr, Var):  # L would be the slider itself: a graph with no edge to step through
        raise ExprError(f"L needs at least one operation on {expr.name}, for example {expr.name}*{expr.name} "
                        f"or sin({expr.name})")
    values = dict(values or {})

    def start(name: str, slider: Slider) -> float:
        return slider.snap(values.get(name, LESSON_VALUES.get(name, DEFAULT_VALUE)))

    if expr == LESSON_EXPR:
        return lesson_diagram({k: start(k, slider_for(k)) for k in LESSON_VALUES})
    return _diagram(expr, text.strip(), start)


def _diagram(expr: Expr, text: str, start) -> Diagram:
    names = variables(expr)
    sliders = tuple(slider_for(n) for n in names)
    leaves = {n: Value(start(n, s), label=n) for n, s in zip(names, sliders, strict=True)}
    root = build(expr, leaves)
    shown = {id(leaves[n]): s.name for n, s in zip(names, sliders, strict=True)}
    shown[id(root)] = "L"
    root.label = "L"
    # Intermediate nodes are v1, v2, ... in the order the forward pass computes them. A name is skipped if a
    # variable has it (or would clash with its gradient in the generated code, d_<name>).
    taken = set(names) | set(shown.values()) | {n[2:] for n in names if n.startswith("d_")}
    count = 0
    for node in topological_order(root):
        if node.parents and node is not root:
            count += 1
            while f"v{count}" in taken:
                count += 1
            node.label = shown[id(node)] = f"v{count}"
    readable = re.sub(r"[A-Za-z_]\w*", lambda m: display_name(m[0]) if m[0] in names else m[0], to_text(expr))
    # The lesson writes a minus as "−", as every other text of the page does.
    return Diagram(root=root, names=shown, sliders=sliders, readouts=tuple(s.name for s in sliders),
                   title=f"Computation graph of L = {readable.replace('-', MINUS)}", text=text)


# How a node's caption reads, by op: "p = w·x". Display only; derivative formulas live in engine.rules.
CAPTIONS = {
    "add": "{a} + {b}", "sub": "{a} − {b}", "mul": "{a}·{b}", "div": "{a}/{b}", "neg": "−{a}",
    "sigmoid": "σ({a})",
}
INPUT, CONSTANT, OPERATION = "input", "constant", "operation"


def short(value: float) -> str:
    """A number as a caption writes it: as typed when that is short (0.5, −1.2, 1e-07), else 1.00×10³⁰⁰."""
    text = f"{value:g}"
    return (text if len(text) <= 7 else sci(value, 2)).replace("-", MINUS)


def power_text(n: float) -> str:
    """An exponent after its base: ² for small whole numbers, ^0.5 or ^1.00×10³⁰⁰ otherwise (never long)."""
    if n == int(n) and abs(n) < 1000:
        return superscript(str(int(n)))
    return "^" + short(n)


@dataclass(frozen=True)
class Scene:
    """A diagram indexed for drawing: order, names, kinds, captions and edges (parent index, child index)."""

    diagram: Diagram
    order: tuple[Value, ...]
    names: tuple[str, ...]
    kinds: tuple[str, ...]
    captions: tuple[str, ...]
    edges: tuple[tuple[int, int], ...]  # in (child, argument) order, as backward_steps meets them per child
    # The rule table the pass and the edge labels use: the engine's, or one where a learner's rule replaces an op's.
    rules: Mapping = field(default_factory=lambda: RULES)

    @property
    def root(self) -> Value:
        return self.diagram.root

    def index(self, node: Value) -> int:
        """Where node is in the forward order."""
        return self._index[id(node)]

    def name_of(self, node: Value) -> str:
        """The display name of a node of this scene."""
        return self.names[self.index(node)]

    def node(self, name: str) -> Value:
        """The node shown under a name (a slider's name, for instance)."""
        return self._by_name[name]

    def edge(self, step: Step) -> int:
        """The edge a backward step crosses."""
        return self._edge_of[(self.index(step.child), step.index)]

    def steps(self) -> tuple[Step, ...]:
        """The engine's backward steps at the current values, minus those into constants (they have no gradient)."""
        return tuple(s for s in backward_steps(self.root, self.rules)
                     if self.kinds[self.index(s.parent)] != CONSTANT)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {id(node): k for k, node in enumerate(self.order)})
        object.__setattr__(self, "_by_name", dict(zip(self.names, self.order, strict=True)))
        edge_of, e = {}, 0
        for k, node in enumerate(self.order):
            for arg in range(len(node.parents)):
                edge_of[(k, arg)] = e
                e += 1
        object.__setattr__(self, "_edge_of", edge_of)


def scene_of(diagram: Diagram, rules: Mapping | None = None) -> Scene:
    """Index a diagram: names (display name, label, number or v<k>), kinds, captions and edges; `rules` replaces
    the engine's rule table for the pass (see Scene.rules)."""
    order = tuple(topological_order(diagram.root))
    index = {id(node): k for k, node in enumerate(order)}
    sliders = {s.name for s in diagram.sliders}
    names, kinds = [], []
    for k, node in enumerate(order):
        name = diagram.names.get(id(node)) or node.label
        if not node.parents:
            kind = INPUT if name in sliders else CONSTANT
            name = name if kind == INPUT else short(node.data)
        else:
            kind, name = OPERATION, name or f"v{k}"
        names.append(name)
        kinds.append(kind)
    edges = tuple((index[id(parent)], k) for k, node in enumerate(order) for parent in node.parents)
    captions = tuple(_caption(node, k, names, kinds, index) for k, node in enumerate(order))
    return Scene(diagram, order, tuple(names), tuple(kinds), captions, edges, rules or RULES)


def _caption(node: Value, k: int, names: list[str], kinds: list[str], index: dict[int, int]) -> str:
    if not node.parents:
        return names[k]
    shown = []
    for parent in node.parents:
        j = index[id(parent)]
        # A negative number among operands reads better bracketed: w·(−1.2).
        shown.append(f"({names[j]})" if kinds[j] == CONSTANT and names[j].startswith(MINUS) else names[j])
    a, b = shown[0], shown[1] if len(shown) > 1 else ""
    if node.op == "pow":
        text = f"{a}{power_text(node.arg)}"
    else:
        text = CAPTIONS.get(node.op, node.op + "({a})").format(a=a, b=b)
    return f"{names[k]} = {text}"
