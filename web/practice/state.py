"""The state of "Your turn", and what every learner action does to it: `update(state, event) -> state`.

Two parts: the practice graph (kind, seed, the learner's answers and their verdicts, the hint, the pass) and the
rule writer (the operation, the learner's rule texts, the last check). Progress, solved graphs per kind, lives
here too; the widget keeps it in the browser. Nothing here reaches the browser or another widget: what the page
must do (keep progress, hand a rule over) the widget takes from the state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from web.dag.geometry import Drawing, drawing
from web.dag.player import Player
from web.expr import ExprError
from web.format import fixed, parse_number
from web.ownrule import OPS, OwnRule, Verdict, check
from web.practice.puzzle import KINDS, SEEDS, Puzzle, diagnose, draw
from web.widget import UIEvent

KEY = "practice"
DEFAULT_KIND, DEFAULT_SEED, DEFAULT_OP = "one", 0, "sigmoid"


@dataclass(frozen=True)
class Practice:
    """One practice graph and what the learner did with it."""

    puzzle: Puzzle
    drawings: dict[bool, Drawing]
    drafts: tuple[str, ...]  # what each leaf's field holds
    verdicts: tuple[tuple[bool, str] | None, ...]  # per leaf, after the last Check (None: nothing to say)
    player: Player  # Show the pass
    hint: int | None = None  # the backward step lit by the last Hint
    helped: bool = False  # a hint or the pass was shown: solving it no longer counts
    shown: bool = False  # the pass has played and the fields hold the answers
    checked: bool = False

    @property
    def right(self) -> int:
        return sum(1 for v in self.verdicts if v is not None and v[0])

    @property
    def solved(self) -> bool:
        return self.right == len(self.puzzle.leaves) and not self.shown


@dataclass(frozen=True)
class Writer:
    """The rule writer: operation, the learner's texts, and what the last "Check rule" found."""

    op: str = DEFAULT_OP
    drafts: tuple[str, ...] = ("",)
    error: str = ""  # why the text could not be read
    verdict: Verdict | None = None
    tried: OwnRule | None = None  # the rule as last checked
    in_use: tuple[str, ...] = ()  # operations the Computation graph now computes with the learner's rule

    @property
    def rule(self) -> OwnRule | None:
        """The rule that passed its check, ready for "Use my rule"; None if there is none."""
        return self.tried if self.verdict is not None and self.verdict.ok else None


@dataclass(frozen=True)
class PracticeState:
    kind: str
    seed: int
    practice: Practice
    writer: Writer
    progress: tuple[int, ...]  # graphs solved without a hint, per kind (KINDS order)
    counted: frozenset = frozenset()  # (kind, seed) already counted this visit


def practice_of(kind: str, seed: int) -> Practice:
    """A fresh practice graph: nothing answered, no pass."""
    puzzle = draw(kind, seed)
    n = len(puzzle.leaves)
    return Practice(puzzle, {True: drawing(puzzle.scene, True), False: drawing(puzzle.scene, False)},
                    ("",) * n, (None,) * n, Player.of(len(puzzle.steps)))


def initial_state(kind: str = DEFAULT_KIND, seed: int = DEFAULT_SEED) -> PracticeState:
    return PracticeState(kind, seed, practice_of(kind, seed), Writer(), (0,) * len(KINDS))


def show(state: PracticeState, kind: str, seed: int) -> PracticeState:
    return replace(state, kind=kind, seed=seed, practice=practice_of(kind, seed))


def check_answers(state: PracticeState) -> PracticeState:
    """A verdict for every field that holds something; a graph solved without help counts once per visit."""
    p = state.practice
    verdicts = []
    for leaf, text in zip(p.puzzle.leaves, p.drafts, strict=True):
        if not text.strip():
            verdicts.append(None)
            continue
        value = parse_number(text)
        verdicts.append((False, "Type a number, like −0.25.") if value is None else diagnose(leaf, value))
    p = replace(p, verdicts=tuple(verdicts), checked=True)
    state = replace(state, practice=p)
    key = (state.kind, state.seed)
    if p.solved and not p.helped and key not in state.counted:
        k = KINDS.index(state.kind)
        progress = (*state.progress[:k], state.progress[k] + 1, *state.progress[k + 1:])
        state = replace(state, progress=progress, counted=state.counted | {key})
    return state


def fill_answers(p: Practice) -> Practice:
    """After the pass: every field shows its answer."""
    leaves = p.puzzle.leaves
    return replace(p, shown=True, drafts=tuple(fixed(leaf.grad, 4) for leaf in leaves),
                   verdicts=tuple((False, f"The pass gives ∂L/∂{leaf.name} = {fixed(leaf.grad, 4)}.")
                                  for leaf in leaves))


def update_practice(state: PracticeState, event: UIEvent, reduced_motion: bool) -> PracticeState:
    p = state.practice
    name = event.name
    if name == "kind" and event.kind == "change" and event.value in KINDS:
        return show(state, event.value, state.seed)
    if name.startswith("ans:"):
        i = int(name[4:]) if name[4:].isdigit() else -1
        if not 0 <= i < len(p.drafts):
            return state  # a late event from the previous graph's field
        if event.kind == "input":
            drafts = (*p.drafts[:i], event.value, *p.drafts[i + 1:])
            return replace(state, practice=replace(p, drafts=drafts))
        if event.kind == "key" and event.key == "Enter":
            drafts = (*p.drafts[:i], event.value, *p.drafts[i + 1:])
            return check_answers(replace(state, practice=replace(p, drafts=drafts)))
        return state
    if event.kind != "click":
        return state
    if name == "new":
        return show(state, state.kind, (state.seed + 1) % SEEDS)
    if name == "check":
        return check_answers(state)
    if name == "hint":
        k = 0 if p.hint is None else (p.hint + 1) % len(p.puzzle.steps)
        return replace(state, practice=replace(p, hint=k, helped=True, player=p.player.reset()))
    if name == "show":
        player = p.player.reset().play(eager=reduced_motion)
        return replace(state, practice=replace(p, hint=None, helped=True, player=player))
    if name == "forget":
        return replace(state, progress=(0,) * len(KINDS), counted=frozenset())
    return state


def tick(state: PracticeState, now_ms: float) -> PracticeState:
    """A frame of Show the pass; once it is over, the fields show the answers."""
    p = state.practice
    player = p.player.frame(now_ms)
    if player == p.player:
        return state
    p = replace(p, player=player)
    if player.finished and not player.playing:
        p = fill_answers(p)
    return replace(state, practice=p)


# --- the rule writer ---

def update_writer(w: Writer, event: UIEvent) -> Writer:
    name = event.name
    if name == "op" and event.kind == "change" and event.value in OPS:
        return replace(w, op=event.value, drafts=("",) * len(OPS[event.value].inputs), error="", verdict=None,
                       tried=None)
    if name.startswith("rule:"):
        i = int(name[5:]) if name[5:].isdigit() else -1
        if not 0 <= i < len(w.drafts):
            return w
        drafts = (*w.drafts[:i], event.value[:20000], *w.drafts[i + 1:])
        if event.kind == "input":
            return replace(w, drafts=drafts, error="", verdict=None, tried=None)
        if event.kind == "key" and event.key == "Enter":
            return check_rule(replace(w, drafts=drafts))
        return w
    if event.kind != "click":
        return w
    if name == "check-rule":
        return check_rule(w)
    return w


def check_rule(w: Writer) -> Writer:
    """Read the texts and check the rule; only a rule right at every point can be used."""
    if not any(text.strip() for text in w.drafts):
        return replace(w, error="Type the local derivative first, for example out * (1 - out).", verdict=None,
                       tried=None)
    try:
        rule = OwnRule.of(w.op, w.drafts)
    except ExprError as error:
        return replace(w, error=_sentence(str(error)), verdict=None, tried=None)
    return replace(w, error="", verdict=check(rule), tried=rule)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# --- progress kept in the browser, and links ---

def kept_text(state: PracticeState) -> str:
    """Progress as the page keeps it: {"one": 3, ...}; "" when there is none."""
    if not any(state.progress):
        return ""
    return json.dumps(dict(zip(KINDS, state.progress, strict=True)))


def load_progress(state: PracticeState, text: str) -> PracticeState:
    """Progress kept on an earlier visit; anything unreadable counts as none."""
    try:
        data = json.loads(text)
    except ValueError:
        return state
    if not isinstance(data, dict):
        return state
    counts = []
    for kind in KINDS:
        value = data.get(kind, 0)
        counts.append(value if isinstance(value, int) and 0 <= value < 10**9 else 0)
    return replace(state, progress=tuple(counts))


def share(state: PracticeState) -> dict[str, str]:
    """The kind and seed, where they differ from the defaults: never an answer, never a rule."""
    fields = {}
    if state.kind != DEFAULT_KIND:
        fields["kind"] = state.kind
    if state.seed != DEFAULT_SEED:
        fields["seed"] = str(state.seed)
    return fields


def restore(state: PracticeState, fields: dict[str, str]) -> tuple[PracticeState, list[str]]:
    """A link that names the practice graph sets its kind and seed (the one it leaves out to its default) and
    clears the answers; the rule writer and progress are not a link's business."""
    notices = []
    kind, seed = DEFAULT_KIND, DEFAULT_SEED
    for name, text in fields.items():
        if name == "kind" and text in KINDS:
            kind = text
        elif name == "seed" and text.isascii() and text.isdigit() and int(text) < SEEDS:
            seed = int(text)
        else:
            notices.append(f"ignored {KEY}.{name}={text[:20]!r}")
    return show(state, kind, seed), notices
