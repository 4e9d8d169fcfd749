"""One rule for links, for every widget: a link that names none of a widget's fields leaves it alone; one that
names some sets those and puts the rest at their defaults, so a shared link gives exactly the state it describes.

The page applies it (web.dom.Page.restore_link hands a widget its fields only when the link names it); here every
widget is driven away from its defaults, then given a link that names one of its fields."""

from __future__ import annotations

import pytest

from web.app import FACTORIES
from web.widget import UIEvent

# For each widget: events that move it off its defaults, and a link naming one field (the others not named).
MOVES = {
    "chain": ([UIEvent("input", "x", "-1.5")], {"x": "nan"}),  # its one field, refused: x goes to its default
    "graph": ([UIEvent("input", "set:w", "2"), UIEvent("input", "set:b", "-1")], {"x": "0.5"}),
    "trainer": ([UIEvent("change", "dataset", "moons"), UIEvent("click", "step")], {"seed": "3"}),
    "cost": ([UIEvent("input", "k", "9")], {"other": "1"}),  # a field it does not have: k to its default
    "descent": ([UIEvent("input", "eta", "0.75")], {"eta": "0.33"}),  # off the slider's steps: η to its default
    # A kind and a seed, an answer typed and checked: the link sets the kind, the seed goes to its default and
    # the answer goes (a link never fills one).
    "practice": ([UIEvent("change", "kind", "two"), UIEvent("click", "new"), UIEvent("input", "ans:0", "1"),
                  UIEvent("click", "check")], {"kind": "neuron"}),
}


def test_every_widget_on_the_page_is_covered():
    assert set(MOVES) == set(FACTORIES)


@pytest.mark.parametrize("key", sorted(MOVES))
def test_a_link_that_names_some_fields_sets_those_and_defaults_the_rest(key):
    events, link = MOVES[key]
    widget = FACTORIES[key]()
    for event in events:
        widget.handle(event)
    moved = widget.share_state()
    assert moved, "the events must move the widget off its defaults"
    notices = widget.restore_state(dict(link))
    expected = FACTORIES[key]()
    assert notices == expected.restore_state(dict(link))
    assert widget.share_state() == expected.share_state()
    assert widget.render() == expected.render()
