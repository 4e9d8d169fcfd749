"""The compiler: readable source named after labels, inlining, IEEE fallback, equality with eager."""

import math
import random

import pytest
from engine_checks import check_compiled, random_program

from engine import Value
from engine.compile import Namer, NodeCode, compile_forward, compile_gradient
from engine.rules import CODE_NAMESPACE


def lesson():
    w, x, b, y = Value(0.5, label="w"), Value(1.0, label="x"), Value(0.1, label="b"), Value(1.0, label="y*")
    L = ((w * x + b).sigmoid() - y) ** 2
    L.label = "L"
    return (w, x, b, y), L


def test_source_is_named_after_labels_and_runs():
    (w, x, b, y), L = lesson()
    program = compile_gradient(L, {"X": x, "Y": y}, [w, b])
    src = program.source
    assert src.startswith("def train_step(X, Y, w, b):")
    assert "for x, y_star in zip(X, Y):" in src
    assert "sigmoid1 = 1.0 / (1.0 + exp(-(w * x + b)))" in src and "L = sub1 ** 2" in src
    assert "d_add1 = 2.0 * sub1 * (sigmoid1 * (1.0 - sigmoid1))" in src
    assert "d_w += d_add1 * x" in src and "d_b += d_add1" in src
    assert "return loss_sum, [d_w, d_b]" in src
    compile(src, "<test>", "exec")  # the shown text is valid Python on its own
    loss, grads = program([1.0], [1.0], 0.5, 0.1)
    L.backward()
    assert loss == L.data and grads == [w.grad, b.grad]


def test_the_program_says_where_each_node_is_in_its_source():
    (w, x, b, y), L = lesson()
    sub = L.parents[0]
    sigmoid = sub.parents[0]
    add = sigmoid.parents[0]
    mul = add.parents[0]
    program = compile_gradient(L, {"X": x, "Y": y}, [w, b])
    lines = ["", *program.source.splitlines()]
    assert lines[6].strip() == "sigmoid1 = 1.0 / (1.0 + exp(-(w * x + b)))"
    assert lines[10].strip() == "d_add1 = 2.0 * sub1 * (sigmoid1 * (1.0 - sigmoid1))"
    assert lines[11:13] == ["        d_b += d_add1", "        d_w += d_add1 * x"]
    assert program.where(w) == NodeCode("w", 1, "d_w", (12,))      # an argument of the def line
    assert program.where(y) == NodeCode("y_star", 5, "", ())       # a loop variable; no gradient needed
    assert program.where(add) == NodeCode("", 6, "d_add1", (10,))  # inlined forward, named gradient
    assert program.where(mul) == NodeCode("", 6, "", (12,))        # ∂L/∂(w·x) is d_add1, pasted into d_w's line
    assert program.where(L) == NodeCode("L", 8, "", (10,))         # the root's 1.0 folds into its parent's line
    assert program.where(sigmoid) == NodeCode("sigmoid1", 6, "", (10,))
    assert list(program.forward_lines) == [6, 7, 8, 9] and list(program.backward_lines) == [10, 11, 12]
    predict = compile_forward(L, {"X": x, "Y": y}, [w, b])
    assert predict.where(sub) == NodeCode("", 5, "", ()) and predict.where(L) == NodeCode("L", 5, "", ())
    assert predict.backward_lines == range(7, 7) and 6 in predict.forward_lines
    c = Value(2.0)
    assert compile_forward(w * c, {}, [w]).where(c) == NodeCode("", None, "", ())  # a constant: written as 2.0


def test_single_use_unlabelled_temporaries_are_inlined():
    (w, x, b, y), L = lesson()
    src = compile_forward(L, {"X": x, "Y": y}, [w, b]).source
    # w*x + b and the sigmoid are used once and unlabelled: one line computes L
    body = [line.strip() for line in src.splitlines()[4:-1]]
    assert body == ["L = (1.0 / (1.0 + exp(-(w * x + b))) - y_star) ** 2", "append(L)"]


def test_shared_and_labelled_nodes_get_variables():
    a = Value(2.0, label="a")
    s = a * a
    s.label = "s"
    t = a.tanh()
    out = t * t + s
    src = compile_gradient(out, {"A": Value(0.0)}, [a]).source
    assert "s = a * a" in src and "tanh1 = tanh(a)" in src
    assert "tanh1 * tanh1" in src


def test_duplicate_and_odd_labels_make_valid_names():
    u, v = Value(1.0, label="x"), Value(2.0, label="x")
    w = Value(3.0, label="2nd weight*")
    out = u * v + w
    out.label = "for"
    program = compile_gradient(out, {"X": (u, v)}, [w])
    assert "def train_step(X, v2nd_weight_star):" in program.source
    assert "for x, x_2 in X:" in program.source and "for_2 = " in program.source
    assert program([(1.0, 2.0), (3.0, 4.0)], 0.5) == (1 * 2 + 0.5 + 3 * 4 + 0.5, [2.0])


def test_the_namer_others_use_gives_fresh_identifiers_that_shadow_nothing():
    """The one namer of generated code, public so that the graph's Show code names variables as the compiler does."""
    namer = Namer(CODE_NAMESPACE)
    got = [namer.fresh(label, "v") for label in ("x", "x", "y*", "max", "for", "2nd", "", "", "zip", "é")]
    assert got == ["x", "x_2", "y_star", "max_2", "for_2", "v2nd", "v1", "v2", "zip_2", "v3"]
    assert all(name.isidentifier() and name.isascii() for name in got) and len(set(got)) == len(got)


def test_overflow_falls_back_to_ieee_instead_of_raising():
    x, w = Value(0.0, label="x"), Value(1.0, label="w")
    out = (w * x).exp() + (w * x).sigmoid() + (x - 3.0).log()
    fb = compile_gradient(out, {"X": x}, [w])
    fwd = compile_forward(out, {"X": x}, [w])
    values = fwd([1000.0, -1000.0, 3.0, 4.0], 1.0)
    assert values[0] == math.inf and values[2] == -math.inf
    assert math.isnan(values[1])  # log(-1003)
    assert values[3] == math.exp(4.0) + 1 / (1 + math.exp(-4.0)) + 0.0
    loss, grads = fb([1000.0], 1.0)
    assert loss == math.inf and grads[0] == math.inf
    s = Value(0.0, label="z").sigmoid()
    assert compile_forward(s, {"Z": s.parents[0]}, [])([-800.0, 800.0]) == [0.0, 1.0]


def test_non_integer_power_of_a_negative_is_nan_not_complex():
    x = Value(0.0, label="x")
    program = compile_forward(x ** 0.5, {"X": x}, [])
    assert math.isnan(program([-4.0])[0]) and program([4.0]) == [2.0]


def test_compiled_equals_eager_on_many_random_graphs():
    rng = random.Random(3)
    for _ in range(300):
        program, xs = random_program(rng, n_leaves=rng.randint(2, 6), n_ops=rng.randint(1, 25))
        assert check_compiled(program, xs, rng) == ""


def test_inputs_and_params_must_be_leaves():
    a = Value(1.0)
    with pytest.raises(ValueError):
        compile_gradient(a * 2, {"X": a * 3}, [])
    with pytest.raises(ValueError):
        compile_gradient(a * 2, {"X": a}, [a])


def test_input_names_must_be_identifiers():
    a, w = Value(1.0), Value(2.0)
    for bad in ("1x", "for", "x y", ""):
        with pytest.raises(ValueError, match="identifiers"):
            compile_forward(a * w, {bad: a}, [w])


def test_a_column_of_empty_items_runs_once_per_item():
    w = Value(0.5, label="w")
    x = Value(3.0, label="x")
    program = compile_forward(w * 2, {"E": (), "X": x}, [w])
    assert program([(), ()], [1.0, 2.0], 0.5) == [1.0, 1.0]
    assert compile_gradient(w * w, {"E": ()}, [w])([(), (), ()], 0.5) == (0.75, [3.0])


def test_a_graph_without_inputs_runs_once():
    (w, x, b, y), L = lesson()
    program = compile_gradient(L, {}, [w, x, b, y], name="backward_pass")
    assert "for " not in program.source and program.source.startswith("def backward_pass(w, x, b, y_star):")
    loss, grads = program(0.5, 1.0, 0.1, 1.0)
    L.backward()
    assert loss == L.data and grads == [w.grad, x.grad, b.grad, y.grad]
    assert compile_forward(L, {}, [w, x, b, y])(0.5, 1.0, 0.1, 1.0) == [L.data]


def test_fallback_uses_the_graph_as_compiled():
    x = Value(0.0, label="x")
    c = Value(2.0)
    program = compile_forward((x * c).exp(), {"X": x}, [])
    c.data = 5.0  # later edits to the graph do not leak into either version
    assert program([1.0, 1000.0]) == [math.exp(2.0), math.inf]
    assert program.safe([1.0]) == [math.exp(2.0)]


def test_a_rule_with_a_shared_value_writes_it_once_for_forward_and_backward():
    # bce_with_logits shares e = exp(-|z|) between the loss and its gradient σ(z) − y; z, pasted into its code
    # several times, gets a variable even unlabelled, so it is computed once.
    w, x, y = Value(0.8, label="w"), Value(-1.5, label="x"), Value(1.0, label="y")
    z = w * x
    loss = z.bce_with_logits(y)
    program = compile_gradient(loss, {"X": x, "Y": y}, [w])
    lines = ["", *program.source.splitlines()]
    assert lines[5:8] == ["        mul1 = w * x", "        e = exp(-mul1 if mul1 > 0.0 else mul1)",
                          "        bce_with_logits1 = ((1.0 - y) * mul1 if mul1 > 0.0 else -y * mul1) + log1p(e)"]
    assert lines[9].strip() == "d_w += ((e if mul1 < 0.0 else 1.0) / (1.0 + e) - y) * x"
    assert program.source.count("exp(") == 1
    assert program.where(loss) == NodeCode("bce_with_logits1", 7, "", (9,)) and program.where(z).name == "mul1"
    assert list(program.forward_lines) == [5, 6, 7, 8]
    xs, ys = (-1.5, 2.0, 900.0), (1.0, 0.0, 1.0)  # the last: z = 720, a confident, correct prediction
    total, grads = program(xs, ys, 0.8)
    ps = [1.0 / (1.0 + math.exp(-0.8 * v)) for v in xs]  # the textbook, where it is safe (t is 0 or 1)
    assert math.isclose(total, sum(-math.log(p if t else 1.0 - p) for p, t in zip(ps, ys, strict=True)),
                        rel_tol=1e-12)
    assert math.isclose(grads[0], sum(v * (p - t) for v, p, t in zip(xs, ps, ys, strict=True)), rel_tol=1e-12)
