"""Property tests on random DAGs with shared subexpressions (hypothesis)."""

import random

from engine_checks import (
    PROGRAM_OPS,
    build_program,
    check_code_map,
    check_compiled,
    check_replay,
    labelled_program,
    make_program,
    program_grads_fd,
    well_conditioned,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine import Value, topological_order

raw_ops = st.lists(
    st.tuples(st.integers(0, len(PROGRAM_OPS) - 1), st.floats(0, 1), st.floats(0, 1), st.integers(0, 7)),
    min_size=1, max_size=16,
)
leaf_values = st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=2, max_size=5)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(raw_ops, leaf_values)
def test_gradients_match_finite_differences(raw, xs):
    program = make_program(len(xs), raw)
    assume(well_conditioned(program, xs))
    assert program_grads_fd(program, xs) <= 1.0


@SETTINGS
@given(raw_ops, leaf_values)
def test_backward_twice_and_steps_replay(raw, xs):
    program = make_program(len(xs), raw)
    root = build_program(program, [Value(x) for x in xs])[-1]
    assert check_replay(root) == ""


@SETTINGS
@given(raw_ops, leaf_values, st.integers(0, 2**32 - 1))
def test_compiled_equals_eager(raw, xs, seed):
    program = make_program(len(xs), raw)  # inf/nan included: they exercise the IEEE fallback
    assert check_compiled(program, xs, random.Random(seed)) == ""


@SETTINGS
@given(raw_ops, leaf_values)
def test_shared_nodes_appear_once_in_topological_order(raw, xs):
    program = make_program(len(xs), raw)
    nodes = build_program(program, [Value(x) for x in xs])
    order = topological_order(nodes[-1])
    assert len({id(n) for n in order}) == len(order)
    position = {id(n): i for i, n in enumerate(order)}
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)


@SETTINGS
@given(raw_ops, leaf_values, st.integers(0, 2**32 - 1))
def test_the_code_map_places_every_node_in_the_generated_source(raw, xs, seed):
    program = make_program(len(xs), raw)
    assert check_code_map(*labelled_program(program, xs, random.Random(seed))) == ""
