"""Datasets for the trainer: xor() and moons(), plus the grid the decision boundary is drawn on."""

import math
import random


def moons(n: int = 200, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles (the make_moons construction): upper moon label 0, lower label 1.

    n // 2 points on the upper arc (cos t, sin t), the rest on the lower arc (1 − cos t, 0.5 − sin t),
    t evenly spaced over [0, π]; then Gaussian noise of standard deviation `noise` from Random(seed).
    Returns (X, Y): X a list of (x1, x2), Y a list of 0.0/1.0. Points are not shuffled.
    """
    n_upper = n // 2
    n_lower = n - n_upper
    X, Y = [], []
    for count, label in ((n_upper, 0.0), (n_lower, 1.0)):
        for k in range(count):
            t = math.pi * k / (count - 1) if count > 1 else 0.0
            if label == 0.0:
                X.append((math.cos(t), math.sin(t)))
            else:
                X.append((1.0 - math.cos(t), 0.5 - math.sin(t)))
            Y.append(label)
    if noise:
        rng = random.Random(seed)
        X = [(a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)) for a, b in X]
    return X, Y


XOR_CORNERS = (((-1.0, -1.0), 0.0), ((1.0, 1.0), 0.0), ((-1.0, 1.0), 1.0), ((1.0, -1.0), 1.0))


def xor(per_corner: int = 25, noise: float = 0.2, seed: int = 0):
    """XOR as four clouds around the corners (±1, ±1); label 1 where the signs of x1 and x2 differ.

    Default: 25 points per corner, Gaussian noise of standard deviation 0.2 from Random(seed), corners
    taken in turn so every prefix is balanced. xor(1, 0.0) gives the four bare corners.
    """
    rng = random.Random(seed)
    X, Y = [], []
    for _ in range(per_corner):
        for (a, b), label in XOR_CORNERS:
            if noise:
                a, b = a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)
            X.append((a, b))
            Y.append(label)
    return X, Y


def grid(x_min: float, x_max: float, y_min: float, y_max: float, size: int = 64):
    """Pixel centres of a size×size image, row by row from the top (y_max) down, left to right."""
    xs = [x_min + (x_max - x_min) * (i + 0.5) / size for i in range(size)]
    ys = [y_max - (y_max - y_min) * (j + 0.5) / size for j in range(size)]
    return [(x, y) for y in ys for x in xs]
