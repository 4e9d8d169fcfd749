"""The trainer's gradients: each one-point chain is the engine's gradient, the full batch is their mean, dead units
are found, "Show in the graph" gives the same number in the graph, and the new settings travel in links."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from engine.nn import MLP
from web import share
from web.graph import GraphWidget
from web.trainer import TrainerWidget
from web.trainer.gradients import dead_units, parameter_names, point_chain, point_gradients
from web.trainer.run import initial_weights
from web.tree import find_all, text_of
from web.widget import UIEvent

ACTS = ("tanh", "sigmoid", "relu")


def tags(tree, tag: str) -> list:
    return find_all(tree, lambda el: el.tag == tag)


def weights_for(hidden: int, seed: int) -> list[float]:
    """Initial weights with non-zero biases, so every factor of a chain is exercised."""
    rng = random.Random(seed)
    return [w + rng.uniform(-0.5, 0.5) for w in initial_weights(seed, hidden)]


@pytest.mark.parametrize("loss", ["bce", "mse"])
@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("hidden", [1, 4, 8])
def test_each_one_point_chain_multiplies_to_the_engines_gradient(hidden, act, loss):
    weights = weights_for(hidden, hidden)
    for point, label in (((0.7, -0.4), 1.0), ((-1.2, 0.3), 0.0)):
        grads = point_gradients(weights, hidden, act, loss, point, label)
        for index in range(4 * hidden + 1):
            chain = point_chain(weights, hidden, act, loss, point, label, index)
            assert chain.product == pytest.approx(grads[index], rel=1e-12, abs=1e-15)
            first = chain.names[0]
            assert first == ("∂ℓ/∂z" if loss == "bce" else "∂ℓ/∂p")  # the chain follows the loss in use
            hidden_weight = index < 3 * hidden
            assert len(chain.names) == (2 if not hidden_weight else 4) + (loss == "mse")


def test_the_chain_reads_as_the_lesson_writes_it():
    weights = weights_for(4, 1)
    chain = point_chain(weights, 4, "tanh", "bce", (0.5, -1.0), 1.0, 3)  # weight from x1 to h2
    assert chain.names == ("∂ℓ/∂z", "∂z/∂h₂", "∂h₂/∂a₂", "∂a₂/∂w")
    assert chain.values[1] == weights[3 * 4 + 1]  # ∂z/∂h₂ is h2's weight to the output
    assert chain.values[3] == 0.5                 # ∂a₂/∂w is x1
    assert chain.text().startswith("∂ℓ/∂z × ∂z/∂h₂ × ∂h₂/∂a₂ × ∂a₂/∂w = ")
    bias = point_chain(weights, 4, "tanh", "bce", (0.5, -1.0), 1.0, 16)
    assert bias.names == ("∂ℓ/∂z", "∂z/∂b") and bias.values[1] == 1.0


@pytest.mark.parametrize("act", ACTS)
def test_the_full_batch_gradient_is_the_mean_of_the_points_chains(act):
    w = TrainerWidget()
    w.handle(UIEvent("input", "hidden", "3"))
    w.handle(UIEvent("change", "act", act))
    for _ in range(5):
        w.handle(UIEvent("click", "step"))
    t = w.run.trainer
    full = w.run.gradient()
    for index in (0, 5, 9, 12):
        chains = [point_chain(t.weights, 3, act, "bce", x, y, index).product for x, y in zip(t.X, t.Y, strict=True)]
        assert sum(chains) / len(chains) == pytest.approx(full[index], rel=1e-9, abs=1e-12)


def test_the_panel_shows_the_selected_weights_value_gradient_and_chain():
    w = TrainerWidget()
    w.handle(UIEvent("click", "step"))
    w.handle(UIEvent("click", "param:3"))
    w.handle(UIEvent("click", "next"))
    text = text_of(w.render())
    t = w.run.trainer
    chain = point_chain(t.weights, 4, "tanh", "bce", t.X[1], t.Y[1], 3)
    assert "Weight from x1 to h2" in text and chain.text() in text
    assert f"∂L/∂w = {w.run.gradient()[3]:.4f}".replace("-", "−") in text
    assert "Point 2 of 100" in text
    w.handle(UIEvent("click", "prev"))
    w.handle(UIEvent("click", "prev"))
    assert "Point 100 of 100" in text_of(w.render())  # wraps round
    w.handle(UIEvent("click", "close"))
    assert "Weight from x1 to h2" not in text_of(w.render()).split("choose one to see its chain")[1]


def test_every_weight_and_bias_is_a_button_with_its_exact_name():
    assert parameter_names(4)[:3] == ["Weight from x1 to h1", "Weight from x2 to h1", "Bias of h1"]
    assert parameter_names(4)[-2:] == ["Weight from h4 to the output", "Bias of the output"]
    for hidden in (1, 4, 8):
        w = TrainerWidget()
        w.handle(UIEvent("input", "hidden", str(hidden)))
        names = [b.attr("aria-label") for b in tags(w.render(), "button") if b.attr("aria-label")]
        assert sorted(names) == sorted(parameter_names(hidden)) and len(names) == 4 * hidden + 1
        assert f"{4 * hidden + 1} parameters" in text_of(w.render())
        assert len(MLP(2, [hidden], 1).parameters()) == 4 * hidden + 1


def test_show_gradients_draws_each_edge_in_the_gradient_role_by_its_size_and_dashes_negatives():
    w = TrainerWidget()
    w.handle(UIEvent("click", "step"))
    edges = [e for e in tags(w.render(), "line") if "edge" in e.attr("class") or ""]
    assert edges and not any("grad" in e.attr("class") for e in edges)
    w.handle(UIEvent("click", "grads"))
    edges = [e for e in tags(w.render(), "line") if "edge" in e.attr("class") or ""]
    grads = w.run.gradient()
    assert len(edges) == len(grads) == 17  # 12 weights and 5 biases: every bias is drawn too
    assert all("grad" in e.attr("class") for e in edges)
    assert [("minus" in e.attr("class")) for e in edges] == [g < 0 for g in order_drawn(grads, 4)]
    widths = [e.attr("stroke-width") for e in edges]
    biggest = max(range(17), key=lambda i: abs(order_drawn(grads, 4)[i]))
    assert widths[biggest] == max(widths)


def order_drawn(values: list[float], hidden: int) -> list[float]:
    """The order netview draws parameters in: each hidden unit's two weights and bias, then the output's."""
    return values[: 3 * hidden] + values[3 * hidden:]


def test_a_relu_unit_negative_at_every_point_is_dead_and_its_map_says_so():
    w = TrainerWidget()
    w.handle(UIEvent("change", "act", "relu"))
    weights = list(w.run.trainer.weights)
    weights[6:9] = [0.1, 0.1, -5.0]  # h3's sum is below 0 everywhere on the plot: slope 0 at every point
    w.run.trainer.reset(weights)
    w.run.version += 1
    assert dead_units(weights, 4, "relu", w.run.trainer.X) == (False, False, True, False)
    names = [c.attr("aria-label") for c in tags(w.render(), "canvas")]
    assert "Hidden unit 3, dead" in names and "Hidden unit 1" in names
    grads = w.run.gradient()
    assert grads[6:9] == [0.0, 0.0, 0.0]  # dead: no gradient reaches it
    assert dead_units(weights, 4, "tanh", w.run.trainer.X) == (False,) * 4


@pytest.mark.parametrize("act", ACTS)
def test_show_in_the_graph_gives_the_panels_number_to_4_decimals(act):
    w = TrainerWidget()
    w.handle(UIEvent("input", "hidden", "2"))
    w.handle(UIEvent("change", "act", act))
    weights = list(w.run.trainer.weights)
    weights[0], weights[6] = 3.7, -4.2  # beyond the graph's usual −3…3
    w.run.trainer.reset(weights)
    w.run.version += 1
    t = w.run.trainer
    for index in range(9):
        for point in (0, 57):
            w.state = replace(w.state, selected=index, point=point)
            w.handle(UIEvent("click", "graph"))
            fields, notices = share.decode(w.take_link())
            assert notices == [] and set(fields) == {"graph"}
            graph = GraphWidget()
            assert graph.restore_state(fields["graph"]) == []
            (slider,) = graph.state.diagram.sliders
            assert graph.state.values()[slider.link] == pytest.approx(weights[index], rel=1e-5)
            root = graph.state.scene.root
            root.backward()
            expected = point_chain(t.weights, 2, act, "bce", t.X[point], t.Y[point], index).product
            assert round(graph.state.scene.node(slider.name).grad, 4) == round(expected, 4)


def test_the_new_fields_travel_in_links_and_odd_numbers_are_refused_with_a_notice():
    w = TrainerWidget()
    w.handle(UIEvent("input", "hidden", "1"))
    w.handle(UIEvent("change", "act", "relu"))
    assert w.share_state() == {"hidden": "1", "act": "relu"}
    other = TrainerWidget()
    assert other.restore_state(w.share_state()) == []
    assert other.settings == w.settings and len(other.run.trainer.weights) == 5
    for key, text in (("lr", "٣"), ("seed", "７"), ("lr", "1_0"), ("points", "30"), ("noise", "0.025"),
                      ("hidden", "9"), ("hidden", "2.5"), ("act", "gelu"), ("speed", "2"), ("lr", "inf")):
        fresh = TrainerWidget()
        assert fresh.restore_state({key: text}) == [f"ignored trainer.{key}={text!r}"]
        assert fresh.share_state() == {}
    fresh = TrainerWidget()
    assert fresh.restore_state({"dataset": "moons", "points": "40", "noise": "0.15", "lr": "1"}) == []
    assert (fresh.settings.count, fresh.settings.noise, fresh.settings.lr) == (40, 0.15, 1.0)


def test_the_controls_refuse_off_step_values_too():
    w = TrainerWidget()
    w.handle(UIEvent("change", "dataset", "moons"))
    for name, text in (("points", "30"), ("noise", "0.025"), ("hidden", "0"), ("lr", "2.5"), ("points", "٤٠")):
        before = w.settings
        w.handle(UIEvent("input", name, text))
        assert w.settings == before


def test_noise_and_count_on_xor_leave_the_run_alone():
    w = TrainerWidget()
    for _ in range(3):
        w.handle(UIEvent("click", "step"))
    w.handle(UIEvent("input", "noise", "0.3"))
    w.handle(UIEvent("input", "points", "100"))
    assert w.run.epoch == 3
    w.handle(UIEvent("change", "dataset", "moons"))
    assert w.run.epoch == 0 and w.settings.count == 100  # on two moons they are the learner's


@pytest.mark.parametrize("act", ACTS)
def test_each_activation_has_its_measured_learning_rate_and_width_restarts(act):
    w = TrainerWidget()
    w.handle(UIEvent("click", "step"))
    w.handle(UIEvent("change", "act", act))
    from web.trainer.state import DEFAULT_LRS
    assert w.settings.lr == DEFAULT_LRS["xor", act] == w.run.trainer.lr
    w.handle(UIEvent("input", "hidden", "6"))
    assert w.run.epoch == 0 and len(w.run.trainer.weights) == 25
    assert len([c for c in tags(w.render(), "canvas") if c.attr("id").startswith("trainer-hidden")]) == 6
