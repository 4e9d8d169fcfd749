import re
import urllib.parse

from hypothesis import given, settings
from hypothesis import strategies as st

from web.chain import ChainWidget
from web.cost import CostWidget
from web.expr import MAX_LENGTH, MAX_VARIABLES
from web.graph import GraphWidget
from web.share import MAX_FIELDS, MAX_FRAGMENT, SAFE, decode, encode, fit, quote, unquote
from web.trainer import MAX_ADDED, TrainerWidget, points_text
from web.widget import UIEvent


def test_round_trip_keeps_every_field_and_reads_cleanly():
    fields = {"chain": {"x": "0.70"}, "graph": {"expr": "(sigmoid(w*x + b) - ystar)**2", "w": "-1.5"}}
    fragment = encode(fields)
    assert fragment.startswith("#chain.x=0.70&graph.expr=")
    assert decode(fragment) == (fields, [])


# Links are written with the page's own quote and unquote (urllib.parse costs Pyodide a tenth of a second to import):
# they must write and read exactly what urllib.parse would, on any text, including broken escapes and odd bytes.
ESCAPE_LIKE = st.text(alphabet="%0123456789abcdefABCDEFgG&=.é€\U0001F600 ~*", max_size=30)


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=30), ESCAPE_LIKE), st.sampled_from(["", SAFE]))
def test_quote_and_unquote_agree_with_urllib(text, safe):
    assert quote(text, safe=safe) == urllib.parse.quote(text, safe=safe)
    assert unquote(text) == urllib.parse.unquote(text)
    assert unquote(quote(text, safe=safe)) == text


def test_unquote_reads_split_and_broken_utf8_as_urllib_does():
    for text in ["%C3%A9", "%C3", "%C3a%A9", "%E2%82", "%E2%82%AC%", "100%", "%zz%41", "%%41", "é%C3%A9é"]:
        assert unquote(text) == urllib.parse.unquote(text), text


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


def test_a_fragment_without_settings_is_a_place_on_the_page_and_gives_no_message():
    for anchor in ("#main", "main", "#chain", "#chain.x", "#top-of-page", "#" + "m" * (MAX_FRAGMENT + 10)):
        assert decode(anchor) == ({}, [])
    assert decode("#main&chain.x=1") == ({"chain": {"x": "1"}}, ["ignored 'main'"])  # settings after all


IDENTIFIER = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_any_fragment_decodes_to_plain_strings_and_short_notices(text):
    fields, notices = decode(text)
    assert all(widget.isidentifier() and all(name.isidentifier() and isinstance(value, str)
                                             for name, value in values.items())
               for widget, values in fields.items())
    assert len(notices) <= MAX_FIELDS and all(len(notice) <= 80 for notice in notices)
    if "=" not in text:
        assert (fields, notices) == ({}, [])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(IDENTIFIER, st.dictionaries(IDENTIFIER, st.text(max_size=30), min_size=1, max_size=4),
                       max_size=5))
def test_encode_writes_a_plain_fragment_that_decode_reads_back_whole(fields):
    fragment = encode(fields)
    assert fragment == "" or re.fullmatch(r"#[A-Za-z0-9%*()\-._~,=&]+", fragment)  # nothing a browser rewrites
    assert decode(fragment) == (fields, [])


# Whatever a learner types into the chain's slider box, or drags it to: the page turns each into an input event.
SLIDER_TEXT = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                        st.floats(-2.5, 2.5).map(lambda v: f"{v:.3f}"), st.text(max_size=8))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["input", "change"]), SLIDER_TEXT), max_size=6))
def test_every_chain_state_the_page_can_reach_writes_a_link_that_reads_back_to_it(events):
    widget = ChainWidget()
    for kind, value in events:
        widget.handle(UIEvent(kind=kind, name="x", value=value))
    fields, notices = decode(encode({widget.key: widget.share_state()}))  # what the page writes, then reads
    fresh = ChainWidget()
    assert notices == [] and fresh.restore_state(fields.get(widget.key, {})) == []
    assert fresh.x == widget.x
    assert fresh.render() == widget.render()


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["chain", "graph", "trainer"]),
                       st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), st.text(max_size=30),
                                       max_size=4), max_size=3))
def test_any_fields_survive_a_round_trip(fields):
    fields = {k: v for k, v in fields.items() if v}
    assert decode(encode(fields)) == (fields, [])


def test_a_page_at_its_longest_still_fits_in_a_link():
    """The trainer's added points and a learner's graph are the longest parts of a link: with the cap full of the
    widest points, every trainer setting at its longest, a 200-character expression with as many long variable
    names as the reader takes, each at its widest value, and every other widget off its default, the link still
    reads back whole."""
    chain, graph, trainer, cost = ChainWidget(), GraphWidget(), TrainerWidget(), CostWidget()
    chain.set_x(-1.99)
    width = (MAX_LENGTH - (MAX_VARIABLES - 1)) // MAX_VARIABLES  # names joined by '+', filling the length
    names = [chr(ord("a") + i) * width for i in range(MAX_VARIABLES)]
    text = "+".join(names)
    assert len(text) <= MAX_LENGTH
    graph.handle(UIEvent("key", "expr", text, key="Enter"))
    assert graph.state.error == "" and len(graph.state.diagram.sliders) == MAX_VARIABLES
    for slider in graph.state.diagram.sliders:
        graph.handle(UIEvent("input", f"set:{slider.name}", "-2.99"))
    assert set(graph.share_state().values()) == {text, "-2.99"}
    cost.set_k(64)
    widest = points_text([(-1.25, -1.75, 0.0)] * MAX_ADDED)
    assert trainer.restore_state({"dataset": "moons", "lr": "0.002", "loss": "mse", "seed": str(2**31 - 1),
                                  "speed": "100", "noise": "0.45", "points": "380", "added": widest}) == []
    fields = {w.key: w.share_state() for w in (chain, graph, trainer, cost)}
    assert fields["trainer"]["added"] == widest
    fragment = encode(fields)
    assert len(fragment) < MAX_FRAGMENT
    assert decode(fragment) == (fields, [])


def test_a_key_given_twice_takes_its_last_value_and_says_so():
    assert decode("#cost.k=8&cost.k=2") == ({"cost": {"k": "2"}}, ["cost.k was given twice; the last value was used"])
    fields, notices = decode("#cost.k=8&chain.x=1&cost.k=zz&cost.k=3")
    assert fields == {"cost": {"k": "3"}, "chain": {"x": "1"}}
    assert notices == ["cost.k was given 3 times; the last value was used"]
    assert decode("#cost.k=8&cost.K=2")[1] == []  # names differ in case: two fields, not one given twice


def test_a_widget_too_long_for_a_link_is_left_out_whole_and_the_others_keep_theirs():
    """The page wrote a 2,401-character link that it then refused whole, so every widget lost its settings."""
    fields = {"chain": {"x": "0.70"}, "graph": {"expr": "x*x", "x": "1.00", "note": "\U0001F600" * 200},
              "cost": {"k": "9"}}
    kept, notices = fit(fields)
    assert kept == {"chain": {"x": "0.70"}, "cost": {"k": "9"}}
    assert notices == ["the graph widget's settings are too long for a link and were left out of it"]
    assert decode(encode(fields)) == (kept, [])


def test_a_link_with_too_many_fields_leaves_out_the_widget_with_the_most():
    fields = {"chain": {"x": "1"}, "graph": {f"v{i}": "1" for i in range(MAX_FIELDS)}}
    assert decode(encode(fields)) == ({"chain": {"x": "1"}}, [])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(IDENTIFIER, st.dictionaries(IDENTIFIER, st.text(max_size=400), min_size=1, max_size=12),
                       max_size=5))
def test_every_link_the_page_writes_reads_back_whole(fields):
    kept, notices = fit(fields)
    assert decode(encode(fields)) == (kept, [])
    assert all(kept[widget] == fields[widget] for widget in kept)  # a widget is in the link whole or not at all
    assert len(notices) == len(fields) - len(kept)
