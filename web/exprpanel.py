"""The parts of the computation-graph widget around a learner's own function: the Expression field, its alert,
"Show code" with the active step's line lit, and the finite-difference check. Views only; state is the widget's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from web.codeview import render_code
from web.expr import FUNCTIONS
from web.gradcheck import check, render_check
from web.tree import El, h

if TYPE_CHECKING:
    from web.graph import GraphWidget

HINT = (f"Numbers, variable names, + − * / **, brackets and {', '.join(FUNCTIONS)}. "
        "Write a target as ystar to see it as y*. Enter or “Apply” draws its graph; the output is always L.")


def render_expression(widget: GraphWidget, ready: bool) -> El:
    """Label, text field and Apply button; the alert below them only while the last text was refused."""
    error = widget.error
    described = "graph-expr-error graph-expr-hint" if error else "graph-expr-hint"
    return h(
        "div", {"class": "graph-expr"},
        h("label", {"for": "graph-expr"}, "Expression"),
        h("div", {"class": "graph-expr-row"},
          h("input", {"id": "graph-expr", "type": "text", "data-on": "expr", "data-keys": "Enter",
                      "value": widget.draft, "disabled": not ready, "spellcheck": "false", "autocomplete": "off",
                      "autocapitalize": "off", "aria-invalid": "true" if error else None,
                      "aria-describedby": described}),
          h("button", {"type": "button", "data-on": "apply", "disabled": not ready}, "Apply")),
        h("p", {"class": "graph-expr-error", "id": "graph-expr-error", "role": "alert"}, error) if error else None,
        h("p", {"class": "graph-expr-hint", "id": "graph-expr-hint"}, HINT),
    )


def render_tools(widget: GraphWidget, ready: bool) -> El:
    """The two buttons that look under the hood, and what they show."""
    return h(
        "div", {"class": "graph-tools"},
        h("div", {"class": "graph-buttons"},
          # aria-controls only while the panel exists: an id that names nothing is an accessibility error
          h("button", {"type": "button", "data-on": "code", "disabled": not ready,
                       "aria-controls": "graph-code" if widget.show_code else None,
                       "aria-expanded": "true" if widget.show_code else "false"}, "Show code"),
          h("button", {"type": "button", "data-on": "check", "disabled": not ready,
                       "aria-controls": "graph-check" if widget.show_check else None},
            "Check with finite differences")),
        render_code(widget.compiled, active_lines(widget), code_note(widget)) if widget.show_code else None,
        render_check(check(widget.compiled, [s.name for s in widget.diagram.sliders]))
        if widget.show_check else None,
    )


def active_lines(widget: GraphWidget) -> tuple[int, ...]:
    """The generated lines that hold the active step's contribution (none when no step is active)."""
    k = widget.player.active
    if k is None:
        return ()
    return widget.compiled.lines_for(widget.steps[k])


def code_note(widget: GraphWidget) -> str:
    """Which lines are lit and why, in words."""
    k = widget.player.active
    if k is None:
        return ("During “Animate backward pass” or “Step”, the lines that hold the active edge’s contribution "
                "are highlighted.")
    step = widget.steps[k]
    child, parent = widget.name_of(step.child), widget.name_of(step.parent)
    lines = active_lines(widget)
    numbers = " and ".join(str(n + 1) for n in lines)
    edge = f"Edge {k + 1}, {child} → {parent}: "
    if id(step.parent) not in widget.compiled.varying:
        what = "is a constant" if not step.parent.parents else "depends on no variable"
        return edge + f"{parent} {what}, so the generated code needs no gradient for it and skips this edge."
    if id(step.parent) in widget.compiled.own:
        return edge + f"line {numbers} adds ∂L/∂{child} × ∂{child}/∂{parent} into the gradient of {parent}."
    return (edge + f"the compiler gave ∂L/∂{parent} no line of its own: it pastes that expression where it is "
            f"used, in line{'s' if len(lines) > 1 else ''} {numbers}.")
