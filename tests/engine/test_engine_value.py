"""Value, backward, backward_steps, release: the public API of DESIGN.md §2."""

import gc
import math
from fractions import Fraction

import pytest

from engine import Value, backward_steps, nonfinite, release, topological_order
from engine.rules import RULES


def lesson_graph():
    w, x, b, y = Value(0.5, label="w"), Value(1.0, label="x"), Value(0.1, label="b"), Value(1.0, label="y*")
    return (w, x, b, y), ((w * x + b).sigmoid() - y) ** 2


def test_lesson_numbers_match_design():
    (w, x, b, _), L = lesson_graph()
    L.backward()
    s = 1 / (1 + math.exp(-(0.5 * 1.0 + 0.1)))
    assert L.data == pytest.approx((s - 1.0) ** 2, rel=1e-15)
    dz = 2 * (s - 1.0) * s * (1 - s)
    assert (w.grad, x.grad, b.grad) == pytest.approx((dz * 1.0, dz * 0.5, dz), rel=1e-14)
    assert f"{L.data:.4f}" == "0.1256" and f"{w.grad:.4f}" == "-0.1621" and f"{x.grad:.4f}" == "-0.0811"


def test_each_operator_is_one_node_with_parents_in_argument_order():
    a, b = Value(3.0, label="a"), Value(2.0, label="b")
    for expr, op in [(a + b, "add"), (a - b, "sub"), (a * b, "mul"), (a / b, "div")]:
        assert expr.op == op and expr.parents == (a, b) and expr.label == ""
    assert (-a).op == "neg" and (-a).parents == (a,)
    p = a ** 3
    assert p.op == "pow" and p.parents == (a,) and p.arg == 3.0 and p.data == 27.0
    for name in ("exp", "log", "tanh", "sigmoid", "relu", "sin", "cos"):
        node = getattr(a, name)()
        assert node.op == name and node.parents == (a,)
    assert a.op == "" and a.parents == () and a.label == "a"


def test_numbers_on_either_side_become_constant_leaves():
    a = Value(3.0)
    for expr, data in [(2 + a, 5.0), (a + 2, 5.0), (2 - a, -1.0), (a - 2, 1.0), (2 * a, 6.0),
                       (a * 2, 6.0), (6 / a, 2.0), (a / 2, 1.5)]:
        assert expr.data == data
        const = [p for p in expr.parents if p is not a]
        assert len(const) == 1 and const[0].op == "" and const[0].label == ""
    assert (2 - a).parents[1] is a and (a - 2).parents[0] is a


def test_exponent_must_be_a_number():
    a = Value(2.0)
    with pytest.raises(TypeError):
        a ** Value(2.0)
    with pytest.raises(TypeError):
        2 ** a


def test_any_real_number_mixes_with_values_and_other_types_do_not():
    a = Value(2.0)
    assert (a + Fraction(1, 2)).data == 2.5 and (Fraction(1, 2) * a).data == 1.0
    assert (a ** Fraction(1, 2)).data == math.sqrt(2.0) and (a + True).data == 3.0
    for other in ("1", None, [1.0], 1j):
        with pytest.raises(TypeError):
            a + other
        with pytest.raises(TypeError):
            a ** other


def test_backward_twice_gives_the_same_gradients():
    (w, x, b, y), L = lesson_graph()
    L.backward()
    first = [v.grad for v in (w, x, b, y)]
    L.backward()
    assert [v.grad for v in (w, x, b, y)] == first


def test_shared_node_accumulates():
    x = Value(3.0)
    y = x * x + x
    y.backward()
    assert x.grad == 7.0


def test_backward_steps_replay_gives_every_grad_and_changes_nothing():
    (w, x, _, _), L = lesson_graph()
    z = L * (w + 1.0) / (x.tanh() + 2.0) - w.exp()
    steps = backward_steps(z)
    assert all(n.grad == 0.0 for n in topological_order(z))
    order = topological_order(z)
    grads = {id(n): 0.0 for n in order}
    grads[id(z)] = 1.0
    position = {id(n): i for i, n in enumerate(order)}
    for s in steps:
        assert s.child.parents[s.index] is s.parent
        assert s.upstream == grads[id(s.child)]  # upstream is final when its step runs
        assert s.contribution == s.local * s.upstream
        assert position[id(s.parent)] < position[id(s.child)]
        grads[id(s.parent)] += s.contribution
    z.backward()
    for n in order:
        assert grads[id(n)] == n.grad


def test_step_formulas_come_from_the_rule_table():
    _, L = lesson_graph()
    formulas = {(s.child.op, s.index): s.formula for s in backward_steps(L)}
    assert formulas[("sigmoid", 0)] == "s(1 − s)"
    assert formulas[("mul", 0)] == "b" and formulas[("mul", 1)] == "a"
    assert formulas[("pow", 0)] == "2a"


def test_topological_order_puts_parents_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert order[-1] is e and len(order) == 5 and len({id(n) for n in order}) == 5
    pos = {id(n): i for i, n in enumerate(order)}
    for n in order:
        assert all(pos[id(p)] < pos[id(n)] for p in n.parents)


@pytest.mark.parametrize(("build", "expected"), [
    (lambda: Value(1000.0).exp(), math.inf),
    (lambda: Value(0.0).log(), -math.inf),
    (lambda: Value(1.0) / 0.0, math.inf),
    (lambda: Value(-1.0) / 0.0, -math.inf),
    (lambda: Value(1e200) ** 2, math.inf),
    (lambda: Value(-1e200) ** 3, -math.inf),
    (lambda: Value(0.0) ** -1, math.inf),
    (lambda: Value(-1000.0).sigmoid(), 0.0),
    (lambda: Value(1000.0).sigmoid(), 1.0),
])
def test_ieee_results_instead_of_exceptions(build, expected):
    assert build().data == expected


@pytest.mark.parametrize("build", [
    lambda: Value(-1.0).log(), lambda: Value(0.0) / 0.0, lambda: Value(-8.0) ** 0.5,
    lambda: Value(math.inf).sin(), lambda: Value(math.inf).cos(), lambda: Value(math.inf) - math.inf,
])
def test_nan_instead_of_exceptions(build):
    assert math.isnan(build().data)


def test_sigmoid_is_accurate_far_out():
    for a in (-745.0, -720.0, -50.0, -1e308, 1e308, 40.0):
        s = Value(a).sigmoid().data
        assert 0.0 <= s <= 1.0
    assert Value(-720.0).sigmoid().data == pytest.approx(math.exp(-720.0), rel=1e-12)


def test_nonfinite_values_propagate_and_are_found():
    x = Value(0.0, label="x")
    y = (x.log() * 2.0 + 1.0).tanh()
    y.backward()
    bad = nonfinite(y)
    assert bad and bad[0] is x  # x.grad = ∂tanh/∂… * 2 * (1/0): inf * 0 = nan
    assert math.isnan(x.grad)
    assert y.data == -1.0  # log(0) = -inf carried through as a value: tanh(-inf) = -1, a finite output
    assert nonfinite((Value(1.0) * 2.0).tanh()) == []


def chain(n: int):
    x = Value(0.5, label="x")
    v = x
    for _ in range(n):
        v = v.sin()
    return x, v


def test_deep_chain_forward_backward_release():
    x, v = chain(100_000)
    order = topological_order(v)
    assert len(order) == 100_001
    v.backward()
    expected = 1.0
    for node in order[:-1]:  # ∂v/∂x is the product of cos along the chain
        expected *= math.cos(node.data)
    assert x.grad == pytest.approx(expected, rel=1e-9)
    del order
    release(v)
    assert v.parents == () and x.grad != 0.0


def test_deep_chain_steps():
    x, v = chain(100_000)
    steps = backward_steps(v)
    assert len(steps) == 100_000 and steps[-1].parent is x


def holds_a_value(node) -> bool:
    """Whether node refers to another Value, directly or through any container (a tuple of parents...)."""
    stack, seen = list(gc.get_referents(node)), set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, Value):
            return True
        if id(obj) not in seen and not isinstance(obj, type):  # its class is no edge of the graph
            seen.add(id(obj))
            stack.extend(gc.get_referents(obj))
    return False


def test_release_leaves_no_node_holding_another():
    # What release() promises: every edge below the root is cut, so no Value refers to another Value and each
    # node is freed on its own, never by a cascade of deallocations as deep as the graph (Pyodide's C stack
    # gives out at ~2,500 nodes). Shared nodes (v * v) included; values and gradients are kept.
    x = Value(0.5, label="x")
    v = x
    for k in range(20_000):
        v = v.sin() if k % 2 else v * v + 0.5
    order = topological_order(v)
    values = [n.data for n in order]
    release(v)
    assert not any(map(holds_a_value, order))
    assert all(n.parents == () for n in order) and [n.data for n in order] == values
    release(v)  # a second call on a released graph is harmless
    assert topological_order(v) == [v]
    leaves, L = lesson_graph()
    L.backward()
    grads = [leaf.grad for leaf in leaves]
    release(L)
    assert [leaf.grad for leaf in leaves] == grads and all(grads)


def test_every_rule_is_reachable_from_value():
    ops = set()
    a, b = Value(0.7), Value(1.3)
    for node in (a + b, a - b, a * b, a / b, a ** 2, -a, a.exp(), a.log(), a.tanh(), a.sigmoid(),
                 a.relu(), a.softplus(), a.sin(), a.cos(), a.bce_with_logits(b)):
        ops.add(node.op)
    assert ops == set(RULES)


def test_bce_with_logits_takes_a_number_or_a_value_as_target():
    z = Value(0.0, label="z")
    loss = z.bce_with_logits(1)  # a number becomes a constant leaf, as with the operators
    assert loss.data == pytest.approx(math.log(2.0), rel=1e-15) and loss.parents[1].data == 1.0
    loss.backward()
    assert z.grad == -0.5  # σ(0) − 1
    with pytest.raises(TypeError):
        z.bce_with_logits("1")


def test_backward_steps_can_take_another_rule_for_an_op_and_leave_the_table_alone():
    """The Computation graph runs a learner's rule through backward_steps(rules=...); the engine's table, which the
    trainer and Value.backward use, stays as it is."""
    from dataclasses import replace

    from engine.rules import RULES

    x = Value(0.6, label="x")
    L = x.sigmoid() * 3
    mine = {**RULES, "sigmoid": replace(RULES["sigmoid"], local=lambda a, b, y, n: (0.25,), human=("mine",))}
    steps = backward_steps(L, mine)
    assert [(s.child.op, s.local, s.formula) for s in steps if s.child.op == "sigmoid"] == [("sigmoid", 0.25, "mine")]
    assert sum(s.contribution for s in steps if s.parent is x) == 0.75
    built_in = next(s for s in backward_steps(L) if s.child.op == "sigmoid")
    assert built_in.formula == "s(1 − s)" and built_in.local != 0.25
    L.backward()
    assert x.grad == 3 * built_in.local
