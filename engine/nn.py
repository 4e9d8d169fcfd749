"""MLP: a multilayer perceptron built from Values, labelled so the compiled code reads w1_2_1, z1_2, h1_2."""

import itertools
import math
import random

from engine.value import Value

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


def _activate(z: Value, name: str) -> Value:
    return z if name == "linear" else getattr(z, name)()


class MLP:
    """Fully connected layers; weights drawn LeCun-uniform from a seeded generator, biases zero."""

    def __init__(self, n_in: int, hidden: list[int], n_out: int = 1, activation: str = "tanh",
                 output: str = "sigmoid", seed: int = 0):
        if activation not in ACTIVATIONS or output not in ACTIVATIONS:
            raise ValueError(f"activation and output must be one of {ACTIVATIONS}")
        self.n_in, self.hidden, self.n_out = n_in, list(hidden), n_out
        self.activation, self.output = activation, output
        rng = random.Random(seed)
        self.layers = []  # per layer: list of (weights, bias) per neuron
        sizes = [n_in, *self.hidden, n_out]
        for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes), start=1):
            # Uniform with variance 1/fan_in keeps pre-activations near unit scale, out of tanh's flat tails.
            limit = math.sqrt(3.0 / fan_in)
            neurons = []
            for j in range(1, fan_out + 1):
                weights = [Value(rng.uniform(-limit, limit), label=f"w{layer}_{j}_{i}")
                           for i in range(1, fan_in + 1)]
                neurons.append((weights, Value(0.0, label=f"b{layer}_{j}")))
            self.layers.append(neurons)

    def parameters(self) -> list[Value]:
        """Layer by layer, neuron by neuron: each neuron's weights, then its bias."""
        return [p for neurons in self.layers for weights, bias in neurons for p in (*weights, bias)]

    def __call__(self, x):
        """Forward one input (Values or numbers); a Value if n_out == 1, else a list of Values."""
        if len(x) != self.n_in:
            raise ValueError(f"expected {self.n_in} inputs, got {len(x)}")
        last = len(self.layers)
        for layer, neurons in enumerate(self.layers, start=1):
            outputs = []
            for j, (weights, bias) in enumerate(neurons, start=1):
                z = weights[0] * x[0]
                for w, xi in zip(weights[1:], x[1:], strict=True):
                    z = z + w * xi
                z = z + bias
                z.label = f"z{layer}_{j}"
                if layer < last:
                    out = _activate(z, self.activation)
                    label = f"h{layer}_{j}"
                else:
                    out = _activate(z, self.output)
                    label = "p" if self.n_out == 1 else f"p{j}"
                if out is not z:
                    out.label = label
                outputs.append(out)
            x = outputs
        return x[0] if self.n_out == 1 else x
