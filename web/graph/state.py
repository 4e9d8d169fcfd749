"""The computation graph's state, and what every learner action does to it: `update(state, event) -> state`.

Read this file to find what a click, a key or a slider does; `web.graph.view` shows a state, and never changes
it. The state holds the scene (the graph, whose leaf values the sliders set: moving one reruns the engine's
forward pass in place, the only mutation here), the pass clock, the Expression field and the open panels.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from engine import recompute
from engine.graph import Step
from engine.rules import RULES
from web.dag.diagram import LESSON_VALUES, Diagram, Scene, expression_diagram, lesson_diagram, scene_of
from web.dag.geometry import VALUE_CHARS, Drawing, drawing, value_chars
from web.dag.player import Player
from web.expr import LINK_KEYS, ExprError
from web.format import fixed, parse_number
from web.graph import words
from web.graph.code import Compiled
from web.graph.predict import TRIES, Quiz, is_right
from web.graph.words import link_refused
from web.widget import UIEvent

KEY = "graph"
# The graph's own link fields (graph.expr=..., graph.predict=1), beside one field per variable (graph.w=0.50): the
# expression reader refuses these as variable names.
EXPR, PREDICT = LINK_KEYS


@dataclass(frozen=True)
class GraphState:
    """Everything the widget shows is derived from these fields through the engine."""

    scene: Scene
    steps: tuple[Step, ...]  # the pass at the current values
    player: Player
    drawings: Mapping[bool, Drawing]  # left-to-right (True) and top-to-bottom (False)
    initial: Mapping[str, float]  # slider values a link need not carry (by link name)
    draft: str = ""  # what the Expression field holds; applied with Enter or "Apply"
    error: str = ""  # why the last applied text was refused ("" when it was fine)
    notice: str = ""  # "cancelled", "live" or "complete": a word about the last action; cleared by the next
    show_code: bool = False
    optimized: bool = False  # Show code shows the compiler's fused code instead of one line per step
    show_check: bool = False
    show_all: bool = False  # every edge's local derivative on the drawing (in predict mode: the answered ones)
    predict: bool = False  # ask before each edge is applied (web.graph.predict)
    quiz: Quiz = field(default_factory=Quiz)
    own: Mapping[str, object] = field(default_factory=dict)  # op -> the learner's rule in use (web.ownrule.OwnRule)
    chars: int = VALUE_CHARS  # how long a value every box has room for
    compiled: list = field(default_factory=list, compare=False)  # [Compiled], made when first needed

    @property
    def diagram(self) -> Diagram:
        return self.scene.diagram

    @property
    def code(self) -> Compiled:
        """The engine's generated programs for this scene (compiled once per scene)."""
        if not self.compiled:
            self.compiled.append(Compiled(self.scene))
        return self.compiled[0]

    def values(self) -> dict[str, float]:
        """Each variable's value, by its link name."""
        return {s.link: self.scene.node(s.name).data for s in self.diagram.sliders}

    def grads(self) -> list[float | None]:
        """Each node's gradient so far (None where nothing has arrived): the replay of the applied steps."""
        scene = self.scene
        grads: list[float | None] = [None] * len(scene.order)
        if self.player.started:
            grads[scene.index(scene.root)] = 1.0
        for step in self.steps[: self.player.applied]:
            k = scene.index(step.parent)
            grads[k] = (grads[k] or 0.0) + step.contribution
        return grads


def initial_state(diagram: Diagram | None = None) -> GraphState:
    """The lesson's neuron (or the given diagram), no pass started."""
    diagram = diagram or lesson_diagram()
    return load(None, diagram)


def load(state: GraphState | None, diagram: Diagram, why: str = "expr") -> GraphState:
    """Show a new diagram: scene, drawings and pass derived from it; the panels stay as they were."""
    own = state.own if state is not None else {}
    scene = scene_of(diagram, own_table(own) if own else None)
    steps = scene.steps()
    chars = _needed(scene, VALUE_CHARS, None)
    initial = ({s.link: LESSON_VALUES[s.link] for s in diagram.sliders} if diagram.is_lesson
               else {s.link: scene.node(s.name).data for s in diagram.sliders})
    fresh = GraphState(scene, steps, Player.of(len(steps)), {True: drawing(scene, True, chars),
                                                             False: drawing(scene, False, chars)},
                       initial, draft=diagram.text, chars=chars)
    if state is None:
        return fresh
    quiz = Quiz(verdict=words.CANCELLED[why]) if state.quiz.asking is not None else Quiz()
    return replace(fresh, show_code=state.show_code, optimized=state.optimized, show_check=state.show_check,
                   show_all=state.show_all, predict=state.predict, quiz=quiz, own=own)


def own_table(own: Mapping[str, object]) -> dict:
    """The engine's rule table with each op the learner wrote a rule for taking its locals from that rule, and its
    formula from the rule's text (as the reader wrote it back: never run as Python)."""
    table = dict(RULES)
    for op, rule in own.items():
        texts = tuple("your rule: " + t.replace("{", "{{").replace("}", "}}") for t in rule.texts)
        table[op] = replace(RULES[op], local=rule.local, human=texts)
    return table


def use_rule(state: GraphState, op: str, rule: object | None) -> GraphState:
    """Use a learner's rule for every node of `op` (None: the built-in rule again). The graph is shown afresh, so
    a pass in progress starts again with the rule now in use."""
    own = dict(state.own)
    if rule is None:
        own.pop(op, None)
    else:
        own[op] = rule
    if own == dict(state.own):
        return state
    return load(replace(state, own=own), state.diagram, "rule")


def _needed(scene: Scene, chars: int, grads: list[float | None] | None) -> int:
    """Room for every value and badge text shown now: never less than before, so the drawing only grows."""
    texts = [fixed(node.data, 4) for node in scene.order]
    texts += [fixed(g, 4) for g in grads or () if g is not None]
    return max(chars, value_chars(texts))


def regrown(state: GraphState) -> GraphState:
    """Wider boxes when a value or badge has outgrown them (a huge number), else the same state."""
    chars = _needed(state.scene, state.chars, state.grads())
    if chars == state.chars:
        return state
    return replace(state, chars=chars, drawings={True: drawing(state.scene, True, chars),
                                                 False: drawing(state.scene, False, chars)})


def set_input(state: GraphState, name: str, value: float, *, exact: bool = False) -> GraphState:
    """Move one slider: forward pass at once; a pass in progress is cancelled, a finished one is redone.

    An event for a slider this graph does not have (a late one, sent before a new expression replaced the old)
    changes nothing. A link's value is `exact`: kept to 6 significant digits, not snapped to the slider's steps.
    """
    slider = next((s for s in state.diagram.sliders if s.name == name), None)
    if slider is None:
        return state
    state.scene.node(name).data = float(f"{value:.6g}") if exact else slider.snap(value)
    recompute(state.scene.root)
    p = state.player
    state = replace(state, steps=state.scene.steps())
    if p.finished and p.started:
        # The pass is complete: keep it complete for the new values, so the gradients follow the slider.
        state = replace(state, player=replace(p, active=None), notice="live")
    elif p.started:
        # A new pass, so a new score; a question that waited is cancelled, in one line.
        waited = state.quiz.asking is not None
        state = replace(state, player=p.reset(), notice="cancelled",
                        quiz=Quiz(verdict=words.CANCELLED["slider"] if waited else ""))
    return regrown(state)


def apply(state: GraphState, text: str) -> GraphState:
    """Show the graph of a typed expression; if it cannot be read, say why and keep the graph shown."""
    try:
        diagram = expression_diagram(text, state.values())
        taken = [s.link for s in diagram.sliders if s.link in LINK_KEYS]
        if taken:
            raise ExprError(f"'{taken[0]}' is the name of one of the graph's link settings; call the variable "
                            "something else")
    except ExprError as error:
        return replace(state, draft=text, error=str(error))
    return replace(load(state, diagram), draft=text)


def update(state: GraphState, event: UIEvent, *, reduced_motion: bool = False) -> GraphState:
    """What one learner action does."""
    if event.kind in ("input", "change") and event.name.startswith("set:"):
        value = parse_number(event.value)
        return state if value is None else set_input(state, event.name[4:], value)
    if event.name == "expr":
        if event.kind == "input":
            return replace(state, draft=event.value)
        if event.kind == "key" and event.key == "Enter":
            return apply(state, event.value)
        return state
    if event.name == "guess":
        if event.kind == "input":
            return replace(state, quiz=replace(state.quiz, guess=event.value))
        if event.kind == "key" and event.key == "Enter":
            if state.quiz.asking is not None:
                return judge(state, event.value, reduced_motion)
            # Between questions Enter asks the next one, so a keyboard learner can stay in the field.
            return ask_next(state, auto=False, reduced_motion=reduced_motion) if state.predict else state
        return state
    if event.kind != "click":
        return state
    p = state.player
    if event.name in ("animate", "step") and state.quiz.asking is not None:
        return state  # both are disabled while a question waits
    if event.name == "animate":
        if state.predict and not p.playing:
            return ask_next(state, auto=True, reduced_motion=reduced_motion)
        return regrown(replace(state, notice="", player=p.play(eager=reduced_motion)))
    if event.name == "step":
        if p.finished:
            return replace(state, notice="complete", player=p.pause())
        if state.predict:
            return ask_next(state, auto=False, reduced_motion=reduced_motion)
        return regrown(replace(state, notice="", player=p.step()))
    if event.name == "reset":
        return replace(state, notice="", player=p.reset(), quiz=Quiz())
    if event.name == "predict":
        # Turned on mid-pass, the next edge is asked about; turned off, a waiting question simply goes away.
        return replace(state, predict=not state.predict, quiz=Quiz(answered=p.applied))
    if event.name == "show-all":
        return replace(state, show_all=not state.show_all)
    if event.name == "guess-check" and state.quiz.asking is not None:
        return judge(state, state.quiz.guess, reduced_motion)
    if event.name == "guess-skip" and state.quiz.asking is not None:
        return settle(state, words.answer(state.steps[state.quiz.asking], skipped=True), False, reduced_motion)
    if event.name == "apply":
        return apply(state, state.draft)
    if event.name == "code":
        return replace(state, show_code=not state.show_code)
    if event.name == "optimized":
        return replace(state, optimized=not state.optimized)
    if event.name == "check":
        # The check runs a backward pass: with none under way, the graph shows that pass complete, so the
        # read-outs above the table hold its gradients instead of "—" (a pass being stepped is left alone).
        if not state.predict and not p.started and p.total:
            return regrown(replace(state, show_check=True, notice="", player=replace(p, applied=p.total)))
        return replace(state, show_check=True)
    return state


def tick(state: GraphState, now_ms: float) -> GraphState:
    """An animation frame: the clock moves on; a step that landed may bring a longer badge. In predict mode an
    edge that has not been answered stops in place and is asked about before it flies."""
    player = state.player.frame(now_ms)
    if player == state.player:
        return state
    landed = player.applied != state.player.applied
    state = replace(state, player=player)
    if (state.predict and player.playing and player.active is not None and player.active == player.applied
            and player.active >= state.quiz.answered):
        state = ask(state, player.active, auto=True)
    return regrown(state) if landed else state


# --- Predict each step ---

def ask_next(state: GraphState, *, auto: bool, reduced_motion: bool) -> GraphState:
    """Step or play in predict mode: ask about the next edge (an answered one in flight just plays on)."""
    p = state.player
    if p.finished:
        if not auto:
            return replace(state, notice="complete", player=p.pause())
        state = replace(state, player=p.reset(), quiz=Quiz())  # play after the end: a new pass, a new score
        p = state.player
    k = p.applied
    if k < state.quiz.answered:
        return fly(replace(state, quiz=replace(state.quiz, auto=auto)), k, reduced_motion)
    return ask(state, k, auto=auto)


def ask(state: GraphState, k: int, *, auto: bool) -> GraphState:
    """Stop before step k: it is highlighted, its local derivative hidden, and the question waits."""
    return replace(state, notice="", player=replace(state.player.pause(), active=k),
                   quiz=replace(state.quiz, asking=k, tries=0, auto=auto, guess=""))


def judge(state: GraphState, text: str, reduced_motion: bool) -> GraphState:
    """Check an answer: right plays the step; a first wrong answer gets a hint, a second the answer."""
    quiz, step = state.quiz, state.steps[state.quiz.asking]
    guess = parse_number(text)
    if guess is None:
        return replace(state, quiz=replace(quiz, verdict=words.unreadable(text)))
    if is_right(guess, step.contribution):
        return settle(state, words.right(step), quiz.tries == 0, reduced_motion)
    if quiz.tries + 1 < TRIES:
        return replace(state, quiz=replace(quiz, tries=quiz.tries + 1, guess="",
                                           verdict=words.hint(state.scene, step)))
    return settle(state, words.answer(step, skipped=False), False, reduced_motion)


def settle(state: GraphState, verdict: str, first: bool, reduced_motion: bool) -> GraphState:
    """The question is over (right, wrong twice or skipped): score it, then the step plays."""
    quiz = state.quiz
    k = quiz.asking
    quiz = replace(quiz, asking=None, answered=k + 1, tries=0, guess="", verdict=verdict,
                   right=quiz.right + first, asked=quiz.asked + 1)
    return fly(replace(state, quiz=quiz), k, reduced_motion)


def fly(state: GraphState, k: int, reduced_motion: bool) -> GraphState:
    """Apply answered step k: animated when the play button asked and motion is welcome, else at once (and
    then, for the play button, the next question)."""
    p = state.player
    if state.quiz.auto and not reduced_motion:
        return regrown(replace(state, player=replace(p, playing=True, since=None, progress=0.0, active=k)))
    state = regrown(replace(state, player=p.step()))
    if state.quiz.auto and not state.player.finished:
        state = ask(state, state.player.applied, auto=True)
    return state


# --- links ---

def share(state: GraphState) -> dict[str, str]:
    """The expression (unless it is the lesson's) and the slider values a link must carry."""
    d = state.diagram
    own = bool(d.text) and not d.is_lesson
    # A learner's expression carries every slider: where a new variable starts depends on the open page.
    fields = {EXPR: d.text} if own else {}
    if state.predict:
        fields[PREDICT] = "1"
    values = state.values()
    fields.update({name: value_text(value) for name, value in values.items()
                   if name not in LINK_KEYS and (own or value != state.initial[name])})
    return fields


def value_text(value: float) -> str:
    """A slider's value in a link: two decimals on the slider's steps, else the 6 significant digits a link
    may set it to."""
    stepped = f"{value:.2f}"
    return stepped if float(stepped) == value else f"{value:.6g}"


def restore(state: GraphState, fields: Mapping[str, str]) -> tuple[GraphState, list[str]]:
    """A link that names the graph describes all of it: its expression (the lesson's when it names none), then
    slider values, each slider it leaves out at its starting value. A refused expression applies none of the
    link's settings and says so once; an odd value is skipped with a notice of its own."""
    fields = dict(fields)
    fresh = replace(load(state, lesson_diagram()), predict=False, quiz=Quiz())
    if EXPR in fields:
        text = fields.pop(EXPR)
        tried = apply(fresh, text)
        if tried.error and tried.diagram is fresh.diagram:
            return state, [link_refused(KEY, tried.error)]
        fresh = tried
    state = widened(fresh, fields)
    notices = []
    if PREDICT in fields:
        on = fields.pop(PREDICT)
        if on == "1":
            state = replace(state, predict=True)
        else:
            notices.append(f"ignored {KEY}.{PREDICT}={on[:20]!r}")
    sliders = {s.link: s for s in state.diagram.sliders}
    for name, text in fields.items():
        slider = sliders.get(name)
        value = parse_number(text) if slider else None
        if value is None or not slider.lo <= value <= slider.hi:
            notices.append(f"ignored {KEY}.{name}={text[:20]!r}")
        else:
            state = set_input(state, slider.name, value, exact=True)
    return state, notices


WIDEST = 100.0  # a typed expression's slider grows to hold a link's value up to this size


def widened(state: GraphState, fields: Mapping[str, str]) -> GraphState:
    """A typed expression whose link puts a variable beyond −3…3 (the trainer's "Show in the graph" sends a
    weight as it is) gets that slider's range grown to the next whole number that holds it."""
    if state.diagram.is_lesson:
        return state
    sliders = []
    for s in state.diagram.sliders:
        value = parse_number(fields.get(s.link, ""))
        if value is not None and abs(value) <= WIDEST and not s.lo <= value <= s.hi:
            reach = float(math.ceil(abs(value)))
            s = replace(s, lo=min(s.lo, -reach), hi=max(s.hi, reach))
        sliders.append(s)
    if tuple(sliders) == state.diagram.sliders:
        return state
    return load(state, replace(state.diagram, sliders=tuple(sliders)))
