"""Every rule of the table against central finite differences, IEEE edge cases, and its compiled form."""

import dataclasses
import math
import random

import pytest
from engine_checks import (
    DOMAINS,
    EDGE_CASES,
    apply,
    check_edge,
    check_grads,
    check_rule,
    close,
    rule_points,
    same,
)

from engine import Value
from engine.compile import compile_gradient
from engine.rules import RULES, local_formula


def test_every_rule_has_a_domain_and_formulas():
    assert set(DOMAINS) == set(RULES)
    for rule in RULES.values():
        assert len(rule.human) == len(rule.dcode) == rule.arity or (rule.op == "pow" and len(rule.human) == 1)
        assert len(rule.slots) == rule.arity


@pytest.mark.parametrize("op", sorted(RULES))
def test_rule_matches_finite_differences(op):
    count, worst = check_rule(op)
    assert count >= 8
    assert worst <= 1.0, f"{op}: error ratio {worst}"


def test_the_checker_catches_a_wrong_derivative(monkeypatch):
    wrong = dataclasses.replace(RULES["tanh"], local=lambda a, b, y, n: (1.0 - y,))
    monkeypatch.setitem(RULES, "tanh", wrong)
    assert check_rule("tanh")[1] > 1.0
    assert check_grads(lambda v: v * v * 1.0001, [3.0]) <= 1.0
    assert check_grads(lambda v: Value(9.0) + v * 0.0, [3.0]) <= 1.0


@pytest.mark.parametrize("case", EDGE_CASES, ids=lambda c: f"{c[0]}{c[1]}")
def test_ieee_edge_case(case):
    assert check_edge(case) == ""


def _compiled_vs_eager(op, args, n):
    leaves = [Value(a, label=f"in{i}") for i, a in enumerate(args)]
    node = apply(op, leaves, n)
    node.backward()
    # all leaves are parameters; one dummy sample drives the loop
    dummy = Value(0.0, label="s")
    program = compile_gradient(node, {"S": dummy}, leaves)
    loss, grads = program([0.0], *args)
    return node.data, [leaf.grad for leaf in leaves], loss, grads


@pytest.mark.parametrize("op", sorted(RULES))
def test_compiled_templates_agree_with_the_eager_rule(op):
    points = rule_points(op) + [(args, n) for o, args, n, _, _ in EDGE_CASES if o == op]
    for args, n in points:
        value, grads, c_value, c_grads = _compiled_vs_eager(op, args, n)
        assert close(value, c_value), (op, args, n, value, c_value)
        assert all(map(close, grads, c_grads)), (op, args, n, grads, c_grads)


def test_random_points_compiled_vs_eager():
    rng = random.Random(1)
    for op in RULES:
        for _ in range(30):
            args = tuple(rng.choice([rng.uniform(-5, 5), rng.uniform(-800, 800), 0.0]) for _ in range(2))
            args = args[:RULES[op].arity]
            n = rng.choice([2.0, 3.0, -1.0, 0.5, -2.5]) if op == "pow" else None
            value, grads, c_value, c_grads = _compiled_vs_eager(op, args, n)
            assert same(value, c_value) or close(value, c_value)
            assert all(map(close, grads, c_grads)), (op, args, n)


def test_formulas_use_given_names():
    w, x = Value(0.5), Value(2.0)
    z = w * x
    s = z.sigmoid()
    names = {w: "w", x: "x", z: "z", s: "ŷ"}
    assert local_formula(z, 0, names) == "x" and local_formula(z, 1, names) == "w"
    assert local_formula(s, 0, names) == "ŷ(1 − ŷ)"
    assert local_formula(s, 0) == "s(1 − s)"
    assert local_formula(x ** 3, 0, names.get) == "3x²"
    assert local_formula(x / w, 1, names) == "−x/w²"
    assert local_formula(x ** 0.5, 0, names) == "0.5x^−0.5"
    assert math.isclose(RULES["sigmoid"].local(0.0, 0.0, 0.5, None)[0], 0.25)
