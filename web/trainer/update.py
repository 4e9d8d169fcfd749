"""The trainer's state, and what every learner action does to it: `update(state, event) -> state`.

Read this file to find what a click, a key or a control does. The state says which run the learner asked for
(settings, added points, a run number that Reset and New weights move on, how many times Step was pressed) and
what is open (the selected weight, the point its chain is shown for); `web.trainer.run.Run` follows it, and the
views draw both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from engine.data import xor
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
    read_points,
    restarts,
    restore_fields,
)
from web.widget import UIEvent

MOVES = {"ArrowLeft": (-1, 0), "ArrowRight": (1, 0), "ArrowUp": (0, -1), "ArrowDown": (0, 1)}
XOR_POINTS = len(xor()[1])
NO_POINTS = MappingProxyType({name: () for name in DATASETS})


@dataclass(frozen=True)
class TrainerState:
    """The run the learner asked for and what the widget has open; the run object follows it."""

    settings: Settings = field(default_factory=Settings)
    added: Mapping[str, tuple[Point, ...]] = field(default_factory=lambda: NO_POINTS)  # per dataset
    running: bool = False
    message: str = ""        # the one message: a refused seed, the cap on added points, an overflow
    seed_text: str = ""      # what the Seed field shows: the learner's text until it is accepted ("" = the seed)
    cursor: tuple[float, float] | None = None  # the keyboard's crosshair, as fractions of the plot
    selected: int | None = None  # the weight or bias whose panel is open (engine parameter order)
    point: int = 0           # the training point whose chain the panel shows
    run_no: int = 0          # a new number starts a new run from the seed's weights
    keep_past: bool = True   # whether that run keeps the earlier loss curves (not after a link)
    steps: int = 0           # Step presses: the run does one epoch for each

    @property
    def points(self) -> tuple[Point, ...]:
        return self.added[self.settings.dataset]

    @property
    def seed_shown(self) -> str:
        return self.seed_text or str(self.settings.seed)

    def count(self) -> int:
        """How many training points there are: the dataset's and the learner's."""
        s = self.settings
        return (s.count if s.dataset == "moons" else XOR_POINTS) + len(self.points)


def with_points(state: TrainerState, points: tuple[Point, ...]) -> TrainerState:
    state = replace(state, added=MappingProxyType({**state.added, state.settings.dataset: points}))
    return replace(state, point=min(state.point, state.count() - 1))


def settle(state: TrainerState, settings: Settings, *, link: bool = False) -> TrainerState:
    """New settings: a new run if they restart one (see state.restarts), the panel closed if the width changed."""
    old = state.settings
    state = replace(state, settings=settings, seed_text="")
    if old.hidden != settings.hidden:
        state = replace(state, selected=None)
    if old.dataset != settings.dataset:
        state = replace(state, cursor=None, point=0)
    if restarts(old, settings) or link:
        same_task = all(getattr(old, n) == getattr(settings, n) for n in ("dataset", "loss", "noise", "count"))
        state = replace(state, run_no=state.run_no + 1, running=False, keep_past=same_task and not link)
    return replace(state, point=min(state.point, state.count() - 1))


def add_point(state: TrainerState, fx: float, fy: float, label: float) -> TrainerState:
    """Add a learner's point under (fx, fy) of the plot; training carries on with it included.

    The point is rounded as a link writes it (0.01, under a pixel), so a shared link replays this exact run.
    """
    if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
        return state
    if len(state.points) >= MAX_ADDED:
        return replace(state, message=f"At most {MAX_ADDED} points can be added; press Clear points to place others.")
    x, y = (round(v, ADDED_DECIMALS) + 0.0 for v in DOMAINS[state.settings.dataset].from_unit(fx, fy))
    return with_points(state, (*state.points, (x, y, label)))


def on_plot_key(state: TrainerState, event: UIEvent) -> TrainerState:
    """Arrow keys move a crosshair over the plot; Enter adds a point of the chosen class there."""
    fx, fy = state.cursor or (0.5, 0.5)
    if event.key in MOVES:
        dx, dy = MOVES[event.key]
        step = 1 / 32 if not event.shift else 1 / 8
        return replace(state, cursor=(min(1.0, max(0.0, fx + dx * step)), min(1.0, max(0.0, fy + dy * step))))
    if event.key == "Enter":
        label = state.settings.new_class
        return add_point(replace(state, cursor=(fx, fy)), fx, fy, 1.0 - label if event.shift else label)
    return state


def on_click(state: TrainerState, event: UIEvent) -> TrainerState:
    name, s = event.name, state.settings
    if name == "train":
        return replace(state, running=not state.running, message="" if not state.running else state.message)
    if name == "step":
        return replace(state, running=False, message="", steps=state.steps + 1)
    if name == "reset":
        return replace(state, running=False, message="", run_no=state.run_no + 1, keep_past=True)
    if name == "reseed":
        return settle(replace(state, message=""), replace(s, seed=next_seed(s.seed)))
    if name == "clear":
        return with_points(replace(state, message=""), ()) if state.points else state
    if name == "plot":
        # The radio group picks the class; Shift+click adds the other one, a shortcut for mouse users.
        return add_point(state, event.fx, event.fy, 1.0 - s.new_class if event.shift else s.new_class)
    if name == "grads":
        return replace(state, settings=replace(s, show_grads=not s.show_grads))
    if name.startswith("param:"):
        index = int(name[6:])
        return replace(state, selected=None if index == state.selected else index)
    if name == "close":
        return replace(state, selected=None)
    if name in ("prev", "next"):
        return replace(state, point=(state.point + (1 if name == "next" else -1)) % state.count())
    return state


def on_value(state: TrainerState, name: str, text: str, kind: str) -> TrainerState:
    if name == "seed" and kind != "change":  # not on every keystroke: "12" would first restart at "1"
        return replace(state, seed_text=text)
    try:
        settings = apply(state.settings, name, text)
    except Refused as refused:
        return replace(state, seed_text=text, message=str(refused))
    if name == "seed":
        state = replace(state, message="", seed_text="")
    return state if settings == state.settings else settle(state, settings)


def update(state: TrainerState, event: UIEvent) -> TrainerState:
    """What one learner action does."""
    if event.kind == "click":
        return on_click(state, event)
    if event.kind == "key" and event.name == "plot":
        return on_plot_key(state, event)
    if event.kind in ("input", "change"):
        return on_value(state, event.name, event.value, event.kind)
    return state


def restore(state: TrainerState, fields: Mapping[str, str], prefix: str) -> tuple[TrainerState, list[str]]:
    """A link that names the trainer describes it whole: its settings (defaults for the rest) and its points.

    Added points belong to the link's dataset, so they are read once the dataset is known."""
    fields = dict(fields)
    added = fields.pop("added", "")  # no points in the link: none in the run it describes
    settings, notices = restore_fields(fields, prefix)
    settings = replace(settings, new_class=state.settings.new_class, show_grads=state.settings.show_grads)
    points, more = read_points(added, DOMAINS[settings.dataset])
    notices += [f"{prefix}.added: {notice}" for notice in more]
    added = MappingProxyType({**NO_POINTS, settings.dataset: tuple(points)})
    if settings == state.settings and added == state.added:
        return state, notices  # the link holds this very state: the run carries on
    state = replace(state, added=added, message="", point=0)
    return settle(state, settings, link=True), notices
