"""The graph's backward pass as the code the engine generates, with the line of the active step marked.

`engine.compile` writes straight-line Python for a graph: one line per node forward, then the gradients,
each edge's contribution folded into the sum for its parent, and its `Program.nodes` says which lines hold
each node's gradient. An edge's contribution lands in its parent's gradient line, or, where the compiler
inlined that gradient (a plain name or a product with 1), in the lines that use it: exactly the parent's
`gradient` lines, so a step's lines are looked up, never worked out from the text.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine import Value
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
        nodes = self.gradient.nodes.items()
        # Nodes whose gradient has a line of its own (d_x += ... for a variable, d_<name> = ... for an operation).
        self.own = {key for key, code in nodes if code.grad}
        # Nodes that depend on a variable: only their gradients are computed (they are the nodes the program
        # gives gradient lines), so edges into any other node are left out of the code.
        self.varying = {key for key, code in nodes if code.gradient}

    def lines_for(self, step) -> tuple[int, ...]:
        """The 0-based lines where a backward step's contribution is added (none for an edge into a constant)."""
        return tuple(k - 1 for k in self.gradient.where(step.parent).gradient)

    def part(self, k: int) -> str:
        """Which part of the function 0-based line k is: "fwd", "bwd" or "head" (def, set-up, return)."""
        if k + 1 in self.gradient.forward_lines:
            return "fwd"
        return "bwd" if k + 1 in self.gradient.backward_lines else "head"

    def values(self) -> list[float]:
        """The sliders' current values, in the programs' argument order."""
        return [p.data for p in self.params]

    def loss(self, values: Sequence[float]) -> float:
        """L at these variable values, through the generated forward pass."""
        return self.forward(*values)[0]

    def grads(self, values: Sequence[float]) -> list[float]:
        """∂L/∂variable at these values, through the generated backward pass."""
        return list(self.gradient(*values)[1])


def render_code(compiled: Compiled, active: tuple[int, ...], note: str) -> El:
    """The generated function in a <pre><code> block, forward and backward lines marked, active lines lit."""
    rows = []
    for k, line in enumerate(compiled.lines):
        cls = f"code-line code-{compiled.part(k)}" + (" code-active" if k in active else "")
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
