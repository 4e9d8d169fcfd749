"""The derivative rules: one table, op -> forward, local derivatives, code templates and formulas.

This is the only place derivative formulas live. The eager `Value` calls `forward` and `local`, the compiler
(`engine.compile`) pastes `code` / `dcode` templates into generated Python, and the lesson writes `human` on
the graph's edges. Templates name the inputs `{a}` and `{b}`, the node's own value `{y}`, a number
exponent `{n}`, and `{e}`, a value that the compiled forward and backward code share (see `Rule.shared`).
"""

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

INF = math.inf
NAN = math.nan

# Operator precedence for the compiler's parenthesization (higher binds tighter).
COND, ADD, MUL, NEG, POW, ATOM = 1, 10, 20, 30, 40, 50


# --- IEEE-754 versions of the functions whose Python spelling raises instead of returning inf/nan ---

def exp(a: float) -> float:
    """e**a; inf on overflow instead of OverflowError."""
    try:
        return math.exp(a)
    except OverflowError:
        return INF


def log(a: float) -> float:
    """Natural log; log(0) = -inf and log(negative or nan) = nan instead of ValueError."""
    if a > 0.0:
        return math.log(a)
    return -INF if a == 0.0 else NAN


def div(a: float, b: float) -> float:
    """a / b; ±inf or nan on division by zero instead of ZeroDivisionError."""
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0.0:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _odd_integer(n: float) -> bool:
    return math.isfinite(n) and n == int(n) and int(n) % 2 == 1


def power(a: float, n: float) -> float:
    """a ** n for a number n; inf on overflow or 0 ** negative, nan where the real result does not exist."""
    try:
        r = a ** n
    except ZeroDivisionError:  # 0.0 ** negative
        return math.copysign(INF, a) if _odd_integer(n) else INF
    except OverflowError:
        return -INF if a < 0.0 and _odd_integer(n) else INF
    # Python answers a negative base with a fractional exponent with a complex number.
    return NAN if isinstance(r, complex) else r


def sin(a: float) -> float:
    """sin(a); nan for ±inf instead of ValueError."""
    try:
        return math.sin(a)
    except ValueError:
        return NAN


def cos(a: float) -> float:
    """cos(a); nan for ±inf instead of ValueError."""
    try:
        return math.cos(a)
    except ValueError:
        return NAN


def sigmoid(a: float) -> float:
    """1 / (1 + e**-a), stable for every float: tiny negative inputs take the e**a / (1 + e**a) form."""
    try:
        return 1.0 / (1.0 + math.exp(-a))
    except OverflowError:  # a < -709: exp(-a) overflows, exp(a) does not
        e = math.exp(a)
        return e / (1.0 + e)


def logistic_loss(z: float, y: float) -> float:
    """Binary cross-entropy of σ(z) against y from the logit z: max(z, 0) − y·z + log(1 + e^−|z|).

    Equal to −(y·log σ(z) + (1 − y)·log(1 − σ(z))), but e^−|z| is at most 1, so nothing overflows, and a
    confident correct prediction (z = 800, y = 1) gives 0, where the textbook form gives 0·log(0) = nan.
    max(z, 0) − y·z is written (1 − y)·z for z > 0 and −y·z otherwise, so an infinite logit on the wrong side
    costs inf, and on the right side 0·inf = nan.
    """
    return ((1.0 - y) * z if z > 0.0 else -y * z) + math.log1p(math.exp(-abs(z)))


def relu(a: float) -> float:
    """max(a, 0); nan stays nan."""
    return max(a, 0.0)


tanh = math.tanh


# --- the table ---

Template = str | Callable[[float], str]


@dataclass(frozen=True)
class Rule:
    """How one op computes its value, its local derivatives, their code and their formula."""

    op: str                          # the node's .op
    arity: int                       # 1 or 2 Value inputs
    forward: Callable[..., float]    # (a, b, n) -> y, IEEE: never raises for numeric reasons
    local: Callable[..., tuple]      # (a, b, y, n) -> (∂y/∂a,) or (∂y/∂a, ∂y/∂b)
    code: Template                   # forward expression for the compiler (may raise; see compile.py)
    slots: tuple[int, ...]           # least precedence each input needs inside `code` without parentheses
    dcode: tuple[Template, ...]      # local derivative expressions for the compiler
    human: tuple[Template, ...]      # local derivatives as the lesson writes them
    out_name: str = "y"              # default display name of the node itself in `human`
    # Code for a value that `code` and `dcode` both need (as {e}): the compiler writes it once, on its own line
    # before the node's, so forward and backward share one exp instead of each calling its own.
    shared: str = ""

    def templates(self, n: float | None) -> tuple[str, tuple[str, ...]]:
        """The forward and local-derivative code templates for exponent n (only 'pow' depends on it)."""
        code = self.code(n) if callable(self.code) else self.code
        return code, tuple(d(n) if callable(d) else d for d in self.dcode)


def number(v: float, exponent: bool = False) -> str:
    """A float as a Python literal that pastes safely anywhere: negatives parenthesized, inf/nan by name.

    Exponents print as ints (x ** 2 reads better; float ** int computes the same as float ** float).
    """
    if v != v:
        return "nan"
    if v in (INF, -INF):
        return "inf" if v > 0 else "(-inf)"
    text = repr(int(v)) if exponent and v == int(v) and abs(v) < 2**53 else repr(float(v))
    return f"({text})" if text.startswith("-") else text


def _is_int(n: float) -> bool:
    return math.isfinite(n) and n == int(n)


def _pow_code(n: float) -> str:
    # Python's ** gives a complex number for a negative base and fractional exponent: use the IEEE helper.
    return f"{{a}} ** {number(n, True)}" if _is_int(n) else f"power({{a}}, {number(n)})"


def _pow_dcode(n: float) -> str:
    if n == 0:
        return "0.0"
    if n == 1:
        return "1.0"
    if n == 2:
        return "2.0 * {a}"
    if _is_int(n):
        return f"{number(n)} * {{a}} ** {number(n - 1, True)}"
    return f"{number(n)} * power({{a}}, {number(n - 1)})"


_SUPERSCRIPT = str.maketrans("-−0123456789.", "⁻⁻⁰¹²³⁴⁵⁶⁷⁸⁹·")


def superscript(text: str) -> str:
    """Digits, minus signs and a decimal point as superscripts ("-10" -> "⁻¹⁰"); the page's only such table."""
    return str(text).translate(_SUPERSCRIPT)


def _fmt(v: float) -> str:
    return f"{v:g}".replace("-", "−")


def _pow_human(n: float) -> str:
    if n == 0:
        return "0"
    if n == 1:
        return "1"
    if n == 2:
        return "2{a}"
    exponent = superscript(f"{n - 1:g}") if _is_int(n) else f"^{_fmt(n - 1)}"
    return f"{_fmt(n)}{{a}}{exponent}"


def _pow_local(a: float, b: float, y: float, n: float) -> tuple[float]:
    return (0.0 if n == 0 else n * power(a, n - 1),)


_ONE = "1.0"
_TABLE = (
    # op, arity, forward, local, code, slots, dcode, human[, out_name]
    Rule("add", 2, lambda a, b, n: a + b, lambda a, b, y, n: (1.0, 1.0),
         "{a} + {b}", (ADD, ADD + 1), (_ONE, _ONE), ("1", "1")),
    Rule("sub", 2, lambda a, b, n: a - b, lambda a, b, y, n: (1.0, -1.0),
         "{a} - {b}", (ADD, ADD + 1), (_ONE, "-1.0"), ("1", "−1")),
    Rule("mul", 2, lambda a, b, n: a * b, lambda a, b, y, n: (b, a),
         "{a} * {b}", (MUL, MUL + 1), ("{b}", "{a}"), ("{b}", "{a}")),
    # ∂(a/b)/∂b = −a/b² is computed as −y/b: no b² to overflow.
    Rule("div", 2, lambda a, b, n: div(a, b), lambda a, b, y, n: (div(1.0, b), div(-y, b)),
         "{a} / {b}", (MUL, MUL + 1), ("1.0 / {b}", "-{y} / {b}"), ("1/{b}", "−{a}/{b}²")),
    Rule("pow", 1, lambda a, b, n: power(a, n), _pow_local,
         _pow_code, (POW + 1,), (_pow_dcode,), (_pow_human,)),
    Rule("neg", 1, lambda a, b, n: -a, lambda a, b, y, n: (-1.0,),
         "-{a}", (NEG + 1,), ("-1.0",), ("−1",)),
    Rule("exp", 1, lambda a, b, n: exp(a), lambda a, b, y, n: (y,),
         "exp({a})", (0,), ("{y}",), ("exp({a})",)),
    Rule("log", 1, lambda a, b, n: log(a), lambda a, b, y, n: (div(1.0, a),),
         "log({a})", (0,), ("1.0 / {a}",), ("1/{a}",)),
    Rule("tanh", 1, lambda a, b, n: tanh(a), lambda a, b, y, n: (1.0 - y * y,),
         "tanh({a})", (0,), ("1.0 - {y} * {y}",), ("1 − {y}²",), "t"),
    # The compiled form overflows below a = −709; compile.py then reruns through the stable `sigmoid`.
    Rule("sigmoid", 1, lambda a, b, n: sigmoid(a), lambda a, b, y, n: (y * (1.0 - y),),
         "1.0 / (1.0 + exp(-{a}))", (NEG + 1,), ("{y} * (1.0 - {y})",), ("{y}(1 − {y})",), "s"),
    Rule("relu", 1, lambda a, b, n: relu(a), lambda a, b, y, n: (1.0 if a > 0.0 else 0.0,),
         "max({a}, 0.0)", (0,), ("1.0 if {a} > 0.0 else 0.0",), ("1 if {a} > 0 else 0",)),
    # Binary cross-entropy of σ(a) against target b, from the logit a (PyTorch's BCEWithLogits): one rule for
    # what log, sigmoid and their chain would do, so the local derivative is σ(a) − b, not −b/σ(a)·σ(a)(1 − σ(a))
    # and its mirror through log(1 − σ(a)). The compiled code computes e = e^−|a| once for both:
    # σ(a) = 1/(1 + e) for a ≥ 0 and e/(1 + e) below, neither overflowing. (|a| by a conditional, not abs():
    # the builtin call cost 2-5% of a bce epoch in Pyodide; see bench/README.md.)
    Rule("bce_with_logits", 2, lambda a, b, n: logistic_loss(a, b),
         lambda a, b, y, n: (sigmoid(a) - b, -a),
         "((1.0 - {b}) * {a} if {a} > 0.0 else -{b} * {a}) + log1p({e})", (NEG + 1, NEG + 1),
         ("({e} if {a} < 0.0 else 1.0) / (1.0 + {e}) - {b}", "-{a}"), ("σ({a}) − {b}", "−{a}"), "L",
         shared="exp(-{a} if {a} > 0.0 else {a})"),
    Rule("sin", 1, lambda a, b, n: sin(a), lambda a, b, y, n: (cos(a),),
         "sin({a})", (0,), ("cos({a})",), ("cos({a})",)),
    Rule("cos", 1, lambda a, b, n: cos(a), lambda a, b, y, n: (-sin(a),),
         "cos({a})", (0,), ("-sin({a})",), ("−sin({a})",)),
)
RULES: dict[str, Rule] = {rule.op: rule for rule in _TABLE}

# Names the compiled code may call: the fast math functions plus the IEEE helpers it falls back on.
CODE_NAMESPACE = {
    "exp": math.exp, "log": math.log, "tanh": math.tanh, "sin": math.sin, "cos": math.cos,
    "max": max, "log1p": math.log1p, "power": power, "inf": INF, "nan": NAN,
}


@functools.lru_cache(maxsize=1024)
def precedence(expr: str) -> int:
    """Precedence of a Python expression's top-level operator (ATOM for names, literals and calls)."""
    depth, best, i = 0, ATOM, 0
    for i, ch in enumerate(expr):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0:
            if i == 0 and ch == "-":
                best = min(best, NEG)
            elif expr.startswith(" if ", i):
                best = min(best, COND)
            elif expr.startswith((" + ", " - "), i):
                best = min(best, ADD)
            elif expr.startswith(" ** ", i):
                best = min(best, POW)
            elif expr.startswith((" * ", " / "), i):
                best = min(best, MUL)
    return best


def local_formula(node, index: int, names=None) -> str:
    """The lesson's formula for ∂node/∂node.parents[index], e.g. "s(1 − s)" for a sigmoid node.

    `names` (a dict or a function from Value to str) names the inputs and the node itself; unnamed ones
    read as a, b and the rule's own letter (s for sigmoid, t for tanh, y otherwise).
    """
    rule = RULES[node.op]
    template = rule.human[index]
    if callable(template):
        template = template(node.arg)
    lookup = names.get if isinstance(names, dict) else names

    def name(value, default: str) -> str:
        found = lookup(value) if lookup is not None else None
        return found if found else default

    parents = node.parents
    return template.format(
        a=name(parents[0], "a"),
        b=name(parents[1], "b") if len(parents) > 1 else "b",
        y=name(node, rule.out_name),
    )
