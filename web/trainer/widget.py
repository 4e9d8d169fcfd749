"""The trainer widget: a TrainerState (update.py) that every event replaces, and a Run (run.py) that follows it.

Events go through `update`; the run then makes the fewest changes that agree with the new state. Frames train
for the frame's budget. The views (view.py) are pure and cached by their own arguments (`Memo`); the network
diagram, its table and the panel refresh a few times a second while training runs (drawing the diagram every
frame cost the training about a tenth of its time in the browser).
"""

from __future__ import annotations

import math
from dataclasses import replace

from web.trainer.clock import TRAIN_BUDGET_S, FrameClock
from web.trainer.gradients import dead_units, graph_link, parameter_names
from web.trainer.heatmap import paint, png_data_uri, render_points, signed_rgba
from web.trainer.netview import render_buttons
from web.trainer.panel import panel_view, render_panel
from web.trainer.run import Run
from web.trainer.state import DOMAINS, Settings, points_text, share_fields
from web.trainer.update import TrainerState, restore, update
from web.trainer.view import (
    HIDDEN_GRID,
    Memo,
    render_chart,
    render_experiment,
    render_hidden,
    render_net,
    render_plot,
    render_run_bar,
    render_settings,
    render_trainer,
)
from web.tree import El
from web.widget import Pixels, UIEvent, Widget

CALM_VIEW_MS = 250.0    # with reduced motion the view refreshes four times a second instead of every frame
SLOW_MS = 250.0         # the weight table and panel follow training four times a second
BOUNDARY = "trainer-canvas"


def snapshot(run: Run, version: int, s: Settings, panel: bool) -> tuple:
    """What the network, its table, the panel and the dead-unit labels show, refreshed a few times a second while
    training runs: the weights, the full-batch gradient (when shown or the panel is open) and the dead units."""
    weights = list(run.trainer.weights)
    grads = run.gradient() if s.show_grads or panel else None
    return weights, grads, dead_units(weights, s.hidden, s.act, run.trainer.X)


class TrainerWidget(Widget):
    """Holds a TrainerState and the Run that follows it; paints what the run's weights look like."""

    key = "trainer"

    def __init__(self, settings: Settings | None = None, *, clock=None, budget: float = TRAIN_BUDGET_S):
        self.state = TrainerState(settings or Settings())
        self.run = Run(self.state.settings)
        self.frames = FrameClock(clock, budget) if clock else FrameClock(budget=budget)
        self.memo = Memo()
        self.painted: dict[str, int] = {}
        self.link: str | None = None
        self.hold_view = False
        self.last_view_ms = self.slow_ms = -math.inf
        self.slow: tuple | None = None  # what the weight table and panel show (see snapshot)
        self.slow_due = False
        self.held: El | None = None

    @property
    def settings(self) -> Settings:
        return self.state.settings

    def follow(self) -> None:
        s = self.state
        if not self.run.follow(s.settings, s.points, s.run_no, s.keep_past, s.steps):
            self.state = replace(s, running=False, message=self.run.overflow())

    def handle(self, event: UIEvent) -> None:
        self.hold_view = False
        was = self.state.running
        self.state = update(self.state, event)
        if self.state.running and not was:
            self.frames.restart_window()
        self.follow()
        if event.kind == "click" and event.name == "graph" and self.state.selected is not None:
            s, t, st = self.settings, self.run.trainer, self.state
            self.link = graph_link(t.weights, s, st.selected, t.X[st.point], t.Y[st.point])

    def take_link(self) -> str | None:
        link, self.link = self.link, None
        return link

    def share_state(self) -> dict[str, str]:
        """The settings that differ from the defaults and the learner's points: a link replays the same run."""
        fields = share_fields(self.settings)
        if self.state.points:
            fields["added"] = points_text(list(self.state.points))
        return fields

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        self.state, notices = restore(self.state, fields, self.key)
        self.follow()
        return notices

    @property
    def wants_frame(self) -> bool:
        return self.state.running

    def frame(self, now_ms: float) -> None:
        """Train for at most the budget (and at most `speed` epochs), then yield to the page."""
        if not self.state.running:
            return
        deadline, clock = self.frames.deadline(), self.frames.clock
        for _ in range(self.settings.speed or 1 << 30):
            if not self.run.step():
                self.state = replace(self.state, running=False, message=self.run.overflow())
                break
            if clock() >= deadline:
                break
        self.frames.trained(now_ms, self.run.epoch)
        if now_ms - self.slow_ms >= SLOW_MS:
            self.slow_ms, self.slow_due = now_ms, True
        if self.reduced_motion:
            # Fewer, calmer redraws: training runs as fast, the picture changes four times a second.
            self.hold_view = now_ms - self.last_view_ms < CALM_VIEW_MS and self.state.running
            if not self.hold_view:
                self.last_view_ms = now_ms

    def take_pixels(self) -> dict[str, Pixels]:
        """Canvases whose picture is stale: the boundary, and while training one hidden map per frame in turn
        (each still refreshes several times a second), all of them once training stops."""
        pixels: dict[str, Pixels] = {}
        if not self.hold_view:
            names = [BOUNDARY, *(f"trainer-hidden-{k}" for k in range(1, self.settings.hidden + 1))]
            stale = [name for name in names if self.painted.get(name) != self.run.version]
            hidden = stale[1:] if BOUNDARY in stale else stale
            if self.state.running and hidden:
                hidden = [min(hidden, key=lambda name: self.painted.get(name, -1))]
            for name in ([BOUNDARY] if BOUNDARY in stale else []) + hidden:
                pixels[name] = self.pixels() if name == BOUNDARY else self.hidden_pixels(int(name[15:]) - 1)
                self.painted[name] = self.run.version
        self.frames.drawn()  # the page calls this after patching: from the end of training to here is drawing
        return pixels

    # Both pictures are kept until the weights or data change: the page start paints the very pictures that the
    # pre-rendered page's images were made of (web.dom adopts that view), and computes them once.
    def pixels(self) -> Pixels:
        """The decision boundary at the current weights."""
        return self.memo.keyed("boundary", (self.run.version,), lambda: paint(
            self.run.trainer.predict, DOMAINS[self.settings.dataset]))

    def hidden_pixels(self, unit: int) -> Pixels:
        """One hidden unit's output over the plot's plane."""
        return self.memo.keyed(f"hidden-{unit}", (self.run.version,), lambda: Pixels(
            HIDDEN_GRID, HIDDEN_GRID, signed_rgba(self.run.hidden_values(
                unit, DOMAINS[self.settings.dataset], HIDDEN_GRID))))

    def render(self, *, ready: bool = True) -> El:
        if self.hold_view and self.held is not None:
            return self.held  # reduced motion: the same view until the next calm redraw
        # The view is a function of the state, the run's version (weights, data and curves) and the measured rate;
        # each part is cached by what it is drawn from (Memo), so an unchanged view is the same object.
        self.held = self.memo(self.build, ready, self.state, self.run.version, self.frames.rate)
        return self.held

    def build(self, ready: bool, st: TrainerState, version: int, rate: str) -> El:
        run, s, memo = self.run, st.settings, self.memo
        loss, accuracy = memo.keyed("numbers", (run.version,), lambda: (run.loss(), run.accuracy()))
        if not st.running or self.slow is None or self.slow_due:
            self.slow, self.slow_due = memo(snapshot, run, run.version, s, st.selected is not None), False
        weights, grads, dead = self.slow
        t, domain = run.trainer, DOMAINS[s.dataset]
        panel = memo(panel_view, weights, grads, s, st.selected, st.point, t.X, t.Y)
        points = memo.keyed("points", (run.data_version, s.dataset), lambda: render_points(
            [(x, y, label, False) for (x, y), label in zip(*run.base, strict=True)]
            + [(x, y, label, True) for x, y, label in st.points], domain))
        return render_trainer(
            run_bar=render_run_bar(running=st.running, epoch=run.epoch, loss=loss, accuracy=accuracy,
                                   rate=rate, ready=ready),
            experiment=memo(render_experiment, s.dataset, s.lr, ready),
            settings=memo(render_settings, s, st.seed_shown, ready),
            message=st.message,
            plot=memo(render_plot, domain=domain, points=points, cursor=st.cursor, added=len(st.points),
                      new_class=s.new_class, prerender=None if ready else png_data_uri(self.pixels()), ready=ready,
                      ring=panel.where[:2] if panel else None),
            chart=render_chart(history=run.history, loss=s.loss, label=run.label, past=tuple(run.past)),
            hidden=memo(render_hidden, s.hidden, s.act, dead, None if ready else [
                png_data_uri(self.hidden_pixels(k)) for k in range(s.hidden)]),
            net=memo(render_net, weights=weights, grads=grads, hidden=s.hidden, selected=st.selected,
                     show_grads=s.show_grads, ready=ready),
            table=memo(render_buttons, parameter_names(s.hidden), grads if s.show_grads else weights,
                       s.hidden, grads=s.show_grads, selected=st.selected, ready=ready),
            panel=None if panel is None else memo(render_panel, panel, ready=ready),
        )
