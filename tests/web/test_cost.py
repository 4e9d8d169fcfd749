"""The cost widget in CPython: the network, the three methods' counts and answers, links, and the views."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Tally, jvp, topological_order
from web import share
from web.cost import K_DEFAULT, CostWidget, network, read_k
from web.cost.measure import PASSES, Measurement
from web.cost.view import line_points
from web.dag.diagram import OPERATION, expression_diagram, scene_of
from web.graph import GraphWidget
from web.tree import to_markup
from web.widget import GRAPH_EXPRESSION, UIEvent


def measured(k: int) -> Measurement:
    m = Measurement(network.build(k))
    m.finish()
    return m


@pytest.mark.parametrize("k", range(network.K_MIN, network.K_MAX + 1))
def test_size_formulas_count_the_real_graph(k):
    net = network.build(k)
    order = topological_order(net.loss)
    assert len(net.params) == network.parameter_count(k) == 4 * k + 1
    assert len(order) == network.node_count(k)
    assert sum(1 for node in order if node.parents) == network.operation_count(k)
    assert sum(len(node.parents) for node in order) == network.edge_count(k)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 17, 64])
def test_each_method_costs_what_the_lesson_says(k):
    m = measured(k)
    n = network.parameter_count(k)
    one = m.results["pass"].tally
    assert (one.passes, one.rules) == (1, network.operation_count(k))
    jvp_pass = Tally()
    net = network.build(k)
    jvp(net.loss, {net.params[0]: 1.0}, jvp_pass)
    finite, forward, reverse = (m.results[name].tally for name in ("finite", "forward", "reverse"))
    assert (finite.passes, finite.rules) == (n + 1, (n + 1) * one.rules)
    assert (forward.passes, forward.rules) == (n, n * jvp_pass.rules)
    assert reverse.passes == 2 and reverse.rules <= 4 * one.rules
    # The read-outs' "of N passes" and the plot's lines are these same counts at every k.
    for method in PASSES:
        assert m.results[method].tally.passes == PASSES[method](n)
        assert line_points(method)[k - 1] == (n, m.results[method].tally.rules)


@pytest.mark.parametrize("k", [1, 2, 5, 64])
def test_the_three_methods_agree(k):
    m = measured(k)
    grads = {name: m.results[name].grads for name in ("finite", "forward", "reverse")}
    assert all(len(g) == network.parameter_count(k) for g in grads.values())
    assert m.largest_difference("forward") <= 1e-12
    assert 0 < m.largest_difference("finite") <= 1e-6
    # Reverse mode's gradient is the engine's ordinary backward pass on a fresh graph.
    net = network.build(k)
    net.loss.backward()
    assert grads["reverse"] == [p.grad for p in net.params]
    assert m.loss == net.loss.data


def test_measurement_is_sliced_by_the_clock():
    ticks = iter(range(10**9))
    m = Measurement(network.build(64), clock=lambda: next(ticks) * 0.001)  # each clock read: 1 ms later
    frames = 0
    while not m.done:
        m.advance(0.005)
        frames += 1
        assert frames < 10_000
    # Each pass reads the clock twice (2 ms), so a 5 ms budget runs about three passes per frame.
    passes = sum(r.tally.passes for r in m.results.values())
    assert passes == 1 + 2 + 257 + 258 and frames >= passes // 4
    assert m.largest_difference("forward") <= 1e-12


def test_reverse_mode_is_ready_before_the_slow_methods():
    ticks = iter(range(10**9))
    m = Measurement(network.build(8), clock=lambda: next(ticks) * 0.001)
    while not m.results["reverse"].done:
        m.advance(0.004)
    assert not m.results["finite"].done
    assert m.largest_difference("finite") is None


@pytest.mark.parametrize("k", [1, 2])
def test_graph_expression_is_the_same_network(k):
    weights = network.weights(k)
    diagram = expression_diagram(network.expression(k), weights)
    net = network.build(k)
    assert len(topological_order(diagram.root)) == network.node_count(k)
    assert [s.link for s in diagram.sliders] == list(weights)
    assert diagram.root.data == net.loss.data
    diagram.root.backward()
    net.loss.backward()
    by_name = {node.label: node for node in topological_order(diagram.root) if not node.parents}
    assert [by_name[name].grad for name in weights] == [p.grad for p in net.params]


def test_weights_fit_the_graph_sliders():
    for k in range(1, network.K_MAX + 1):
        for value in network.weights(k).values():
            assert -3.0 <= value <= 3.0 and round(value, 2) == value and value != 0.0


def show_in_graph(k: int) -> tuple[GraphWidget, list[str], str]:
    widget = CostWidget(k)
    widget.handle(UIEvent("click", "show"))
    link = widget.take_link()
    assert widget.take_link() is None  # handed over once
    fields, notices = share.decode(link)
    assert notices == [] and set(fields) == {"graph"}
    graph = GraphWidget()
    notices = graph.restore_state(fields["graph"])
    return graph, notices, link


def check_graph_holds_network(graph: GraphWidget, k: int) -> None:
    diagram = graph.state.diagram
    assert diagram.text == network.expression(k)
    assert [s.link for s in diagram.sliders] == list(network.weights(k))
    assert graph.state.values() == network.weights(k)
    assert diagram.root.data == pytest.approx(network.build(k).loss.data, abs=1e-15)


def test_show_in_the_graph_loads_the_one_unit_network():
    graph, notices, link = show_in_graph(1)
    assert notices == []
    check_graph_holds_network(graph, 1)
    assert link.startswith("#graph.expr=") and "graph.w11=" in link


def test_show_in_the_graph_loads_the_two_unit_network():
    for k in (2, 3, 64):  # anything bigger than 2 units loads the 2-unit network
        graph, notices, _ = show_in_graph(k)
        assert notices == []
        check_graph_holds_network(graph, 2)


def test_slider_moves_k_and_refuses_junk():
    widget = CostWidget()
    assert widget.k == K_DEFAULT == 4
    for text, k in [("12", 12), ("64", 64), ("65", 64), ("0", 64), ("abc", 64), ("4.5", 64), ("", 64),
                    ("٣", 64), ("1", 1), (" 7 ", 7)]:
        widget.handle(UIEvent("input", "k", text))
        assert widget.k == k, text


@pytest.mark.parametrize("text", ["0", "65", "-1", "4.0", "4.5", "1e1", "٣", "７", "1_0", "", "x", "007", "99999",
                                  "+5", "0x10"])
def test_hostile_links_are_refused_with_a_notice(text):
    widget = CostWidget(9)
    assert read_k(text) is None
    notices = widget.restore_state({"k": text, "other": "1"})
    assert notices == [f"ignored cost.k={text!r}", "ignored cost.other='1'"]
    assert widget.k == K_DEFAULT  # the link names the widget: what it does not set goes to the default


@pytest.mark.parametrize(("text", "k"), [("1", 1), ("07", 7), ("64", 64), (" 12 ", 12)])
def test_plain_ascii_whole_numbers_in_range_are_read(text, k):
    widget = CostWidget()
    assert read_k(text) == k
    assert widget.restore_state({"k": text}) == [] and widget.k == k


events = st.one_of(
    st.builds(UIEvent, st.just("input"), st.just("k"), st.one_of(st.integers(-5, 80).map(str), st.text(max_size=4))),
    st.builds(UIEvent, st.just("click"), st.just("show")),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(events, max_size=8))
def test_any_reachable_state_writes_a_link_that_reads_back_to_itself(sequence):
    widget = CostWidget()
    for event in sequence:
        widget.handle(event)
    fields = widget.share_state()
    decoded, notices = share.decode(share.encode({"cost": fields}))
    assert notices == []
    again = CostWidget()
    assert again.restore_state(decoded.get("cost", {})) == []
    assert again.k == widget.k and again.share_state() == fields


def test_the_notice_about_the_graph_goes_when_the_graph_shows_something_else():
    widget = CostWidget(1)
    widget.handle(UIEvent("click", "show"))
    said = "The network with 1 hidden unit is in the Computation graph above"
    assert said in to_markup(widget.render())
    # The graph reports the network it was sent (in its own spelling too): the notice holds.
    for text in (network.expression(1), network.expression(1).replace(" ", ""), None):
        if text is not None:
            widget.receive(GRAPH_EXPRESSION, text)
        widget.receive("rule", ("mul", "b"))  # another kind of hand-off is none of its business
        assert said in to_markup(widget.render())
    widget.receive(GRAPH_EXPRESSION, "x*x + sin(x)")  # the learner typed something else there
    assert said not in to_markup(widget.render())
    widget.receive(GRAPH_EXPRESSION, network.expression(1))  # and back: the notice was about a click, gone
    assert said not in to_markup(widget.render())
    widget.handle(UIEvent("click", "show"))
    widget.receive(GRAPH_EXPRESSION, "x +")  # even text the reader refuses is not the network
    assert said not in to_markup(widget.render())


def test_a_row_still_waiting_says_waiting_once_python_runs():
    widget = CostWidget(64)
    before = to_markup(widget.render(ready=False))
    assert before.count("starts when Python is running") == 4
    widget.handle(UIEvent("input", "k", "40"))
    widget.frame(0.0)
    page = to_markup(widget.render())
    assert "starts when Python is running" not in page
    assert "waiting" in page and "working: " in page


def test_output_weights_are_not_named_like_the_graphs_intermediate_nodes():
    """The graph names its operation nodes v1, v2, …; output weights named v1, v2 made captions read
    "v8 = v1·v7"."""
    for k in (1, 2):
        scene = scene_of(expression_diagram(network.expression(k), network.weights(k)))
        weights = [s.name for s in scene.diagram.sliders]
        nodes = [name for name, kind in zip(scene.names, scene.kinds, strict=True) if kind == OPERATION]
        assert all(re.fullmatch(r"v[0-9]+", name) for name in nodes if name != "L")
        assert not [name for name in weights if re.fullmatch(r"v[0-9]+", name)]
        assert weights[0] == "u1" and (k == 1 or "u2" in weights)


def test_views_carry_the_contract_names():
    widget = CostWidget(64)
    before = to_markup(widget.render(ready=False))
    assert 'disabled=""' in before and "Hidden units" in before and "Finite differences: — operations" in before
    widget.measurement.finish()
    page = to_markup(widget.render())
    for text in ["Hidden units", "Parameters: 257", "Finite differences: 116,358 operations",
                 "Forward mode: 231,814 operations", "Reverse mode: 902 operations",
                 "One forward pass: 451 operations", "Largest difference: ", "Cost against parameters",
                 "Show in the graph", "Scalar graph: 837 nodes, 836 edges", "ms in this browser"]:
        assert text in page, text
    assert 'aria-valuetext="64 hidden units, 257 parameters"' in page
    assert f"L = {network.build(64).loss.data:.4f}" in page
