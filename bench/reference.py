"""The hand-written baselines: closed-form forward + backward of the 2-4-1 tanh/sigmoid net, unrolled.

Parameters come in MLP.parameters() order: for each hidden neuron j its two weights and bias
(a_j1, a_j2, c_j), then the output weights v1..v4 and bias c.

`bce_step` is the bar for the engine's bce epoch: the cheapest numerically stable Python we found (see
bench/README.md), the loss taken from the logit with one exp per point. `bce_step_two_logs` is the baseline the
README's earlier tables used: the same loss computed through log(σ(z)) and log(σ(−z)), two exps and two logs.
"""

from math import exp, log, log1p, tanh


def bce_step(X, Y, params, lr):
    """One epoch of gradient descent on mean binary cross-entropy; returns (mean loss, new params)."""
    a11, a12, c1, a21, a22, c2, a31, a32, c3, a41, a42, c4, v1, v2, v3, v4, c = params
    ga11 = ga12 = gc1 = ga21 = ga22 = gc2 = ga31 = ga32 = gc3 = ga41 = ga42 = gc4 = 0.0
    gv1 = gv2 = gv3 = gv4 = gc = 0.0
    total = 0.0
    for (x1, x2), y in zip(X, Y, strict=False):
        h1 = tanh(a11 * x1 + a12 * x2 + c1)
        h2 = tanh(a21 * x1 + a22 * x2 + c2)
        h3 = tanh(a31 * x1 + a32 * x2 + c3)
        h4 = tanh(a41 * x1 + a42 * x2 + c4)
        z = v1 * h1 + v2 * h2 + v3 * h3 + v4 * h4 + c
        # max(z, 0) − y·z + log(1 + e^−|z|) and p = σ(z) from one e = e^−|z| ≤ 1: nothing overflows, and a
        # confident correct output costs ~0, not log(0). One branch on the sign of z serves both.
        if z > 0.0:
            e = exp(-z)
            total += (1.0 - y) * z + log1p(e)
            dz = 1.0 / (1.0 + e) - y  # d(bce)/dz = p - y
        else:
            e = exp(z)
            total += log1p(e) - y * z
            dz = e / (1.0 + e) - y
        gv1 += dz * h1
        gv2 += dz * h2
        gv3 += dz * h3
        gv4 += dz * h4
        gc += dz
        d1 = dz * v1 * (1.0 - h1 * h1)
        d2 = dz * v2 * (1.0 - h2 * h2)
        d3 = dz * v3 * (1.0 - h3 * h3)
        d4 = dz * v4 * (1.0 - h4 * h4)
        ga11 += d1 * x1
        ga12 += d1 * x2
        gc1 += d1
        ga21 += d2 * x1
        ga22 += d2 * x2
        gc2 += d2
        ga31 += d3 * x1
        ga32 += d3 * x2
        gc3 += d3
        ga41 += d4 * x1
        ga42 += d4 * x2
        gc4 += d4
    n = len(X)
    grads = (ga11, ga12, gc1, ga21, ga22, gc2, ga31, ga32, gc3, ga41, ga42, gc4, gv1, gv2, gv3, gv4, gc)
    s = lr / n
    return total / n, [w - s * g for w, g in zip(params, grads, strict=False)]


def bce_step_two_logs(X, Y, params, lr):
    """bce_step as the earlier baseline wrote it: log(p) and log(1 − p) = log(σ(−z)), two exps, two logs."""
    a11, a12, c1, a21, a22, c2, a31, a32, c3, a41, a42, c4, v1, v2, v3, v4, c = params
    ga11 = ga12 = gc1 = ga21 = ga22 = gc2 = ga31 = ga32 = gc3 = ga41 = ga42 = gc4 = 0.0
    gv1 = gv2 = gv3 = gv4 = gc = 0.0
    total = 0.0
    for (x1, x2), y in zip(X, Y, strict=False):
        h1 = tanh(a11 * x1 + a12 * x2 + c1)
        h2 = tanh(a21 * x1 + a22 * x2 + c2)
        h3 = tanh(a31 * x1 + a32 * x2 + c3)
        h4 = tanh(a41 * x1 + a42 * x2 + c4)
        z = v1 * h1 + v2 * h2 + v3 * h3 + v4 * h4 + c
        p = 1.0 / (1.0 + exp(-z))
        # log(1 − p) as log(σ(−z)), as the engine computes it: 1 − p rounds to 0 for a confident output
        total -= y * log(p) + (1.0 - y) * log(1.0 / (1.0 + exp(z)))
        dz = p - y  # d(bce)/dz for a sigmoid output, simplified by hand
        gv1 += dz * h1
        gv2 += dz * h2
        gv3 += dz * h3
        gv4 += dz * h4
        gc += dz
        d1 = dz * v1 * (1.0 - h1 * h1)
        d2 = dz * v2 * (1.0 - h2 * h2)
        d3 = dz * v3 * (1.0 - h3 * h3)
        d4 = dz * v4 * (1.0 - h4 * h4)
        ga11 += d1 * x1
        ga12 += d1 * x2
        gc1 += d1
        ga21 += d2 * x1
        ga22 += d2 * x2
        gc2 += d2
        ga31 += d3 * x1
        ga32 += d3 * x2
        gc3 += d3
        ga41 += d4 * x1
        ga42 += d4 * x2
        gc4 += d4
    n = len(X)
    grads = (ga11, ga12, gc1, ga21, ga22, gc2, ga31, ga32, gc3, ga41, ga42, gc4, gv1, gv2, gv3, gv4, gc)
    s = lr / n
    return total / n, [w - s * g for w, g in zip(params, grads, strict=False)]


def mse_step(X, Y, params, lr):
    """One epoch of gradient descent on mean squared error; returns (mean loss, new params)."""
    a11, a12, c1, a21, a22, c2, a31, a32, c3, a41, a42, c4, v1, v2, v3, v4, c = params
    ga11 = ga12 = gc1 = ga21 = ga22 = gc2 = ga31 = ga32 = gc3 = ga41 = ga42 = gc4 = 0.0
    gv1 = gv2 = gv3 = gv4 = gc = 0.0
    total = 0.0
    for (x1, x2), y in zip(X, Y, strict=False):
        h1 = tanh(a11 * x1 + a12 * x2 + c1)
        h2 = tanh(a21 * x1 + a22 * x2 + c2)
        h3 = tanh(a31 * x1 + a32 * x2 + c3)
        h4 = tanh(a41 * x1 + a42 * x2 + c4)
        p = 1.0 / (1.0 + exp(-(v1 * h1 + v2 * h2 + v3 * h3 + v4 * h4 + c)))
        e = p - y
        total += e * e
        dz = 2.0 * e * p * (1.0 - p)
        gv1 += dz * h1
        gv2 += dz * h2
        gv3 += dz * h3
        gv4 += dz * h4
        gc += dz
        d1 = dz * v1 * (1.0 - h1 * h1)
        d2 = dz * v2 * (1.0 - h2 * h2)
        d3 = dz * v3 * (1.0 - h3 * h3)
        d4 = dz * v4 * (1.0 - h4 * h4)
        ga11 += d1 * x1
        ga12 += d1 * x2
        gc1 += d1
        ga21 += d2 * x1
        ga22 += d2 * x2
        gc2 += d2
        ga31 += d3 * x1
        ga32 += d3 * x2
        gc3 += d3
        ga41 += d4 * x1
        ga42 += d4 * x2
        gc4 += d4
    n = len(X)
    grads = (ga11, ga12, gc1, ga21, ga22, gc2, ga31, ga32, gc3, ga41, ga42, gc4, gv1, gv2, gv3, gv4, gc)
    s = lr / n
    return total / n, [w - s * g for w, g in zip(params, grads, strict=False)]


def predict(points, params):
    """The net's output probability for each (x1, x2)."""
    a11, a12, c1, a21, a22, c2, a31, a32, c3, a41, a42, c4, v1, v2, v3, v4, c = params
    out = []
    append = out.append
    for x1, x2 in points:
        h1 = tanh(a11 * x1 + a12 * x2 + c1)
        h2 = tanh(a21 * x1 + a22 * x2 + c2)
        h3 = tanh(a31 * x1 + a32 * x2 + c3)
        h4 = tanh(a41 * x1 + a42 * x2 + c4)
        append(1.0 / (1.0 + exp(-(v1 * h1 + v2 * h2 + v3 * h3 + v4 * h4 + c))))
    return out
