"""Cases more than one test module checks: the 2 → 2 tanh → 1 sigmoid network the Cost of a gradient widget sends
to the Computation graph ("Show in the graph"), with the loss worked out here, independently of the engine."""

from __future__ import annotations

import math

NETWORK = "(sigmoid(u1*tanh(w11*0.5 + w12*(-1.2) + b1) + u2*tanh(w21*0.5 + w22*(-1.2) + b2) + c) - 1)**2"
WEIGHTS = {"u1": 0.53, "w11": -1.25, "w12": 2.0, "b1": 0.07, "u2": -2.96, "w21": 3.0, "w22": -3.0, "b2": 1.11,
           "c": -0.4}


def network_loss(p):
    h1 = math.tanh(p["w11"] * 0.5 + p["w12"] * -1.2 + p["b1"])
    h2 = math.tanh(p["w21"] * 0.5 + p["w22"] * -1.2 + p["b2"])
    return (1 / (1 + math.exp(-(p["u1"] * h1 + p["u2"] * h2 + p["c"]))) - 1) ** 2
