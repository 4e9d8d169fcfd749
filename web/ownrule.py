"""A learner's own derivative rule: read by the lesson's safe reader, evaluated by walking its tree, and checked
against central differences of the engine's forward function.

A rule is written for one operation of the engine's table (`OPS`) in the names `x` (the input), `y` (the second
input of x*y and x/y), `n` (the number exponent of x**n) and `out` (the node's own value), with the reader's
functions and `step(x)` (1 where x > 0, else 0). The learner's text never reaches eval, exec or compile: it is
read into a tree by `web.expr` and `OwnRule.local` walks that tree with the engine's IEEE helpers, so nothing
raises and inf or nan are values.

The hand-off (web.widget's take_handoff / receive; it never enters a link), from "Your turn" to the page:
- ("rule", OwnRule): use this rule for every node of `rule.op`, instead of the engine's. Only a rule for which
  `check(rule).ok` is True is ever handed over ("Use my rule" appears only then); a receiver may check again,
  it takes a few milliseconds.
- ("rule-off", op): go back to the engine's built-in rule for `op` (a key of engine.rules.RULES).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from engine import rules
from engine.rules import RULES
from web.expr import FUNCTIONS, Bin, Call, ExprError, Neg, Num, Pow, Power, Var, parse_rule, to_text
from web.format import fixed, sci

STEP = "step"
RULE_FUNCTIONS = (*FUNCTIONS, STEP)
POINTS = 30
RELATIVE, ABSOLUTE = 1e-4, 1e-6  # a rule is right at a point within 1e-4 relative, or 1e-6 where the slope is ~0


def step(x: float) -> float:
    """1 where x > 0, else 0: the derivative of relu away from its kink."""
    return 1.0 if x > 0.0 else 0.0


# The reader's functions as the engine computes them (never raising), plus step.
CALLS = {"sin": rules.sin, "cos": rules.cos, "tanh": rules.tanh, "exp": rules.exp, "log": rules.log,
         "sigmoid": rules.sigmoid, "relu": rules.relu, "softplus": rules.softplus, STEP: step}


# Ordinary points first, so that the first point a wrong rule fails at is usually a readable one; then the
# edges: near 0, large |x|, near a kink.
_ORDINARY = (1.3, -0.7, 0.4, 2.2, -1.6, 0.9, -2.5, 3.1, -0.2, 1.7, -3.4, 0.6, 2.8, -1.1, 4.5, -4.2)
_EDGES = (1e-3, -1e-3, 0.02, -0.03, 8.0, -8.0, 15.0, -15.0, 30.0, -30.0, 0.0, 60.0, -60.0, 0.15)
_POSITIVE = (1.3, 0.4, 2.2, 0.7, 1.6, 0.9, 2.5, 3.1, 0.2, 1.7, 3.4, 0.6, 5.0, 1.1, 4.5,
             1e-3, 0.01, 0.03, 0.1, 8.0, 15.0, 30.0, 60.0, 100.0, 250.0, 1000.0, 0.05, 6.5, 12.0, 1e4)
_SECOND = (0.5, -1.2, 2.0, -0.3, 1.5, -2.5, 0.8, -0.6, 3.0, 1.1, -1.9, 0.25, -4.0, 2.6, 0.9,
           0.05, -0.05, 7.0, -9.0, 20.0, -25.0, 0.1, -0.1, 1.0, 40.0, -3.3, 0.02, -0.02, 1.3, -60.0)
_EXPONENTS = (3.0, 2.0, -1.0, 0.5, 4.0, 1.5, -2.0, 2.5, 3.0, 5.0, -0.5, 2.0, 1.0, 3.0, 0.0,
              2.0, 3.0, -1.0, 0.5, 2.0, 3.0, -2.0, 4.0, 1.5, 2.0, 7.0, -3.0, 0.25, 2.0, 3.0)


@dataclass(frozen=True)
class Op:
    """One operation the rule writer offers: its label, the names a rule for it may use, and its check points."""

    op: str
    label: str
    second: str  # "y" for x*y and x/y, "n" for x**n, "" for one input
    points: tuple[tuple[float, float], ...]  # (x, y or n); the second is 0 for one-input operations

    @property
    def inputs(self) -> tuple[str, ...]:
        """The inputs a rule is written for: ("x",) or ("x", "y") (x**n has one: n is a number)."""
        return ("x", "y") if self.second == "y" else ("x",)

    @property
    def names(self) -> tuple[str, ...]:
        return ("x", self.second, "out") if self.second else ("x", "out")

    @property
    def fields(self) -> tuple[str, ...]:
        """The learner's field for each input: "Local derivative", or ∂out/∂x and ∂out/∂y."""
        return ("Local derivative",) if len(self.inputs) == 1 else tuple(f"∂out/∂{v}" for v in self.inputs)

    def out(self, x: float, second: float) -> float:
        """The operation's value, by the engine's forward function."""
        rule = RULES[self.op]
        if self.second == "n":
            return rule.forward(x, 0.0, second)
        return rule.forward(x, second, None)


def _unary(op: str, label: str, xs=_ORDINARY + _EDGES) -> Op:
    return Op(op, label, "", tuple((x, 0.0) for x in xs[:POINTS]))


_AWAY_FROM_KINK = (*(x for x in _ORDINARY + _EDGES if x != 0.0), 0.005)
OPS: dict[str, Op] = {o.op: o for o in (
    _unary("exp", "exp: out = exp(x)", _ORDINARY + _EDGES[:8] + (30.0, -30.0, 0.0, 100.0, -100.0, 0.15)),
    _unary("log", "log: out = log(x), x > 0", _POSITIVE),
    _unary("sin", "sin: out = sin(x)"),
    _unary("cos", "cos: out = cos(x)"),
    _unary("tanh", "tanh: out = tanh(x)"),
    _unary("sigmoid", "sigmoid: out = 1 / (1 + exp(−x))"),
    _unary("softplus", "softplus: out = log(1 + exp(x))"),
    _unary("relu", "relu: out = max(x, 0)", _AWAY_FROM_KINK),
    Op("mul", "x*y: out = x·y", "y", tuple(zip(_ORDINARY + _EDGES, _SECOND, strict=True))),
    Op("div", "x/y: out = x / y", "y", tuple(zip(_ORDINARY + _EDGES, _SECOND, strict=True))),
    # A fractional exponent needs x > 0, one below 1 needs x ≠ 0; a whole one ≥ 1 takes any x.
    Op("pow", "x**n: out = x**n, n a number", "n", tuple(
        (x if n == int(n) and (x or n >= 1) else abs(x) or 0.5, n)
        for x, n in zip(_ORDINARY + _EDGES, _EXPONENTS, strict=True))),
)}
# What a rule for each operation may be compared with: the engine's own rule, written as a learner would.
BUILT_IN = {"exp": ("exp(x)",), "log": ("1 / x",), "sin": ("cos(x)",), "cos": ("-sin(x)",),
            "tanh": ("1 - out**2",), "sigmoid": ("out * (1 - out)",), "softplus": ("sigmoid(x)",),
            "relu": ("step(x)",), "mul": ("y", "x"), "div": ("1 / y", "-x / y**2"), "pow": ("n * x**(n - 1)",)}


def read(op: str, text: str) -> Var | Num | Neg | Bin | Pow | Call | Power:
    """One field's text read as a rule for `op` (raises ExprError with a message for the page)."""
    return parse_rule(text, OPS[op].names, RULE_FUNCTIONS)


@dataclass(frozen=True)
class OwnRule:
    """A learner's rule for one operation: one text per input, as the reader writes it back."""

    op: str
    texts: tuple[str, ...]
    trees: tuple = field(default=(), compare=False, repr=False)

    @staticmethod
    def of(op: str, texts: tuple[str, ...] | list[str]) -> OwnRule:
        """Read each field's text (raises ExprError, its message naming the field for two-input operations)."""
        spec = OPS[op]
        if len(texts) != len(spec.inputs):
            raise ExprError(f"{op} needs {len(spec.inputs)} rule(s), one per input")
        trees = []
        for name, text in zip(spec.fields, texts, strict=True):
            try:
                trees.append(read(op, text))
            except ExprError as error:
                raise ExprError(str(error) if len(texts) == 1 else f"{name}: {error}") from None
        return OwnRule(op, tuple(to_text(t) for t in trees), tuple(trees))

    def local(self, a: float, b: float, y: float, n: float | None) -> tuple[float, ...]:
        """The local derivatives, with engine.rules.Rule.local's signature: inputs a and b, output y, exponent n."""
        env = {"x": a, "y": b, "n": n if n is not None else 0.0, "out": y}
        return tuple(evaluate(tree, env) for tree in self.trees)


def evaluate(tree, env: dict[str, float]) -> float:
    """The value of a rule's tree at the given names, with the engine's IEEE helpers: inf or nan, never a raise.

    Trees are at most web.expr.MAX_DEPTH deep, so walking them by recursion is safe.
    """
    if isinstance(tree, Num):
        return tree.value
    if isinstance(tree, Var):
        return env[tree.name]
    if isinstance(tree, Neg):
        return -evaluate(tree.arg, env)
    if isinstance(tree, Call):
        return CALLS[tree.fn](evaluate(tree.arg, env))
    if isinstance(tree, Pow):
        return rules.power(evaluate(tree.base, env), tree.exponent)
    if isinstance(tree, Power):
        return rules.power(evaluate(tree.base, env), evaluate(tree.exponent, env))
    left, right = evaluate(tree.left, env), evaluate(tree.right, env)
    if tree.op == "+":
        return left + right
    if tree.op == "-":
        return left - right
    if tree.op == "*":
        return left * right
    return rules.div(left, right)


def slope(spec: Op, x: float, second: float, index: int) -> float:
    """∂out/∂(input `index`) at (x, second) by central differences, Richardson-extrapolated from steps h and h/2."""
    at = [x, second]

    def central(h: float) -> float:
        up, down = list(at), list(at)
        up[index] += h
        down[index] -= h
        return (spec.out(*up) - spec.out(*down)) / (up[index] - down[index])

    v = at[index]
    h = 1e-4 * min(max(abs(v), 1e-2), 1.0) * max(1.0, abs(v))
    return (4.0 * central(h / 2) - central(h)) / 3.0


def agrees(mine: float, true: float) -> bool:
    """Within 1e-4 of the slope, relative, or 1e-6 absolute where the slope is near 0."""
    return math.isfinite(mine) and abs(mine - true) <= max(RELATIVE * abs(true), ABSOLUTE)


@dataclass(frozen=True)
class Verdict:
    """What "Check rule" found: right everywhere, or the first point where the rule and the slope disagree."""

    ok: bool
    message: str
    point: tuple[float, float] | None = None  # (x, y or n) where it failed
    index: int = 0  # which input's rule failed


def where(spec: Op, x: float, second: float) -> str:
    """x = 1.3000, or x = 1.3000, y = 0.5000 (n is shown as written: n = 3)."""
    text = f"x = {fixed(x, 4)}"
    if spec.second == "y":
        text += f", y = {fixed(second, 4)}"
    elif spec.second == "n":
        text += f", n = {second:g}".replace("-", "−")
    return text


def apart(a: float, b: float) -> tuple[str, str]:
    """Two numbers to 4 decimals, or to as many more as it takes for them to read differently."""
    for digits in range(4, 13):
        texts = fixed(a, digits), fixed(b, digits)
        if "×" in texts[0] + texts[1]:
            texts = sci(a, digits - 2), sci(b, digits - 2)
        if texts[0] != texts[1]:
            break
    return texts


def check(rule: OwnRule) -> Verdict:
    """Compare the rule with central differences at the operation's 30 points."""
    spec = OPS[rule.op]
    for x, second in spec.points:
        out = spec.out(x, second)
        mine = rule.local(x, second, out, second if spec.second == "n" else None)
        for index, name in enumerate(spec.inputs):
            true = slope(spec, x, second, index)
            if not agrees(mine[index], true):
                which = f"your rule for ∂out/∂{name}" if len(spec.inputs) > 1 else "your rule"
                given, wanted = apart(mine[index], true)
                return Verdict(False, f"Wrong at {where(spec, x, second)}: {which} gives {given}, the slope there "
                                      f"is {wanted}", (x, second), index)
    return Verdict(True, f"Right at all {len(spec.points)} points")


def curves(rule: OwnRule | None, op: str, index: int = 0, count: int = 81):
    """Samples for the plot: xs across [−4, 4] (log: (0, 4]; x**n: n = 3, x/y: y = 2, x*y: y = 1.5), the true
    slope at each, and the rule's value (None where there is no rule). Points off the domain are left out."""
    spec = OPS[op]
    second = {"y": 1.5 if op == "mul" else 2.0, "n": 3.0, "": 0.0}[spec.second]
    lo = 0.05 if op == "log" else -4.0
    xs = [lo + (4.0 - lo) * i / (count - 1) for i in range(count)]
    if op == "relu":
        xs = [x for x in xs if abs(x) > 1e-9]
    at = [(x, second) for x in xs]
    true = [slope(spec, x, s, index) for x, s in at]
    mine = None
    if rule is not None:
        mine = [rule.local(x, s, spec.out(x, s), s if spec.second == "n" else None)[index] for x, s in at]
    return xs, true, mine
