"""Every sentence the computation-graph widget says, as functions of plain values (no widget, no state).

Numbers go through web.format.fixed, the page's one formatter, so the prose, the read-outs and the drawing
always agree on how a number looks.
"""

from __future__ import annotations

from engine.graph import Step
from web.dag.diagram import Scene
from web.dag.player import Player
from web.dag.words import formula
from web.expr import FUNCTIONS
from web.format import fixed, parse_number

NOT_YET = "—"  # a gradient the pass has not computed yet: not zero, unknown
HINT = (f"Numbers, variable names, + − * / **, brackets and {', '.join(FUNCTIONS)}. "
        "Write a target as ystar to see it as y*. Enter or “Apply” draws its graph; the output is always L.")
LEGEND = ("green: forward value", "orange: gradient ∂L/∂node, arriving against the arrows",
          "solid grey box: a number from the expression (no gradient)")


def play_name(player: Player) -> str:
    """The play button's accessible name: what pressing it does now."""
    if player.playing:
        return "Pause"
    return "Resume" if player.paused else "Animate backward pass"


def readout(root: str, name: str, grad: float | None) -> str:
    """∂L/∂w = −0.1621, or ∂L/∂w = — before the pass has reached w."""
    return f"∂{root}/∂{name} = {NOT_YET if grad is None else fixed(grad, 4)}"


def explain(scene: Scene, steps: tuple[Step, ...], k: int) -> str:
    """One step in words with its numbers: upstream, local derivative, contribution, new total."""
    step = steps[k]
    child, parent, root = scene.name_of(step.child), scene.name_of(step.parent), scene.name_of(scene.root)
    text_formula = formula(scene, step)
    local = text_formula if parse_number(text_formula) is not None else f"{text_formula} = {fixed(step.local, 4)}"
    up, loc, add = fixed(step.upstream, 4), fixed(step.local, 4), fixed(step.contribution, 4)
    text = (f"Edge {k + 1} of {len(steps)}, {child} → {parent}: ∂{root}/∂{child} = {up}; "
            f"local ∂{child}/∂{parent} = {local}; so ∂{root}/∂{parent} += {up} × {loc} = {add}.")
    earlier = [s for s in steps[:k] if s.parent is step.parent]
    if earlier:
        total = sum(s.contribution for s in earlier) + step.contribution
        text += f" With what arrived before, ∂{root}/∂{parent} = {fixed(total, 4)}."
    if k == 0:
        text = f"Seed ∂{root}/∂{root} = 1. " + text
    if k == len(steps) - 1:
        text += " That was the last edge: the backward pass is complete."
    return text


NOTICES = {
    "cancelled": ("A slider moved, so the backward pass stopped: its gradients belonged to the old values. "
                  "Press “Animate backward pass” or “Step” to start again."),
    "live": ("The pass is complete, so every slider move now reruns the forward and the backward pass: "
             "the badges and read-outs show the gradients for the new values."),
    "complete": ("The backward pass is already complete. Press “Reset” to clear the gradients, or "
                 "“Animate backward pass” to run it again."),
}


def message(scene: Scene, steps: tuple[Step, ...], player: Player, notice: str, readouts: list[str]) -> str:
    """The explanation panel: changes once per step (never per frame), so a screen reader hears each once."""
    if notice in NOTICES:
        return NOTICES[notice]
    if player.active is not None:
        return explain(scene, steps, player.active)
    if player.finished and player.started:
        return (f"Backward pass complete: {', '.join(readouts)}. Move a slider and the gradients follow at once.")
    return (f"Press “Animate backward pass” to watch the gradient flow back from {scene.name_of(scene.root)} "
            f"along all {len(steps)} edges, or “Step” to advance one edge at a time.")


STEPS_INTRO = ("The backward pass as Python, one line per edge in the order the animation plays it: each line "
               "adds the child’s gradient (upstream) times the local derivative into the parent’s gradient, "
               "d_parent += d_child * local. Every d_ starts at 0.0; the lit line is the edge being animated.")
OPTIMIZED_INTRO = ("What training runs: the function engine.compile generates for this graph. The forward pass is "
                   "one line per node (green bar). The backward pass (orange bar) writes each gradient once, as "
                   "the sum of all its contributions, and pastes a gradient that is only passed along where it "
                   "is used instead of storing it: fewer lines and fewer names for Python to run, the same "
                   "numbers.")
STEPS_IDLE = "During “Animate backward pass” or “Step”, the line of the edge being animated is lit."
OPTIMIZED_IDLE = ("During “Animate backward pass” or “Step”, the lines that hold the active edge’s contribution "
                  "are lit.")


def steps_note(scene: Scene, steps: tuple[Step, ...], k: int | None) -> str:
    """Which line is lit in the step-by-step code, and why."""
    if k is None:
        return STEPS_IDLE
    step = steps[k]
    child, parent = scene.name_of(step.child), scene.name_of(step.parent)
    return (f"Edge {k + 1}, {child} → {parent}: line {k + 3} adds ∂L/∂{child} × ∂{child}/∂{parent} into the "
            f"gradient of {parent}.")


def optimized_note(scene: Scene, step: Step | None, k: int | None, lines: tuple[int, ...], own: bool,
                   varying: bool) -> str:
    """Which lines of the compiled code are lit, and why."""
    if step is None or k is None:
        return OPTIMIZED_IDLE
    child, parent = scene.name_of(step.child), scene.name_of(step.parent)
    edge = f"Edge {k + 1}, {child} → {parent}: "
    if not varying:
        return edge + f"{parent} depends on no variable, so the generated code needs no gradient for it."
    numbers = " and ".join(str(n + 1) for n in lines)
    if own:
        return edge + f"line {numbers} adds ∂L/∂{child} × ∂{child}/∂{parent} into the gradient of {parent}."
    return (edge + f"the compiler gave ∂L/∂{parent} no line of its own: it pastes that expression where it is "
            f"used, in line{'s' if len(lines) > 1 else ''} {numbers}.")


CHECK_NOTE = ("The finite difference is (L(v + h) − L(v − h)) / 2h with h = 10⁻⁵·max(1, |v|): two runs of the "
              "generated forward pass per variable. Backprop is one run of the generated backward pass; the "
              "difference is backprop minus the estimate.")


def link_refused(key: str, error: str) -> str:
    """The one notice for a link whose expression was refused: nothing of it was applied."""
    return f"ignored {key}.expr: {error}; none of the link's {key} settings were applied"
