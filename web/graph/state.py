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
from web.dag.diagram import LESSON_VALUES, Diagram, Scene, expression_diagram, lesson_diagram, scene_of
from web.dag.geometry import VALUE_CHARS, Drawing, drawing, value_chars
from web.dag.player import Player
from web.expr import ExprError
from web.format import fixed, parse_number
from web.graph.code import Compiled
from web.graph.words import link_refused
from web.widget import UIEvent

KEY = "graph"


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


def load(state: GraphState | None, diagram: Diagram) -> GraphState:
    """Show a new diagram: scene, drawings and pass derived from it; the panels stay as they were."""
    scene = scene_of(diagram)
    steps = scene.steps()
    chars = _needed(scene, VALUE_CHARS, None)
    initial = ({s.link: LESSON_VALUES[s.link] for s in diagram.sliders} if diagram.is_lesson
               else {s.link: scene.node(s.name).data for s in diagram.sliders})
    fresh = GraphState(scene, steps, Player.of(len(steps)), {True: drawing(scene, True, chars),
                                                             False: drawing(scene, False, chars)},
                       initial, draft=diagram.text, chars=chars)
    if state is None:
        return fresh
    return replace(fresh, show_code=state.show_code, optimized=state.optimized, show_check=state.show_check)


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
        state = replace(state, player=p.reset(), notice="cancelled")
    return regrown(state)


def apply(state: GraphState, text: str) -> GraphState:
    """Show the graph of a typed expression; if it cannot be read, say why and keep the graph shown."""
    try:
        diagram = expression_diagram(text, state.values())
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
    if event.kind != "click":
        return state
    p = state.player
    if event.name == "animate":
        return regrown(replace(state, notice="", player=p.play(eager=reduced_motion)))
    if event.name == "step":
        if p.finished:
            return replace(state, notice="complete", player=p.pause())
        return regrown(replace(state, notice="", player=p.step()))
    if event.name == "reset":
        return replace(state, notice="", player=p.reset())
    if event.name == "apply":
        return apply(state, state.draft)
    if event.name == "code":
        return replace(state, show_code=not state.show_code)
    if event.name == "optimized":
        return replace(state, optimized=not state.optimized)
    if event.name == "check":
        return replace(state, show_check=True)
    return state


def tick(state: GraphState, now_ms: float) -> GraphState:
    """An animation frame: the clock moves on; a step that landed may bring a longer badge."""
    player = state.player.frame(now_ms)
    if player == state.player:
        return state
    landed = player.applied != state.player.applied
    state = replace(state, player=player)
    return regrown(state) if landed else state


# --- links ---

def share(state: GraphState) -> dict[str, str]:
    """The expression (unless it is the lesson's) and the slider values a link must carry."""
    d = state.diagram
    own = bool(d.text) and not d.is_lesson
    # A learner's expression carries every slider: where a new variable starts depends on the open page.
    fields = {"expr": d.text} if own else {}
    values = state.values()
    fields.update({name: value_text(value) for name, value in values.items()
                   if name != "expr" and (own or value != state.initial[name])})
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
    fresh = load(state, lesson_diagram())
    if "expr" in fields:
        text = fields.pop("expr")
        tried = apply(fresh, text)
        if tried.error and tried.diagram is fresh.diagram:
            return state, [link_refused(KEY, tried.error)]
        fresh = tried
    state = widened(fresh, fields)
    notices = []
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
