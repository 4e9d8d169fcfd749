"""What "Your turn" shows for a state: pure functions of values, returning element trees.

The practice graph is drawn by web.dag.svg, the Computation graph's own drawing code, with ids that start with
"practice". Each verdict is in a role="status" element of its own, so a screen reader says it once.
"""

from __future__ import annotations

import math
from dataclasses import replace

from web.dag.svg import Pass, render_svg
from web.dag.words import formula
from web.format import fixed
from web.ownrule import OPS, curves
from web.plot import Scale, axes, polyline
from web.practice.puzzle import KIND_NAMES, KINDS
from web.practice.state import Practice, PracticeState, Writer
from web.tree import El, h

PREFIX = "practice"
PROGRESS_NAMES = {"one": "one path", "two": "two paths", "neuron": "a neuron"}
PLOT_W, PLOT_H, PAD_L, PAD_B, PAD_T, PAD_R = 340, 190, 46, 26, 14, 10


def render_practice(state: PracticeState, *, ready: bool = True, reduced_motion: bool = False) -> El:
    return h(
        "div", {"class": "practice-widget"},
        render_kinds(state.kind, ready),
        render_graph(state.practice, reduced_motion),
        render_answers(state.practice, ready),
        render_progress(state.progress, ready),
        render_writer(state.writer, ready),
    )


def render_kinds(kind: str, ready: bool) -> El:
    """The radio group "Kind of graph" and "New graph"."""
    def radio(value: str) -> El:
        return h("label", {"class": "radio"},
                 h("input", {"type": "radio", "name": "practice-kind", "value": value, "data-on": "kind",
                             "checked": value == kind, "disabled": not ready}), KIND_NAMES[value])

    return h("div", {"class": "practice-top"},
             h("fieldset", {"class": "practice-kinds", "role": "radiogroup", "aria-labelledby": "practice-kinds"},
               h("legend", {"id": "practice-kinds"}, "Kind of graph"), *[radio(k) for k in KINDS]),
             h("button", {"type": "button", "data-on": "new", "disabled": not ready}, "New graph"))


def grads_of(p: Practice) -> list[float | None]:
    """Each node's gradient so far in Show the pass (None where nothing has arrived)."""
    scene = p.puzzle.scene
    grads: list[float | None] = [None] * len(scene.order)
    if p.hint is not None or not p.player.started:
        return grads
    grads[scene.index(scene.root)] = 1.0
    for step in p.puzzle.steps[: p.player.applied]:
        k = scene.index(step.parent)
        grads[k] = (grads[k] or 0.0) + step.contribution
    return grads


def render_graph(p: Practice, reduced_motion: bool) -> El:
    """The drawing (wide and tall, as the Computation graph's), the expression line, and what the pass or the
    hint says."""
    puzzle = p.puzzle
    player = p.player
    if p.hint is not None:  # the hinted edge lit, nothing carried yet
        player = replace(player.reset(), active=p.hint)
    grads = grads_of(p)
    title = f"Practice graph of {puzzle.line}"
    big = any(d.big for d in p.drawings.values())
    return h(
        "div", {"class": "practice-graph"},
        h("div", {"class": "graph-figure practice-figure" + (" graph-scrolls" if big else ""),
                  **({"tabindex": "0", "role": "group", "aria-label": "Practice graph drawing, scrolls"}
                     if big else {})},
          *[render_svg(Pass(puzzle.scene, puzzle.steps, player, grads), d, title, prefix=PREFIX,
                       reduced_motion=reduced_motion) for d in (p.drawings[True], p.drawings[False])]),
        h("p", {"class": "practice-line"}, h("code", {}, puzzle.line)),
        h("p", {"class": "practice-explain", "aria-live": "polite"}, explain(p)),
    )


def explain(p: Practice) -> str:
    """One sentence under the drawing: the hint, the pass, or what to do."""
    puzzle, scene = p.puzzle, p.puzzle.scene
    n = len(puzzle.steps)
    if p.hint is not None:
        step = puzzle.steps[p.hint]
        child, parent = scene.name_of(step.child), scene.name_of(step.parent)
        upstream = "1 (∂L/∂L)" if step.child is scene.root else f"∂L/∂{child}"
        return (f"Hint: edge {p.hint + 1} of {n}, {child} → {parent}. Its local derivative is ∂{child}/∂{parent} = "
                f"{formula(scene, step)}; what reaches {parent} along it is {upstream} times that. "
                "Press Hint again for the next edge.")
    if p.player.playing or (p.player.started and not p.player.finished):
        return f"The backward pass: edge {min(p.player.applied + 1, n)} of {n}."
    if p.shown:
        return "The pass is complete: each leaf's gradient is in its badge and in its field."
    return ("Work out ∂L for each leaf by hand (or with a calculator), type it to 4 decimals, and press Check. "
            "Hint lights one edge at a time; Show the pass plays the backward pass.")


def render_answers(p: Practice, ready: bool) -> El:
    """A field per leaf with its verdict, the buttons, and the count."""
    rows = []
    for i, (leaf, text, verdict) in enumerate(zip(p.puzzle.leaves, p.drafts, p.verdicts, strict=True)):
        ident = f"practice-ans-{i}"
        cls = "" if verdict is None else ("right" if verdict[0] else ("shown" if p.shown else "wrong"))
        mark = {"right": "✓ ", "wrong": "✗ ", "shown": ""}.get(cls, "")
        rows.append(h(
            "div", {"class": f"practice-answer {cls}".strip()},
            h("label", {"for": ident}, f"∂L/∂{leaf.name}"),
            h("input", {"id": ident, "type": "text", "inputmode": "decimal", "data-on": f"ans:{i}",
                        "data-keys": "Enter", "value": text, "disabled": not ready, "autocomplete": "off",
                        "spellcheck": "false", "aria-describedby": f"{ident}-verdict"}),
            h("span", {"class": "practice-verdict", "id": f"{ident}-verdict", "role": "status"},
              (mark + verdict[1]) if verdict else "")))
    count = ""
    if p.shown:
        count = "Answers shown by the pass."
    elif p.checked:
        count = f"{p.right} of {len(p.puzzle.leaves)} right" + (": solved!" if p.solved else "")
    return h(
        "div", {"class": "practice-answers"},
        *rows,
        h("div", {"class": "practice-buttons"},
          h("button", {"type": "button", "data-on": "check", "disabled": not ready}, "Check"),
          h("button", {"type": "button", "data-on": "hint", "disabled": not ready}, "Hint"),
          h("button", {"type": "button", "data-on": "show", "disabled": not ready}, "Show the pass")),
        h("p", {"class": "practice-count", "role": "status"}, count),
    )


def progress_text(progress: tuple[int, ...]) -> str:
    parts = " · ".join(f"{PROGRESS_NAMES[k]} {n}" for k, n in zip(KINDS, progress, strict=True))
    return f"Solved without a hint: {parts}"


def render_progress(progress: tuple[int, ...], ready: bool) -> El:
    return h("p", {"class": "practice-progress"},
             h("span", {}, progress_text(progress)), " ",
             h("button", {"type": "button", "data-on": "forget", "disabled": not ready}, "Forget my progress"))


# --- the rule writer ---

def render_writer(w: Writer, ready: bool) -> El:
    spec = OPS[w.op]
    fields = []
    for i, (name, text) in enumerate(zip(spec.fields, w.drafts, strict=True)):
        ident = f"practice-rule-{i}"
        fields.append(h("div", {"class": "practice-rule-field"},
                        h("label", {"for": ident}, name),
                        h("input", {"id": ident, "type": "text", "data-on": f"rule:{i}", "data-keys": "Enter",
                                    "value": text, "disabled": not ready, "spellcheck": "false",
                                    "autocomplete": "off", "autocapitalize": "off",
                                    "aria-describedby": "practice-rule-names"})))
    verdict = w.error or (w.verdict.message if w.verdict else "")
    cls = "error" if w.error else ("right" if w.verdict and w.verdict.ok else "wrong" if w.verdict else "")
    mark = {"right": "✓ ", "wrong": "✗ "}.get(cls, "")
    names = ", ".join(spec.names)
    buttons = [h("button", {"type": "button", "data-on": "check-rule", "disabled": not ready}, "Check rule")]
    if w.rule is not None and w.op not in w.in_use:
        buttons.append(h("button", {"type": "button", "data-on": "use-rule", "disabled": not ready}, "Use my rule"))
    if w.op in w.in_use:
        buttons.append(h("button", {"type": "button", "data-on": "builtin-rule", "disabled": not ready},
                         "Use the built-in rule"))
    using = [OPS[op].label.split(":")[0] for op in w.in_use]
    return h(
        "div", {"class": "practice-writer"},
        h("h3", {}, "Write a rule in Python"),
        h("div", {"class": "practice-rule-row"},
          h("label", {"for": "practice-op"}, "Operation"),
          h("select", {"id": "practice-op", "data-on": "op", "value": w.op, "disabled": not ready},
            *[h("option", {"value": op, "selected": op == w.op}, s.label) for op, s in OPS.items()])),
        *fields,
        h("p", {"class": "practice-rule-names", "id": "practice-rule-names"},
          f"Write it in {names}, numbers, + − * / **, brackets and the "
          "functions of the Expression field, plus step(x) (1 where x > 0, else 0)."),
        h("div", {"class": "practice-buttons"}, *buttons),
        h("p", {"class": f"practice-rule-verdict {cls}".strip(), "role": "status"},
          (mark + verdict) if verdict else ""),
        render_rule_plot(w),
        h("p", {"class": "practice-rule-use", "role": "status"},
          f"The Computation graph now uses your rule for {', '.join(using)}." if using else ""),
    )


def render_rule_plot(w: Writer) -> El:
    """The true slope (orange: a derivative) and the learner's rule (dashed), across the operation's range."""
    rule = w.tried
    index = w.verdict.index if w.verdict is not None and not w.verdict.ok else 0
    xs, true, mine = curves(rule, w.op, index)
    finite = [v for v in true if math.isfinite(v)]
    lo, hi = min(finite), max(finite)
    pad = max((hi - lo) * 0.15, 0.25)
    sx = Scale(xs[0], xs[-1], PAD_L, PLOT_W - PAD_R)
    sy = Scale(lo - pad, hi + pad, PLOT_H - PAD_B, PAD_T)
    lines = [h("path", {"class": "practice-slope", "d": polyline(zip(xs, true, strict=True), sx, sy)})]
    if mine is not None:
        shown = [(x, min(max(v, sy.lo), sy.hi)) for x, v in zip(xs, mine, strict=True) if math.isfinite(v)]
        lines.append(h("path", {"class": "practice-mine", "d": polyline(shown, sx, sy)}))
    spec = OPS[w.op]
    wrt = spec.inputs[index]
    label = (f"Plot of the true slope ∂out/∂{wrt} of {spec.label.split(':')[0]}"
             + (" and of your rule" if mine is not None else "") + f" against x from {fixed(xs[0], 1)} to "
             f"{fixed(xs[-1], 1)}")
    return h("figure", {"class": "practice-plot"},
             h("svg", {"viewBox": f"0 0 {PLOT_W} {PLOT_H}", "role": "img", "aria-label": label},
               axes(sx, sy, x_name="x", y_name=f"∂out/∂{wrt}", count=4), *lines),
             h("figcaption", {},
               h("span", {"class": "key-slope"}, "— true slope (central differences)"),
               *([" · ", h("span", {"class": "key-mine"}, "- - your rule")] if mine is not None else [])))

