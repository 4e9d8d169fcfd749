"""The benchmark's hand-written baseline computes exactly what the engine's Trainer computes, so the
"engine / hand-written" ratios in bench/README.md compare equal work."""

import importlib.util
import math
from pathlib import Path

import pytest

from engine.data import grid, moons
from engine.nn import MLP
from engine.train import Trainer

spec = importlib.util.spec_from_file_location("reference", Path(__file__).parents[2] / "bench" / "reference.py")
reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference)


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_the_hand_written_epoch_matches_the_trainer(loss):
    X, Y = moons(200, 0.1, seed=0)
    model = MLP(2, [4], 1, seed=0)
    params = [p.data for p in model.parameters()]
    trainer = Trainer(model, X, Y, lr=0.5, loss=loss)
    step = reference.bce_step if loss == "bce" else reference.mse_step
    for _ in range(5):
        mine, params = step(X, Y, params, 0.5)
        assert math.isclose(trainer.step(), mine, rel_tol=1e-12)
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(trainer.weights, params, strict=True))
    points = grid(-1.5, 2.5, -1.0, 1.5, size=8)
    mine = reference.predict(points, params)
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(trainer.predict(points), mine, strict=True))


def test_the_hand_written_loss_stays_finite_where_one_minus_p_rounds_to_zero():
    # a confident, correct output: sigmoid(40) rounds to 1.0, and the naive log(1 - p) would be log(0)
    params = [0.0] * 16 + [40.0]
    loss, _ = reference.bce_step([(0.0, 0.0)], [1.0], params, 0.1)
    assert math.isfinite(loss)
    loss, _ = reference.bce_step([(0.0, 0.0)], [0.0], params, 0.1)
    assert math.isclose(loss, 40.0, rel_tol=1e-12)
