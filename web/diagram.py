"""What the computation-graph widget shows, as data: the lesson's neuron, or any expression a learner types.

A `Diagram` is a root Value plus display names, sliders and read-outs. `lesson_diagram` names the lesson's
nodes p, z, s, d as the lesson text does; `expression_diagram` builds one from typed text through the safe
reader in `web.expr`, and gives back exactly the lesson's diagram when the text is the lesson's L.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from engine import Value, topological_order
from web.expr import Expr, ExprError, Var, build, display_name, parse, to_text, variables

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


def lesson_diagram(w: float = 0.5, x: float = 1.0, b: float = 0.1, y: float = 1.0) -> Diagram:
    """The lesson's neuron L = (σ(w·x + b) − y*)², with the node names of the lesson text."""
    wv, xv, bv, yv = Value(w, label="w"), Value(x, label="x"), Value(b, label="b"), Value(y, label="y*")
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
        sliders=(Slider("w", -3.0, 3.0, STEP), Slider("x", -3.0, 3.0, STEP), Slider("b", -3.0, 3.0, STEP),
                 Slider("y*", 0.0, 1.0, STEP, key="ystar")),
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
        names = ("w", "x", "b", "ystar")
        sliders = lesson_diagram().sliders
        return lesson_diagram(*(start(n, s) for n, s in zip(names, sliders, strict=True)))
    return _diagram(expr, text.strip(), start)


def _diagram(expr: Expr, text: str, start) -> Diagram:
    names = variables(expr)
    sliders = tuple(Slider(display_name(n), *RANGES.get(n, DEFAULT_RANGE), STEP, key=n) for n in names)
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
    return Diagram(root=root, names=shown, sliders=sliders, readouts=tuple(s.name for s in sliders),
                   title=f"Computation graph of L = {readable}", text=text)
