"""Every sentence the computation-graph widget says, as functions of plain values (no widget, no state).

Numbers go through web.format.fixed, the page's one formatter, so the prose, the read-outs and the drawing
always agree on how a number looks.
"""

from __future__ import annotations

import math
import re

from engine.graph import Step
from engine.rules import RULES, superscript
from web.dag.diagram import CONSTANT, Scene
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


def message(scene: Scene, steps: tuple[Step, ...], player: Player, notice: str, readouts: list[str],
            asking: int | None = None) -> str:
    """The explanation panel: changes once per step (never per frame), so a screen reader hears each once. While
    a question waits it asks it, and shows none of the step's numbers."""
    if asking is not None:
        return question(scene, steps, asking)
    if notice in NOTICES:
        return NOTICES[notice]
    if player.active is not None:
        return explain(scene, steps, player.active)
    if player.finished and player.started:
        return (f"Backward pass complete: {', '.join(readouts)}. Move a slider and the gradients follow at once.")
    along = "along its one edge" if len(steps) == 1 else f"along all {len(steps)} edges"
    return (f"Press “Animate backward pass” to watch the gradient flow back from {scene.name_of(scene.root)} "
            f"{along}, or “Step” to advance one edge at a time.")


STEPS_INTRO = ("The backward pass as Python, one line per edge in the order the animation plays it: each line "
               "adds the child’s gradient (upstream) times the local derivative into the parent’s gradient, "
               "d_parent += d_child * local. Every d_ starts at 0.0; the lit line is the edge being animated.")
OPTIMIZED_INTRO = ("What training runs: the function engine.compile generates for this graph. The forward pass is "
                   "one line per node (green bar). The backward pass (orange bar) writes each gradient once, as "
                   "the sum of all its contributions, and pastes a gradient that is only passed along where it "
                   "is used instead of storing it: fewer lines and fewer names for Python to run, the same "
                   "numbers.")
OWN_OPTIMIZED = (" It is written from the engine’s built-in rules, as training uses them: your rule runs in the "
                 "graph’s own pass and in the step-by-step code.")
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


def check_note(rel_step: float) -> str:
    """How the check's two columns are made, with the step it nudges by (web.graph.check.REL_STEP)."""
    power = superscript(str(round(math.log10(rel_step))))
    return (f"The finite difference is (L(v + h) − L(v − h)) / 2h with h = 10{power}·max(1, |v|): two runs of the "
            "generated forward pass per variable. Backprop is one run of the generated backward pass; the "
            "difference is backprop minus the estimate.")


OWN_CHECK = ("Backprop here is the graph’s own pass, with your rule for {ops}: if your rule were wrong, the "
             "difference would show it.")
PENDING_CHECK = ("The read-outs above keep “—” until the pass you are stepping through reaches each variable: "
                 "this table ran a pass of its own.")


def kink(scene: Scene, node, variable: str) -> str:
    """Why backprop and the finite difference disagree where a relu's input is 0."""
    a = scene.name_of(node.parents[0])
    local = fixed(RULES["relu"].local(node.parents[0].data, 0.0, node.data, None)[0], 4)
    return (f"{scene.captions[scene.index(node)]} is at its kink: {a} = {fixed(node.parents[0].data, 4)}, where "
            f"the slope jumps from 0 to 1, so there is no single slope there. Backprop takes the rule’s value at "
            f"that point, {local}; the finite difference for {variable} steps to both sides of the kink and "
            "averages their slopes.")


DOMAIN = {
    "log": "log takes only numbers above 0",
    "pow": "a fractional power takes only numbers ≥ 0",
    "div": "0/0 has no value",
}


def domain(scene: Scene) -> str:
    """Why L is not a number (NaN), naming the first operation whose input is outside its domain; "" otherwise."""
    root = scene.root
    if not math.isnan(root.data):
        return ""
    for node in scene.order:
        if node.parents and math.isnan(node.data) and not any(math.isnan(p.data) for p in node.parents):
            caption, a = scene.captions[scene.index(node)], node.parents[0]
            where = f"{scene.name_of(a)} = {fixed(a.data, 4)}"
            why = DOMAIN.get(node.op)
            if why and node.op != "div":
                return (f"{scene.name_of(root)} = NaN (not a number): {where} is outside the domain of {caption}, "
                        f"since {why}.")
            values = ", ".join(f"{scene.name_of(p)} = {fixed(p.data, 4)}" for p in node.parents)
            return (f"{scene.name_of(root)} = NaN (not a number): {caption} has no value at {values}"
                    + (f" ({why})." if why else "."))
    return f"{scene.name_of(root)} = NaN (not a number): an input is not a number."


def link_refused(key: str, error: str) -> str:
    """The one notice for a link whose expression was refused: nothing of it was applied."""
    return f"ignored {key}.expr: {error}; none of the link's {key} settings were applied"


# --- Predict each step ---

PREDICT_LABEL = "Predict each step"
SHOW_ALL_LABEL = "Show all local derivatives"
PREDICT_INTRO = ("Before each edge is applied, say how much it adds to its parent’s gradient: upstream × local. "
                 "Right within 0.5% (or 0.0005) counts.")
CANCELLED = {
    "slider": "Question cancelled: a slider moved, so the numbers changed. Press “Step” to be asked again.",
    "expr": "Question cancelled: the expression changed. Press “Step” to be asked about the new graph.",
    "rule": "Question cancelled: the rule in use changed. Press “Step” to be asked again.",
}


def question(scene: Scene, steps: tuple[Step, ...], k: int) -> str:
    """The question for step k, in the step caption's words."""
    step = steps[k]
    child, parent, root = scene.name_of(step.child), scene.name_of(step.parent), scene.name_of(scene.root)
    return f"Edge {k + 1} of {len(steps)}, {child} → {parent}: how much does this edge add to ∂{root}/∂{parent}?"


def working(step: Step) -> str:
    """upstream × local = contribution, as the page writes numbers."""
    return f"{fixed(step.upstream, 4)} × {fixed(step.local, 4)} = {fixed(step.contribution, 4)}"


def right(step: Step) -> str:
    return f"Right: {working(step)}"


def answer(step: Step, skipped: bool) -> str:
    """The answer with its working, after a second wrong answer or a skip."""
    return f"{'Skipped' if skipped else 'Not right either'}. The answer: {working(step)}."


def unreadable(text: str) -> str:
    shown = text.strip()[:20]
    return (f"“{shown}” is not a number: type one, such as −0.25." if shown
            else "Type a number first, such as −0.25, or press “Skip”.")


def _mentions(formula: str, name: str) -> bool:
    return re.search(rf"(?<![\w*]){re.escape(name)}(?![\w*])", formula) is not None


def hint(scene: Scene, step: Step) -> str:
    """After one wrong answer: the upstream gradient with its number and the local derivative's formula with the
    values it needs, never the local derivative's value nor the answer. A constant local derivative is called one."""
    child, parent, root = scene.name_of(step.child), scene.name_of(step.parent), scene.name_of(scene.root)
    node = step.child
    upstream = f"Not yet. Upstream ∂{root}/∂{child} = {fixed(step.upstream, 4)}."
    caption = scene.captions[scene.index(node)]
    respect = f" with respect to {parent}" if len(node.parents) > 1 else ""
    text = formula(scene, step)
    if parse_number(text) is not None:
        return (f"{upstream} The local derivative of {caption}{respect} is a constant: the same number whatever the "
                f"values. How much does {child} move when {parent} grows by 1?")
    if scene.rules[node.op] is not RULES[node.op]:  # the learner's own rule, in its own names x, y and out
        symbols = [*zip(("x", "y"), node.parents, strict=False), ("out", node)]
    else:
        symbols = [(scene.name_of(v), v) for v in (*node.parents, node) if scene.kinds[scene.index(v)] != CONSTANT]
    values, seen = [], set()
    for name, value in symbols:
        if name not in seen and _mentions(text, name):
            seen.add(name)
            values.append(f"{name} = {fixed(value.data, 4)}")
    given = f", with {' and '.join(values)}" if values else ""
    return f"{upstream} The local derivative of {caption}{respect} is {text}{given}."


def score(right_first: int, asked: int) -> str:
    return f"Right first time: {right_first} of {asked}"
