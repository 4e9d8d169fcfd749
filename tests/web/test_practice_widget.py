"""The "Your turn" widget in CPython: answers and verdicts, hints and the pass, progress kept, links, the rule
writer and its hand-off."""

import json

import pytest

from web.ownrule import OwnRule
from web.practice import PracticeWidget
from web.practice.puzzle import draw
from web.tree import to_markup
from web.widget import UIEvent


def click(name: str) -> UIEvent:
    return UIEvent("click", name)


def typed(name: str, text: str) -> UIEvent:
    return UIEvent("input", name, text)


def answer_all(widget: PracticeWidget, *, right: bool = True) -> None:
    for i, leaf in enumerate(widget.state.practice.puzzle.leaves):
        widget.handle(typed(f"ans:{i}", f"{leaf.grad if right else -leaf.grad:.4f}"))
    widget.handle(click("check"))


def play_pass(widget: PracticeWidget) -> None:
    now = 0.0
    while widget.wants_frame and now < 60_000:
        widget.frame(now)
        now += 50.0


def test_the_first_view_has_the_contract_s_controls():
    markup = to_markup(PracticeWidget().render())
    for text in ('role="radiogroup"', ">Kind of graph<", ">One path<", ">Two paths<", ">A neuron<", ">New graph<",
                 ">Check<", ">Hint<", ">Show the pass<", ">Forget my progress<", ">∂L/∂a<", ">Check rule<",
                 ">Local derivative<", ">Operation<", "sigmoid: out = 1 / (1 + exp(−x))", 'role="status"',
                 "Solved without a hint: one path 0 · two paths 0 · a neuron 0", 'id="practice-wide-title"'):
        assert text in markup, text
    assert "Use my rule" not in markup and "Use the built-in rule" not in markup


def test_right_and_wrong_answers_get_their_own_verdicts_and_a_count():
    widget = PracticeWidget()
    leaves = widget.state.practice.puzzle.leaves
    widget.handle(typed("ans:0", f"{leaves[0].grad:.4f}".replace("-", "−")))
    widget.handle(typed("ans:1", f"{-leaves[1].grad:.4f}"))
    widget.handle(typed("ans:2", "two"))
    widget.handle(click("check"))
    verdicts = widget.state.practice.verdicts
    assert verdicts[0][0] and verdicts[0][1].startswith("Right")
    assert not verdicts[1][0] and "sign is flipped" in verdicts[1][1]
    assert verdicts[2] == (False, "Type a number, like −0.25.")
    markup = to_markup(widget.render())
    assert f"1 of {len(leaves)} right" in markup
    assert "✓ Right" in markup and "✗ The sign is flipped" in markup
    assert widget.take_kept() is None  # not solved: nothing to keep


def test_solving_without_help_counts_once_and_is_kept():
    widget = PracticeWidget()
    answer_all(widget)
    assert widget.state.progress == (1, 0, 0)
    assert json.loads(widget.take_kept()) == {"one": 1, "two": 0, "neuron": 0}
    assert f"{len(widget.state.practice.puzzle.leaves)} of" in to_markup(widget.render())
    widget.handle(click("check"))  # checking the same graph again does not count it again
    assert widget.state.progress == (1, 0, 0) and widget.take_kept() is None
    widget.handle(UIEvent("change", "kind", "neuron"))
    widget.handle(click("hint"))
    answer_all(widget)
    assert widget.state.progress == (1, 0, 0)  # a hint was used
    assert "one path 1 · two paths 0 · a neuron 0" in to_markup(widget.render())
    widget.handle(click("forget"))
    assert widget.state.progress == (0, 0, 0) and widget.take_kept() == ""


def test_progress_kept_on_an_earlier_visit_is_read_and_junk_is_ignored():
    widget = PracticeWidget()
    widget.load_kept('{"one": 3, "two": 1, "neuron": 0}')
    assert "one path 3 · two paths 1 · a neuron 0" in to_markup(widget.render())
    for junk in ("", "[1]", "{", '{"one": -4, "two": "x", "neuron": 1e99}', "null"):
        fresh = PracticeWidget()
        fresh.load_kept(junk)
        assert fresh.state.progress[:2] == (0, 0)


def test_hint_lights_one_edge_at_a_time_with_its_formula():
    widget = PracticeWidget()
    widget.handle(UIEvent("change", "kind", "neuron"))
    widget.handle(click("hint"))
    markup = to_markup(widget.render())
    assert "Hint: edge 1 of 8, L → d. Its local derivative is ∂L/∂d = 2d" in markup
    assert 'class="back active"' in markup
    widget.handle(click("hint"))
    assert "Hint: edge 2 of 8, d → s." in to_markup(widget.render())


def test_show_the_pass_plays_then_fills_every_answer():
    widget = PracticeWidget()
    widget.handle(click("show"))
    assert widget.wants_frame
    widget.frame(0.0)
    widget.frame(700.0)
    assert "The backward pass: edge" in to_markup(widget.render())
    play_pass(widget)
    p = widget.state.practice
    assert p.shown and not widget.wants_frame
    assert p.drafts == tuple(f"{leaf.grad:.4f}".replace("-", "−") for leaf in p.puzzle.leaves)
    markup = to_markup(widget.render())
    assert "Answers shown by the pass." in markup and 'class="badge"' in markup
    answer_all(widget)
    assert widget.state.progress == (0, 0, 0)


def test_reduced_motion_plays_the_pass_without_waiting_for_a_step_s_time():
    widget = PracticeWidget()
    widget.reduced_motion = True
    widget.handle(click("show"))
    assert widget.state.practice.player.eager
    play_pass(widget)
    assert widget.state.practice.shown


def test_new_graph_links_and_their_round_trip():
    widget = PracticeWidget()
    widget.handle(UIEvent("change", "kind", "two"))
    widget.handle(click("new"))
    widget.handle(click("new"))
    assert widget.share_state() == {"kind": "two", "seed": "2"}
    assert widget.state.practice.puzzle.line == draw("two", 2).line
    widget.handle(typed("ans:0", "1.5"))
    other = PracticeWidget()
    assert other.restore_state(widget.share_state()) == []
    assert other.state.practice.puzzle.line == widget.state.practice.puzzle.line
    assert other.state.practice.drafts == ("",) * len(other.state.practice.drafts)  # a link fills no answer
    assert other.restore_state({"seed": "5"}) == [] and other.share_state() == {"seed": "5"}  # kind: default


@pytest.mark.parametrize("fields", [{"kind": "three"}, {"seed": "-1"}, {"seed": "2147483648"}, {"seed": "1e3"},
                                    {"seed": "٣"}, {"answer": "1"}, {"rule": "out"}])
def test_a_link_s_odd_fields_are_ignored_with_a_notice(fields):
    widget = PracticeWidget()
    notices = widget.restore_state(fields)
    assert len(notices) == 1 and notices[0].startswith("ignored practice.")
    assert widget.share_state() == {}


def test_a_late_event_for_a_field_that_is_gone_changes_nothing():
    widget = PracticeWidget()
    before = widget.state
    widget.handle(typed("ans:9", "1"))
    widget.handle(typed("ans:x", "1"))
    widget.handle(typed("rule:3", "x"))
    assert widget.state == before


def test_enter_in_a_field_checks():
    widget = PracticeWidget()
    leaf = widget.state.practice.puzzle.leaves[0]
    widget.handle(UIEvent("key", "ans:0", f"{leaf.grad:.4f}", key="Enter"))
    assert widget.state.practice.verdicts[0][0]
    widget.handle(UIEvent("key", "rule:0", "out * (1 - out)", key="Enter"))
    assert widget.state.writer.verdict.ok


# --- the rule writer ---

def test_a_wrong_rule_says_where_and_offers_no_use():
    widget = PracticeWidget()
    widget.handle(typed("rule:0", "x * (1 - x)"))
    widget.handle(click("check-rule"))
    markup = to_markup(widget.render())
    assert "✗ Wrong at x = 1.3000: your rule gives −0.3900, the slope there is 0.1683" in markup
    assert "Use my rule" not in markup and 'class="practice-mine"' in markup
    widget.handle(click("use-rule"))  # a stale click: nothing is handed over
    assert widget.take_handoff() is None


def test_a_rule_that_passes_can_be_used_and_given_back():
    widget = PracticeWidget()
    widget.handle(UIEvent("change", "op", "mul"))
    markup = to_markup(widget.render())
    assert ">∂out/∂x<" in markup and ">∂out/∂y<" in markup
    widget.handle(typed("rule:0", "y"))
    widget.handle(typed("rule:1", "x"))
    widget.handle(click("check-rule"))
    assert "✓ Right at all 30 points" in to_markup(widget.render())
    widget.handle(click("use-rule"))
    kind, rule = widget.take_handoff()
    assert kind == "rule" and rule == OwnRule("mul", ("y", "x")) and rule.local(2.0, 3.0, 6.0, None) == (3.0, 2.0)
    assert widget.take_handoff() is None
    markup = to_markup(widget.render())
    assert "Use the built-in rule" in markup and "Use my rule" not in markup
    assert "The Computation graph now uses your rule for x*y." in markup
    widget.handle(click("builtin-rule"))
    assert widget.take_handoff() == ("rule-off", "mul")
    assert "Use the built-in rule" not in to_markup(widget.render())


def test_editing_a_rule_withdraws_use_until_it_is_checked_again():
    widget = PracticeWidget()
    widget.handle(typed("rule:0", "out * (1 - out)"))
    widget.handle(click("check-rule"))
    widget.handle(typed("rule:0", "out * (1 - out) + 1"))
    assert "Use my rule" not in to_markup(widget.render())
    widget.handle(click("use-rule"))
    assert widget.take_handoff() is None


@pytest.mark.parametrize(("text", "words"), [
    ("9**9**9**9", "Wrong at x = "),
    ("+" * 150 + "x", "nested more than"),
    ("x" * 10_000, "10000 characters long"),
    ("__import__('os').system('ls')", "these functions can be called"),
    ("lambda: 0", "Lambda is not allowed"),
    ("", "Type the local derivative first"),
    ("x +", "not a valid expression"),
])
def test_hostile_rules_get_a_clear_message(text, words):
    widget = PracticeWidget()
    widget.handle(typed("rule:0", text))
    widget.handle(click("check-rule"))
    w = widget.state.writer
    said = w.error or w.verdict.message
    assert words in said
    assert w.rule is None
    assert words.split(" (")[0] in to_markup(widget.render())
