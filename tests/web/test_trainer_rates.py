"""The trainer's two teaching moments, checked in CPython at the widget's own settings (issue 12).

- The top of the learning-rate slider makes training fail on both datasets at the default seed, and the bottom
  crawls. bench/learning_rate.py prints the full table over seeds 1-5 (kept in bench/README.md).
- Two moons bends in seconds at its defaults: loss below 0.1 within 600 epochs for the default seed and within
  1,000 for seeds 1-5.
"""

import math
from dataclasses import replace

import pytest

from web.trainer import TrainerWidget
from web.trainer.state import DATASETS, DEFAULT_SEED, LEARNING_RATES, Settings
from web.widget import UIEvent

FAILED = 0.3       # the top end's loss after 300 epochs must stay at least this (or overflow)
TARGET = 0.1


def epochs_until(w: TrainerWidget, target: float, limit: int) -> int | None:
    """Step the widget as the Step button does; the first epoch whose reported loss is below target."""
    for _ in range(limit):
        if not w.run.step():
            return None
        if w.run.history.values[-1] < target:
            return w.run.epoch
    return None


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_the_largest_learning_rate_fails_at_the_default_seed(dataset):
    w = TrainerWidget(replace(Settings(), dataset=dataset, lr=LEARNING_RATES[-1]))
    assert w.settings.seed == DEFAULT_SEED
    for _ in range(300):
        if not w.run.step():
            break
    loss = w.run.loss() if w.run.epoch == 300 else math.inf  # stopped early: the loss overflowed, the message says so
    assert loss >= FAILED, f"η = {LEARNING_RATES[-1]} trained {dataset} to {loss} in 300 epochs"


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_the_smallest_learning_rate_crawls(dataset):
    w = TrainerWidget(replace(Settings(), dataset=dataset, lr=LEARNING_RATES[0]))
    start = w.run.loss()
    for _ in range(300):
        assert w.run.step()
    assert 0.3 < w.run.loss() < start  # it does go down, just far too slowly to reach a useful boundary


def test_two_moons_at_its_defaults_bends_within_600_epochs():
    w = TrainerWidget()
    w.handle(UIEvent("change", "dataset", "moons"))  # as a learner picks it: with the dataset's own learning rate
    assert w.run.epoch == 0 and w.settings.seed == DEFAULT_SEED
    hit = epochs_until(w, TARGET, 600)
    assert hit is not None, f"two moons still at loss {w.run.history.values[-1]:.3f} after 600 epochs"


@pytest.mark.parametrize("seed", range(1, 6))
def test_two_moons_at_its_default_learning_rate_bends_within_1000_epochs_for_seeds_1_to_5(seed):
    w = TrainerWidget()
    w.handle(UIEvent("change", "dataset", "moons"))
    w.handle(UIEvent("change", "seed", str(seed)))
    hit = epochs_until(w, TARGET, 1000)
    assert hit is not None, f"seed {seed}: loss {w.run.history.values[-1]:.3f} after 1,000 epochs"
