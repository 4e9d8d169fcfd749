"""The computation-graph widget: a DAG of engine Values, its forward values, and its backward pass edge by edge.

Built like web/chain.py: `state` (the state and `update`, what every action does), `view` (what a state
looks like), with web.dag's `diagram` (the graph as data, indexed), `player` (the pass clock), `geometry` (where things
go and how large they are on screen), `words` (every sentence), `code` (Show code), `check` (finite
differences) and `predict` (the questions of "Predict each step"). `GraphWidget` only connects them to the page,
and takes a learner's rule handed over by "Your turn" (see `receive`).
"""

from __future__ import annotations

from web.dag.diagram import Diagram, Slider, lesson_diagram
from web.dag.svg import label_id
from web.graph.state import KEY, GraphState, initial_state, restore, share, tick, update, use_rule
from web.graph.view import render_graph
from web.tree import El
from web.widget import BUILT_IN_RULE, GRAPH_EXPRESSION, USE_RULE, UIEvent, Widget

__all__ = ["Diagram", "GraphWidget", "Slider", "lesson_diagram"]


class GraphWidget(Widget):
    """Holds a GraphState; every event and frame replaces it with the next one."""

    key = KEY

    def __init__(self, diagram: Diagram | None = None):
        self.state: GraphState = initial_state(diagram)
        self.revealed: int | None = None  # the step whose label the page last scrolled into view
        self.shown_text = self.state.diagram.text  # the expression the other widgets were last told about
        self.focused: tuple | None = None  # the question (waiting, answered) the field last took the focus for

    def handle(self, event: UIEvent) -> None:
        self.state = update(self.state, event, reduced_motion=self.reduced_motion)

    def render(self, *, ready: bool = True) -> El:
        return render_graph(self.state, ready=ready, reduced_motion=self.reduced_motion)

    @property
    def wants_frame(self) -> bool:
        return self.state.player.playing

    def frame(self, now_ms: float) -> None:
        self.state = tick(self.state, now_ms)

    def take_reveal(self) -> list[str]:
        """The active edge's label, once per step, in each drawing whose box scrolls: the edge being explained
        must never be out of sight, the first one included."""
        active = self.state.player.active
        if active == self.revealed:
            return []
        self.revealed = active
        if active is None:
            return []
        return [label_id(horizontal) for horizontal, d in self.state.drawings.items() if d.big]

    def take_focus(self) -> str | None:
        """The field "Your prediction" each time a question starts or ends, so a keyboard learner answers (and
        asks for the next one with Enter) without hunting for it."""
        quiz = self.state.quiz
        now = (quiz.asking, quiz.answered) if self.state.predict else None
        if now == self.focused:
            return None
        self.focused = now
        return "graph-guess" if now is not None and now != (None, 0) else None

    def take_handoff(self) -> tuple[str, object] | None:
        """("graph-expression", text) once each time the graph shows another expression: a widget that said its
        network was shown here can stop saying so."""
        text = self.state.diagram.text
        if text == self.shown_text:
            return None
        self.shown_text = text
        return (GRAPH_EXPRESSION, text)

    def receive(self, kind: str, payload: object) -> None:
        """("rule", OwnRule): use the learner's rule for every node of its op, in this graph only; ("rule-off",
        op): the built-in rule again. A rule is checked again here: only one that passed its check is used."""
        if kind == USE_RULE:
            from web.ownrule import OwnRule, check  # "Your turn" hands rules over only after the page has started

            if isinstance(payload, OwnRule) and check(payload).ok:
                self.state = use_rule(self.state, payload.op, payload)
        elif kind == BUILT_IN_RULE and isinstance(payload, str):
            self.state = use_rule(self.state, payload, None)

    def share_state(self) -> dict[str, str]:
        return share(self.state)

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        self.state, notices = restore(self.state, fields)
        return notices
