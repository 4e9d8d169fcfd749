"""Value: one scalar node of the computation graph (data, grad, op, label, parents)."""

from engine import graph
from engine.rules import RULES


def _operator(op: str, reflected: bool = False):
    """The method behind one binary operator: `a op b`, or `b op a` for the reflected form (2 - v)."""

    def method(self, other):
        other = _as_value(other)
        if other is NotImplemented:
            return NotImplemented
        return Value._binary(op, other, self) if reflected else Value._binary(op, self, other)

    method.__name__ = f"__{'r' if reflected else ''}{op}__"
    return method


class Value:
    """A scalar in a DAG; each operator call makes exactly one new node, so the graph reads as written."""

    __slots__ = ("arg", "data", "grad", "label", "op", "parents")

    def __init__(self, data: float, label: str = "", op: str = "", parents: tuple = (), arg=None):
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.op = op              # '' for a leaf, otherwise a key of rules.RULES
        self.parents = parents    # input Values in argument order
        self.arg = arg            # the number exponent of a 'pow' node, else None

    def __repr__(self) -> str:
        name = f" {self.label!r}" if self.label else ""
        return f"Value({self.data:.6g}{name}, grad={self.grad:.6g}, op={self.op!r})"

    # One helper builds every node: the rule table computes the value.
    def _unary(self, op: str, arg=None) -> "Value":
        return Value(RULES[op].forward(self.data, 0.0, arg), op=op, parents=(self,), arg=arg)

    @staticmethod
    def _binary(op: str, a: "Value", b: "Value") -> "Value":
        return Value(RULES[op].forward(a.data, b.data, None), op=op, parents=(a, b))

    # + - * / with a Value or a number on either side: one node each (see _operator below the class).
    __add__, __radd__ = _operator("add"), _operator("add", reflected=True)
    __sub__, __rsub__ = _operator("sub"), _operator("sub", reflected=True)
    __mul__, __rmul__ = _operator("mul"), _operator("mul", reflected=True)
    __truediv__, __rtruediv__ = _operator("div"), _operator("div", reflected=True)

    def __pow__(self, exponent):
        # The exponent is a plain number, kept on the node (not a graph input).
        if isinstance(exponent, Value) or not is_number(exponent):
            return NotImplemented
        return self._unary("pow", float(exponent))

    def __neg__(self):
        return self._unary("neg")

    def exp(self) -> "Value":
        """e ** self."""
        return self._unary("exp")

    def log(self) -> "Value":
        """Natural logarithm: log(0) = -inf, log(negative) = nan."""
        return self._unary("log")

    def tanh(self) -> "Value":
        """Hyperbolic tangent."""
        return self._unary("tanh")

    def sigmoid(self) -> "Value":
        """1 / (1 + e ** -self), stable for any float."""
        return self._unary("sigmoid")

    def bce_with_logits(self, target) -> "Value":
        """Binary cross-entropy of σ(self) against target (a Value or a number), from the logit self: stable
        for any float, with ∂/∂self = σ(self) − target (PyTorch's binary_cross_entropy_with_logits)."""
        target = _as_value(target)
        if target is NotImplemented:
            raise TypeError(f"target must be a Value or a number, not {type(target).__name__}")
        return Value._binary("bce_with_logits", self, target)

    def softplus(self) -> "Value":
        """log(1 + e ** self), stable for any float; its derivative is σ(self)."""
        return self._unary("softplus")

    def relu(self) -> "Value":
        """max(self, 0)."""
        return self._unary("relu")

    def sin(self) -> "Value":
        """Sine."""
        return self._unary("sin")

    def cos(self) -> "Value":
        """Cosine."""
        return self._unary("cos")

    def backward(self) -> None:
        """Set .grad = ∂self/∂node on every node of the graph, starting from zero on each call."""
        graph.backward(self)


def _as_value(x):
    """Wrap a number as a constant leaf Value (label '')."""
    if isinstance(x, Value):
        return x
    if is_number(x):
        return Value(x)
    return NotImplemented


def is_number(x) -> bool:
    """A real number: int, float, or any other numbers.Real (Fraction, NumPy's scalars). The numbers module is
    imported only when such a type turns up: importing it costs Pyodide about 14 ms of every page start."""
    if isinstance(x, (int, float)):
        return True
    from numbers import Real

    return isinstance(x, Real)
