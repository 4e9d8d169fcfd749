"""A safe reader for the expressions a learner types, such as `(sigmoid(w*x + b) - ystar)**2`.

The text goes through Python's own parser (`ast.parse` only builds a tree, it runs nothing) and every node is
checked against a short whitelist; the result is a small tree of our own that `build` turns into engine Values.
Nothing the learner types is ever evaluated as Python. Length, nesting depth, node count and the number of
variables are bounded, so no input can make the page slow.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

from engine import Value
from engine.rules import ADD, ATOM, MUL, NEG, POW

FUNCTIONS = ("sin", "cos", "tanh", "exp", "log", "sigmoid", "relu")
MAX_LENGTH = 200
MAX_DEPTH = 60
MAX_OPERATIONS = 40
MAX_VARIABLES = 12  # a 2 → 2 tanh → 1 sigmoid network has 9 weights; "Show in the graph" sends it
OUTPUT_NAME = "L"
# Names the Computation graph's links use for themselves (graph.expr=..., graph.predict=1) beside one field per
# variable (graph.w=0.50): a variable with one of these names would collide with them in a link.
LINK_KEYS = ("expr", "predict")
BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
# Operators Python knows but the lesson does not, with the hint a learner needs.
HINTS = {
    ast.BitXor: "'^' is not a power here: write x**2",
    ast.FloorDiv: "'//' is not allowed: use / for division",
    ast.Mod: "'%' is not allowed",
    ast.MatMult: "'@' is not allowed",
    ast.BitAnd: "'&' is not allowed",
    ast.BitOr: "'|' is not allowed",
    ast.LShift: "'<<' is not allowed",
    ast.RShift: "'>>' is not allowed",
}


class ExprError(ValueError):
    """A problem with the learner's expression, worded for the page."""


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Neg:
    arg: Expr


@dataclass(frozen=True)
class Bin:
    op: str  # one of + - * /
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Pow:
    base: Expr
    exponent: float


@dataclass(frozen=True)
class Call:
    fn: str
    arg: Expr


Expr = Num | Var | Neg | Bin | Pow | Call


def display_name(name: str) -> str:
    """How a variable is shown: a trailing 'star' becomes '*', so `ystar` reads as y*."""
    return name[:-4] + "*" if name.endswith("star") and len(name) > 4 else name


def _where(node: ast.AST) -> str:
    col = getattr(node, "col_offset", None)
    return f" (at character {col + 1})" if col is not None else ""


def _number(node: ast.AST) -> float | None:
    """The value of a plain number literal, possibly with signs in front, else None."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value = sign * float(node.value)
        return value if math.isfinite(value) else None
    return None


class _Reader:
    """Turns a checked Python expression tree into our tree, counting operations as it goes."""

    def __init__(self) -> None:
        self.operations = 0

    def count(self, node: ast.AST) -> None:
        self.operations += 1
        if self.operations > MAX_OPERATIONS:
            raise ExprError(f"the expression has more than {MAX_OPERATIONS} operations; keep it small enough "
                            "to watch its graph")

    def read(self, node: ast.AST, depth: int = 0) -> Expr:
        if depth > MAX_DEPTH:
            raise ExprError(f"the expression is nested more than {MAX_DEPTH} levels deep")
        value = _number(node)
        if value is not None:
            return Num(value)
        if isinstance(node, ast.Constant):
            if type(node.value) in (int, float):
                raise ExprError(f"the number {node.value!r} is too large{_where(node)}")
            shown = "..." if node.value is Ellipsis else repr(node.value)
            raise ExprError(f"only numbers and names may appear, not {shown}{_where(node)}")
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return self.read(node.operand, depth + 1)
            if isinstance(node.op, ast.USub):
                self.count(node)
                return Neg(self.read(node.operand, depth + 1))
            raise ExprError(f"'not' and '~' are not allowed{_where(node)}")
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise ExprError(self.describe(node))

    def name(self, node: ast.Name) -> Var:
        if node.id in FUNCTIONS:
            raise ExprError(f"'{node.id}' is a function: call it with brackets, like {node.id}(x)")
        if node.id == OUTPUT_NAME:
            raise ExprError(f"'{OUTPUT_NAME}' is the name of the output; call the variable something else")
        if node.id.startswith("__"):
            # Python keeps such names for itself: __debug__ cannot even be assigned in generated code.
            raise ExprError(f"names starting with __ belong to Python (not '{node.id}'); call the variable "
                            "something else")
        if not node.id.isascii():
            raise ExprError(f"variable names use plain letters, digits and _ (not '{node.id}')")
        if node.id in LINK_KEYS:
            raise ExprError(f"'{node.id}' is a word the page's links use for the graph itself; call the variable "
                            "something else")
        return Var(node.id)

    def binary(self, node: ast.BinOp, depth: int) -> Expr:
        op = type(node.op)
        if op is ast.Pow:
            exponent = _number(node.right)
            if exponent is None:
                raise ExprError(f"the exponent after ** must be a number, like x**2{_where(node)}")
            self.count(node)
            return Pow(self.read(node.left, depth + 1), exponent)
        if op in BINARY:
            self.count(node)
            return Bin(BINARY[op], self.read(node.left, depth + 1), self.read(node.right, depth + 1))
        raise ExprError(HINTS.get(op, "that operator is not allowed") + _where(node))

    def call(self, node: ast.Call, depth: int) -> Call:
        if not isinstance(node.func, ast.Name):
            raise ExprError(f"only these functions can be called: {', '.join(FUNCTIONS)}{_where(node)}")
        fn = node.func.id
        if fn not in FUNCTIONS:
            raise ExprError(f"unknown function '{fn}' — try {', '.join(FUNCTIONS)}")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ExprError(f"{fn} takes exactly one argument, like {fn}(x){_where(node)}")
        self.count(node)
        return Call(fn, self.read(node.args[0], depth + 1))

    @staticmethod
    def describe(node: ast.AST) -> str:
        """A message in a learner's words (never the name of Python's own node type) for a construct the
        lesson's expressions do not have."""
        return KINDS.get(type(node).__name__, "this is not part of the expressions this lesson reads") + _where(node)


# What each Python construct a learner can type (and the reader refuses) is called on the page, by the name of
# Python's node type: those names ('JoinedStr', 'Await') mean nothing to a learner, so none is ever shown.
KINDS = {
    "Attribute": "attribute access with '.' is not allowed",
    "Lambda": "lambda is not allowed: type the expression itself",
    "Compare": "comparisons (<, >, ==) are not allowed",
    "BoolOp": "'and' / 'or' are not allowed",
    "IfExp": "'if … else' is not allowed",
    "Subscript": "indexing with [ ] is not allowed",
    "Tuple": "a comma makes a tuple: type a single expression",
    "NamedExpr": "':=' is not allowed",
    "JoinedStr": "text in quotes (an f-string) is not allowed: only numbers and names",
    "TemplateStr": "text in quotes (a t-string) is not allowed: only numbers and names",
    "Yield": "'yield' is not allowed: type the expression itself",
    "YieldFrom": "'yield' is not allowed: type the expression itself",
    "Await": "'await' is not allowed: type the expression itself",
    "List": "square brackets [ ] are not allowed: use round ones to group",
    "ListComp": "square brackets [ ] are not allowed: use round ones to group",
    "Set": "curly brackets { } are not allowed: use round ones to group",
    "SetComp": "curly brackets { } are not allowed: use round ones to group",
    "Dict": "curly brackets { } are not allowed: use round ones to group",
    "DictComp": "curly brackets { } are not allowed: use round ones to group",
    "GeneratorExp": "'for' is not allowed: type the expression itself",
    "Starred": "'*' before a name is not allowed: write a product as x*y",
}


def parse(text: str) -> Expr:
    """Read an expression, or raise ExprError with a message fit for the page."""
    if not isinstance(text, str):
        raise ExprError("the expression must be text")
    text = text.strip()
    if not text:
        raise ExprError("type an expression, for example x*x + sin(x)")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
    try:
        tree = ast.parse(text.replace("\u2212", "-"), mode="eval")
    except SyntaxError as error:
        where = f" at character {error.offset}" if error.offset else ""
        raise ExprError(f"this is not a valid expression{where}: check brackets and operators") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("the expression is nested too deeply") from None
    result = _Reader().read(tree.body)
    if "#" in text:  # the reader took no text in quotes, so this '#' starts a comment, which Python skips
        raise ExprError(f"'#' starts a comment, and comments are not part of an expression: remove it and what "
                        f"follows (at character {text.index('#') + 1})")
    names = variables(result)
    if not names:
        raise ExprError("the expression needs at least one variable, such as x")
    if len(names) > MAX_VARIABLES:
        raise ExprError(f"the expression uses {len(names)} variables; at most {MAX_VARIABLES} get sliders")
    return result


def variables(expr: Expr) -> list[str]:
    """Variable names in order of first appearance, left to right."""
    seen: list[str] = []
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Var):
            if node.name not in seen:
                seen.append(node.name)
        elif isinstance(node, Bin):
            stack.extend((node.right, node.left))
        elif isinstance(node, Neg | Call):
            stack.append(node.arg)
        elif isinstance(node, Pow):
            stack.append(node.base)
    return seen


def build(expr: Expr, leaves: dict[str, Value]) -> Value:
    """The engine graph of expr over the given leaf Values (one per variable, shared by every use)."""
    if isinstance(expr, Num):
        return Value(expr.value, label=f"{expr.value:g}")
    if isinstance(expr, Var):
        return leaves[expr.name]
    if isinstance(expr, Neg):
        return -build(expr.arg, leaves)
    if isinstance(expr, Pow):
        return build(expr.base, leaves) ** expr.exponent
    if isinstance(expr, Call):
        return getattr(build(expr.arg, leaves), expr.fn)()
    left, right = build(expr.left, leaves), build(expr.right, leaves)
    if expr.op == "+":
        return left + right
    if expr.op == "-":
        return left - right
    if expr.op == "*":
        return left * right
    return left / right


def to_text(expr: Expr) -> str:
    """Our tree written back as text, with only the brackets it needs (used for links and labels); precedence
    is the engine's table, the one the compiler brackets its code by."""

    def go(node: Expr, outer: int) -> str:
        if isinstance(node, Num):
            text, prec = f"{node.value:g}", (ATOM if node.value >= 0 else NEG)
        elif isinstance(node, Var):
            text, prec = node.name, ATOM
        elif isinstance(node, Call):
            text, prec = f"{node.fn}({go(node.arg, 0)})", ATOM
        elif isinstance(node, Pow):
            exponent = f"{node.exponent:g}"
            text, prec = f"{go(node.base, POW + 1)}**{exponent if node.exponent >= 0 else '(' + exponent + ')'}", POW
        elif isinstance(node, Neg):
            text, prec = f"-{go(node.arg, NEG + 1)}", NEG
        else:
            prec = ADD if node.op in "+-" else MUL
            text = f"{go(node.left, prec)} {node.op} {go(node.right, prec + 1)}"
        return f"({text})" if prec < outer else text

    return go(expr, 0)
