"""The trainer's default learning rate for each dataset and activation, and what one hidden unit reaches on XOR,
measured in CPython (kept in bench/README.md, "Activations and width").

For each dataset and activation: the first epoch whose loss falls below 0.1, for several learning rates and seeds
1-5 (— if none within --limit epochs). Then the best training accuracy one hidden unit reaches on XOR within
--limit epochs, per activation and seed, at the learning rates of the slider.

    .venv/bin/python bench/activations.py [--limit 1500]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.data import moons, xor
from engine.nn import MLP
from engine.train import Trainer

SEEDS = range(1, 6)
TARGET = 0.1
ACTS = ("tanh", "sigmoid", "relu")
RATES = (0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


def data(dataset: str):
    return moons(200, 0.1, 0) if dataset == "moons" else xor()


def first_below(dataset: str, act: str, lr: float, seed: int, limit: int, hidden: int = 4) -> int | None:
    X, Y = data(dataset)
    trainer = Trainer(MLP(2, [hidden], 1, activation=act, seed=seed), X, Y, lr=lr)
    for epoch in range(1, limit + 1):
        loss = trainer.step()
        if trainer.diverged:
            return None
        if loss < TARGET:
            return epoch
    return None


def best_accuracy(act: str, lr: float, seed: int, limit: int) -> float:
    X, Y = xor()
    trainer = Trainer(MLP(2, [1], 1, activation=act, seed=seed), X, Y, lr=lr)
    best = 0.0
    for _ in range(limit):
        trainer.step()
        if trainer.diverged:
            break
        right = sum((p >= 0.5) == (y == 1.0) for p, y in zip(trainer.predict(X), Y, strict=True))
        best = max(best, right / len(Y))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1500)
    args = parser.parse_args()
    print(f"First epoch with loss < {TARGET} (— if none within {args.limit}), seeds {SEEDS[0]}-{SEEDS[-1]}, 4 units")
    print()
    print("| dataset | activation | η | " + " | ".join(f"seed {s}" for s in SEEDS) + " |")
    print("|---|---|---|" + "---|" * len(SEEDS))
    for dataset in ("xor", "moons"):
        for act in ACTS:
            for lr in RATES:
                hits = [first_below(dataset, act, lr, seed, args.limit) for seed in SEEDS]
                print(f"| {dataset} | {act} | {lr:g} | " + " | ".join(str(h) if h else "—" for h in hits) + " |",
                      flush=True)
    print()
    print(f"One hidden unit on XOR: best training accuracy within {args.limit} epochs")
    print()
    print("| activation | η | " + " | ".join(f"seed {s}" for s in SEEDS) + " |")
    print("|---|---|" + "---|" * len(SEEDS))
    for act in ACTS:
        for lr in (0.3, 1.0, 3.0, 10.0, 30.0):
            cells = [f"{best_accuracy(act, lr, seed, args.limit):.0%}" for seed in SEEDS]
            print(f"| {act} | {lr:g} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
