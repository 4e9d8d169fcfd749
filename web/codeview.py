"""The graph's backward pass as the code the engine generates, with the line of the active step marked.

`engine.compile` writes straight-line Python for a graph: one line per node forward, then the gradients,
each edge's contribution folded into the sum for its parent. It does not say which line holds which edge, so
`gradient_lines` reads that back from the generated source (with `ast`, which only parses; nothing here runs it):
an edge's contribution lands in its parent's gradient line, or, where the compiler inlined that gradient (a
plain name or a product with 1), in the lines that use it.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from engine import Value, topological_order
from engine.compile import Program, compile_forward, compile_gradient
from web.diagram import Diagram
from web.tree import El, h

GRADIENT_NAME = "forward_backward"


class Compiled:
    """The generated forward and forward+backward programs of one diagram, and where each step's line is."""

    def __init__(self, diagram: Diagram, by_name: dict[str, Value]):
        self.params = [by_name[s.name] for s in diagram.sliders]
        root = diagram.root
        self.gradient: Program = compile_gradient(root, {}, self.params, GRADIENT_NAME)
        self.forward: Program = compile_forward(root, {}, self.params, "forward")
        self.lines = self.gradient.source.rstrip("\n").split("\n")
        order = topological_order(root)
        self.own, self.node_lines = gradient_lines(self.gradient.source, order, self.params)
        # Nodes that depend on a variable: only their gradients are computed, other edges are left out.
        self.varying = {id(p) for p in self.params}
        for node in order:
            if any(id(p) in self.varying for p in node.parents):
                self.varying.add(id(node))
        # Lines [forward_from, backward_from) are the forward pass, the rest up to the return the backward one.
        starts = [k for k, line in enumerate(self.lines) if line.strip().startswith("loss_sum ")]
        self.forward_from, self.backward_from = (starts[0] + 1, starts[1] + 1) if len(starts) == 2 else (1, 1)

    def lines_for(self, step) -> tuple[int, ...]:
        """The 0-based lines where a backward step's contribution is added (none for an edge into a constant)."""
        return self.node_lines.get(id(step.parent), ())

    def values(self) -> list[float]:
        """The sliders' current values, in the programs' argument order."""
        return [p.data for p in self.params]

    def loss(self, values: Sequence[float]) -> float:
        """L at these variable values, through the generated forward pass."""
        return self.forward(*values)[0]

    def grads(self, values: Sequence[float]) -> list[float]:
        """∂L/∂variable at these values, through the generated backward pass."""
        return list(self.gradient(*values)[1])


Lines = dict[int, tuple[int, ...]]


def gradient_lines(source: str, order: list[Value], params: Sequence[Value]) -> tuple[dict[int, int], Lines]:
    """Where each node's gradient is written in the generated source, keyed by id(node), 0-based lines.

    Returns (own, lines): `own` holds the nodes whose gradient has a line of its own (every parameter's
    d_x += ..., and d_<name> = ... for the operations the compiler names), `lines` for every node the lines
    its gradient appears in: its own line, or where the compiler inlined it, the lines of its parents. An edge
    adds its contribution to its parent's gradient, so it lives in its parent's lines.

    Assumes what engine.compile does for a graph whose every operation node is labelled: one forward line per
    operation in topological order, parameter gradients returned in order, an operation's gradient (when it
    gets a line) named d_<its name>. If the source does not fit that, the answer is empty (nothing is marked)
    rather than a wrong line.
    """
    nothing: tuple[dict[int, int], Lines] = ({}, {})
    try:
        fn = ast.parse(source).body[0]
    except (SyntaxError, IndexError):
        return nothing
    if not isinstance(fn, ast.FunctionDef) or len(fn.args.args) != len(params):
        return nothing
    names = {id(p): arg.arg for p, arg in zip(params, fn.args.args, strict=True)}
    # The body: gradient and loss_sum set to 0.0, forward lines, `loss_sum += L`, backward lines, return.
    phases: list[list[ast.stmt]] = [[], [], []]
    phase = 0
    for stmt in fn.body:
        if _target(stmt) == "loss_sum":
            phase += 1
        elif isinstance(stmt, ast.Assign | ast.AugAssign) and _target(stmt):
            phases[phase].append(stmt)
    _, forward, backward = phases
    ops = [node for node in order if node.parents]
    returned = fn.body[-1]
    if not (phase == 2 and isinstance(returned, ast.Return) and isinstance(returned.value, ast.Tuple)):
        return nothing
    grads = returned.value.elts[1]
    if len(forward) != len(ops) or not isinstance(grads, ast.List) or len(grads.elts) != len(params):
        return nothing
    for node, stmt in zip(ops, forward, strict=True):
        names[id(node)] = _target(stmt)
    grad_name = {id(p): getattr(g, "id", "") for p, g in zip(params, grads.elts, strict=True)}
    for node in ops:
        grad_name[id(node)] = "d_" + names[id(node)]
    line_of = {_target(stmt): stmt.lineno - 1 for stmt in backward}
    own: dict[int, int] = {}
    lines: Lines = {}
    for node in order:  # parents first, so an inlined gradient can take its parents' lines
        at = line_of.get(grad_name.get(id(node), ""))
        if at is not None:
            own[id(node)] = at
            lines[id(node)] = (at,)
        else:
            lines[id(node)] = tuple(sorted({k for p in node.parents for k in lines[id(p)]}))
    return own, lines


def _target(stmt: ast.stmt) -> str:
    """The name a simple assignment sets, else ''."""
    if isinstance(stmt, ast.Assign):
        target = stmt.targets[0]
    elif isinstance(stmt, ast.AugAssign):
        target = stmt.target
    else:
        return ""
    return target.id if isinstance(target, ast.Name) else ""


def render_code(compiled: Compiled, active: tuple[int, ...], note: str) -> El:
    """The generated function in a <pre><code> block, forward and backward lines marked, active lines lit."""
    rows = []
    for k, line in enumerate(compiled.lines):
        last = len(compiled.lines) - 1
        part = ("fwd" if compiled.forward_from <= k < compiled.backward_from
                else "bwd" if compiled.backward_from <= k < last else "head")
        cls = f"code-line code-{part}" + (" code-active" if k in active else "")
        rows.append(h("span", {"class": cls}, line + "\n"))
    return h(
        "div", {"class": "graph-code", "id": "graph-code"},
        h("p", {"class": "code-intro"},
          "The Python that engine.compile generates for this graph and runs: first the forward pass, one line "
          "per node (green bar), then the backward pass (orange bar), each edge’s upstream × local added into "
          "its parent’s gradient d_<name>."),
        h("pre", {"class": "code-block", "tabindex": "0", "aria-label": "Generated Python"},
          h("code", {}, *rows)),
        h("p", {"class": "code-note", "aria-live": "off"}, note),
    )
