"""Graph walks: topological order, recompute, backward, backward_steps, jvp, release. All iterative, never recursive.

Pyodide's stack is small: recursion through C code killed it at ~1,100 levels, and freeing a deep chain by
reference counting (each node's death freeing its parent) at ~2,500 nodes. Everything here loops.
"""

import math
from typing import NamedTuple

from engine.rules import RULES, local_formula


def topological_order(root) -> list:
    """Every node reachable from root, each after all its parents (leaves first, root last)."""
    order = []
    seen = {id(root)}
    stack = [(root, iter(root.parents))]
    while stack:
        node, pending = stack[-1]
        for parent in pending:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent.parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


class Tally:
    """Work done by passes over a graph, counted the same way for every pass.

    A rule application is one call of a rule's `forward` or `local` from the table: recompute makes one per
    operation node, backward one (all of a node's local derivatives come from one call), jvp two (the value
    and the local derivatives). Pass one Tally to several passes to add up a whole method's work.
    """

    __slots__ = ("passes", "rules")

    def __init__(self):
        self.passes = 0  # graph walks made
        self.rules = 0   # rule applications made

    def __repr__(self) -> str:
        return f"Tally(passes={self.passes}, rules={self.rules})"

    def add(self, rules: int) -> None:
        """Record one pass that applied `rules` rules."""
        self.passes += 1
        self.rules += rules


def recompute(root, tally: Tally | None = None) -> None:
    """Re-run the forward pass in place after leaves' .data changed (e.g. a slider), keeping the graph."""
    applied = 0
    for node in topological_order(root):
        if node.parents:
            parents = node.parents
            b = parents[1].data if len(parents) > 1 else 0.0
            node.data = RULES[node.op].forward(parents[0].data, b, node.arg)
            applied += 1
    if tally is not None:
        tally.add(applied)


def _locals(node, rules=RULES) -> tuple:
    """∂node/∂parent for each parent, from the rule table."""
    parents = node.parents
    b = parents[1].data if len(parents) > 1 else 0.0
    return rules[node.op].local(parents[0].data, b, node.data, node.arg)


def backward(root, tally: Tally | None = None) -> None:
    """Reverse-mode sweep: zero every .grad, seed root.grad = 1, push grad to parents in reverse order."""
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    applied = 0
    for node in reversed(order):
        if node.parents:
            upstream = node.grad
            for parent, local in zip(node.parents, _locals(node), strict=True):
                parent.grad += local * upstream
            applied += 1
    if tally is not None:
        tally.add(applied)


def jvp(output, tangents: dict, tally: Tally | None = None) -> float:
    """Forward mode: the derivative of output along `tangents` (leaf Value -> number) at the leaves' values.

    One sweep in topological order carries each node's value and its tangent (d node / d t) together, as
    dual numbers do: the value from the rule's `forward`, the tangent as the sum over parents of local
    derivative × parent's tangent, both from the rule table. Like recompute, it refreshes every node's .data;
    it leaves .grad alone. Leaves missing from `tangents` have tangent 0.
    """
    dots = {}
    for leaf, tangent in tangents.items():
        if leaf.parents:
            raise ValueError(f"jvp takes tangents of leaves only, not of {leaf!r}")
        dots[id(leaf)] = float(tangent)
    tangent = dots.get
    applied = 0
    for node in topological_order(output):
        parents = node.parents
        if parents:
            rule = RULES[node.op]
            first = parents[0]
            if len(parents) == 1:  # spelled out for one and two inputs: this loop is the widget's hot path
                node.data = y = rule.forward(first.data, 0.0, node.arg)
                (local,) = rule.local(first.data, 0.0, y, node.arg)
                dots[id(node)] = local * tangent(id(first), 0.0)
            else:
                second = parents[1]
                node.data = y = rule.forward(first.data, second.data, node.arg)
                da, db = rule.local(first.data, second.data, y, node.arg)
                dots[id(node)] = da * tangent(id(first), 0.0) + db * tangent(id(second), 0.0)
            applied += 2
    if tally is not None:
        tally.add(applied)
    return dots.get(id(output), 0.0)


class Step(NamedTuple):
    """One edge of the backward pass: parent.grad += contribution."""

    child: object         # the node whose gradient flows back
    parent: object        # child.parents[index]
    index: int            # argument position (x * x has two steps to the same parent)
    local: float          # ∂child/∂parent
    upstream: float       # ∂L/∂child, final by the time this step runs
    contribution: float   # local * upstream, added to parent.grad
    formula: str          # local derivative as the lesson writes it, e.g. "s(1 − s)"; see rules.local_formula


def backward_steps(root, rules=RULES) -> list[Step]:
    """The steps backward() applies, in its order; replaying them from zero (root.grad = 1) gives every grad.

    Pure: no .grad is changed. `rules` is the table the locals and formulas come from: the engine's, or a copy
    in which some ops have other `local` and `human` entries (a learner's own rule, shown in the lesson's graph).
    """
    order = topological_order(root)
    grads = {id(node): 0.0 for node in order}
    grads[id(root)] = 1.0
    steps = []
    for node in reversed(order):
        if node.parents:
            upstream = grads[id(node)]
            for index, (parent, local) in enumerate(zip(node.parents, _locals(node, rules), strict=True)):
                contribution = local * upstream
                grads[id(parent)] += contribution
                steps.append(Step(node, parent, index, local, upstream, contribution,
                                  local_formula(node, index, rules=rules)))
    return steps


def release(root) -> None:
    """Cut every edge below root so the graph is freed node by node, not by one deep recursive dealloc."""
    order = topological_order(root)
    # `order` keeps every node alive while edges are cut, so nothing is freed until it goes out of scope.
    for node in order:
        node.parents = ()


def nonfinite(root) -> list:
    """Nodes whose data or grad is inf or nan, in topological order (first ones are where it started)."""
    return [node for node in topological_order(root)
            if not (math.isfinite(node.data) and math.isfinite(node.grad))]
