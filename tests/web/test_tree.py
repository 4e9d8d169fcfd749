import itertools
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from web.tree import El, find, find_all, h, text_of, to_markup


def test_attributes_are_sorted_named_and_filtered():
    el = h("input", {"type": "range", "aria_label": "x", "disabled": False, "required": True, "value": 0.7})
    assert el.attrs == (("aria-label", "x"), ("required", ""), ("type", "range"), ("value", "0.7"))


def test_floats_are_compact_and_never_negative_zero():
    assert h("circle", {"cx": 12.0, "cy": -0.001, "r": 2.345}).attrs == (
        ("cx", "12"), ("cy", "0"), ("r", "2.35"))


def test_children_flatten_lists_and_drop_none():
    el = h("ul", {}, [h("li", {}, "a"), None], None, "tail")
    assert [c.tag if isinstance(c, El) else c for c in el.children] == ["li", "tail"]


def test_empty_texts_vanish_and_neighbouring_texts_join_as_the_parsed_page_has_them():
    assert h("p", None, "", "a", "", ["b", None, "c"], h("b"), "", "d", "e").children == ("abc", h("b"), "de")
    assert h("p", None, "").children == ()


@given(st.lists(st.one_of(st.text(max_size=3), st.none(), st.just(h("br"))), max_size=8))
def test_every_child_is_one_node_of_the_parsed_markup_and_the_text_is_kept(children):
    el = h("p", None, *children)
    assert text_of(el) == "".join(c for c in children if isinstance(c, str))
    assert all(c != "" for c in el.children)
    assert not any(isinstance(a, str) and isinstance(b, str) for a, b in itertools.pairwise(el.children))


def test_markup_escapes_text_and_attributes():
    el = h("p", {"title": '"<&>'}, "<script>alert(1)</script> & co")
    assert to_markup(el) == '<p title="&quot;&lt;&amp;&gt;">&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>'


class Reader(HTMLParser):
    """What a browser's parser makes of markup: start tags with their attributes, and the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text += data


@given(st.text(max_size=40), st.text(max_size=40))
def test_any_text_and_attribute_value_read_back_unchanged(text, value):
    reader = Reader()
    reader.feed(to_markup(h("p", {"title": value}, text)))
    reader.close()
    assert reader.tags == [("p", [("title", value)])] and reader.text == text


def test_void_html_elements_and_self_closing_svg():
    assert to_markup(h("input", {"type": "range"})) == '<input type="range">'
    svg = h("svg", {"viewBox": "0 0 1 1"}, h("circle", {"r": 1}), h("text", {}, "a"))
    assert to_markup(svg) == '<svg viewBox="0 0 1 1"><circle r="1"/><text>a</text></svg>'


def test_text_and_search_helpers():
    tree = h("div", {}, h("p", {"id": "a"}, "one ", h("b", {}, "two")), h("p", {"id": "b"}, "three"))
    assert text_of(tree) == "one twothree"
    assert find(tree, id="b").children == ("three",)
    assert len(find_all(tree, lambda e: e.tag == "p")) == 2
