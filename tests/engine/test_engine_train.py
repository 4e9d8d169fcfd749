"""MLP, datasets and Trainer: sizes, determinism, labels, learning, divergence."""

import itertools
import math

import pytest

from engine import Value
from engine.data import grid, moons, xor
from engine.nn import MLP
from engine.train import Trainer, loss_graph


def test_mlp_parameter_count_order_and_labels():
    model = MLP(2, [4], 1, seed=0)
    params = model.parameters()
    assert len(params) == 2 * 4 + 4 + 4 * 1 + 1
    assert [p.label for p in params[:3]] == ["w1_1_1", "w1_1_2", "b1_1"]
    assert [p.label for p in params[-5:]] == ["w2_1_1", "w2_1_2", "w2_1_3", "w2_1_4", "b2_1"]
    assert all(p.op == "" for p in params)
    assert len(MLP(3, [5, 2], 2).parameters()) == (3 * 5 + 5) + (5 * 2 + 2) + (2 * 2 + 2)


def test_mlp_is_deterministic_per_seed():
    a = [p.data for p in MLP(2, [4], 1, seed=0).parameters()]
    b = [p.data for p in MLP(2, [4], 1, seed=0).parameters()]
    c = [p.data for p in MLP(2, [4], 1, seed=1).parameters()]
    assert a == b and a != c
    assert all(abs(w) <= math.sqrt(3 / 2) for w in a)


def test_mlp_forward_matches_a_hand_computation():
    model = MLP(2, [3], 1, activation="tanh", output="sigmoid", seed=4)
    x = (0.3, -1.2)
    out = model([Value(v) for v in x])
    layer1, layer2 = model.layers
    h = [math.tanh(w[0].data * x[0] + w[1].data * x[1] + b.data) for w, b in layer1]
    (w2, b2), = layer2
    z = sum(wi.data * hi for wi, hi in zip(w2, h, strict=True)) + b2.data
    assert out.data == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-14)
    assert out.label == "p" and out.parents[0].label == "z2_1"
    assert isinstance(MLP(2, [2], 3)([1.0, 2.0]), list)
    with pytest.raises(ValueError):
        MLP(2, [2], 1, activation="swish")


def test_moons_follow_the_make_moons_construction():
    X, Y = moons(200, noise=0.0, seed=0)
    assert len(X) == len(Y) == 200 and Y.count(0.0) == 100 and Y.count(1.0) == 100
    for (a, b), y in zip(X, Y, strict=True):
        if y == 0.0:
            assert a * a + b * b == pytest.approx(1.0) and b >= -1e-12
        else:
            assert (a - 1) ** 2 + (b - 0.5) ** 2 == pytest.approx(1.0) and b <= 0.5 + 1e-12
    assert X[0] == pytest.approx((1.0, 0.0)) and X[100] == pytest.approx((0.0, 0.5))
    assert moons(201)[1].count(1.0) == 101


def test_moons_noise_is_seeded_gaussian():
    X1, _ = moons(200, 0.1, seed=0)
    X2, _ = moons(200, 0.1, seed=0)
    X3, _ = moons(200, 0.1, seed=1)
    clean, _ = moons(200, 0.0)
    assert X1 == X2 and X1 != X3
    offsets = [a - c for (a, _), (c, _) in zip(X1, clean, strict=True)]
    mean = sum(offsets) / len(offsets)
    sd = math.sqrt(sum((o - mean) ** 2 for o in offsets) / len(offsets))
    assert abs(mean) < 0.03 and 0.08 < sd < 0.12


def test_xor_labels_are_sign_disagreement():
    X, Y = xor()
    assert len(X) == len(Y) == 100
    for (a, b), y in zip(X, Y, strict=True):
        assert y == (1.0 if a * b < 0 else 0.0)
    assert xor(1, 0.0) == ([(-1.0, -1.0), (1.0, 1.0), (-1.0, 1.0), (1.0, -1.0)], [0.0, 0.0, 1.0, 1.0])
    assert xor(seed=3) != xor(seed=4) and xor() == xor()


def test_grid_is_row_major_from_the_top():
    points = grid(0.0, 4.0, 0.0, 2.0, size=4)
    assert len(points) == 16
    assert points[0] == (0.5, 1.75) and points[3] == (3.5, 1.75) and points[-1] == (3.5, 0.25)
    assert len(grid(-1, 1, -1, 1)) == 64 * 64


def eager_mean_loss_and_grads(model, X, Y, loss):
    params = model.parameters()
    total, grads = 0.0, [0.0] * len(params)
    for x, y in zip(X, Y, strict=True):
        L = loss_graph(model([Value(v) for v in x]), Value(y), loss)
        L.backward()
        total += L.data
        grads = [g + p.grad for g, p in zip(grads, params, strict=True)]
    return total / len(X), [g / len(X) for g in grads]


@pytest.mark.parametrize(("loss", "activation", "output", "hidden"), [
    ("bce", "tanh", "sigmoid", [4]), ("mse", "tanh", "sigmoid", [4]), ("mse", "relu", "linear", [5, 3]),
    ("bce", "sigmoid", "sigmoid", [3, 3]),
])
def test_step_is_one_gradient_descent_epoch(loss, activation, output, hidden):
    X, Y = moons(40, 0.1, seed=2)
    model = MLP(2, hidden, 1, activation=activation, output=output, seed=5)
    before = [p.data for p in model.parameters()]
    expected_loss, grads = eager_mean_loss_and_grads(model, X, Y, loss)
    trainer = Trainer(model, X, Y, lr=0.3, loss=loss)
    assert trainer.step() == pytest.approx(expected_loss, rel=1e-12)
    after = [p.data for p in model.parameters()]
    for b, a, g in zip(before, after, grads, strict=True):
        assert a == pytest.approx(b - 0.3 * g, rel=1e-11, abs=1e-14)
    assert trainer.epoch == 1 and trainer.losses == [pytest.approx(expected_loss, rel=1e-12)]


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_loss_decreases_on_xor(loss):
    X, Y = xor()
    trainer = Trainer(MLP(2, [4], 1, seed=0), X, Y, lr=0.5, loss=loss)
    first = trainer.step()
    trainer.run(400)
    assert trainer.losses[-1] < first / 4
    assert sum(a >= b for a, b in itertools.pairwise(trainer.losses)) > 0.95 * 400
    assert all((p > 0.5) == (y == 1.0) for p, y in zip(trainer.predict(X), Y, strict=True))


def test_training_is_deterministic():
    X, Y = moons(100, 0.1, seed=0)
    runs = []
    for _ in range(2):
        trainer = Trainer(MLP(2, [4], 1, seed=0), X, Y, lr=0.5)
        trainer.run(50)
        runs.append((trainer.losses, trainer.weights))
    assert runs[0] == runs[1]


def test_predict_matches_the_eager_model_and_builds_no_graph():
    X, Y = moons(60, 0.1, seed=0)
    model = MLP(2, [4], 1, seed=0)
    trainer = Trainer(model, X, Y)
    trainer.run(20)
    points = grid(-1.5, 2.5, -1.0, 1.5, size=8)
    probabilities = trainer.predict(points)
    eager = [model([Value(a), Value(b)]).data for a, b in points]
    assert probabilities == pytest.approx(eager, rel=1e-13)
    assert all(0.0 <= p <= 1.0 for p in probabilities)


def test_divergence_is_reported_not_raised():
    X, Y = xor()
    # lr · gradient ~ 1e307: the next logits overflow to inf (a merely huge lr gives a huge, finite loss)
    trainer = Trainer(MLP(2, [4], 1, seed=0), X, Y, lr=1e308, loss="bce")
    loss = trainer.run(100)
    assert trainer.diverged and not math.isfinite(loss)
    assert "diverged" in trainer.message and "learning rate" in trainer.message
    assert all(math.isfinite(w) for w in trainer.weights)
    assert [p.data for p in trainer.model.parameters()] == trainer.weights  # the last finite weights, both
    assert all(math.isfinite(p) for p in trainer.predict(X))
    epoch = trainer.epoch
    trainer.step()  # still no exception, still no update
    assert trainer.epoch == epoch and len(trainer.losses) == epoch


def test_lr_can_change_and_source_is_shown():
    X, Y = xor(1, 0.0)
    trainer = Trainer(MLP(2, [4], 1, seed=0), X, Y, lr=0.1)
    trainer.lr = 2.0
    trainer.step()
    src = trainer.source()
    assert "def train_step(X, Y, w1_1_1" in src and "def predict(X, w1_1_1" in src
    assert "h1_1 = tanh(z1_1)" in src and "d_w1_1_1 += d_z1_1 * x1" in src
    train_step = trainer._train.source
    # bce from the logit: one exp per sample, shared by the loss and its gradient p − y; no log, no 1/p
    assert "e = exp(-z2_1 if z2_1 > 0.0 else z2_1)" in train_step
    assert train_step.count("exp(") == 1 and "log(" not in train_step
    assert "loss = ((1.0 - y) * z2_1 if z2_1 > 0.0 else -y * z2_1) + log1p(e)" in train_step
    assert "d_z2_1 = (e if z2_1 < 0.0 else 1.0) / (1.0 + e) - y" in train_step


def test_trainer_rejects_bad_arguments():
    with pytest.raises(ValueError):
        Trainer(MLP(2, [4], 1), [(0.0, 0.0)], [1.0], loss="hinge")
    with pytest.raises(ValueError):
        Trainer(MLP(2, [4], 1), [], [])
    with pytest.raises(ValueError):
        Trainer(MLP(2, [4], 2), [(0.0, 0.0)], [1.0])


def test_reset_and_set_data_reuse_the_compiled_code():
    X, Y = xor()
    model = MLP(2, [4], 1, seed=0)
    start = [p.data for p in model.parameters()]
    trainer = Trainer(model, X, Y, lr=1e308)
    train_program = trainer._train
    trainer.run(50)
    assert trainer.diverged
    trainer.reset()
    assert trainer.epoch == 0 and trainer.losses == [] and not trainer.diverged and trainer.message == ""
    assert trainer.weights == start == [p.data for p in model.parameters()]
    trainer.lr = 0.5
    Xm, Ym = moons(100, 0.1, seed=0)
    trainer.set_data(Xm, Ym)
    fresh = Trainer(MLP(2, [4], 1, seed=0), Xm, Ym, lr=0.5)
    assert [trainer.step() for _ in range(5)] == [fresh.step() for _ in range(5)]
    assert trainer._train is train_program
    trainer.reset([0.0] * 17)
    assert trainer.predict([(0.3, 0.4)]) == [0.5]
    with pytest.raises(ValueError):
        trainer.set_data([(1.0, 2.0, 3.0)], [1.0])


def test_an_overflowing_update_is_refused_with_a_non_finite_return():
    trainer = Trainer(MLP(2, [4], 1, seed=0), [(1000.0, 1000.0)], [1.0], lr=1e308, loss="mse")
    trainer.reset([0.0] * 12 + [1.0] * 4 + [0.0])  # h = 0 and tanh' = 1: d_w1 = -0.25 * 1000
    before = list(trainer.weights)
    result = trainer.step()  # the loss is 0.25, but lr * gradient overflows
    assert math.isnan(result) and trainer.diverged and trainer.weights == before and trainer.epoch == 0
    assert [p.data for p in trainer.model.parameters()] == before  # the model is left as it was, too


def test_huge_but_finite_weights_are_not_mistaken_for_divergence():
    trainer = Trainer(MLP(2, [4], 1, seed=0), [(0.5, 0.5)], [1.0], lr=0.1, loss="mse")
    trainer.reset([0.0, 0.0, 1e308] * 4 + [0.0] * 5)  # tanh(1e308) = 1; the weights' sum overflows
    assert trainer.step() == 0.25 and not trainer.diverged and trainer.epoch == 1


def test_bce_stays_finite_for_a_confident_correct_prediction():
    # z = 40: σ(z) rounds to exactly 1.0, so the textbook (1 − y)·log(1 − p) would be 0·log(0) = NaN
    from engine.train import loss_graph

    z = Value(40.0, label="z")
    loss = loss_graph(z.sigmoid(), Value(1.0), "bce")
    assert math.isfinite(loss.data) and loss.data < 1e-15
    loss.backward()
    assert math.isfinite(z.grad) and abs(z.grad) < 1e-15
    wrong = loss_graph(Value(40.0).sigmoid(), Value(0.0), "bce")
    assert wrong.data == pytest.approx(40.0)


@pytest.mark.parametrize(("z", "y", "loss", "dz"), [
    (800.0, 1.0, 0.0, 0.0), (800.0, 0.0, 800.0, 1.0), (-800.0, 1.0, 800.0, -1.0), (-800.0, 0.0, 0.0, 0.0),
])
def test_bce_at_logit_800_neither_overflows_nor_diverges(z, y, loss, dz):
    # The output bias alone sets the logit (every other weight 0); eager and compiled agree on the exact values.
    trainer = Trainer(MLP(2, [4], 1, seed=0), [(0.3, -0.2)], [y], lr=1.0, loss="bce")
    trainer.reset([0.0] * 16 + [z])
    assert trainer.step() == loss and not trainer.diverged
    assert trainer.weights[-1] == z - dz
    bias = Value(z)
    node = loss_graph(bias.sigmoid(), Value(y), "bce")
    node.backward()
    assert (node.data, bias.grad) == (loss, dz)
