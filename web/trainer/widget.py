"""The trainer widget: settings (state.py) and a training run (run.py) wired to the page's events and frames.

Each handler changes the settings through the field table, then makes the run agree with them: a new learning
rate carries on, new data goes in with `Trainer.set_data`, a new seed or dataset starts again from epoch 0, and
only a new loss function compiles new code. The views (view.py) are pure; `Memo` keeps unchanged parts.
"""

from __future__ import annotations

import math
from dataclasses import replace

from web.trainer.clock import TRAIN_BUDGET_S, FrameClock
from web.trainer.heatmap import Domain, paint, png_data_uri, render_points, signed_rgba
from web.trainer.run import HIDDEN, Run, base_data
from web.trainer.state import (
    ADDED_DECIMALS,
    DATASETS,
    DOMAINS,
    MAX_ADDED,
    Point,
    Refused,
    Settings,
    apply,
    next_seed,
    points_text,
    read_points,
    restarts,
    restore_fields,
    share_fields,
)
from web.trainer.view import (
    HIDDEN_GRID,
    MOVES,
    Memo,
    render_chart,
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
BOUNDARY = "trainer-canvas"
HIDDEN_IDS = tuple(f"trainer-hidden-{k}" for k in range(1, HIDDEN + 1))


class TrainerWidget(Widget):
    """Settings, the learner's points, the run, and what the page has painted of it."""

    key = "trainer"

    def __init__(self, settings: Settings | None = None, *, clock=None, budget: float = TRAIN_BUDGET_S):
        self.settings = settings or Settings()
        self.frames = FrameClock(clock, budget) if clock else FrameClock(budget=budget)
        self.added: dict[str, list[Point]] = {name: [] for name in DATASETS}
        self.base = base_data(self.settings)
        self.run = Run(self.settings, *self.data())
        self.running = False
        self.message = ""        # a refused seed, or the cap on added points (the run's own message wins)
        self.seed_text = str(self.settings.seed)  # what the Seed field shows: the learner's text until accepted
        self.cursor: tuple[float, float] | None = None  # the keyboard's crosshair, as fractions of the plot
        self.version = 0         # bumps whenever weights or data change: canvases and read-outs are stale
        self.data_version = 0
        self.painted: dict[str, int] = {}
        self.hold_view = False
        self.last_view_ms = -math.inf
        self.memo = Memo()

    # --- state -----------------------------------------------------------------------------------------

    @property
    def domain(self) -> Domain:
        return DOMAINS[self.settings.dataset]

    @property
    def epoch(self) -> int:
        return self.run.epoch

    @property
    def trainer(self):
        return self.run.trainer

    @property
    def history(self):
        return self.run.history

    def data(self) -> tuple[list[tuple[float, float]], list[float]]:
        """The training set: the dataset's points, then the learner's."""
        X, Y = list(self.base[0]), list(self.base[1])
        for x, y, label in self.added[self.settings.dataset]:
            X.append((x, y))
            Y.append(label)
        return X, Y

    @property
    def loss(self) -> float:
        """The engine's mean loss at the current weights on the current data (what the next epoch reports)."""
        return self.memo("loss", (self.version,), self.run.loss)

    @property
    def accuracy(self) -> float:
        return self.memo("accuracy", (self.version,), self.run.accuracy)

    def settle(self, old: Settings, *, keep_past: bool = True) -> None:
        """Make the run agree with new settings: the cheapest change that does (see the module docstring)."""
        new = self.settings
        self.seed_text = str(new.seed)
        if (old.dataset, old.noise, old.count) != (new.dataset, new.noise, new.count):
            self.base = base_data(new)
            self.cursor = None if old.dataset != new.dataset else self.cursor
            self.new_data()
        if old.loss != new.loss:
            self.run.recompile(new.loss, *self.data())
        if restarts(old, new) or not keep_past:
            # Curves of another dataset or loss are not comparable with this run's: start the chart afresh.
            same_task = (old.dataset, old.loss, old.noise, old.count) == (new.dataset, new.loss, new.noise,
                                                                          new.count)
            self.run.restart(new.seed, new.lr, keep_past=keep_past and same_task)
            self.running = False
        elif old.lr != new.lr:
            self.run.set_lr(new.lr)
        self.changed()

    def new_data(self) -> None:
        """The training set changed: the compiled trainer carries on with it (no recompiling)."""
        self.run.trainer.set_data(*self.data())
        self.data_version += 1
        self.changed()

    def changed(self) -> None:
        self.version += 1

    def restart(self) -> None:
        """Epoch 0 from the seed's weights, keeping the run so far as a faded curve (Reset)."""
        self.running = False
        self.message = ""
        self.run.restart(self.settings.seed, self.settings.lr)
        self.changed()

    def step_once(self) -> bool:
        """One epoch; False (and training stops) when the loss overflowed."""
        if self.run.step():
            self.changed()
            return True
        self.running = False
        return False

    def add_point(self, fx: float, fy: float, label: float) -> None:
        """Add a learner's point under (fx, fy) of the plot; training carries on with it included.

        The point is rounded as a link writes it (0.01, under a pixel), so a shared link replays this exact run.
        """
        if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
            return
        added = self.added[self.settings.dataset]
        if len(added) >= MAX_ADDED:
            self.message = f"At most {MAX_ADDED} points can be added; press Clear points to place others."
            return
        x, y = (round(v, ADDED_DECIMALS) + 0.0 for v in self.domain.from_unit(fx, fy))
        added.append((x, y, label))
        self.new_data()

    def clear_points(self) -> None:
        if self.added[self.settings.dataset]:
            self.added[self.settings.dataset] = []
            self.message = ""
            self.new_data()

    # --- events ----------------------------------------------------------------------------------------

    def handle(self, event: UIEvent) -> None:
        self.hold_view = False
        if event.kind == "click":
            self.on_click(event)
        elif event.kind == "key" and event.name == "plot":
            self.on_plot_key(event)
        elif event.kind in ("input", "change"):
            self.on_value(event.name, event.value, event.kind)

    def on_click(self, event: UIEvent) -> None:
        name = event.name
        if name == "train":
            self.running = not self.running
            if self.running:
                self.run.message = self.message = ""
                self.frames.restart_window()
        elif name == "step":
            self.running = False
            self.run.message = self.message = ""
            self.step_once()
        elif name == "reset":
            self.restart()
        elif name == "reseed":
            self.message = ""
            old, self.settings = self.settings, replace(self.settings, seed=next_seed(self.settings.seed))
            self.settle(old)
        elif name == "clear":
            self.clear_points()
        elif name == "plot":
            # The radio group picks the class; Shift+click adds the other one, a shortcut for mouse users.
            label = self.settings.new_class
            self.add_point(event.fx, event.fy, 1.0 - label if event.shift else label)

    def on_plot_key(self, event: UIEvent) -> None:
        """Arrow keys move a crosshair over the plot; Enter adds a point of the chosen class there."""
        fx, fy = self.cursor or (0.5, 0.5)
        if event.key in MOVES:
            dx, dy = MOVES[event.key]
            step = 1 / 32 if not event.shift else 1 / 8
            self.cursor = (min(1.0, max(0.0, fx + dx * step)), min(1.0, max(0.0, fy + dy * step)))
        elif event.key == "Enter":
            self.cursor = (fx, fy)
            label = self.settings.new_class
            self.add_point(fx, fy, 1.0 - label if event.shift else label)

    def on_value(self, name: str, text: str, kind: str) -> None:
        if name == "seed" and kind != "change":  # not on every keystroke: "12" would first restart at "1"
            self.seed_text = text
            return
        old = self.settings
        try:
            self.settings = apply(old, name, text)
        except Refused as refused:
            self.seed_text = text
            self.message = str(refused)
            return
        if name == "seed":
            self.message = ""
        if self.settings != old:
            self.settle(old)

    # --- shareable links -------------------------------------------------------------------------------

    def share_state(self) -> dict[str, str]:
        """The settings that differ from the defaults and the learner's points: a link replays the same run."""
        fields = share_fields(self.settings)
        if self.added[self.settings.dataset]:
            fields["added"] = points_text(self.added[self.settings.dataset])
        return fields

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        """Apply a link's settings (each checked by its field) and start that run.

        Added points belong to the link's dataset, so they are read once the dataset is known.
        """
        fields = dict(fields)
        added = fields.pop("added", "")  # no points in the link: none in the run it describes
        settings, notices = restore_fields(fields, self.key)
        settings = replace(settings, new_class=self.settings.new_class)
        points, more = read_points(added, DOMAINS[settings.dataset])
        notices += [f"{self.key}.added: {notice}" for notice in more]
        if settings == self.settings and points == self.added[settings.dataset]:
            return notices  # the link holds this very state: the run carries on
        self.added[settings.dataset] = points
        old, self.settings = self.settings, settings
        self.message = ""
        self.settle(old, keep_past=False)
        self.new_data()  # the link's points, whether or not the dataset changed
        return notices

    # --- frames ----------------------------------------------------------------------------------------

    @property
    def wants_frame(self) -> bool:
        return self.running

    def frame(self, now_ms: float) -> None:
        """Train for at most the budget (and at most `speed` epochs), then yield to the page."""
        if not self.running:
            return
        deadline, clock = self.frames.deadline(), self.frames.clock
        limit = self.settings.speed or 1 << 30
        done = 0
        while done < limit:
            if not self.step_once():
                break
            done += 1
            if clock() >= deadline:
                break
        self.frames.trained(now_ms, self.epoch)
        if self.reduced_motion:
            # Fewer, calmer redraws: training runs as fast, the picture changes four times a second.
            self.hold_view = now_ms - self.last_view_ms < CALM_VIEW_MS and self.running
            if not self.hold_view:
                self.last_view_ms = now_ms

    @property
    def rate(self) -> str:
        return self.frames.rate

    def take_pixels(self) -> dict[str, Pixels]:
        """Canvases whose picture is stale: the boundary, and while training one hidden map per frame in turn
        (each still refreshes several times a second), all four once training stops."""
        pixels: dict[str, Pixels] = {}
        if not self.hold_view:
            stale = [name for name in (BOUNDARY, *HIDDEN_IDS) if self.painted.get(name) != self.version]
            if BOUNDARY in stale:
                pixels[BOUNDARY] = self.pixels()
            hidden = [name for name in stale if name != BOUNDARY]
            if self.running and hidden:
                hidden = [min(hidden, key=lambda name: self.painted.get(name, -1))]
            for name in hidden:
                pixels[name] = self.hidden_pixels(HIDDEN_IDS.index(name))
            for name in pixels:
                self.painted[name] = self.version
        # The page calls this after patching the view: from the end of training to here is the frame's drawing.
        self.frames.drawn()
        return pixels

    # Both pictures are kept until the weights or data change: the page start paints the very pictures that the
    # pre-rendered page's images were made of (web.dom adopts that view), and computes them once.
    def pixels(self) -> Pixels:
        """The decision boundary at the current weights."""
        return self.memo("boundary", (self.version,), lambda: paint(self.trainer.predict, self.domain))

    def hidden_pixels(self, unit: int) -> Pixels:
        """One hidden unit's tanh output over the plot's plane."""
        return self.memo(f"hidden-{unit}", (self.version,), lambda: Pixels(
            HIDDEN_GRID, HIDDEN_GRID, signed_rgba(self.run.hidden_values(unit, self.domain, HIDDEN_GRID))))

    # --- view ------------------------------------------------------------------------------------------

    def render(self, *, ready: bool = True) -> El:
        held = self.memo.last("view")
        if self.hold_view and held is not None:
            return held
        memo, s, run = self.memo, self.settings, self.run
        key = (ready, self.version, self.running, self.message, run.message, s, self.seed_text, self.cursor,
               self.rate, len(run.past))
        return memo("view", key, lambda: render_trainer(
            run_bar=render_run_bar(running=self.running, epoch=run.epoch, loss=self.loss, accuracy=self.accuracy,
                                   rate=self.rate, ready=ready),
            settings=memo("settings", (s, self.seed_text, ready), lambda: render_settings(s, self.seed_text, ready)),
            message=run.message or self.message,
            plot=memo("plot", (self.data_version, self.cursor, s.new_class, ready), lambda: render_plot(
                domain=self.domain, points=self.points_view(), cursor=self.cursor,
                added=len(self.added[s.dataset]), new_class=s.new_class,
                prerender=None if ready else png_data_uri(self.pixels()), ready=ready)),
            chart=render_chart(history=run.history, loss=s.loss, label=run.label, past=tuple(run.past)),
            hidden=memo("hidden", (ready,), lambda: render_hidden(
                None if ready else [png_data_uri(self.hidden_pixels(k)) for k in range(HIDDEN)])),
            net=render_net(run.weights()),
        ))

    def points_view(self) -> El:
        """The data points layer, rebuilt only when the data changes (the page then skips it when patching)."""
        def build():
            points = [(x, y, label, False) for (x, y), label in zip(*self.base, strict=True)]
            points += [(x, y, label, True) for x, y, label in self.added[self.settings.dataset]]
            return render_points(points, self.domain)
        return self.memo("points", (self.data_version, self.settings.dataset), build)

