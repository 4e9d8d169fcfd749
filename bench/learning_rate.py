"""The trainer's learning-rate range and defaults, measured in CPython over seeds 1-5 (kept in bench/README.md).

For each dataset at the trainer's defaults (bce, XOR's 100 points, two moons' 200 points at noise 0.1): the loss
after 300 epochs at the slider's bottom, the dataset's default and the slider's top, and the first epoch whose
loss is below 0.1. Then the two-moons choices: epochs to loss < 0.1 for several learning rates, with the
engine's initialisation and with the first layer's weights doubled.

    .venv/bin/python bench/learning_rate.py [--epochs 300] [--limit 1000]
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.nn import MLP
from engine.train import Trainer
from web.trainer.run import base_data, initial_weights
from web.trainer.state import DATASETS, DEFAULT_LRS, LEARNING_RATES, Settings

SEEDS = range(1, 6)
TARGET = 0.1


def train(dataset: str, lr: float, seed: int, epochs: int, widen: float = 1.0) -> tuple[float, int | None, int]:
    """(loss after `epochs` or at the refused step, first epoch with loss < TARGET, epochs done)."""
    settings = replace(Settings(), dataset=dataset, lr=lr, seed=seed)
    X, Y = base_data(settings)
    model = MLP(2, [4], 1, seed=seed)
    trainer = Trainer(model, X, Y, lr=lr, loss=settings.loss)
    weights = initial_weights(seed)
    if widen != 1.0:  # the first layer's weights (not its biases) scaled: a wider initialisation
        first = len(model.layers[0]) * 3
        weights = [w * widen if i < first and i % 3 != 2 else w for i, w in enumerate(weights)]
    trainer.reset(weights)
    hit, loss = None, math.nan
    for epoch in range(1, epochs + 1):
        loss = trainer.step()
        if trainer.diverged:
            return loss, hit, epoch
        if hit is None and loss < TARGET:
            hit = epoch
    return loss, hit, epochs


def cell(loss: float, hit: int | None, done: int, epochs: int) -> str:
    if done < epochs:
        return f"overflow at {done}"
    return f"{loss:.3g}" + (f" ({hit})" if hit else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    low, top = LEARNING_RATES[0], LEARNING_RATES[-1]
    print(f"Loss after {args.epochs} epochs (first epoch below {TARGET} in brackets), seeds {SEEDS[0]}-{SEEDS[-1]}")
    print()
    print("| dataset | η | " + " | ".join(f"seed {s}" for s in SEEDS) + " |")
    print("|---|---|" + "---|" * len(SEEDS))
    for dataset in DATASETS:
        for lr in (low, DEFAULT_LRS[dataset], top):
            cells = [cell(*train(dataset, lr, seed, args.epochs), args.epochs) for seed in SEEDS]
            print(f"| {DATASETS[dataset]} | {lr:g} | " + " | ".join(cells) + " |", flush=True)
    print()
    print(f"Two moons: first epoch with loss < {TARGET} (— if none within {args.limit})")
    print()
    print("| initialisation | η | " + " | ".join(f"seed {s}" for s in SEEDS) + " |")
    print("|---|---|" + "---|" * len(SEEDS))
    for widen, name in ((1.0, "engine (LeCun uniform)"), (2.0, "first-layer weights ×2")):
        for lr in (0.3, 1.0, 2.0, 3.0, 5.0):
            hits = [train("moons", lr, seed, args.limit, widen)[1] for seed in SEEDS]
            print(f"| {name} | {lr:g} | " + " | ".join(str(h) if h else "—" for h in hits) + " |", flush=True)


if __name__ == "__main__":
    main()
