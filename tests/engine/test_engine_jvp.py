"""Forward mode (engine.jvp) on random DAGs, a deep chain, and PyTorch's torch.func.jvp when installed."""

import random

import pytest
from engine_checks import (
    build_program,
    check_deep_chain,
    check_jvp,
    check_jvp_refuses_inner_tangents,
    check_tally,
    close,
    make_program,
    random_program,
)
from hypothesis import given
from hypothesis import strategies as st

# The random-DAG strategies of the other property tests (tests/engine is on sys.path, see conftest.py).
from test_engine_properties import SETTINGS, leaf_values, raw_ops

from engine import Tally, Value, jvp, recompute


@SETTINGS
@given(raw_ops, leaf_values, st.integers(0, 2**32))
def test_jvp_is_gradient_dot_tangent(raw, xs, seed):
    assert check_jvp(make_program(len(xs), raw), xs, random.Random(seed)) == ""


@SETTINGS
@given(raw_ops, leaf_values)
def test_every_pass_counts_rule_applications_the_same_way(raw, xs):
    assert check_tally(make_program(len(xs), raw), xs) == ""


def test_lesson_example():
    w, x, b, y = Value(0.5, label="w"), Value(1.0, label="x"), Value(0.1, label="b"), Value(1.0, label="y*")
    L = ((w * x + b).sigmoid() - y) ** 2
    L.backward()
    assert close(jvp(L, {w: 1.0}), -0.16213650568147556)
    assert close(jvp(L, {w: 1.0}), w.grad) and close(jvp(L, {x: 1.0}), x.grad)
    assert close(jvp(L, {w: 2.0, b: -1.0}), 2.0 * w.grad - b.grad)
    assert jvp(L, {}) == 0.0
    assert jvp(L, {Value(3.0): 1.0}) == 0.0  # a leaf of another graph: L does not depend on it


def test_jvp_uses_the_leaves_current_values():
    x = Value(0.3)
    y = (x * x).tanh()
    x.data = 1.5
    tally = Tally()
    slope = jvp(y, {x: 1.0}, tally)
    check = Value(1.5)
    (check * check).tanh().backward()
    assert close(slope, check.grad) and close(y.data, (Value(1.5) * Value(1.5)).tanh().data)
    assert (tally.passes, tally.rules) == (1, 4)


def test_jvp_refuses_a_tangent_on_an_inner_node():
    assert check_jvp_refuses_inner_tangents() == ""


def test_jvp_leaves_grad_alone():
    x = Value(0.7)
    y = x.sin() * x
    y.backward()
    before = x.grad
    jvp(y, {x: 5.0})
    assert x.grad == before


def test_100k_chain_jvp():
    assert check_deep_chain(100_000) == ""


def test_inf_and_nan_flow_as_values():
    x = Value(0.0)
    assert jvp(x.log(), {x: 1.0}) == float("inf")
    out = jvp((x - x).log() * 0.0, {x: 1.0})
    assert out != out  # 0 · log(0)'s derivative is nan, as in reverse mode
    recompute((x - x).log())  # no exception anywhere


def test_random_dags_match_torch_func_jvp():
    torch = pytest.importorskip("torch")
    rng = random.Random(11)
    checked = 0
    while checked < 200:
        program, xs = random_program(rng, n_leaves=rng.randint(2, 5), n_ops=rng.randint(1, 20))
        tangents = [rng.uniform(-1.0, 1.0) for _ in xs]
        values = [Value(x) for x in xs]
        root = build_program(program, values)[-1]
        ours = jvp(root, dict(zip(values, tangents, strict=True)))

        def f(*leaves, program=program):
            return build_program(program, leaves, lib=torch)[-1]

        primals = tuple(torch.tensor(x, dtype=torch.float64) for x in xs)
        directions = tuple(torch.tensor(t, dtype=torch.float64) for t in tangents)
        value, theirs = torch.func.jvp(f, primals, directions)
        assert close(root.data, value.item(), 1e-10)
        assert close(ours, theirs.item(), 1e-10), (program, xs, tangents, ours, theirs.item())
        checked += 1
