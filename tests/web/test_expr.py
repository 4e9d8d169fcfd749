import ast
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Value
from web.expr import (
    FUNCTIONS,
    LINK_KEYS,
    MAX_LENGTH,
    Bin,
    Call,
    ExprError,
    Neg,
    Num,
    Pow,
    Var,
    _Reader,
    build,
    display_name,
    parse,
    to_text,
    variables,
)

LESSON = "(sigmoid(w*x + b) - ystar)**2"


def evaluate(text, env):
    leaves = {name: Value(value, label=name) for name, value in env.items()}
    return build(parse(text), leaves).data


def test_the_lesson_expression_reads_as_its_graph():
    expr = parse(LESSON)
    assert expr == Pow(Bin("-", Call("sigmoid", Bin("+", Bin("*", Var("w"), Var("x")), Var("b"))), Var("ystar")), 2.0)
    assert variables(expr) == ["w", "x", "b", "ystar"]
    assert display_name("ystar") == "y*" and display_name("star") == "star" and display_name("x") == "x"
    want = (1 / (1 + math.exp(-(0.5 * 1.0 + 0.1))) - 1.0) ** 2
    assert evaluate(LESSON, {"w": 0.5, "x": 1.0, "b": 0.1, "ystar": 1.0}) == pytest.approx(want, abs=1e-15)


def test_a_variable_used_twice_is_one_leaf_with_two_edges():
    x = Value(1.3, label="x")
    root = build(parse("x*x + sin(x)"), {"x": x})
    root.backward()
    assert x.grad == pytest.approx(2 * 1.3 + math.cos(1.3))
    product = root.parents[0]
    assert product.parents[0] is product.parents[1] is x


@pytest.mark.parametrize(("text", "tree"), [
    ("-x", Neg(Var("x"))),
    ("+x", Var("x")),
    ("x - -3", Bin("-", Var("x"), Num(-3.0))),
    ("x**-1", Pow(Var("x"), -1.0)),
    ("-x**2", Neg(Pow(Var("x"), 2.0))),
    ("2 * x / 4", Bin("/", Bin("*", Num(2.0), Var("x")), Num(4.0))),
    ("x \u2212 1", Bin("-", Var("x"), Num(1.0))),
])
def test_small_expressions(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize(("text", "message"), [
    ("sinh(x)", "unknown function 'sinh' — try sin, cos, tanh, exp, log, sigmoid, relu"),
    ("x.real", "attribute access"),
    ("(lambda: 1)()", "only these functions can be called"),
    ("lambda x: x", "lambda is not allowed"),
    ("__import__('os')", "unknown function '__import__'"),
    ("__import__('os').system('true')", "only these functions can be called"),
    ("x +", "not a valid expression"),
    ("x ^ 2", "write x**2"),
    ("x ** y", "exponent after ** must be a number"),
    ("sin(x, 2)", "exactly one argument"),
    ("sin(x=1)", "exactly one argument"),
    ("x if x else 1", "'if … else'"),
    ("x < 1", "comparisons"),
    ("x[0]", "indexing"),
    ("x, y", "tuple"),
    ("'a'", "only numbers and names"),
    ("3", "at least one variable"),
    ("sin", "is a function"),
    ("L + x", "name of the output"),
    ("a+b+c+d+e+f+g+h+i+j+k+l+m", "at most 12"),
    ("__debug__*x", "names starting with __ belong to Python"),
    ("x + __import__", "names starting with __"),
    ("x" + "+x" * 100, "characters long"),
    ("x" + "+x" * 60, "more than 40 operations"),
    ("+" * 100 + "x", "nested"),
    ("1e400 * x", "too large"),
    ("", "type an expression"),
    ("x*x # note", "'#' starts a comment, and comments are not part of an expression: remove it and what follows "
                   "(at character 5)"),
    ("x # it's", "comments are not part of an expression"),
    ("x*x #" + "\U0001F600" * 195, "comments are not part of an expression"),  # the 2,401-character link
    ("x + '#'", "only numbers and names may appear, not '#'"),
    ("f'{x}'", "text in quotes"),
    ("(yield x)", "'yield' is not allowed"),
    ("(yield from x)", "'yield' is not allowed"),
    ("await x", "'await' is not allowed"),
    ("[x]", "square brackets"),
    ("[x for x in y]", "square brackets"),
    ("{x}", "curly brackets"),
    ("{x: 1}", "curly brackets"),
    ("{x for x in y}", "curly brackets"),
    ("(x for x in y)", "'for' is not allowed"),
    ("...", "only numbers and names may appear, not ..."),
    ("expr*x", "'expr' is a word the page's links use for the graph itself; call the variable something else"),
    ("x + predict", "'predict' is a word the page's links use"),
])
def test_bad_input_gets_a_specific_message(text, message):
    with pytest.raises(ExprError, match=message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        parse(text)


# The names of Python's own syntax tree nodes ('JoinedStr', 'Await'): a learner never sees one in a message.
AST_NAMES = {name for name, kind in vars(ast).items() if isinstance(kind, type) and issubclass(kind, ast.AST)}


def speaks_plainly(message: str) -> bool:
    return not AST_NAMES & set(re.findall(r"[A-Za-z]+", message))


@pytest.mark.parametrize("text", ["f'{x}'", "(yield x)", "(yield from x)", "await x", "[x]", "[x for x in y]",
                                  "{x}", "{x: 1}", "{x: 1 for x in y}", "{x for x in y}", "(x for x in y)", "...",
                                  "x[1:2]", "sin(*x)", "(*x,)", "x.y", "lambda: x", "x if y else z", "(x := 1)",
                                  "x < y", "x and y", "not x", "None", "True*x", "b'x'", "1j*x", "x @ y", "x << 1"])
def test_messages_use_words_a_learner_knows(text):
    with pytest.raises(ExprError) as caught:
        parse(text)
    assert speaks_plainly(str(caught.value)), str(caught.value)


def test_a_construct_the_reader_has_no_words_for_is_still_described_plainly():
    reader = _Reader()
    node = ast.parse("x", mode="eval").body
    node.__class__ = type("FutureNode", (ast.expr,), {})  # what a later Python's parser might hand over
    with pytest.raises(ExprError) as caught:
        reader.read(node)
    assert "FutureNode" not in str(caught.value) and "not part of the expressions" in str(caught.value)


def test_variables_never_take_a_name_the_graph_links_use_for_themselves():
    """A variable `expr` travelled as graph.expr=..., the expression's own key, and broke the link."""
    for key in LINK_KEYS:
        with pytest.raises(ExprError, match="call the variable something else"):
            parse(f"{key}*x + x")
        parse(f"{key}1*x + {key}_ + my{key}")  # names that merely contain one are fine


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=MAX_LENGTH + 20))
def test_arbitrary_text_parses_or_fails_with_a_message_and_never_runs_anything(text):
    try:
        parse(text)
    except ExprError as error:
        assert str(error) and speaks_plainly(str(error))


ATOMS = st.sampled_from(["x", "y", "w", "1", "2.5", "0.5"])


def expressions():
    return st.recursive(
        ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(st.sampled_from(FUNCTIONS), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(inner, st.sampled_from(["2", "3", "-1"])).map(lambda t: f"({t[0]})**{t[1]}"),
            inner.map(lambda t: f"-{t}"),
        ),
        max_leaves=8,
    )


@settings(max_examples=200, deadline=None)
@given(expressions())
def test_text_of_a_tree_reads_back_to_the_same_tree(text):
    try:
        tree = parse(text)
    except ExprError:
        return  # e.g. no variable in it
    assert parse(to_text(tree)) == tree
