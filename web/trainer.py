"""The live trainer: a 2 → 4 tanh → 1 sigmoid network learning XOR or two moons by full-batch gradient descent.

Training goes through `engine.train.Trainer` (the compiled straight-line code). The page calls `frame()` once per
animation frame while training runs; each call trains for at most a few milliseconds of a real clock, so the
controls keep answering. The views (controls, boundary, loss chart, network) are pure functions of the state.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, replace

from engine.data import moons, xor
from engine.nn import MLP
from engine.train import Trainer
from web.format import fixed, parse_number
from web.heatmap import GRID, VIEW, Domain, paint, png_data_uri, render_frame, render_points
from web.linechart import History, render_loss_chart
from web.netview import render_network
from web.tree import El, h
from web.widget import Pixels, UIEvent, Widget

DATASETS = {"xor": "XOR", "moons": "Two moons"}
# Square domains, so the 64×64 grid's pixels are square too; each holds its dataset with a margin.
DOMAINS = {"xor": Domain(-2.0, 2.0, -2.0, 2.0), "moons": Domain(-1.5, 2.5, -1.75, 2.25)}
LOSSES = {"bce": "Binary cross-entropy", "mse": "Squared error"}
# A log-scale slider over round numbers: 1, 2, 3, 5 per decade are near-even steps of log10.
LEARNING_RATES = (0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5,
                  1.0, 2.0, 3.0, 5.0, 10.0)
DEFAULT_LR = 0.3        # XOR converges (loss < 0.05) in about 250 epochs: under two seconds at the default speed
SPEEDS = (1, 3, 10, 30, 100, 0)  # epochs per frame; 0 trains for the whole per-frame budget
DEFAULT_SPEED = 3
NOISE_MIN, NOISE_MAX, NOISE_STEP = 0.0, 0.5, 0.05
COUNT_MIN, COUNT_MAX, COUNT_STEP = 20, 400, 20
DATA_SEED = 0           # the data never changes with Reset: only the initial weights do
HIDDEN = 4
# Per frame, Python may use FRAME_WORK_S in all (a 60 Hz frame is 16.7 ms and the browser needs the rest to
# patch and paint); training gets what drawing the previous frame left of it, within these bounds.
FRAME_WORK_S = 0.012
TRAIN_BUDGET_S = 0.010
MIN_BUDGET_S = 0.003
RATE_WINDOW_MS = 500.0
CALM_VIEW_MS = 250.0    # with reduced motion the view refreshes four times a second instead of every frame
MOVES = {"ArrowLeft": (-1, 0), "ArrowRight": (1, 0), "ArrowUp": (0, -1), "ArrowDown": (0, 1)}
PLOT_KEYS = " ".join([*MOVES, "Enter"])  # the page keeps these from scrolling while the plot has focus
OVERFLOW = "the loss overflowed: the learning rate is too large — lower it and press Reset"
# Added points travel in the link as "x,y,class" triples joined by "_", e.g. "1,1,1_-0.5,0.25,0": coordinates
# of the plane rounded to ADDED_DECIMALS (0.01 is under a pixel of the plot), so a link holds exactly the points
# the learner sees. At most MAX_ADDED: a few dozen are plenty to probe a boundary; 64 of the longest
# ("-1.75,-1.75,0") take under 900 characters, under half of share.MAX_FRAGMENT, leaving room for the other
# widgets' settings; and an epoch on XOR's 100 points plus 64 costs at most 1.64 times as much, no slowdown
# a learner would notice at the default speed.
MAX_ADDED = 64
ADDED_DECIMALS = 2
POINT_SEP = "_"
COORDINATE = re.compile(r"-?[0-9](\.[0-9]{1,2})?")  # ASCII digits only: \d would also take other scripts'


@dataclass(frozen=True)
class Settings:
    """Everything that decides a run: with the same settings the same run comes out, epoch for epoch."""

    dataset: str = "xor"
    noise: float = 0.1
    count: int = 200
    loss: str = "bce"
    lr: float = DEFAULT_LR
    seed: int = 1


def base_data(s: Settings) -> tuple[list[tuple[float, float]], list[float]]:
    """The dataset's own points, before any the learner added."""
    if s.dataset == "moons":
        return moons(s.count, s.noise, DATA_SEED)
    return xor()


def mean_loss(probs: list[float], labels: list[float], loss: str) -> float:
    """The mean loss of predictions against 0/1 labels, as the trainer defines it (inf when p hits 0 or 1)."""
    total = 0.0
    for p, y in zip(probs, labels, strict=True):
        if loss == "mse":
            total += (p - y) ** 2
        else:
            q = p if y == 1.0 else 1.0 - p  # -(y log p + (1 - y) log(1 - p)) for a 0/1 label
            total += -math.log(q) if q > 0.0 else math.inf
    return total / len(probs)


def coordinate_text(value: float) -> str:
    """A rounded coordinate as short as it reads: 1 for 1.00, -0.5 for -0.50."""
    text = f"{value:.{ADDED_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def points_text(points: list[tuple[float, float, float]]) -> str:
    """The learner's added points as link text (see MAX_ADDED)."""
    return POINT_SEP.join(f"{coordinate_text(x)},{coordinate_text(y)},{int(label)}" for x, y, label in points)


def read_points(text: str, domain: Domain) -> tuple[list[tuple[float, float, float]], list[str]]:
    """Added points from link text: each must be two plain decimals inside the plot and a 0/1 class.

    Anything else is left out and described in a notice; the first MAX_ADDED good points are kept.
    """
    if not text:
        return [], []
    pieces = text.split(POINT_SEP, MAX_ADDED)  # bounded work however long the text is
    extra = len(pieces) > MAX_ADDED
    points, bad = [], []
    for piece in pieces[:MAX_ADDED]:
        parts = piece.split(",")
        if len(parts) != 3 or not all(COORDINATE.fullmatch(p) for p in parts[:2]) or parts[2] not in ("0", "1"):
            bad.append(f"{piece[:20]!r} is not x,y,class")
            continue
        x, y = float(parts[0]) + 0.0, float(parts[1]) + 0.0  # + 0.0: "-0" reads as 0, as it is written
        if not (domain.x_min <= x <= domain.x_max and domain.y_min <= y <= domain.y_max):
            bad.append(f"{piece[:20]!r} is outside the plot")
            continue
        points.append((x, y, float(parts[2])))
    notices = []
    if bad:
        notices.append(f"ignored {len(bad)} added point{'s' if len(bad) > 1 else ''} ({bad[0]})")
    if extra:
        notices.append(f"ignored the added points after the first {MAX_ADDED}")
    return points, notices


def lr_index(lr: float) -> int:
    """The slider position whose learning rate is closest to lr (in log terms)."""
    return min(range(len(LEARNING_RATES)), key=lambda i: abs(math.log10(LEARNING_RATES[i]) - math.log10(lr)))


def lr_text(lr: float) -> str:
    return f"{lr:g}"


def speed_text(speed: int) -> str:
    if speed == 0:
        return "As fast as possible"
    return f"{speed} epoch per frame" if speed == 1 else f"{speed} epochs per frame"


class TrainerWidget(Widget):
    """State: settings, added points, the model and its Trainer, the loss history and whether it runs."""

    key = "trainer"

    def __init__(self, settings: Settings | None = None, *, clock=time.perf_counter,
                 budget: float = TRAIN_BUDGET_S):
        self.settings = settings or Settings()
        self.clock, self.budget = clock, budget
        self.drawing = 0.0        # seconds the last frame spent after training: view, patch and boundary
        self.trained_at: float | None = None
        self.speed = DEFAULT_SPEED
        self.running = False
        self.message = ""
        self.added: dict[str, list[tuple[float, float, float]]] = {name: [] for name in DATASETS}
        self.cursor: tuple[float, float] | None = None  # the keyboard's crosshair, as fractions of the plot
        self.version = 0          # bumps whenever weights or data change: the boundary must be repainted
        self.data_version = 0
        self.painted = -1
        self.rate = ""            # measured epochs/s and frames/s while training
        self.window: tuple[float, int, int] | None = None  # (start ms, epoch, frames) of the rate window
        self.frames = 0
        self.hold_view = False
        self.last_view_ms = -math.inf
        self._view: tuple[tuple, El] | None = None
        self._points_view: tuple[int, El] | None = None
        self._memo: dict[str, tuple[tuple, El]] = {}
        self._loss_cache = (-1, math.nan)
        self.load_data()
        self.restart()

    # --- state -----------------------------------------------------------------------------------------

    @property
    def domain(self) -> Domain:
        return DOMAINS[self.settings.dataset]

    def load_data(self) -> None:
        """Regenerate the dataset's points for the current settings."""
        self.base = base_data(self.settings)
        self.grid_points = self.domain.grid()

    def data(self) -> tuple[list[tuple[float, float]], list[float]]:
        """The training set: the dataset's points, then the learner's."""
        X, Y = list(self.base[0]), list(self.base[1])
        for x, y, label in self.added[self.settings.dataset]:
            X.append((x, y))
            Y.append(label)
        return X, Y

    def restart(self) -> None:
        """Fresh weights from the seed, epoch 0, empty history: the start of a reproducible run."""
        s = self.settings
        self.model = MLP(2, [HIDDEN], 1, activation="tanh", output="sigmoid", seed=s.seed)
        self.epoch = 0
        self.history = History()
        self.message = ""
        self.retrain()

    def retrain(self) -> None:
        """A new Trainer on the current data that carries on from the model's current weights."""
        X, Y = self.data()
        self.trainer = Trainer(self.model, X, Y, lr=self.settings.lr, loss=self.settings.loss)
        self.data_version += 1
        self.changed()

    def changed(self) -> None:
        self.version += 1

    def change(self, **fields) -> None:
        """New settings that define a different run: regenerate the data if needed and start again."""
        old, self.settings = self.settings, replace(self.settings, **fields)
        if (old.dataset, old.noise, old.count) != (self.settings.dataset, self.settings.noise, self.settings.count):
            self.load_data()
        self.restart()

    @property
    def loss(self) -> float:
        """The mean loss at the current weights on the current data (what the next epoch will report)."""
        if self._loss_cache[0] != self.version:
            t = self.trainer
            self._loss_cache = (self.version, mean_loss(t.predict(t.X), t.Y, self.settings.loss))
        return self._loss_cache[1]

    def step_once(self) -> bool:
        """One epoch; on a non-finite loss stop training and explain, and return False."""
        loss = self.trainer.step()
        if not math.isfinite(loss):
            # The trainer kept the last finite weights, so the boundary and diagram still show something true.
            self.running = False
            self.message = f"Training stopped at epoch {self.epoch + 1} because {OVERFLOW}."
            return False
        self.history.append(loss)
        self.epoch += 1
        self.version += 1
        return True

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
        self.retrain()

    def clear_points(self) -> None:
        if self.added[self.settings.dataset]:
            self.added[self.settings.dataset] = []
            self.retrain()

    # --- events ----------------------------------------------------------------------------------------

    def handle(self, event: UIEvent) -> None:
        self.hold_view = False
        name, kind = event.name, event.kind
        if kind == "click":
            self.on_click(event)
        elif kind == "key" and name == "plot":
            self.on_plot_key(event)
        elif kind in ("input", "change"):
            self.on_value(name, event.value, kind)

    def on_click(self, event: UIEvent) -> None:
        name = event.name
        if name == "train":
            self.running = not self.running
            if self.running:
                self.message = ""
                self.window = None
        elif name == "step":
            self.running = False
            self.message = ""
            self.step_once()
        elif name == "reset":
            self.running = False
            self.settings = replace(self.settings, seed=self.settings.seed + 1)
            self.restart()
        elif name == "clear":
            self.clear_points()
        elif name == "plot":
            self.add_point(event.fx, event.fy, 0.0 if event.shift else 1.0)

    def on_plot_key(self, event: UIEvent) -> None:
        """Arrow keys move a crosshair over the plot; Enter adds a class-1 point there, Shift+Enter class 0."""
        fx, fy = self.cursor or (0.5, 0.5)
        if event.key in MOVES:
            dx, dy = MOVES[event.key]
            step = 1 / 32 if not event.shift else 1 / 8
            self.cursor = (min(1.0, max(0.0, fx + dx * step)), min(1.0, max(0.0, fy + dy * step)))
        elif event.key == "Enter":
            self.cursor = (fx, fy)
            self.add_point(fx, fy, 0.0 if event.shift else 1.0)

    def on_value(self, name: str, text: str, kind: str) -> None:
        s = self.settings
        if name == "dataset" and text in DATASETS and text != s.dataset:
            self.cursor = None
            self.change(dataset=text)
        elif name == "loss" and text in LOSSES and text != s.loss:
            self.change(loss=text)
        elif name == "lr":
            index = parse_number(text)
            if index is not None:
                lr = LEARNING_RATES[min(len(LEARNING_RATES) - 1, max(0, round(index)))]
                self.settings = replace(s, lr=lr)
                self.trainer.lr = lr  # takes effect from the next epoch; the run carries on
        elif name == "speed":
            value = parse_number(text)
            if value is not None and int(value) in SPEEDS:
                self.speed = int(value)
        elif name == "noise":
            value = parse_number(text)
            if value is not None:
                noise = round(min(NOISE_MAX, max(NOISE_MIN, value)) / NOISE_STEP) * NOISE_STEP
                if round(noise, 2) != s.noise:
                    self.change(noise=round(noise, 2))
        elif name == "count":
            value = parse_number(text)
            if value is not None:
                count = int(round(min(COUNT_MAX, max(COUNT_MIN, value)) / COUNT_STEP) * COUNT_STEP)
                if count != s.count:
                    self.change(count=count)
        elif name == "seed" and kind == "change":  # not on every keystroke: "12" would first restart at "1"
            value = parse_number(text)
            if value is not None and value >= 0 and value == int(value) and int(value) != s.seed:
                self.change(seed=int(value))

    # --- shareable links -------------------------------------------------------------------------------

    def share_state(self) -> dict[str, str]:
        """The settings that differ from the defaults: with the seed, a link replays the same run."""
        s, d = self.settings, Settings()
        fields = {name: text for name, text, default in (
            ("dataset", s.dataset, d.dataset), ("lr", lr_text(s.lr), lr_text(d.lr)), ("loss", s.loss, d.loss),
            ("seed", str(s.seed), str(d.seed)), ("speed", str(self.speed), str(DEFAULT_SPEED)),
        ) if text != default}
        if s.dataset == "moons":
            fields.update({name: text for name, text, default in (
                ("noise", f"{s.noise:.2f}", f"{d.noise:.2f}"), ("points", str(s.count), str(d.count)),
            ) if text != default})
        if self.added[s.dataset]:
            fields["added"] = points_text(self.added[s.dataset])
        return fields

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        """Apply a link's settings (each checked against its control's choices) and start that run.

        Added points belong to the link's dataset, so they are read once the dataset is known.
        """
        notices, changes = [], {}
        fields = dict(fields)
        added = fields.pop("added", None)
        for name, text in fields.items():
            value = parse_number(text) if name not in ("dataset", "loss") else None
            if name == "dataset" and text in DATASETS:
                changes["dataset"] = text
            elif name == "loss" and text in LOSSES:
                changes["loss"] = text
            elif name == "lr" and value in LEARNING_RATES:
                changes["lr"] = value
            elif name == "seed" and value is not None and 0 <= value == int(value) < 2**31:
                changes["seed"] = int(value)
            elif name == "noise" and value is not None and NOISE_MIN <= value <= NOISE_MAX:
                changes["noise"] = round(round(value / NOISE_STEP) * NOISE_STEP, 2)
            elif name == "points" and value is not None and COUNT_MIN <= value <= COUNT_MAX:
                changes["count"] = int(round(value / COUNT_STEP) * COUNT_STEP)
            elif name == "speed" and value is not None and value in SPEEDS:
                self.speed = int(value)
            else:
                notices.append(f"ignored {self.key}.{name}={text[:20]!r}")
        if added is not None:
            dataset = changes.get("dataset", self.settings.dataset)
            points, more = read_points(added, DOMAINS[dataset])
            self.added[dataset] = points
            notices += [f"{self.key}.added: {notice}" for notice in more]
        if changes or added is not None:
            self.change(**changes)
        return notices

    # --- frames ----------------------------------------------------------------------------------------

    @property
    def wants_frame(self) -> bool:
        return self.running

    def frame(self, now_ms: float) -> None:
        """Train for at most the budget (and at most `speed` epochs), then yield to the page."""
        if not self.running:
            return
        clock = self.clock
        start = clock()
        budget = min(self.budget, max(MIN_BUDGET_S, FRAME_WORK_S - self.drawing))
        deadline = start + budget
        limit = self.speed or 1 << 30
        done = 0
        while done < limit:
            if not self.step_once():
                break
            done += 1
            if clock() >= deadline:
                break
        self.trained_at = clock()
        self.measure(now_ms)
        if self.reduced_motion:
            # Fewer, calmer redraws: training runs as fast, the picture changes four times a second.
            self.hold_view = now_ms - self.last_view_ms < CALM_VIEW_MS and self.running
            if not self.hold_view:
                self.last_view_ms = now_ms

    def measure(self, now_ms: float) -> None:
        """Epochs and frames per second over half-second windows, shown while training."""
        self.frames += 1
        if self.window is None:
            self.window = (now_ms, self.epoch, self.frames)
            return
        start, epoch, frames = self.window
        elapsed = now_ms - start
        if elapsed >= RATE_WINDOW_MS:
            eps = (self.epoch - epoch) * 1000.0 / elapsed
            fps = (self.frames - frames) * 1000.0 / elapsed
            self.rate = f"{eps:,.0f} epochs/s · {fps:.0f} frames/s"
            self.window = (now_ms, self.epoch, self.frames)

    def take_pixels(self) -> dict[str, Pixels]:
        # The page calls this after patching the view, so from the end of training to here is the frame's
        # drawing cost, which the next frame's training budget leaves room for.
        if self.painted == self.version or self.hold_view:
            pixels = {}
        else:
            self.painted = self.version
            pixels = {"trainer-canvas": self.pixels()}
        if self.trained_at is not None:
            self.drawing = self.clock() - self.trained_at
            self.trained_at = None
        return pixels

    def pixels(self) -> Pixels:
        """The decision boundary at the current weights."""
        return paint(self.trainer.predict, self.domain, self.grid_points)

    # --- view ------------------------------------------------------------------------------------------

    def render(self, *, ready: bool = True) -> El:
        if self.hold_view and self._view is not None:
            return self._view[1]
        key = (ready, self.version, self.running, self.message, self.settings, self.speed, self.cursor,
               self.rate)
        if self._view is None or self._view[0] != key:
            self._view = (key, render_trainer(self, ready=ready))
        return self._view[1]

    def memo(self, name: str, key: tuple, build) -> El:
        """The same subtree object as last time while its key is unchanged, so the page skips it when patching."""
        hit = self._memo.get(name)
        if hit is None or hit[0] != key:
            hit = self._memo[name] = (key, build())
        return hit[1]

    def points_view(self) -> El:
        """The data points layer, rebuilt only when the data changes (the page then skips it when patching)."""
        if self._points_view is None or self._points_view[0] != self.data_version:
            points = [(x, y, label, False) for (x, y), label in zip(*self.base, strict=True)]
            points += [(x, y, label, True) for x, y, label in self.added[self.settings.dataset]]
            self._points_view = (self.data_version, render_points(points, self.domain))
        return self._points_view[1]


# --- pure views ----------------------------------------------------------------------------------------


def control(label: str, field: El, *, for_id: str, value: str | None = None) -> El:
    """A labelled control with an optional visible value."""
    shown = h("output", {"for": for_id, "class": "value", "aria-live": "off"}, value) if value is not None else None
    return h("div", {"class": "control"}, h("label", {"for": for_id}, label), field, shown)


def select(id_: str, on: str, options: list[tuple[str, str]], current: str, ready: bool) -> El:
    return h("select", {"id": id_, "data-on": on, "value": current, "disabled": not ready},
             *[h("option", {"value": value, "selected": value == current}, text) for value, text in options])


def slider(id_: str, on: str, lo, hi, step, value, text: str, ready: bool) -> El:
    return h("input", {"id": id_, "type": "range", "data-on": on, "min": lo, "max": hi, "step": step,
                       "value": value, "aria-valuetext": text, "disabled": not ready})


def render_buttons(w: TrainerWidget, ready: bool) -> El:
    off = not ready
    return h(
        "div", {"class": "controls trainer-run"},
        h("button", {"type": "button", "class": "primary", "data-on": "train", "disabled": off},
          "Pause" if w.running else "Train"),
        h("button", {"type": "button", "data-on": "step", "disabled": off}, "Step"),
        h("button", {"type": "button", "data-on": "reset", "disabled": off}, "Reset"),
        h("p", {"class": "trainer-readouts"},
          h("output", {"id": "trainer-epoch", "aria-live": "off"}, f"Epoch {w.epoch}"),
          h("output", {"id": "trainer-loss", "aria-live": "off"}, f"Loss {fixed(w.loss, 4)}"),
          h("output", {"id": "trainer-rate", "class": "rate", "aria-live": "off"}, w.rate if w.running else "")),
    )


def render_settings(w: TrainerWidget, ready: bool) -> El:
    s = w.settings
    moons_controls = []
    if s.dataset == "moons":
        moons_controls = [
            control("Noise", slider("trainer-noise", "noise", NOISE_MIN, NOISE_MAX, NOISE_STEP, f"{s.noise:.2f}",
                                    fixed(s.noise, 2), ready), for_id="trainer-noise", value=fixed(s.noise, 2)),
            control("Number of points", slider("trainer-count", "count", COUNT_MIN, COUNT_MAX, COUNT_STEP,
                                               s.count, str(s.count), ready),
                    for_id="trainer-count", value=str(s.count)),
        ]
    index = lr_index(s.lr)
    return h(
        "div", {"class": "controls trainer-settings"},
        control("Dataset", select("trainer-dataset", "dataset", list(DATASETS.items()), s.dataset, ready),
                for_id="trainer-dataset"),
        control("Learning rate", slider("trainer-lr", "lr", 0, len(LEARNING_RATES) - 1, 1, index, lr_text(s.lr),
                                        ready), for_id="trainer-lr", value=lr_text(s.lr)),
        control("Loss function", select("trainer-lossfn", "loss", list(LOSSES.items()), s.loss, ready),
                for_id="trainer-lossfn"),
        control("Speed", select("trainer-speed", "speed", [(str(v), speed_text(v)) for v in SPEEDS],
                                str(w.speed), ready), for_id="trainer-speed"),
        control("Seed", h("input", {"id": "trainer-seed", "type": "number", "data-on": "seed", "min": 0, "step": 1,
                                    "value": s.seed, "inputmode": "numeric", "disabled": not ready}),
                for_id="trainer-seed"),
        h("div", {"class": "trainer-moons"}, *moons_controls),
    )


def render_cursor(cursor: tuple[float, float] | None) -> El | None:
    if cursor is None:
        return None
    x, y = cursor[0] * VIEW, cursor[1] * VIEW
    return h("path", {"class": "cursor", "d": f"M{x - 9:.1f},{y:.1f}H{x + 9:.1f}M{x:.1f},{y - 9:.1f}V{y + 9:.1f}"})


def render_plot(w: TrainerWidget, ready: bool) -> El:
    """The canvas (painted by the page), the points on top, and how to add points."""
    layers = [h("canvas", {"id": "trainer-canvas", "width": GRID, "height": GRID, "role": "img",
                           "aria-label": "Decision boundary"})]
    if not ready:
        # Before Python runs nothing can paint the canvas: show the same picture as an image instead.
        layers.append(h("img", {"class": "prerender", "src": png_data_uri(w.pixels()), "alt": ""}))
    layers.append(h("svg", {"class": "overlay", "viewBox": f"0 0 {VIEW} {VIEW}", "aria-hidden": "true"},
                    render_frame(w.domain), w.points_view(), render_cursor(w.cursor)))
    added = len(w.added[w.settings.dataset])
    return h(
        "figure", {"class": "trainer-plot"},
        h("div", {"class": "plot-box", "data-on": "plot", "data-keys": PLOT_KEYS, "tabindex": 0, "role": "group",
                  "aria-label": "Data and decision boundary", "aria-describedby": "trainer-plot-help"}, *layers),
        h("figcaption", {},
          h("p", {"id": "trainer-plot-help", "class": "hint"},
            h("span", {"class": "key key1"}, "blue"), " class 1, ", h("span", {"class": "key key0"}, "orange"),
            " class 0. Click the plot to add a class 1 point, Shift+click for class 0 (keyboard: arrow keys move a "
            "cross, Enter adds, Shift+Enter for class 0)."),
          h("button", {"type": "button", "data-on": "clear", "disabled": not ready or added == 0},
            "Clear points"),
          h("span", {"class": "added-count"}, f"{added} added" if added else "")),
    )


def network_weights(model: MLP) -> list[list[tuple[list[float], float]]]:
    """The model's weights as numbers, layer by layer: (incoming weights, bias) per neuron."""
    return [[([w.data for w in weights], bias.data) for weights, bias in layer] for layer in model.layers]


NET_NAMES = (["x₁", "x₂"], [f"h{i}" for i in range(1, HIDDEN + 1)], ["p"])


def render_side(w: TrainerWidget) -> El:
    loss_name = LOSSES[w.settings.loss].lower()
    return h(
        "div", {"class": "trainer-side"},
        h("figure", {"class": "trainer-chart"},
          render_loss_chart(w.history, loss_name=LOSSES[w.settings.loss]),
          h("figcaption", {}, f"Training loss ({loss_name}, log scale) after each epoch")),
        h("figure", {"class": "trainer-net"},
          render_network(network_weights(w.model), NET_NAMES),
          h("figcaption", {}, "Weights: blue positive, orange negative, width by size")),
    )


def render_trainer(w: TrainerWidget, *, ready: bool = True) -> El:
    """The whole widget: run buttons and read-outs, settings, the message line, plot, chart and network."""
    return h(
        "div", {"class": "trainer-widget"},
        render_buttons(w, ready),
        w.memo("settings", (w.settings, w.speed, ready), lambda: render_settings(w, ready)),
        h("p", {"class": "trainer-message", "role": "status", "aria-live": "polite"}, w.message),
        h("div", {"class": "trainer-panels"},
          w.memo("plot", (w.data_version, w.cursor, ready), lambda: render_plot(w, ready)),
          render_side(w)),
    )
