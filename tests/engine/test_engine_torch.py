"""The engine against PyTorch in float64 (skipped when torch is not installed)."""

import math
import random

import pytest
from engine_checks import EDGE_CASES, apply, build_program, close, random_program, rule_points, same

from engine import Value
from engine.rules import RULES

torch = pytest.importorskip("torch")


def leaf(x):
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("op", sorted(RULES))
def test_each_rule_matches_torch(op):
    for args, n in rule_points(op):
        values = [Value(a) for a in args]
        node = apply(op, values, n)
        node.backward()
        tensors = [leaf(a) for a in args]
        out = apply(op, tensors, n)  # tensors have the same operators and methods as Value
        out.backward()
        assert close(node.data, out.item()), (op, args, n)
        for v, t in zip(values, tensors, strict=True):
            assert close(v.grad, t.grad.item()), (op, args, n, v.grad, t.grad.item())


def test_random_dags_match_torch():
    rng = random.Random(7)
    checked = 0
    while checked < 200:
        program, xs = random_program(rng, n_leaves=rng.randint(2, 5), n_ops=rng.randint(1, 20))
        values = [Value(x) for x in xs]
        root = build_program(program, values)[-1]
        tensors = [leaf(x) for x in xs]
        troot = build_program(program, tensors, lib=torch)[-1]
        root.backward()
        troot.backward()
        assert close(root.data, troot.item(), 1e-10)
        for v, t in zip(values, tensors, strict=True):
            tg = 0.0 if t.grad is None else t.grad.item()
            assert close(v.grad, tg, 1e-10), (program, xs)
        checked += 1


@pytest.mark.parametrize("case", [c for c in EDGE_CASES if c[0] == "bce_with_logits"], ids=lambda c: f"{c[1]}")
def test_the_logistic_loss_at_the_edges_is_pytorchs(case):
    op, args, n, value, grads = case
    tensors = [leaf(a) for a in args]
    out = apply(op, tensors, n)
    out.backward()
    if args == (-math.inf, 1.0):  # PyTorch's log-sum-exp meets inf − inf there; the loss's limit is inf
        assert math.isnan(out.item()) and value == math.inf
    else:
        assert same(out.item(), value), (args, out.item())
    assert all(same(t.grad.item(), g) for t, g in zip(tensors, grads, strict=True)), [t.grad for t in tensors]
