import time

from hypothesis import given, settings
from hypothesis import strategies as st

from web.chain import ChainWidget
from web.expr import MAX_LENGTH
from web.graph import GraphWidget
from web.share import MAX_FRAGMENT, decode, encode
from web.trainer import MAX_ADDED, TrainerWidget, points_text


def test_round_trip_keeps_every_field_and_reads_cleanly():
    fields = {"chain": {"x": "0.70"}, "graph": {"expr": "(sigmoid(w*x + b) - ystar)**2", "w": "-1.5"}}
    fragment = encode(fields)
    assert fragment.startswith("#chain.x=0.70&graph.expr=")
    assert decode(fragment) == (fields, [])


def test_empty_and_malformed_fragments():
    assert encode({}) == ""
    assert decode("") == ({}, [])
    assert decode("#") == ({}, [])
    fields, notices = decode("#chain.x=1&nonsense&a.b.c=2&<script>=1&graph.w=2")
    assert fields == {"chain": {"x": "1"}, "graph": {"w": "2"}}
    assert len(notices) == 3


def test_oversized_fragments_are_ignored_whole():
    fields, notices = decode("#chain.x=" + "1" * MAX_FRAGMENT)
    assert fields == {} and "too long" in notices[0]
    fields, notices = decode("#" + "&".join(f"a.b{i}=1" for i in range(100)))
    assert fields == {} and "more than" in notices[0]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_any_fragment_decodes_without_raising(text):
    started = time.perf_counter()
    fields, notices = decode(text)
    assert isinstance(fields, dict) and isinstance(notices, list)
    assert time.perf_counter() - started < 0.2


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["chain", "graph", "trainer"]),
                       st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), st.text(max_size=30),
                                       max_size=4), max_size=3))
def test_any_fields_survive_a_round_trip(fields):
    fields = {k: v for k, v in fields.items() if v}
    assert decode(encode(fields)) == (fields, [])


def test_a_page_at_its_longest_still_fits_in_a_link():
    """The trainer's added points are the longest part of a link: with the cap full of the widest points, every
    trainer setting at its longest and a long expression in the graph, the link still reads back whole."""
    chain, graph, trainer = ChainWidget(), GraphWidget(), TrainerWidget()
    chain.set_x(-1.99)
    head, tail = "sin(aaaaaaaaaaaaaaaaaaaaaaa)/(bbbbbbbbbbbbbbbbbbbbbbb+cc)", "+ d*e"
    assert graph.apply(head + " " * (MAX_LENGTH - len(head) - len(tail)) + tail)  # spaces: 3 characters each
    for slider in graph.diagram.sliders:
        graph.set_input(slider.name, -2.99)
    widest = points_text([(-1.25, -1.75, 0.0)] * MAX_ADDED)
    assert trainer.restore_state({"dataset": "moons", "lr": "0.002", "loss": "mse", "seed": str(2**31 - 1),
                                  "speed": "100", "noise": "0.45", "points": "380", "added": widest}) == []
    fields = {w.key: w.share_state() for w in (chain, graph, trainer)}
    assert fields["trainer"]["added"] == widest
    fragment = encode(fields)
    assert len(fragment) < MAX_FRAGMENT
    assert decode(fragment) == (fields, [])
