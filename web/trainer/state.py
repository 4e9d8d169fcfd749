"""The trainer's settings on one table of fields, and the learner's added points.

`FIELDS` is the one place that says, for each setting, how its text is read, how a value snaps to the
control's steps, what its default is and whether a link carries it (TF Playground's `state.ts` PROPS table is
the model). Event handling (`apply`), links out (`share_fields`) and links in (`restore_fields`) all loop over
it, so a setting is parsed in one place only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from web.trainer.heatmap import Domain

DATASETS = {"xor": "XOR", "moons": "Two moons"}
# Square domains, so the 64×64 grid's pixels are square too; each holds its dataset with a margin.
DOMAINS = {"xor": Domain(-2.0, 2.0, -2.0, 2.0), "moons": Domain(-1.5, 2.5, -1.75, 2.25)}
LOSSES = {"bce": "Binary cross-entropy", "mse": "Squared error"}
# A log-scale slider over round numbers: 1, 2, 3, 5 per decade are near-even steps of log10. The ends are
# measured (bench/README.md, "Learning rate"): at 0.001 the loss barely moves in 300 epochs; at 300 training
# fails on both datasets at the default seed (the loss jumps, rises or overflows).
LEARNING_RATES = (*tuple(m * 10.0 ** e for e in range(-3, 2) for m in (1, 2, 3, 5)), 100.0, 200.0, 300.0)
LEARNING_RATES = tuple(float(f"{lr:.3g}") for lr in LEARNING_RATES)
# Per-dataset defaults, measured over seeds 1-5 (bench/README.md): XOR falls below loss 0.1 in 129-182 epochs
# at 0.3, about a second at the default speed; two moons needs 3 (71-263 epochs; at 0.3 seeds 1 and 3 sit on a
# plateau near 0.27 for over 1,000 epochs while the boundary stays straight).
# Sigmoid units have a quarter of tanh's slope at 0 and need larger steps; ReLU units are as quick as tanh on XOR
# but need 3 on two moons (bench/activations.py, in bench/README.md: at seed 3 two moons never gets there, as
# units die).
DEFAULT_LRS = {("xor", "tanh"): 0.3, ("moons", "tanh"): 3.0,
               ("xor", "sigmoid"): 2.0, ("moons", "sigmoid"): 10.0,
               ("xor", "relu"): 0.3, ("moons", "relu"): 3.0}
ACTIVATIONS = {"tanh": "tanh", "sigmoid": "sigmoid", "relu": "ReLU"}
HIDDEN_MIN, HIDDEN_MAX = 1, 8
SPEEDS = (1, 3, 10, 30, 100, 0)  # epochs per frame; 0 trains for the whole per-frame budget
NOISE_MIN, NOISE_MAX, NOISE_STEP = 0.0, 0.5, 0.05
COUNT_MIN, COUNT_MAX, COUNT_STEP = 20, 400, 20
SEED_LIMIT = 2**31      # seeds are 0 <= seed < 2³¹: what every link reader and random generator agrees on
DEFAULT_SEED = 1
DATA_SEED = 0           # the data never changes with Reset or New weights: only the initial weights do


@dataclass(frozen=True)
class Settings:
    """Every setting a learner can change: with the same settings the same run comes out, epoch for epoch."""

    dataset: str = "xor"
    lr: float = DEFAULT_LRS["xor", "tanh"]
    loss: str = "bce"
    seed: int = DEFAULT_SEED
    speed: int = 3
    noise: float = 0.1
    count: int = 200
    new_class: float = 1.0  # the class a click on the plot adds (the "New points" radio group)
    hidden: int = 4         # hidden units: the one place the network's width is stated
    act: str = "tanh"
    show_grads: bool = False  # the network diagram draws ∂L/∂w instead of w

    @property
    def parameters(self) -> int:
        """How many weights and biases the 2 → hidden → 1 network has: 4k + 1."""
        return 4 * self.hidden + 1


class Refused(ValueError):
    """A value the learner typed that the control cannot take; the message says what it takes."""


def read_choice(choices) -> Callable[[str], str | None]:
    return lambda text: text if text in choices else None


# One reader for every number a link or a control sends: plain ASCII decimals, nothing else. float() would also
# take Unicode digits ("٣" is 3), underscores ("1_0" is 10), "inf" and "nan"; none of them is a setting.
NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?")


def read_float(text: str) -> float | None:
    """A plain ASCII decimal (the typographic minus too, as the page writes it), else None."""
    text = text.strip().replace("\u2212", "-")
    return float(text) if len(text) <= 40 and NUMBER.fullmatch(text) else None


def read_seed(text: str) -> int:
    value = read_float(text)
    if value is None or value != int(value) or not 0 <= value < SEED_LIMIT:
        raise Refused(f"The seed must be a whole number from 0 to {SEED_LIMIT - 1:,}; kept the previous seed.")
    return int(value)


def snap_lr(value: float) -> float | None:
    return value if value in LEARNING_RATES else None


def lr_from_slider(text: str) -> float | None:
    """The slider sends its position (0 … len(LEARNING_RATES) − 1), not the rate: the scale is logarithmic."""
    index = read_float(text)
    if index is None or index != int(index) or not 0 <= index < len(LEARNING_RATES):
        return None
    return LEARNING_RATES[int(index)]


def on_steps(lo: float, hi: float, step: float) -> Callable[[float], float | None]:
    """A stepped control's value check: a value on one of its steps, else None (never snapped: a link that asks
    for 30 points on a control of 20, 40, … is refused with a notice, not quietly read as 40)."""
    def check(value: float) -> float | None:
        k = round((value - lo) / step)
        return round(lo + k * step, 6) if lo <= value <= hi and abs(value - (lo + k * step)) < 1e-9 else None
    return check


def snap_speed(value: float) -> int | None:
    return int(value) if value in SPEEDS else None


def snap_noise(value: float) -> float | None:
    return on_steps(NOISE_MIN, NOISE_MAX, NOISE_STEP)(value)


def snap_count(value: float) -> int | None:
    checked = on_steps(COUNT_MIN, COUNT_MAX, COUNT_STEP)(value)
    return None if checked is None else int(checked)


def snap_hidden(value: float) -> int | None:
    checked = on_steps(HIDDEN_MIN, HIDDEN_MAX, 1)(value)
    return None if checked is None else int(checked)


def read_flag(text: str) -> bool | None:
    return {"1": True, "0": False, "true": True, "false": False}.get(text)


def read_class(text: str) -> float | None:
    return {"1": 1.0, "0": 0.0}.get(text)


@dataclass(frozen=True)
class Field:
    """One setting: its Settings attribute and link key, how text becomes a value, and how it is written."""

    name: str                         # the Settings attribute
    key: str                          # the link's key (trainer.<key>) and the control's data-on
    parse: Callable[[str], object]    # text -> value, None if unreadable (or raises Refused with a message)
    snap: Callable[[object], object]  # value -> the nearest value the control offers, None if it has none
    write: Callable[[object], str]    # value -> link text, which parse reads back to the same value
    in_link: bool = True              # written into links when it differs from its default
    restarts: bool = True             # a new value starts a new run (the learning rate, speed, class do not)
    moons_only: bool = False          # only two moons reads it: on XOR a new value changes nothing
    control: Callable[[str], object] | None = None  # how the control's own text reads, if not like a link's


def same(value):
    return value


FIELDS = (
    Field("dataset", "dataset", read_choice(DATASETS), same, str),
    Field("lr", "lr", read_float, snap_lr, lambda v: lr_text(v), restarts=False, control=lr_from_slider),
    Field("loss", "loss", read_choice(LOSSES), same, str),
    Field("seed", "seed", read_seed, same, str),
    Field("speed", "speed", read_float, snap_speed, str, restarts=False),
    # Noise and count stay in the link on XOR too: back on two moons they are still the learner's.
    Field("noise", "noise", read_float, snap_noise, lambda v: f"{v:.2f}", moons_only=True),
    Field("count", "points", read_float, snap_count, str, moons_only=True),
    Field("hidden", "hidden", read_float, snap_hidden, str),
    Field("act", "act", read_choice(ACTIVATIONS), same, str),
    # Which class a click adds is a choice of the moment, not part of the run a link replays.
    Field("new_class", "newclass", read_class, same, lambda v: str(int(v)), in_link=False, restarts=False),
    # Showing gradients is a way of looking, not part of the run: a link does not carry it.
    Field("show_grads", "grads", read_flag, same, lambda v: str(int(v)), in_link=False, restarts=False),
)
BY_KEY = {f.key: f for f in FIELDS}


def default_for(field: Field, s: Settings):
    """A field's default, which for the learning rate depends on the dataset and the activation."""
    return DEFAULT_LRS[s.dataset, s.act] if field.name == "lr" else getattr(Settings(), field.name)


def read(field: Field, text: str, *, from_control: bool = False):
    """A field's value from text (a link's, or the control's), snapped; None if it has no such value."""
    value = (field.control if from_control and field.control else field.parse)(text)
    return None if value is None else field.snap(value)


def apply(s: Settings, key: str, text: str) -> Settings:
    """The settings after a control sent `text`; unchanged for text it cannot read. Raises Refused to explain."""
    field = BY_KEY.get(key)
    if field is None:
        return s
    value = read(field, text, from_control=True)
    if value is None:
        return s
    if field.name in ("dataset", "act") and value != getattr(s, field.name):
        # Each dataset and activation comes with the learning rate measured to bend its boundary in seconds.
        new = replace(s, **{field.name: value})
        return replace(new, lr=DEFAULT_LRS[new.dataset, new.act])
    return replace(s, **{field.name: value})


def restarts(old: Settings, new: Settings) -> bool:
    """Whether going from old to new settings starts a new run (new weights, epoch 0)."""
    return any(f.restarts and getattr(old, f.name) != getattr(new, f.name)
               and not (f.moons_only and old.dataset == new.dataset == "xor") for f in FIELDS)


def share_fields(s: Settings) -> dict[str, str]:
    """The link text of every field that goes in links and differs from its default."""
    return {f.key: f.write(getattr(s, f.name)) for f in FIELDS
            if f.in_link and getattr(s, f.name) != default_for(f, s)}


def restore_fields(fields: dict[str, str], prefix: str) -> tuple[Settings, list[str]]:
    """Settings from a link's fields (defaults for the rest), plus a notice for each field ignored."""
    values, notices = {}, []
    for key, text in fields.items():
        field = BY_KEY.get(key)
        try:
            value = None if field is None or not field.in_link else read(field, text)
        except Refused:
            value = None
        if value is None:
            notices.append(f"ignored {prefix}.{key}={text[:20]!r}")
        else:
            values[field.name] = value
    values.setdefault("lr", DEFAULT_LRS[values.get("dataset", Settings.dataset), values.get("act", Settings.act)])
    return Settings(**values), notices


# --- the learner's added points --------------------------------------------------------------------------
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

Point = tuple[float, float, float]


def coordinate_text(value: float) -> str:
    """A rounded coordinate as short as it reads: 1 for 1.00, -0.5 for -0.50."""
    text = f"{value:.{ADDED_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def points_text(points: list[Point]) -> str:
    """The learner's added points as link text (see MAX_ADDED)."""
    return POINT_SEP.join(f"{coordinate_text(x)},{coordinate_text(y)},{int(label)}" for x, y, label in points)


def read_points(text: str, domain: Domain) -> tuple[list[Point], list[str]]:
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


def next_seed(seed: int) -> int:
    """The seed New weights draws: the next one, wrapping to 0 so it never leaves what a link can carry."""
    return (seed + 1) % SEED_LIMIT
