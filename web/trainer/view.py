"""The trainer's views: pure functions of values (settings, numbers, histories, weights) returning element trees.

`Memo` is the one cache: a subtree is rebuilt only when its key changes, and an unchanged subtree is the same
object as last time, so the page skips it when patching.
"""

from __future__ import annotations

from web.format import fixed
from web.trainer.heatmap import GRID, VIEW, Domain, render_frame
from web.trainer.linechart import History, render_loss_chart
from web.trainer.netview import render_network
from web.trainer.state import (
    ACTIVATIONS,
    COUNT_MAX,
    COUNT_MIN,
    COUNT_STEP,
    DATASETS,
    HIDDEN_MAX,
    HIDDEN_MIN,
    LEARNING_RATES,
    LOSSES,
    NOISE_MAX,
    NOISE_MIN,
    NOISE_STEP,
    SEED_LIMIT,
    SPEEDS,
    Settings,
    lr_index,
    lr_text,
)
from web.tree import El, h

PLOT_KEYS = "ArrowLeft ArrowRight ArrowUp ArrowDown Enter"  # the page keeps these from scrolling the page
HIDDEN_GRID = 32       # the hidden-unit maps are drawn small, so a coarser grid costs a quarter of the boundary's


class Memo:
    """Cached views: `memo(view, *args)` calls view(*args) only when the arguments differ from last time, so a
    view's cache key is exactly what it is drawn from. `memo.keyed(name, key, build)` is the same for a value
    built some other way (a picture from the run, whose key is the run's version)."""

    def __init__(self):
        self._hits: dict[str, tuple[tuple, El]] = {}

    def __call__(self, view, *args, **kwargs):
        return self.keyed(view.__name__, (args, kwargs), lambda: view(*args, **kwargs))

    def keyed(self, name: str, key: tuple, build):
        hit = self._hits.get(name)
        if hit is None or hit[0] != key:
            hit = self._hits[name] = (key, build())
        return hit[1]


def speed_text(speed: int) -> str:
    if speed == 0:
        return "As fast as possible"
    return f"{speed} epoch per frame" if speed == 1 else f"{speed} epochs per frame"


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


def render_run_bar(*, running: bool, epoch: int, loss: float, accuracy: float, rate: str, ready: bool) -> El:
    """Train/Pause, Step, Reset, New weights, and the epoch, loss and accuracy read-outs."""
    off = not ready
    return h(
        "div", {"class": "controls trainer-run"},
        h("div", {"class": "trainer-buttons"},
          h("button", {"type": "button", "class": "primary", "data-on": "train", "disabled": off},
            "Pause" if running else "Train"),
          h("button", {"type": "button", "data-on": "step", "disabled": off}, "Step"),
          h("button", {"type": "button", "data-on": "reset", "disabled": off,
                       "title": "Start again from the same weights"}, "Reset"),
          h("button", {"type": "button", "data-on": "reseed", "disabled": off,
                       "title": "Start again from the next seed's weights"}, "New weights")),
        h("p", {"class": "trainer-readouts"},
          h("output", {"id": "trainer-epoch", "aria-live": "off"}, f"Epoch {epoch}"),
          h("output", {"id": "trainer-loss", "aria-live": "off"}, f"Loss {fixed(loss, 4)}"),
          h("output", {"id": "trainer-accuracy", "aria-live": "off"}, f"Accuracy {accuracy * 100:.0f}%")),
        # A line of its own, always there: the rate appearing once training runs must not move the page.
        h("p", {"class": "trainer-rate"},
          h("output", {"id": "trainer-rate", "class": "rate", "aria-live": "off"}, rate if running else "")),
    )


def render_experiment(dataset: str, lr: float, ready: bool) -> El:
    """Dataset and learning rate: the settings of the learning-rate experiment, kept next to Train."""
    return h(
        "div", {"class": "controls trainer-settings trainer-experiment"},
        control("Dataset", select("trainer-dataset", "dataset", list(DATASETS.items()), dataset, ready),
                for_id="trainer-dataset"),
        control("Learning rate", slider("trainer-lr", "lr", 0, len(LEARNING_RATES) - 1, 1, lr_index(lr),
                                        lr_text(lr), ready), for_id="trainer-lr", value=lr_text(lr)),
    )


def render_settings(s: Settings, seed_text: str, ready: bool) -> El:
    """The network (hidden units, activation), loss, speed, seed; noise and number of points for two moons."""
    moons_controls = []
    if s.dataset == "moons":
        moons_controls = [
            control("Noise", slider("trainer-noise", "noise", NOISE_MIN, NOISE_MAX, NOISE_STEP, f"{s.noise:.2f}",
                                    fixed(s.noise, 2), ready), for_id="trainer-noise", value=fixed(s.noise, 2)),
            control("Number of points", slider("trainer-count", "points", COUNT_MIN, COUNT_MAX, COUNT_STEP,
                                               s.count, str(s.count), ready),
                    for_id="trainer-count", value=str(s.count)),
        ]
    units = f"{s.hidden} unit{'s' if s.hidden > 1 else ''}, {s.parameters} parameters"
    return h(
        "div", {"class": "controls trainer-settings trainer-more"},
        control("Hidden units", slider("trainer-hidden", "hidden", HIDDEN_MIN, HIDDEN_MAX, 1, s.hidden, units,
                                       ready), for_id="trainer-hidden", value=str(s.hidden)),
        h("output", {"class": "param-count", "for": "trainer-hidden", "aria-live": "off"},
          f"{s.parameters} parameters"),
        control("Activation", select("trainer-act", "act", list(ACTIVATIONS.items()), s.act, ready),
                for_id="trainer-act"),
        control("Loss function", select("trainer-lossfn", "loss", list(LOSSES.items()), s.loss, ready),
                for_id="trainer-lossfn"),
        control("Speed", select("trainer-speed", "speed", [(str(v), speed_text(v)) for v in SPEEDS],
                                str(s.speed), ready), for_id="trainer-speed"),
        control("Seed", h("input", {"id": "trainer-seed", "type": "number", "data-on": "seed", "min": 0,
                                    "max": SEED_LIMIT - 1, "step": 1, "value": seed_text, "inputmode": "numeric",
                                    "disabled": not ready}),
                for_id="trainer-seed"),
        h("div", {"class": "trainer-moons"}, *moons_controls),
    )


def render_cursor(cursor: tuple[float, float] | None) -> El | None:
    if cursor is None:
        return None
    x, y = cursor[0] * VIEW, cursor[1] * VIEW
    return h("path", {"class": "cursor", "d": f"M{x - 9:.1f},{y:.1f}H{x + 9:.1f}M{x:.1f},{y - 9:.1f}V{y + 9:.1f}"})


def render_new_class(new_class: float, ready: bool) -> El:
    """The "New points" radio group: which class a click (or Enter) on the plot adds. No modifier key needed."""
    def radio(value: str, text: str, key: str) -> El:
        return h("label", {"class": f"radio key{key}"},
                 h("input", {"type": "radio", "name": "trainer-newclass", "value": value, "data-on": "newclass",
                             "checked": new_class == float(value), "disabled": not ready}),
                 h("span", {"class": "swatch", "aria-hidden": "true"}), text)

    return h("fieldset", {"class": "trainer-newclass", "role": "radiogroup", "aria-labelledby": "trainer-newclass"},
             h("legend", {"id": "trainer-newclass"}, "New points"),
             radio("1", "Class 1", "1"), radio("0", "Class 0", "0"))


def render_ring(ring: tuple[float, float] | None, domain: Domain) -> El | None:
    """The ring around the point whose chain the weight panel shows."""
    if ring is None:
        return None
    fx, fy = domain.to_unit(*ring)
    return h("circle", {"class": "ring", "cx": round(fx * VIEW, 1), "cy": round(fy * VIEW, 1), "r": 11})


def render_plot(*, domain: Domain, points: El, cursor: tuple[float, float] | None, added: int,
                new_class: float, prerender: str | None, ready: bool,
                ring: tuple[float, float] | None = None) -> El:
    """The canvas (painted by the page), the points on top, and how to add points."""
    layers = [h("canvas", {"id": "trainer-canvas", "width": GRID, "height": GRID, "role": "img",
                           "aria-label": "Decision boundary"})]
    if prerender is not None:
        # Before Python runs nothing can paint the canvas: show the same picture as an image instead.
        layers.append(h("img", {"class": "prerender", "src": prerender, "alt": ""}))
    layers.append(h("svg", {"class": "overlay", "viewBox": f"0 0 {VIEW} {VIEW}", "aria-hidden": "true"},
                    render_frame(domain), points, render_ring(ring, domain), render_cursor(cursor)))
    return h(
        "figure", {"class": "trainer-plot"},
        h("div", {"class": "plot-box", "data-on": "plot", "data-keys": PLOT_KEYS, "tabindex": 0, "role": "group",
                  "aria-label": "Data and decision boundary", "aria-describedby": "trainer-plot-help"}, *layers),
        h("figcaption", {},
          render_new_class(new_class, ready),
          h("p", {"id": "trainer-plot-help", "class": "hint"},
            "Blue: class 1, magenta: class 0. Tap or click the plot to add a point of the class chosen above "
            "(keyboard: arrow keys move a cross, Enter adds)."),
          h("button", {"type": "button", "data-on": "clear", "disabled": not ready or added == 0},
            "Clear points"),
          h("span", {"class": "added-count"}, f"{added} added" if added else "")),
    )


ACT_WORDS = {"tanh": "tanh output", "sigmoid": "sigmoid output less ½", "relu": "ReLU output (white where 0)"}


def render_hidden(hidden: int, act: str, dead: tuple[bool, ...], prerender: list[str] | None) -> El:
    """One small map per hidden unit: its output over the same plane as the boundary; a dead unit says so."""
    maps = []
    for k in range(1, hidden + 1):
        gone = dead[k - 1] if k <= len(dead) else False
        name = f"Hidden unit {k}, dead" if gone else f"Hidden unit {k}"
        layers = [h("canvas", {"id": f"trainer-hidden-{k}", "width": HIDDEN_GRID, "height": HIDDEN_GRID,
                               "role": "img", "aria-label": name})]
        if prerender is not None:
            layers.append(h("img", {"class": "prerender", "src": prerender[k - 1], "alt": ""}))
        maps.append(h("div", {"class": "hidden-map" + (" dead" if gone else "")},
                      h("div", {"class": "hidden-box"}, *layers),
                      h("span", {"class": "hidden-name", "aria-hidden": "true"}, f"h{k}, dead" if gone else f"h{k}")))
    units = {1: "Hidden unit h1", 2: "Hidden units h1 and h2"}.get(hidden, f"Hidden units h1 … h{hidden}")
    return h("figure", {"class": "trainer-hidden"},
             h("div", {"class": "hidden-maps", "data-units": hidden}, *maps),
             h("figcaption", {}, f"{units}: each one's {ACT_WORDS[act]} over the plane, blue where it "
                                 "is positive, magenta where negative. The output unit adds them up, weighted. "
                                 "A dead unit has slope 0 at every point, so no gradient reaches it."))


def render_chart(*, history: History, loss: str, label: str, past: tuple) -> El:
    return h("figure", {"class": "trainer-chart"},
             render_loss_chart(history, loss_name=LOSSES[loss], label=label, past=past),
             h("figcaption", {}, f"Training loss ({LOSSES[loss].lower()}, log scale) after each epoch; "
                                 "the last two runs stay as faint lines, labelled with their learning rates"))


def render_net(*, weights: list[float], hidden: int, grads: list[float] | None, selected: int | None,
               show_grads: bool, ready: bool) -> El:
    """The network diagram and its "Show gradients" checkbox."""
    return h("figure", {"class": "trainer-net"},
             h("label", {"class": "check"},
               h("input", {"type": "checkbox", "data-on": "grads", "checked": show_grads, "disabled": not ready}),
               h("span", {"class": "box", "aria-hidden": "true"}), "Show gradients"),
             render_network(weights, hidden, grads=grads if show_grads else None, selected=selected),
             h("figcaption", {}, "Gradients ∂L/∂w (orange), wider for a larger size; dashed where negative."
               if show_grads else "Weights: blue positive, magenta negative (dashed), width by size"))


def render_trainer(*, run_bar: El, experiment: El, settings: El, message: str, plot: El, chart: El, hidden: El,
                   net: El, table: El, panel: El | None) -> El:
    """The whole widget from its parts. Dataset and learning rate stay under Train on every screen; on a phone the
    other settings move below the pictures (trainer.css), so Train, the boundary and the loss curve share one
    screen."""
    return h(
        "div", {"class": "trainer-widget"},
        run_bar,
        experiment,
        settings,
        h("p", {"class": "trainer-message", "role": "status", "aria-live": "polite"}, message),
        h("div", {"class": "trainer-panels"}, plot,
          h("div", {"class": "trainer-side"}, chart, hidden, net, table, panel)),
    )
