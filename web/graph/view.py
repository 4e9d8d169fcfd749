"""What the computation graph shows for a state: pure functions of values, returning element trees.

Nothing here changes the state (see web.graph.state for that). The drawing's geometry comes from
web.dag.geometry and its sentences from web.graph.words.
"""

from __future__ import annotations

from dataclasses import replace

from web.dag.diagram import Slider
from web.dag.svg import Pass, render_svg
from web.format import MINUS, fixed
from web.graph import words
from web.graph.check import check, kinks, render_check
from web.graph.code import render_code, step_lines
from web.graph.state import GraphState, value_text
from web.tree import El, h

STRIP_COLUMNS = 2  # sliders per row of the phone's control strip (graph.css sizes the strip by its rows)


def render_graph(state: GraphState, *, ready: bool = True, reduced_motion: bool = False) -> El:
    """The whole widget: expression field, control strip, read-outs, the drawing, explanation and tools."""
    rows = -(-len(state.diagram.sliders) // STRIP_COLUMNS)
    big = any(d.big for d in state.drawings.values())
    grads = state.grads()
    quiz = state.quiz
    asking = quiz.asking if state.predict else None
    # Labels besides the active edge's: every edge's, or in predict mode those whose question was answered.
    shown = (tuple(range(quiz.answered if state.predict else len(state.steps))) if state.show_all else ())
    drawn = Pass(state.scene, state.steps, state.player, grads, hidden=asking, shown=shown)
    return h(
        "div", {"class": f"graph-widget graph-rows-{rows}"},
        render_expression(state.draft, state.error, ready),
        # One strip for everything a learner plays with: on a phone it stays at the top of the screen while
        # the graph scrolls under it, so w can move while the gradients are watched.
        h("div", {"class": "graph-strip"},
          h("div", {"class": "controls graph-sliders"},
            *[render_slider(i, s, state.scene.node(s.name).data, ready) for i, s in enumerate(state.diagram.sliders)]),
          # While a question waits the play button keeps the name it had before it was asked.
          render_buttons(words.play_name(state.player if asking is None else replace(state.player, active=None)),
                         state.player.playing, ready, asking is not None)),
        render_readouts(state, grads),
        render_domain(state),
        render_options(state, ready),
        h("div", {"class": "graph-figure" + (" graph-scrolls" if big else ""),
                  **({"tabindex": "0", "role": "group", "data-scrollbox": "",
                      "aria-label": "Graph drawing, scrolls: the active edge is kept in view"} if big else {})},
          *[render_svg(drawn, d, state.diagram.title, reduced_motion=reduced_motion)
            for d in (state.drawings[True], state.drawings[False])]),
        h("p", {"class": "graph-scroll-cue"}, "The graph is larger than its box: scroll it, or let the pass "
          "bring each edge into view.") if big else None,
        h("p", {"class": "graph-legend"},
          h("span", {"class": "key-fwd"}, words.LEGEND[0]), " · ",
          h("span", {"class": "key-grad"}, words.LEGEND[1]), " · ", words.LEGEND[2]),
        h("p", {"class": "graph-explain", "id": "graph-explain", "aria-live": "polite"},
          words.message(state.scene, state.steps, state.player, state.notice, readout_texts(state, grads)[1:],
                        asking)),
        render_predict(state, ready) if state.predict else None,
        render_tools(state, ready),
    )


def render_expression(draft: str, error: str, ready: bool) -> El:
    """Label, text field and Apply button; the alert below them only while the last text was refused."""
    described = "graph-expr-error graph-expr-hint" if error else "graph-expr-hint"
    return h(
        "div", {"class": "graph-expr"},
        h("label", {"for": "graph-expr"}, "Expression"),
        h("div", {"class": "graph-expr-row"},
          h("input", {"id": "graph-expr", "type": "text", "data-on": "expr", "data-keys": "Enter",
                      "value": draft, "disabled": not ready, "spellcheck": "false", "autocomplete": "off",
                      "autocapitalize": "off", "aria-invalid": "true" if error else None,
                      "aria-describedby": described}),
          h("button", {"type": "button", "data-on": "apply", "disabled": not ready}, "Apply")),
        h("p", {"class": "graph-expr-error", "id": "graph-expr-error", "role": "alert"}, error) if error else None,
        h("p", {"class": "graph-expr-hint", "id": "graph-expr-hint"}, words.HINT),
    )


def render_slider(i: int, slider: Slider, value: float, ready: bool) -> El:
    """One variable's slider with its value."""
    ident = f"graph-in-{i}"
    # Two decimals on the slider's steps; a link's value between them (up to 6 significant digits) as it is.
    shown = value_text(value).replace("-", MINUS)
    return h(
        "div", {"class": "control"},
        h("label", {"for": ident, "title": slider.name}, slider.name),
        h("input", {"id": ident, "type": "range", "data-on": f"set:{slider.name}", "min": slider.lo,
                    "max": slider.hi, "step": slider.step, "value": f"{value:.2f}", "disabled": not ready,
                    "aria-valuetext": f"{slider.name} = {shown}"}),
        h("output", {"for": ident, "class": "value", "aria-live": "off"}, shown),
    )


def render_buttons(play: str, playing: bool, ready: bool, waiting: bool = False) -> El:
    """Play (named for what it does now), Step and Reset; play and Step wait while a question does."""
    return h(
        "div", {"class": "graph-buttons"},
        h("button", {"type": "button", "data-on": "animate", "disabled": not ready or waiting,
                     "class": "graph-play" + (" playing" if playing else "")}, play),
        h("button", {"type": "button", "data-on": "step", "disabled": not ready or waiting}, "Step"),
        h("button", {"type": "button", "data-on": "reset", "disabled": not ready}, "Reset"),
    )


def readout_texts(state: GraphState, grads: list[float | None]) -> list[str]:
    """L = 0.1256, then ∂L/∂v for each read-out variable (— before the pass reaches it)."""
    scene = state.scene
    root = scene.name_of(scene.root)
    return [f"{root} = {fixed(scene.root.data, 4)}"] + [
        words.readout(root, name, grads[scene.index(scene.node(name))]) for name in state.diagram.readouts]


def render_readouts(state: GraphState, grads: list[float | None]) -> El:
    """The loss and the gradients of the variables, under the controls."""
    loss, *rest = readout_texts(state, grads)
    return h("p", {"class": "graph-readouts"},
             h("output", {"class": "graph-loss", "aria-live": "off"}, loss),
             *[h("output", {"class": "graph-grad", "aria-live": "off"}, text) for text in rest])


def render_domain(state: GraphState) -> El | None:
    """Why L is not a number, when it is not: the first operation whose input lies outside its domain."""
    text = words.domain(state.scene)
    return h("p", {"class": "graph-domain"}, text) if text else None


def render_options(state: GraphState, ready: bool) -> El:
    """The two ways of reading the pass: answer each step first, and keep every edge's local derivative shown."""
    return h(
        "div", {"class": "graph-options"},
        *[h("label", {"class": "graph-option"},
            h("input", {"type": "checkbox", "data-on": on, "checked": checked, "disabled": not ready}),
            h("span", {"class": "box", "aria-hidden": "true"}), text)
          for on, checked, text in (("predict", state.predict, words.PREDICT_LABEL),
                                    ("show-all", state.show_all, words.SHOW_ALL_LABEL))],
    )


def render_predict(state: GraphState, ready: bool) -> El:
    """Predict each step: the field, Check and Skip (for the question the explanation above asks), the verdict
    (a status: heard once) and the pass's score."""
    quiz = state.quiz
    waiting = ready and quiz.asking is not None
    return h(
        "div", {"class": "graph-predict"},
        h("p", {"class": "graph-predict-intro"}, words.PREDICT_INTRO),
        h("div", {"class": "graph-predict-row"},
          h("label", {"for": "graph-guess"}, "Your prediction"),
          h("input", {"id": "graph-guess", "type": "text", "inputmode": "decimal", "data-on": "guess",
                      "data-keys": "Enter", "value": quiz.guess, "disabled": not ready, "spellcheck": "false",
                      # changes with every question and try, so the page empties the field for the next answer
                      "data-try": f"{quiz.asking}-{quiz.tries}-{quiz.asked}",
                      "autocomplete": "off", "aria-describedby": "graph-explain"}),
          h("button", {"type": "button", "data-on": "guess-check", "disabled": not waiting}, "Check"),
          h("button", {"type": "button", "data-on": "guess-skip", "disabled": not waiting}, "Skip")),
        h("p", {"class": "graph-verdict", "role": "status"}, quiz.verdict),
        h("p", {"class": "graph-score"}, words.score(quiz.right, quiz.asked)),
    )


def render_tools(state: GraphState, ready: bool) -> El:
    """The two buttons that look under the hood, and what they show."""
    return h(
        "div", {"class": "graph-tools"},
        h("div", {"class": "graph-buttons"},
          # aria-controls only while the panel exists: an id that names nothing is an accessibility error
          h("button", {"type": "button", "data-on": "code", "disabled": not ready,
                       "aria-controls": "graph-code" if state.show_code else None,
                       "aria-expanded": "true" if state.show_code else "false"}, "Show code"),
          h("button", {"type": "button", "data-on": "check", "disabled": not ready,
                       "aria-controls": "graph-check" if state.show_check else None},
            "Check with finite differences")),
        render_code_panel(state, ready) if state.show_code else None,
        render_check_panel(state) if state.show_check else None,
    )


def render_check_panel(state: GraphState) -> El:
    """The finite-difference table, with a word where backprop and the estimate may rightly disagree (a kink), for
    a learner's rule in use, and for read-outs that still wait for the pass being stepped."""
    scene, names = state.scene, [s.name for s in state.diagram.sliders]
    own = None
    if state.own:  # the graph's own pass, which uses the learner's rule (the generated code uses the engine's)
        finished = replace(state, player=replace(state.player, applied=len(state.steps))).grads()
        own = [finished[scene.index(scene.node(name))] or 0.0 for name in names]
    rows = check(state.code, names, own)
    notes = kinks(scene, state.code, rows)
    if state.own:
        notes.append(words.OWN_CHECK.format(ops=", ".join(sorted(state.own))))
    if any(words.NOT_YET in text for text in readout_texts(state, state.grads())):
        notes.append(words.PENDING_CHECK)
    return render_check(rows, notes)


def render_code_panel(state: GraphState, ready: bool) -> El:
    """Show code: the pass one line per step (lit: the active step), or the compiler's fused code."""
    k = state.player.active
    step = state.steps[k] if k is not None else None
    if state.optimized:
        code = state.code
        active = code.lines_for(step) if step is not None else ()
        block = render_code(code.lines, [code.part(i) for i in range(len(code.lines))], active,
                            "Generated Python, optimized")
        node = id(step.parent) if step is not None else None
        note = words.optimized_note(state.scene, step, k, active, node in code.own, node in code.varying)
        intro = words.OPTIMIZED_INTRO + (words.OWN_OPTIMIZED if state.own else "")
    else:
        lines = step_lines(state.scene, state.steps)
        block = render_code(lines, ["head"] + ["bwd"] * (len(lines) - 1), () if k is None else (k + 2,),
                            "Backward pass in Python, one line per step")
        note, intro = words.steps_note(state.scene, state.steps, k), words.STEPS_INTRO
    return h(
        "div", {"class": "graph-code", "id": "graph-code"},
        h("p", {"class": "code-intro"}, intro),
        h("button", {"type": "button", "data-on": "optimized", "disabled": not ready,
                     "aria-pressed": "true" if state.optimized else "false"}, "Optimized"),
        block,
        h("p", {"class": "code-note", "aria-live": "off"}, note),
    )
