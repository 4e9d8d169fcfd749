"""The trainer widget in CPython: datasets, training through the engine, events, divergence, time slicing."""

import itertools
import math

import pytest

from engine.data import moons, xor
from engine.nn import MLP
from engine.train import Trainer
from web.format import MINUS
from web.trainer import (
    DEFAULT_SPEED,
    LEARNING_RATES,
    MIN_BUDGET_S,
    OVERFLOW,
    Settings,
    TrainerWidget,
    base_data,
    lr_index,
    mean_loss,
)
from web.tree import El, find, find_all, text_of
from web.widget import UIEvent


class FakeClock:
    """A clock that moves `tick` seconds every time it is read."""

    def __init__(self, tick):
        self.now, self.tick = 0.0, tick

    def __call__(self):
        self.now += self.tick
        return self.now


def click(w, name, **kw):
    w.handle(UIEvent("click", name, **kw))


def change(w, name, value):
    w.handle(UIEvent("change", name, str(value)))


def shown(w):
    return text_of(w.render()).replace(MINUS, "-")


def run_frames(w, n):
    for i in range(n):
        w.frame(i * 16.7)
        w.render()
        w.take_pixels()


def test_datasets_have_the_promised_sizes_labels_and_determinism():
    X, Y = base_data(Settings())
    assert len(X) == len(Y) == 100 and set(Y) == {0.0, 1.0} and sum(Y) == 50
    assert xor() == (X, Y)
    for count in (20, 200, 400):
        X, Y = base_data(Settings(dataset="moons", count=count, noise=0.2))
        assert len(X) == count and sum(Y) == count - count // 2
        assert base_data(Settings(dataset="moons", count=count, noise=0.2, seed=99)) == (X, Y)  # seed: weights only
    assert base_data(Settings(dataset="moons", noise=0.1)) != base_data(Settings(dataset="moons", noise=0.3))
    assert base_data(Settings(dataset="moons", noise=0.0)) == moons(200, 0.0, 0)


def test_loss_read_out_is_what_the_next_epoch_reports():
    w = TrainerWidget()
    before = w.loss
    X, Y = xor()
    twin = Trainer(MLP(2, [4], 1, seed=1), X, Y, lr=w.settings.lr)
    assert before == pytest.approx(twin.step(), rel=1e-12)
    assert f"Loss {before:.4f}" in shown(w)


def test_training_on_xor_lowers_the_loss_below_the_e2e_target():
    w = TrainerWidget()
    start = w.loss
    for _ in range(400):
        assert w.step_once()
    assert w.epoch == 400 and len(w.history) == 400
    assert w.loss < 0.05 < start
    assert w.history.values[-1] < w.history.values[0]


def test_step_is_exactly_one_epoch_of_the_engines_trainer():
    w = TrainerWidget(Settings(seed=5))
    X, Y = xor()
    twin = Trainer(MLP(2, [4], 1, seed=5), X, Y, lr=w.settings.lr)
    for n in (1, 2, 3):
        click(w, "step")
        twin.step()
        assert w.epoch == n and len(w.history) == n
        assert w.trainer.weights == twin.weights
    assert "Epoch 3" in shown(w)
    assert not w.running


def test_same_seed_and_settings_reproduce_the_run_whatever_the_slicing():
    a = TrainerWidget(Settings(dataset="moons", seed=3), clock=FakeClock(0.0001))
    b = TrainerWidget(Settings(dataset="moons", seed=3), clock=FakeClock(0.003))
    for w in (a, b):
        change(w, "speed", 0)
        click(w, "train")
    while a.epoch < 120:
        run_frames(a, 1)
    while b.epoch < 120:
        run_frames(b, 1)
    n = min(a.epoch, b.epoch)
    assert a.history.values[:n] == b.history.values[:n]
    c = TrainerWidget(Settings(dataset="moons", seed=4))
    c.step_once()
    assert c.history.values[0] != a.history.values[0]


def test_reset_draws_a_new_seed_and_the_seed_box_replays_a_run():
    w = TrainerWidget()
    for _ in range(5):
        click(w, "step")
    first = list(w.history.values)
    click(w, "reset")
    assert (w.settings.seed, w.epoch, len(w.history), w.running) == (2, 0, 0, False)
    assert find(w.render(), id="trainer-seed").attr("value") == "2"
    change(w, "seed", 1)
    for _ in range(5):
        click(w, "step")
    assert w.history.values == first
    change(w, "seed", "-3")
    change(w, "seed", "abc")
    assert w.settings.seed == 1


def test_added_points_survive_reset_and_clear_removes_them():
    w = TrainerWidget()
    before = w.loss
    click(w, "plot", fx=0.75, fy=0.25)               # (1, 1) on XOR's plot: a class-1 point among class 0
    click(w, "plot", fx=0.25, fy=0.25, shift=True)   # (-1, 1): class 0 among class 1
    assert w.added["xor"] == [(1.0, 1.0, 1.0), (-1.0, 1.0, 0.0)]
    assert len(w.trainer.X) == 102 and w.trainer.Y[-2:] == [1.0, 0.0]
    assert w.loss != before
    assert "2 added" in shown(w)
    click(w, "reset")
    assert len(w.trainer.X) == 102
    click(w, "clear")
    assert w.added["xor"] == [] and len(w.trainer.X) == 100
    click(w, "plot", fx=1.5, fy=0.5)                 # outside the plot: ignored
    assert w.added["xor"] == []


def test_keyboard_adds_points_at_a_crosshair():
    w = TrainerWidget()
    for key in ("ArrowRight",) * 8 + ("ArrowUp",) * 8:
        w.handle(UIEvent("key", "plot", key=key))
    assert w.cursor == (0.75, 0.25)
    assert find_all(w.render(), lambda e: e.attr("class") == "cursor")
    w.handle(UIEvent("key", "plot", key="Enter", shift=True))
    assert w.added["xor"] == [(1.0, 1.0, 0.0)]


def test_changing_the_data_or_loss_restarts_and_learning_rate_carries_on():
    w = TrainerWidget()
    click(w, "step")
    change(w, "lr", lr_index(2.0))
    assert w.settings.lr == 2.0 == w.trainer.lr and w.epoch == 1
    change(w, "dataset", "moons")
    assert w.epoch == 0 and len(w.trainer.X) == 200
    change(w, "count", 100)
    change(w, "noise", 0.3)
    assert len(w.trainer.X) == 100 and w.settings.noise == 0.3
    change(w, "loss", "mse")
    X, Y = moons(100, 0.3, 0)
    assert w.loss == pytest.approx(mean_loss(Trainer(MLP(2, [4], 1, seed=1), X, Y).predict(X), Y, "mse"))
    change(w, "dataset", "nonsense")
    assert w.settings.dataset == "moons"


def test_learning_rate_slider_is_log_scale_from_0_001_to_10():
    assert (LEARNING_RATES[0], LEARNING_RATES[-1]) == (0.001, 10.0)
    steps = [math.log10(b / a) for a, b in itertools.pairwise(LEARNING_RATES)]
    assert sum(steps) == pytest.approx(4.0) and max(steps) < 0.31
    slider = find(TrainerWidget().render(), id="trainer-lr")
    assert LEARNING_RATES[int(slider.attr("value"))] == 0.3 and slider.attr("aria-valuetext") == "0.3"


def test_a_huge_learning_rate_pauses_with_the_plain_words_and_reset_recovers():
    w = TrainerWidget(Settings(dataset="moons", lr=1e6), clock=FakeClock(0.0001))
    click(w, "train")
    run_frames(w, 3)
    assert not w.running and not w.wants_frame
    assert OVERFLOW in w.message and OVERFLOW in shown(w)
    assert all(math.isfinite(v) for v in w.trainer.weights)
    assert all(math.isfinite(v) for v in w.history.values)
    assert find(w.render(), data_on="train").children == ("Train",)
    change(w, "lr", lr_index(0.3))
    click(w, "reset")
    assert w.message == "" and w.epoch == 0
    click(w, "step")
    assert math.isfinite(w.history.values[-1]) and w.message == ""


def test_frames_respect_the_speed_and_the_time_budget():
    w = TrainerWidget(clock=FakeClock(0.001))  # every clock read costs a millisecond
    assert w.speed == DEFAULT_SPEED
    click(w, "train")
    run_frames(w, 1)
    assert w.epoch == DEFAULT_SPEED
    change(w, "speed", 0)
    epoch = w.epoch
    w.frame(100.0)
    # budget 10 ms at most; the deadline is checked after each epoch, one clock read per epoch
    assert 1 <= w.epoch - epoch <= 11
    slow = TrainerWidget(clock=FakeClock(0.05))  # a single epoch longer than the budget: still exactly one
    change(slow, "speed", 100)
    click(slow, "train")
    slow.frame(0.0)
    assert slow.epoch == 1


def test_budget_shrinks_when_drawing_is_expensive_but_never_below_the_floor():
    w = TrainerWidget(clock=FakeClock(0.001))
    change(w, "speed", 0)
    click(w, "train")
    w.drawing = 0.050
    epoch = w.epoch
    w.frame(0.0)
    assert w.epoch - epoch <= round(MIN_BUDGET_S / 0.001) + 1


def test_take_pixels_paints_once_per_change():
    w = TrainerWidget()
    first = w.take_pixels()
    assert set(first) == {"trainer-canvas"} and len(first["trainer-canvas"].rgba) == 64 * 64 * 4
    assert w.take_pixels() == {}
    click(w, "step")
    assert set(w.take_pixels()) == {"trainer-canvas"}


def test_view_carries_the_contract_names():
    w = TrainerWidget()
    view = w.render()
    assert find(view, data_on="train").children == ("Train",)
    dataset = find(view, id="trainer-dataset")
    assert [text_of(o) for o in dataset.children] == ["XOR", "Two moons"]
    assert find(view, **{"for": "trainer-dataset"}).children == ("Dataset",)
    assert find(view, **{"for": "trainer-lr"}).children == ("Learning rate",)
    assert find(view, role="img", aria_label="Decision boundary").tag == "canvas"
    assert find(view, role="img", aria_label="Training loss").tag == "svg"
    for name in ("step", "reset", "clear"):
        find(view, data_on=name)
    assert text_of(find(view, id="trainer-epoch")) == "Epoch 0"
    assert text_of(find(view, id="trainer-loss")).startswith("Loss 0.")
    click(w, "train")
    assert find(w.render(), data_on="train").children == ("Pause",)
    assert not find_all(view, lambda e: e.attr("style") is not None)


def test_moons_controls_appear_only_for_moons():
    w = TrainerWidget()
    assert not find_all(w.render(), lambda e: e.attr("id") == "trainer-noise")
    change(w, "dataset", "moons")
    find(w.render(), id="trainer-noise")
    find(w.render(), id="trainer-count")


def test_prerender_disables_controls_and_shows_the_boundary_as_an_image():
    w = TrainerWidget()
    view = w.render(ready=False)
    controls = find_all(view, lambda e: e.tag in ("button", "select", "input"))
    assert controls and all(c.attr("disabled") == "" for c in controls)
    (img,) = find_all(view, lambda e: e.tag == "img")
    assert img.attr("src").startswith("data:image/png;base64,") and img.attr("alt") == ""
    assert not find_all(w.render(), lambda e: e.tag == "img")


def test_unchanged_state_renders_the_same_tree_object():
    w = TrainerWidget()
    assert w.render() is w.render()
    click(w, "step")
    again = w.render()
    assert isinstance(again, El) and "Epoch 1" in text_of(again)


def test_reduced_motion_trains_at_full_rate_but_redraws_calmly():
    w = TrainerWidget(clock=FakeClock(0.0001))
    w.reduced_motion = True
    click(w, "train")
    w.frame(0.0)
    w.render()
    w.take_pixels()
    held = w.render()
    epoch = w.epoch
    w.frame(16.7)
    assert w.epoch > epoch
    assert w.render() is held and w.take_pixels() == {}
    w.frame(300.0)
    assert w.render() is not held


def test_a_shared_link_replays_the_same_run_and_refuses_odd_fields():
    w = TrainerWidget()
    assert w.share_state() == {}
    change(w, "dataset", "moons")
    change(w, "lr", lr_index(2.0))
    change(w, "noise", 0.2)
    click(w, "reset")
    for _ in range(4):
        click(w, "step")
    fields = w.share_state()
    assert fields == {"dataset": "moons", "lr": "2", "seed": "2", "noise": "0.20"}
    other = TrainerWidget()
    assert other.restore_state(fields) == []
    for _ in range(4):
        click(other, "step")
    assert other.history.values == w.history.values
    notices = other.restore_state({"lr": "7", "seed": "-1", "dataset": "spiral", "points": "9999", "x": "1"})
    assert len(notices) == 5 and other.settings.lr == 2.0 and other.settings.seed == 2
