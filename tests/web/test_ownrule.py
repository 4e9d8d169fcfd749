"""A learner's own derivative rule: read safely, evaluated by walking its tree, checked against central differences."""

import math
import sys

import pytest

from engine.rules import RULES
from web.expr import ExprError, parse_rule, to_text
from web.ownrule import BUILT_IN, OPS, RULE_FUNCTIONS, OwnRule, check, curves, evaluate, read

# 20 wrong rules a learner might write, each with the point family it must fail at.
WRONG = [
    ("exp", ("x * exp(x - 1)",)),
    ("exp", ("out + 0.001",)),
    ("log", ("1 / x**2",)),
    ("log", ("log(x)",)),
    ("sin", ("-cos(x)",)),
    ("cos", ("sin(x)",)),
    ("tanh", ("1 - out",)),
    ("tanh", ("1 - x**2",)),
    ("sigmoid", ("x * (1 - x)",)),
    ("sigmoid", ("out",)),
    ("softplus", ("exp(x)",)),
    ("relu", ("1",)),
    ("relu", ("x",)),
    ("mul", ("x", "y")),
    ("mul", ("y", "y")),
    ("div", ("1 / y", "x / y**2")),
    ("div", ("y", "-x / y**2")),
    ("pow", ("x**(n - 1)",)),
    ("pow", ("n * x**n",)),
    ("pow", ("2 * x",)),
]


def test_every_operation_of_the_writer_is_in_the_engine_table_with_its_check_points():
    assert set(OPS) <= set(RULES)
    assert {"exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "mul", "div", "pow", "softplus"} <= set(OPS)
    for spec in OPS.values():
        assert len(spec.points) == 30
        assert spec.label.startswith({"mul": "x*y", "div": "x/y", "pow": "x**n"}.get(spec.op, spec.op) + ":")
        xs = [x for x, _ in spec.points]
        assert max(abs(x) for x in xs) >= 30  # large |x|
        assert min(abs(x) for x in xs if x) <= 1e-3  # near 0 (or the kink)


@pytest.mark.parametrize("op", sorted(BUILT_IN))
def test_every_built_in_rule_written_as_a_learner_would_passes(op):
    verdict = check(OwnRule.of(op, BUILT_IN[op]))
    assert verdict.ok, verdict.message
    assert verdict.message == "Right at all 30 points"


@pytest.mark.parametrize(("op", "texts"), WRONG, ids=[f"{op}:{'|'.join(t)}" for op, t in WRONG])
def test_a_wrong_rule_fails_at_a_named_point(op, texts):
    verdict = check(OwnRule.of(op, texts))
    assert not verdict.ok
    assert verdict.point is not None
    assert verdict.message.startswith("Wrong at x = ")
    assert ("y = " in verdict.message) == (op in ("mul", "div"))
    assert ("n = " in verdict.message) == (op == "pow")


def test_the_message_reads_as_the_issue_writes_it():
    assert check(OwnRule.of("exp", ("out * 1.0002",))).message == (
        "Wrong at x = 1.3000: your rule gives 3.6700, the slope there is 3.6693")
    assert check(OwnRule.of("mul", ("y", "y"))).message == (
        "Wrong at x = 1.3000, y = 0.5000: your rule for ∂out/∂y gives 0.5000, the slope there is 1.3000")
    # Numbers that agree to 4 decimals are shown with as many more as it takes to tell them apart.
    message = check(OwnRule.of("exp", ("out + 1e-5",))).message
    given, wanted = message.split("gives ")[1].split(", the slope there is ")
    assert given != wanted


def test_the_local_derivative_has_the_engine_rule_signature():
    rule = OwnRule.of("div", BUILT_IN["div"])
    engine = RULES["div"].local(3.0, 2.0, 1.5, None)
    assert rule.local(3.0, 2.0, 1.5, None) == pytest.approx(engine)
    power = OwnRule.of("pow", BUILT_IN["pow"])
    assert power.local(2.0, 0.0, 8.0, 3.0) == pytest.approx(RULES["pow"].local(2.0, 0.0, 8.0, 3.0))


def test_texts_are_what_the_reader_writes_back_and_read_back_the_same():
    rule = OwnRule.of("pow", ("n*(x+1-1)**(n-1)",))
    assert rule.texts == ("n * (x + 1 - 1)**(n - 1)",)
    for text in ("(x + 1)**(n - 1)", "x**(-n)", "-x**2", "2**x**n", "(x**2)**n"):
        tree = read("pow", text)
        assert read("pow", to_text(tree)) == tree, text
    assert evaluate(read("pow", "2**x**n"), {"x": 2.0, "n": 2.0, "out": 0.0}) == 16.0
    assert evaluate(read("pow", "(x + 1)**(n - 1)"), {"x": 1.0, "n": 3.0, "out": 0.0}) == 4.0
    assert OwnRule.of("relu", ("step(x)",)) == OwnRule.of("relu", ("step( x )",))


@pytest.mark.parametrize(("text", "words"), [
    ("9**9**9**9", None),  # read; evaluates to inf, a value, and the check says where it is wrong
    ("+" * 150 + "x", "nested"),
    ("-" * 150 + "x", "more than 40 operations"),
    ("x" * 10_000, "10000 characters"),
    ("__import__('os')", "unknown function '__import__'"),
    ("lambda: x", "lambda"),
    ("x.real", "attribute"),
    ("z + 1", "unknown name 'z'"),
    ("y", "unknown name 'y'"),
    ("sigmoid", "is a function"),
    ("step(x, 1)", "exactly one argument"),
    ("x if x > 0 else 0", "if"),
])
def test_hostile_or_foreign_text_gets_a_message_never_an_exception(text, words):
    try:
        rule = OwnRule.of("sigmoid", (text,))
    except ExprError as error:
        assert words is not None and words in str(error)
        return
    assert words is None
    verdict = check(rule)
    assert not verdict.ok and "∞" in verdict.message


def test_a_two_input_operation_names_the_field_that_was_refused():
    with pytest.raises(ExprError, match=r"^∂out/∂y: "):
        OwnRule.of("mul", ("y", "import os"))
    with pytest.raises(ExprError, match="needs 2"):
        OwnRule.of("mul", ("y",))


def test_checking_never_compiles_or_runs_text():
    # Python reports every compile, exec and eval to audit hooks (ast.parse too: it is compile's parser only, one
    # per text read); a hook cannot be removed, so it records only while `watching` holds something.
    seen, watching = [], []
    sys.addaudithook(lambda event, args: seen.append(event) if watching and event in ("compile", "exec") else None)
    watching.append(True)
    try:
        verdicts = [check(OwnRule.of(op, texts)).ok for op, texts in BUILT_IN.items()]
    finally:
        watching.clear()
    assert all(verdicts)
    assert "exec" not in seen
    assert seen.count("compile") == sum(len(texts) for texts in BUILT_IN.values())


def test_the_plot_samples_the_rule_and_the_slope():
    xs, true, mine = curves(OwnRule.of("tanh", ("1 - out**2",)), "tanh")
    assert len(xs) == len(true) == len(mine) > 40
    assert all(abs(a - b) < 1e-6 for a, b in zip(true, mine, strict=True))
    xs, true, mine = curves(None, "log")
    assert mine is None and min(xs) > 0
    xs, true, mine = curves(OwnRule.of("relu", ("1",)), "relu")
    assert all(math.isfinite(t) for t in true) and 0 not in xs


def test_step_and_the_functions_are_the_rule_reader_s():
    assert "step" in RULE_FUNCTIONS and "softplus" in RULE_FUNCTIONS
    with pytest.raises(ExprError):
        parse_rule("step(x)", ("x", "out"), ("sin",))
