""""Your turn": practice graphs to backpropagate by hand, and a derivative rule to write in Python.

Built like web/graph/: `puzzle` (the graphs, their answers and the numbers each mistake gives), `state` (the
state and `update`: what every action does), `view` (what a state looks like). The drawing is web.dag's, the
rule is web.ownrule's. `PracticeWidget` only connects them to the page: progress goes to the browser's storage
through take_kept, and a rule that passed its check to the Computation graph through take_handoff.
"""

from __future__ import annotations

from dataclasses import replace

from web.practice.state import (
    KEY,
    PracticeState,
    initial_state,
    kept_text,
    load_progress,
    restore,
    share,
    tick,
    update_practice,
    update_writer,
)
from web.practice.view import render_practice
from web.tree import El
from web.widget import BUILT_IN_RULE, USE_RULE, UIEvent, Widget


class PracticeWidget(Widget):
    """Holds a PracticeState; every event and frame replaces it with the next one."""

    key = KEY

    def __init__(self) -> None:
        self.state: PracticeState = initial_state()
        self.kept: str | None = None  # progress to hand the page, when it changed
        self.handoff: tuple[str, object] | None = None

    def handle(self, event: UIEvent) -> None:
        before = self.state
        if event.name in ("use-rule", "builtin-rule") and event.kind == "click":
            self.use(event.name == "use-rule")
            return
        if event.name in ("op", "check-rule") or event.name.startswith("rule:"):
            self.state = replace(before, writer=update_writer(before.writer, event))
        else:
            self.state = update_practice(before, event, self.reduced_motion)
        if self.state.progress != before.progress:
            self.kept = kept_text(self.state)

    def use(self, mine: bool) -> None:
        """Hand the page the rule that passed its check, or the word to go back to the engine's rule."""
        w = self.state.writer
        if mine and w.rule is not None:
            self.handoff = (USE_RULE, w.rule)
            in_use = (*[op for op in w.in_use if op != w.op], w.op)
        elif not mine and w.op in w.in_use:
            self.handoff = (BUILT_IN_RULE, w.op)
            in_use = tuple(op for op in w.in_use if op != w.op)
        else:
            return
        self.state = replace(self.state, writer=replace(w, in_use=in_use))

    def render(self, *, ready: bool = True) -> El:
        return render_practice(self.state, ready=ready, reduced_motion=self.reduced_motion)

    @property
    def wants_frame(self) -> bool:
        return self.state.practice.player.playing

    def frame(self, now_ms: float) -> None:
        self.state = tick(self.state, now_ms)

    def take_handoff(self) -> tuple[str, object] | None:
        handoff, self.handoff = self.handoff, None
        return handoff

    def load_kept(self, text: str) -> None:
        self.state = load_progress(self.state, text)

    def take_kept(self) -> str | None:
        kept, self.kept = self.kept, None
        return kept

    def share_state(self) -> dict[str, str]:
        return share(self.state)

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        self.state, notices = restore(self.state, fields)
        return notices
