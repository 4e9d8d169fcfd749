"""Predict each step: the question a learner answers before an edge is applied, and how an answer is judged.

A `Quiz` is a value in the graph's state (web.graph.state says what each action does to it). Steps before
`answered` have been answered (right, wrong twice or skipped) and may be applied; the step `asking` waits for an
answer. The score belongs to the pass: a new pass (Reset, a slider that restarts it) starts a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

REL_TOLERANCE = 0.005  # 0.5% relative ...
ABS_TOLERANCE = 0.0005  # ... or this much absolute: an answer worked to four decimals counts as right
TRIES = 2  # a second wrong answer shows the answer


@dataclass(frozen=True)
class Quiz:
    """Where the questions of one pass are."""

    asking: int | None = None  # the step whose question waits for an answer
    answered: int = 0  # steps before this one were answered and may be applied
    tries: int = 0  # wrong answers to the waiting question
    auto: bool = False  # asked by the play button: after an answer the pass plays on to the next question
    guess: str = ""  # what the field "Your prediction" holds
    verdict: str = ""  # the status line: the last verdict, hint or notice
    right: int = 0  # edges answered right at the first try ...
    asked: int = 0  # ... of the edges whose questions were settled so far


def is_right(guess: float, answer: float) -> bool:
    """Within 0.5% of the answer, or 0.0005 of it (so an answer worked to four decimals counts)."""
    return abs(guess - answer) <= max(REL_TOLERANCE * abs(answer), ABS_TOLERANCE)
