import time

from hypothesis import given, settings
from hypothesis import strategies as st

from web.share import MAX_FRAGMENT, decode, encode


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
