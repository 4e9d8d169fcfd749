"""The trainer widget in CPython: datasets, training through the engine, events, divergence, time slicing."""

import itertools
import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.data import moons, xor
from engine.nn import MLP
from engine.train import Trainer
from web import share
from web.format import MINUS
from web.trainer import TrainerWidget
from web.trainer.clock import MIN_BUDGET_S
from web.trainer.run import OVERFLOW, base_data
from web.trainer.state import (
    DEFAULT_LRS,
    DOMAINS,
    LEARNING_RATES,
    MAX_ADDED,
    SEED_LIMIT,
    Settings,
    lr_index,
    points_text,
    read_points,
)
from web.tree import El, find, find_all, text_of
from web.widget import UIEvent

DEFAULT_SPEED = Settings().speed


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
    before = w.run.loss()
    X, Y = xor()
    twin = Trainer(MLP(2, [4], 1, seed=1), X, Y, lr=w.settings.lr)
    assert before == twin.step()  # the engine's own loss, to the last bit
    assert f"Loss {before:.4f}" in shown(w)


def test_the_shown_loss_is_the_engines_stable_one_even_for_a_confident_wrong_output():
    w = TrainerWidget()
    weights = [0.0] * 16 + [40.0]   # every weight 0, output bias 40: p = σ(40) for every point
    w.run.trainer.reset(weights)
    w.run.version += 1
    X, Y = xor()
    twin = Trainer(MLP(2, [4], 1, seed=1), X, Y)
    twin.reset(weights)
    # Half the labels are 0: a naive −log(1 − p) is inf there (1 − σ(40) rounds to 0); the engine says 40.
    assert w.run.loss() == twin.step() == pytest.approx(20.0)
    assert "Loss 20.0000" in shown(w)


def test_training_on_xor_lowers_the_loss_below_the_e2e_target():
    w = TrainerWidget()
    start = w.run.loss()
    for _ in range(400):
        assert w.run.step()
    assert w.run.epoch == 400 and len(w.run.history) == 400
    assert w.run.loss() < 0.05 < start
    assert w.run.history.values[-1] < w.run.history.values[0]


def test_step_is_exactly_one_epoch_of_the_engines_trainer():
    w = TrainerWidget(Settings(seed=5))
    X, Y = xor()
    twin = Trainer(MLP(2, [4], 1, seed=5), X, Y, lr=w.settings.lr)
    for n in (1, 2, 3):
        click(w, "step")
        twin.step()
        assert w.run.epoch == n and len(w.run.history) == n
        assert w.run.trainer.weights == twin.weights
    assert "Epoch 3" in shown(w)
    assert not w.state.running


def test_same_seed_and_settings_reproduce_the_run_whatever_the_slicing():
    a = TrainerWidget(Settings(dataset="moons", seed=3), clock=FakeClock(0.0001))
    b = TrainerWidget(Settings(dataset="moons", seed=3), clock=FakeClock(0.003))
    for w in (a, b):
        change(w, "speed", 0)
        click(w, "train")
    while a.run.epoch < 120:
        run_frames(a, 1)
    while b.run.epoch < 120:
        run_frames(b, 1)
    n = min(a.run.epoch, b.run.epoch)
    assert a.run.history.values[:n] == b.run.history.values[:n]
    c = TrainerWidget(Settings(dataset="moons", seed=4))
    c.run.step()
    assert c.run.history.values[0] != a.run.history.values[0]


def test_reset_restarts_from_the_same_weights_and_new_weights_draws_the_next_seed():
    w = TrainerWidget()
    start = list(w.run.trainer.weights)
    for _ in range(5):
        click(w, "step")
    first = list(w.run.history.values)
    click(w, "reset")
    assert (w.settings.seed, w.run.epoch, len(w.run.history), w.state.running) == (1, 0, 0, False)
    assert w.run.trainer.weights == start
    for _ in range(5):
        click(w, "step")
    assert w.run.history.values == first  # the same run again, epoch for epoch
    click(w, "reseed")
    assert (w.settings.seed, w.run.epoch) == (2, 0) and w.run.trainer.weights != start
    assert find(w.render(), id="trainer-seed").attr("value") == "2"
    change(w, "seed", 1)
    assert w.run.trainer.weights == start


def test_the_seed_field_takes_only_what_a_link_can_carry_and_says_so():
    w = TrainerWidget()
    for bad in ("-3", "abc", "1e20", "2.5", str(SEED_LIMIT), "nan", "inf"):
        change(w, "seed", bad)
        assert w.settings.seed == 1
        assert "The seed must be a whole number from 0 to 2,147,483,647" in shown(w)
        assert find(w.render(), id="trainer-seed").attr("value") == bad  # the learner's text is not lost
        assert w.share_state() == {}
    change(w, "seed", SEED_LIMIT - 1)
    assert w.settings.seed == SEED_LIMIT - 1 and "The seed must" not in shown(w)
    click(w, "reseed")  # wraps around instead of writing a seed the link reader refuses
    assert w.settings.seed == 0
    assert TrainerWidget().restore_state(w.share_state()) == []


def test_a_compiled_trainer_is_reused_for_new_data_new_weights_and_new_datasets():
    w = TrainerWidget()
    trainer = w.run.trainer
    click(w, "plot", fx=0.5, fy=0.5)
    click(w, "clear")
    click(w, "reset")
    click(w, "reseed")
    change(w, "dataset", "moons")
    change(w, "noise", 0.3)
    change(w, "seed", 9)
    assert w.run.trainer is trainer and len(trainer.X) == 200
    change(w, "loss", "mse")  # new code: the one change that compiles again
    assert w.run.trainer is not trainer


def test_added_points_survive_reset_and_clear_removes_them():
    w = TrainerWidget()
    before = w.run.loss()
    click(w, "plot", fx=0.75, fy=0.25)               # (1, 1) on XOR's plot: a class-1 point among class 0
    change(w, "newclass", "0")                       # the "New points" radio: Class 0
    click(w, "plot", fx=0.25, fy=0.25)               # (-1, 1): class 0 among class 1
    assert w.state.added["xor"] == ((1.0, 1.0, 1.0), (-1.0, 1.0, 0.0),)
    assert len(w.run.trainer.X) == 102 and w.run.trainer.Y[-2:] == [1.0, 0.0]
    assert w.run.loss() != before
    assert "2 added" in shown(w)
    click(w, "reset")
    assert len(w.run.trainer.X) == 102
    click(w, "clear")
    assert w.state.added["xor"] == () and len(w.run.trainer.X) == 100
    click(w, "plot", fx=1.5, fy=0.5)                 # outside the plot: ignored
    assert w.state.added["xor"] == ()


def test_keyboard_adds_points_at_a_crosshair():
    w = TrainerWidget()
    for key in ("ArrowRight",) * 8 + ("ArrowUp",) * 8:
        w.handle(UIEvent("key", "plot", key=key))
    assert w.state.cursor == (0.75, 0.25)
    assert find_all(w.render(), lambda e: e.attr("class") == "cursor")
    w.handle(UIEvent("key", "plot", key="Enter", shift=True))
    assert w.state.added["xor"] == ((1.0, 1.0, 0.0),)
    change(w, "newclass", "0")
    w.handle(UIEvent("key", "plot", key="Enter"))
    assert w.state.added["xor"][-1] == (1.0, 1.0, 0.0)


def test_runs_are_kept_as_faded_curves_labelled_with_the_rates_they_trained_with():
    w = TrainerWidget()
    change(w, "lr", lr_index(5.0))    # before any epoch: not part of the run's story
    change(w, "lr", lr_index(0.001))
    for _ in range(3):
        click(w, "step")
    change(w, "lr", lr_index(300.0))
    click(w, "step")
    assert w.run.label == "η 0.001 → 300"
    click(w, "reset")                 # the run so far joins the chart, faded
    click(w, "reset")                 # an empty run does not
    click(w, "step")
    click(w, "reseed")
    click(w, "step")
    click(w, "reset")
    assert [(label, len(h)) for label, h in w.run.past] == [("η 300", 1), ("η 300", 1)]  # the last two only
    chart = find(w.render(), role="img", aria_label="Training loss")
    assert len(find_all(chart, lambda e: "past" in (e.attr("class") or "") and e.tag == "path")) == 2
    change(w, "dataset", "moons")     # another task: earlier curves would not compare
    assert w.run.past == []


def test_the_new_points_radio_chooses_the_class_a_click_adds():
    w = TrainerWidget()
    group = find(w.render(), role="radiogroup")
    radios = find_all(group, lambda e: e.attr("type") == "radio")
    assert [r.attr("value") for r in radios] == ["1", "0"] and radios[0].attr("checked") == ""
    assert "New points" in text_of(group) and "Class 1" in text_of(group) and "Class 0" in text_of(group)
    click(w, "plot", fx=0.1, fy=0.1)
    change(w, "newclass", "0")
    (radio0,) = find_all(w.render(), lambda e: e.attr("type") == "radio" and e.attr("value") == "0")
    assert radio0.attr("checked") == ""
    click(w, "plot", fx=0.2, fy=0.2)
    change(w, "newclass", "7")  # not a class: ignored
    click(w, "plot", fx=0.3, fy=0.3)
    assert [label for _, _, label in w.state.added["xor"]] == [1.0, 0.0, 0.0]
    assert "newclass" not in w.share_state()


def test_changing_the_data_or_loss_restarts_and_learning_rate_carries_on():
    w = TrainerWidget()
    click(w, "step")
    change(w, "lr", lr_index(2.0))
    assert w.settings.lr == 2.0 == w.run.trainer.lr and w.run.epoch == 1
    change(w, "dataset", "moons")
    assert w.run.epoch == 0 and len(w.run.trainer.X) == 200
    assert w.settings.lr == DEFAULT_LRS["moons", "tanh"] == w.run.trainer.lr  # each dataset comes with its own default
    change(w, "points", 100)
    change(w, "noise", 0.3)
    assert len(w.run.trainer.X) == 100 and w.settings.noise == 0.3
    change(w, "loss", "mse")
    X, Y = moons(100, 0.3, 0)
    assert w.run.loss() == Trainer(MLP(2, [4], 1, seed=1), X, Y, loss="mse").step()
    change(w, "dataset", "nonsense")
    assert w.settings.dataset == "moons"


def test_learning_rate_slider_is_log_scale_from_0_001_to_300():
    assert (LEARNING_RATES[0], LEARNING_RATES[-1]) == (0.001, 300.0)
    steps = [math.log10(b / a) for a, b in itertools.pairwise(LEARNING_RATES)]
    assert min(steps) > 0.1 and max(steps) < 0.31  # rising in near-even steps of log10
    assert all(f"{lr:g}".strip("0.")[0] in "1235" for lr in LEARNING_RATES)
    slider = find(TrainerWidget().render(), id="trainer-lr")
    assert LEARNING_RATES[int(slider.attr("value"))] == 0.3 and slider.attr("aria-valuetext") == "0.3"


def test_a_huge_learning_rate_pauses_with_the_plain_words_and_reset_recovers():
    w = TrainerWidget(Settings(dataset="moons", lr=1e308), clock=FakeClock(0.0001))
    click(w, "train")
    run_frames(w, 3)
    assert not w.state.running and not w.wants_frame
    assert OVERFLOW in w.state.message and OVERFLOW in shown(w)
    assert all(math.isfinite(v) for v in w.run.trainer.weights)
    assert all(math.isfinite(v) for v in w.run.history.values)
    assert find(w.render(), data_on="train").children == ("Train",)
    change(w, "lr", lr_index(0.3))
    click(w, "reset")
    assert w.state.message == "" and w.run.epoch == 0 and OVERFLOW not in shown(w)
    click(w, "step")
    assert math.isfinite(w.run.history.values[-1]) and w.state.message == ""


def test_frames_respect_the_speed_and_the_time_budget():
    w = TrainerWidget(clock=FakeClock(0.001))  # every clock read costs a millisecond
    assert w.settings.speed == DEFAULT_SPEED
    click(w, "train")
    run_frames(w, 1)
    assert w.run.epoch == DEFAULT_SPEED
    change(w, "speed", 0)
    epoch = w.run.epoch
    w.frame(100.0)
    # budget 10 ms at most; the deadline is checked after each epoch, one clock read per epoch
    assert 1 <= w.run.epoch - epoch <= 11
    slow = TrainerWidget(clock=FakeClock(0.05))  # a single epoch longer than the budget: still exactly one
    change(slow, "speed", 100)
    click(slow, "train")
    slow.frame(0.0)
    assert slow.run.epoch == 1


def test_budget_shrinks_when_drawing_is_expensive_but_never_below_the_floor():
    w = TrainerWidget(clock=FakeClock(0.001))
    change(w, "speed", 0)
    click(w, "train")
    w.frames.drawing = 0.050
    epoch = w.run.epoch
    w.frame(0.0)
    assert w.run.epoch - epoch <= round(MIN_BUDGET_S / 0.001) + 1


HIDDEN_IDS = {f"trainer-hidden-{k}" for k in range(1, 5)}


def test_take_pixels_paints_once_per_change():
    w = TrainerWidget()
    first = w.take_pixels()
    assert set(first) == {"trainer-canvas"} | HIDDEN_IDS and len(first["trainer-canvas"].rgba) == 64 * 64 * 4
    assert w.take_pixels() == {}
    click(w, "step")
    assert set(w.take_pixels()) == {"trainer-canvas"} | HIDDEN_IDS


def test_each_painted_picture_is_the_one_of_the_current_weights_and_data():
    from web.trainer.heatmap import paint, signed_rgba

    w = TrainerWidget()
    w.render(ready=False)  # the pre-render's images compute the first pictures; the first paint reuses them
    for change_weights in (lambda: None, lambda: click(w, "step"), lambda: click(w, "reseed"),
                           lambda: change(w, "dataset", "moons")):
        change_weights()
        pixels = w.take_pixels()
        assert pixels["trainer-canvas"] == paint(w.run.trainer.predict, DOMAINS[w.settings.dataset])
        for unit in range(4):
            values = w.run.hidden_values(unit, DOMAINS[w.settings.dataset], 32)
            assert pixels[f"trainer-hidden-{unit + 1}"].rgba == signed_rgba(values)


def test_while_training_the_hidden_maps_take_turns_one_per_frame():
    w = TrainerWidget(clock=FakeClock(0.0001))
    w.take_pixels()
    click(w, "train")
    seen = []
    for i in range(8):
        w.frame(i * 16.7)
        pixels = w.take_pixels()
        assert "trainer-canvas" in pixels
        (hidden,) = set(pixels) - {"trainer-canvas"}
        seen.append(hidden)
    assert seen[:4] == [f"trainer-hidden-{k}" for k in range(1, 5)] == seen[4:]


def test_hidden_maps_show_each_units_tanh_over_the_plot():
    w = TrainerWidget(Settings(seed=3))
    for _ in range(20):
        click(w, "step")
    size = 32
    d = DOMAINS[w.settings.dataset]
    for unit in range(4):
        (w1, w2), b = w.run.layers()[0][unit]
        values = w.run.hidden_values(unit, d, size)
        for j, i in ((0, 0), (5, 17), (31, 31), (20, 3)):
            x = d.x_min + (d.x_max - d.x_min) * (i + 0.5) / size
            y = d.y_max - (d.y_max - d.y_min) * (j + 0.5) / size
            assert values[j * size + i] == pytest.approx(math.tanh(w1 * x + w2 * y + b), abs=1e-12)
    pixels = w.hidden_pixels(0)
    assert (pixels.width, pixels.height, len(pixels.rgba)) == (size, size, size * size * 4)


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
    for k in range(1, 5):
        assert find(view, role="img", aria_label=f"Hidden unit {k}").tag == "canvas"
    for name, text in (("step", "Step"), ("reset", "Reset"), ("reseed", "New weights"), ("clear", "Clear points")):
        assert find(view, data_on=name).children == (text,)
    assert text_of(find(view, id="trainer-epoch")) == "Epoch 0"
    assert text_of(find(view, id="trainer-loss")).startswith("Loss 0.")
    assert text_of(find(view, id="trainer-accuracy")) == f"Accuracy {w.run.accuracy() * 100:.0f}%"
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
    imgs = find_all(view, lambda e: e.tag == "img")
    assert len(imgs) == 5  # the boundary and the four hidden units
    assert all(i.attr("src").startswith("data:image/png;base64,") and i.attr("alt") == "" for i in imgs)
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
    epoch = w.run.epoch
    w.frame(16.7)
    assert w.run.epoch > epoch
    assert w.render() is held and w.take_pixels() == {}
    w.frame(300.0)
    assert w.render() is not held


def test_a_shared_link_replays_the_same_run_and_refuses_odd_fields():
    w = TrainerWidget()
    assert w.share_state() == {}
    change(w, "dataset", "moons")
    change(w, "lr", lr_index(2.0))
    change(w, "noise", 0.2)
    click(w, "reseed")
    for _ in range(4):
        click(w, "step")
    fields = w.share_state()
    assert fields == {"dataset": "moons", "lr": "2", "seed": "2", "noise": "0.20"}
    other = TrainerWidget()
    assert other.restore_state(fields) == []
    for _ in range(4):
        click(other, "step")
    assert other.run.history.values == w.run.history.values
    notices = other.restore_state({"lr": "7", "seed": "-1", "dataset": "spiral", "points": "9999", "x": "1",
                                   "speed": "4", "noise": "0.9", "loss": "hinge", "newclass": "0"})
    assert len(notices) == 9 and other.settings == Settings()  # a link is the whole state: the rest is default


reachable = st.builds(
    Settings,
    dataset=st.sampled_from(["xor", "moons"]),
    lr=st.sampled_from(LEARNING_RATES),
    loss=st.sampled_from(["bce", "mse"]),
    seed=st.integers(0, SEED_LIMIT - 1),
    speed=st.sampled_from([1, 3, 10, 30, 100, 0]),
    noise=st.integers(0, 10).map(lambda n: round(n * 0.05, 2)),
    count=st.integers(1, 20).map(lambda n: n * 20),
)


@settings(max_examples=150, deadline=None)
@given(reachable)
def test_any_reachable_settings_survive_the_link_exactly(s):
    w = TrainerWidget()
    w.state = replace(w.state, settings=s)
    fields, notices = share.decode(share.encode({"trainer": w.share_state()}))
    assert notices == []
    other = TrainerWidget()
    assert other.restore_state(fields.get("trainer", {})) == []
    assert other.settings == s


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from([
    ("change", "dataset", "moons"), ("change", "dataset", "xor"), ("change", "lr", "0"), ("change", "lr", "22"),
    ("change", "lr", "9"), ("change", "loss", "mse"), ("change", "loss", "bce"), ("change", "seed", "2147483647"),
    ("change", "seed", "7"), ("change", "seed", "1e20"), ("change", "speed", "0"), ("change", "noise", "0.35"),
    ("change", "points", "60"), ("change", "newclass", "0"), ("click", "reseed", ""), ("click", "reset", ""),
    ("click", "step", ""), ("click", "plot", ""),
]), max_size=12))
def test_any_state_the_controls_reach_survives_the_link(actions):
    w = TrainerWidget()
    for kind, name, value in actions:
        w.handle(UIEvent(kind, name, value, fx=0.3, fy=0.6))
    fields, notices = share.decode(share.encode({"trainer": w.share_state()}))
    assert notices == []
    other = TrainerWidget()
    assert other.restore_state(fields.get("trainer", {})) == []
    assert other.settings == replace(w.settings, new_class=1.0)
    assert other.state.added[w.settings.dataset] == w.state.added[w.settings.dataset]


# --- added points in shareable links ---------------------------------------------------------------------


def through_the_address_bar(w):
    """The widget's share fields as the page writes them into the link and reads them back."""
    fields, notices = share.decode(share.encode({"trainer": w.share_state()}))
    assert notices == []
    return fields.get("trainer", {})


def added_circles(w):
    return [(c.attr("cx"), c.attr("cy"), c.attr("class"))
            for c in find_all(w.render(), lambda e: e.tag == "circle" and "added" in (e.attr("class") or ""))]


@pytest.mark.parametrize("dataset", ["xor", "moons"])
def test_a_link_carries_the_added_points_and_replays_the_same_run(dataset):
    w = TrainerWidget()
    change(w, "dataset", dataset)
    click(w, "plot", fx=0.123456, fy=0.87654)
    change(w, "newclass", "0")
    click(w, "plot", fx=0.9, fy=0.02)
    change(w, "newclass", "1")
    for key in ("ArrowRight", "ArrowUp", "Enter"):
        w.handle(UIEvent("key", "plot", key=key))
    click(w, "plot", fx=0.0, fy=1.0, shift=True)  # a corner: the domain's edge is inside the plot
    fields = through_the_address_bar(w)
    assert len(fields["added"].split("_")) == 4
    other = TrainerWidget()
    # "added" is read after the dataset, whatever the order of the fields
    assert other.restore_state(dict(reversed(fields.items()))) == []
    assert other.state.added[dataset] == w.state.added[dataset] and len(w.state.added[dataset]) == 4
    assert added_circles(other) == added_circles(w) and len(added_circles(w)) == 4
    for _ in range(5):
        click(w, "step")
        click(other, "step")
    assert other.run.history.values == w.run.history.values  # the same data, point for point, so the same run
    assert added_circles(other) == added_circles(w)


def test_a_click_is_kept_at_the_precision_a_link_writes():
    w = TrainerWidget()
    click(w, "plot", fx=0.3337, fy=0.6661)
    (x, y, label), = w.state.added["xor"]
    assert (x, y, label) == (-0.67, -0.66, 1.0)
    assert w.run.trainer.X[-1] == (x, y)
    assert through_the_address_bar(w)["added"] == "-0.67,-0.66,1"


def test_added_points_are_capped_with_a_message_and_the_link_stays_short():
    w = TrainerWidget()
    for i in range(MAX_ADDED + 3):
        click(w, "plot", fx=(i % 8) / 7, fy=(i // 8) / 8, shift=i % 2 == 1)
    assert len(w.state.added["xor"]) == MAX_ADDED
    assert f"At most {MAX_ADDED} points" in shown(w)
    widest = [(-1.75, -1.75, 0.0)] * MAX_ADDED  # the longest text a point can take
    assert read_points(points_text(widest), DOMAINS["xor"]) == (widest, [])
    link = share.encode({"trainer": {"dataset": "moons", "added": points_text(widest)}})
    assert len(link) < share.MAX_FRAGMENT / 2  # room for every other setting on the page
    click(w, "clear")
    click(w, "plot", fx=0.5, fy=0.5)
    assert len(w.state.added["xor"]) == 1


@pytest.mark.parametrize(("text", "kept"), [
    ("1,1,1_-1,1,0", 2),
    ("nan,0,1", 0), ("inf,0,1", 0), ("1e0,0,1", 0), ("0x1,0,1", 0), ("+1,0,1", 0), (".5,0,1", 0),
    ("0.125,0,1", 0), ("\u0661,0,1", 0), (" 1,0,1", 0), ("1,0,1 ", 0), ("1,0", 0), ("1,0,1,1", 0),
    ("1,0,2", 0), ("1,0,-1", 0), ("1,0,1.0", 0), ("1,0,", 0), ("3,0,1", 0), ("0,-2.01,0", 0),
    ("1,1,1__0,0,0", 2), ("1,1,1_nan,nan,1_0,0,0", 2), ("2,-2,1_-2,2,0", 2),
])
def test_the_reader_keeps_only_plain_points_inside_the_plot(text, kept):
    points, notices = read_points(text, DOMAINS["xor"])
    assert len(points) == kept
    assert bool(notices) == (kept != len(text.split("_")))
    assert all(label in (0.0, 1.0) and -2 <= x <= 2 and -2 <= y <= 2 for x, y, label in points)


def test_too_many_points_in_a_link_keep_the_first_ones_and_say_so():
    text = "_".join(f"0.{i:02d},0,1" for i in range(MAX_ADDED + 10))
    points, notices = read_points(text, DOMAINS["xor"])
    assert [x for x, _, _ in points] == [i / 100 for i in range(MAX_ADDED)]
    assert notices == [f"ignored the added points after the first {MAX_ADDED}"]


def test_a_bad_added_field_is_a_notice_and_the_good_points_still_arrive():
    w = TrainerWidget()
    notices = w.restore_state({"added": "1,1,1_9,9,1_1,1,7", "dataset": "moons"})
    assert w.settings.dataset == "moons" and w.state.added["moons"] == ((1.0, 1.0, 1.0),)
    assert len(notices) == 1 and notices[0].startswith("trainer.added: ignored 2 added points")
    assert len(w.run.trainer.X) == 201


in_plot = st.integers(-175, 225).map(lambda n: n / 100)  # the moons plot, in the link's 0.01 steps
points = st.lists(st.tuples(st.integers(-150, 250).map(lambda n: n / 100), in_plot, st.sampled_from([0.0, 1.0])),
                  max_size=MAX_ADDED)


@settings(max_examples=200, deadline=None)
@given(points)
def test_any_points_survive_the_link_exactly(pts):
    fields, notices = share.decode(share.encode({"trainer": {"added": points_text(pts)}}))
    assert notices == []
    assert read_points(fields.get("trainer", {}).get("added", ""), DOMAINS["moons"]) == (pts, [])


pieces = st.one_of(
    st.text(max_size=12),
    st.tuples(st.sampled_from(["1", "-1", "0.5", "-0", "2.25", "nan", "1e3", "-9.99", "٣", "0.001", ""]),
              st.sampled_from(["0", "-1.75", "2.5", "inf", " 1", "3"]),
              st.sampled_from(["0", "1", "2", "-1", "1.0", ""])).map(",".join),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), st.lists(pieces, max_size=80).map("_".join)),
       st.sampled_from(sorted(DOMAINS)))
def test_the_reader_never_raises_and_lets_through_only_valid_points(text, dataset):
    domain = DOMAINS[dataset]
    pts, notices = read_points(text, domain)
    assert len(pts) <= MAX_ADDED and all(isinstance(n, str) for n in notices)
    for x, y, label in pts:
        assert math.isfinite(x) and math.isfinite(y) and label in (0.0, 1.0)
        assert domain.x_min <= x <= domain.x_max and domain.y_min <= y <= domain.y_max
        assert round(x, 2) == x and round(y, 2) == y
    assert read_points(points_text(pts), domain) == (pts, [])  # what was kept writes back and reads the same
    if not notices:
        assert len(pts) == (len(text.split("_")) if text else 0)  # silent only when every point was taken


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["xor", "moons", "spiral"]))
def test_a_widget_restoring_any_added_text_stays_consistent(text, dataset):
    w = TrainerWidget()
    notices = w.restore_state({"dataset": dataset, "added": text})
    assert all(isinstance(n, str) for n in notices)
    shown_dataset = w.settings.dataset
    assert len(w.run.trainer.X) == len(w.run.base[0]) + len(w.state.added[shown_dataset])
    assert len(added_circles(w)) == len(w.state.added[shown_dataset])


def test_a_link_is_the_whole_state_so_one_without_points_clears_them():
    w = TrainerWidget()
    click(w, "plot", fx=0.5, fy=0.5)
    for _ in range(3):
        click(w, "step")
    assert w.restore_state({"added": "0,0,1"}) == [] and w.run.epoch == 3  # the same state: the run carries on
    assert w.restore_state({}) == []
    assert w.state.added["xor"] == () and w.run.epoch == 0 and len(w.run.trainer.X) == 100


def test_no_class_in_web_is_over_150_lines():
    import ast
    from pathlib import Path

    web = Path(__file__).resolve().parents[2] / "web"
    long = []
    for path in sorted(web.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 150:
                long.append(f"{path.name}: {node.name}")
    assert long == []
