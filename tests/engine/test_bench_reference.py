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


STEPS = {"bce": reference.bce_step, "bce, two logs": reference.bce_step_two_logs, "mse": reference.mse_step}


@pytest.mark.parametrize("name", STEPS)
def test_the_hand_written_epoch_matches_the_trainer(name):
    X, Y = moons(200, 0.1, seed=0)
    model = MLP(2, [4], 1, seed=0)
    params = [p.data for p in model.parameters()]
    trainer = Trainer(model, X, Y, lr=0.5, loss=name[:3])
    step = STEPS[name]
    for _ in range(5):
        mine, params = step(X, Y, params, 0.5)
        assert math.isclose(trainer.step(), mine, rel_tol=1e-12)
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(trainer.weights, params, strict=True))
    points = grid(-1.5, 2.5, -1.0, 1.5, size=8)
    mine = reference.predict(points, params)
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(trainer.predict(points), mine, strict=True))


@pytest.mark.parametrize("step", [reference.bce_step, reference.bce_step_two_logs])
def test_the_hand_written_loss_stays_finite_where_one_minus_p_rounds_to_zero(step):
    # a confident, correct output: sigmoid(40) rounds to 1.0, and the naive log(1 - p) would be log(0)
    params = [0.0] * 16 + [40.0]
    loss, _ = step([(0.0, 0.0)], [1.0], params, 0.1)
    assert 0.0 <= loss < 1e-15
    loss, _ = step([(0.0, 0.0)], [0.0], params, 0.1)
    assert math.isclose(loss, 40.0, rel_tol=1e-12)


@pytest.mark.parametrize(("z", "y", "loss", "dz"), [
    (800.0, 1.0, 0.0, 0.0), (800.0, 0.0, 800.0, 1.0), (-800.0, 1.0, 800.0, -1.0), (-800.0, 0.0, 0.0, 0.0),
])
def test_the_cheapest_baseline_is_exact_at_logit_800_like_the_trainer(z, y, loss, dz):
    weights = [0.0] * 16 + [z]
    trainer = Trainer(MLP(2, [4], 1, seed=0), [(0.3, -0.2)], [y], lr=1.0, loss="bce")
    trainer.reset(weights)
    assert reference.bce_step([(0.3, -0.2)], [y], weights, 1.0) == (loss, [*weights[:16], z - dz])
    assert trainer.step() == loss and trainer.weights == [*weights[:16], z - dz]
