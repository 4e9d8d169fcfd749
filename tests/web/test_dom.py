"""web.dom, the page's glue, in CPython against a small fake browser (tests/web/fakebrowser.py): adopting the
pre-rendered view, patching, removing trailing children, links, Back, and what widgets keep in the browser."""

from __future__ import annotations

import json
import types

import pytest

from tests.web.fakebrowser import JSNULL, Browser, Storage, install
from web.tree import El, digest, h, to_markup
from web.widget import Widget


class Counter(Widget):
    """A small widget: a title, a count and one list item per count, settings n and word in links."""

    key = "counter"

    def __init__(self, n: int = 2, word: str = "item"):
        self.n, self.word = n, word
        self.restored: list[dict] = []
        self.kept_text: str | None = None
        self.loaded = ""

    def render(self, *, ready: bool = True) -> El:
        return h("section", {"id": self.key, "class": "card"},
                 h("h2", {}, "Counter"),
                 h("button", {"type": "button", "data-on": "add", "disabled": not ready}, "Add"),
                 h("ul", {}, *(h("li", {}, f"{self.word} {i}") for i in range(self.n))))

    def share_state(self) -> dict[str, str]:
        return {k: v for k, v in (("n", str(self.n)), ("word", self.word)) if (k, v) not in (("n", "2"),
                                                                                              ("word", "item"))}

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        self.restored.append(dict(fields))
        self.n, self.word = int(fields.get("n", "2")), fields.get("word", "item")
        return []

    def load_kept(self, text: str) -> None:
        self.loaded = text

    def take_kept(self) -> str | None:
        text, self.kept_text = self.kept_text, None
        return text


class Other(Counter):
    key = "other"


@pytest.fixture
def browser():
    return Browser()


@pytest.fixture
def dom(monkeypatch, browser):
    return install(monkeypatch, browser)


def pre_render(browser: Browser, widget: Widget, *, stamp: str | None = None):
    """The mount as build.py writes it: the widget's view for ready=False, stamped with its digest."""
    mount = browser.mount(widget.key)
    preview = widget.render(ready=False)
    browser.parse(preview, mount)
    mount.attributes["data-preview"] = digest(preview) if stamp is None else stamp
    return mount


def page_of(dom, *widgets):
    return dom.Page(list(widgets), {type(w).key: type(w) for w in widgets})


# --- adoption ---

def test_adopting_the_pre_rendered_view_costs_no_call_and_the_first_render_only_enables_controls(dom, browser):
    widget = Counter(3)
    mount = pre_render(browser, widget)
    nodes_before = [id(node) for node in mount.walk()]
    page = page_of(dom, widget)
    (m,) = page.mounts
    assert m.mirror is not None and browser.calls["childNodes.item"] == 0  # adopted: nothing looked up yet
    assert "data-preview" not in mount.attributes  # only the page as loaded may be trusted
    m.render()
    assert [id(node) for node in mount.walk()] == nodes_before  # the same nodes, patched, not rebuilt
    assert browser.calls["createElement"] == browser.calls["createTextNode"] == 0
    assert browser.calls["removeAttribute"] == 2  # data-preview, then the button's disabled
    assert mount.children[0].to_el() == widget.render(ready=True)


def test_a_view_that_is_not_what_the_widget_would_write_is_built_afresh(dom, browser):
    widget = Counter(3)
    mount = pre_render(browser, widget, stamp="00000000")  # a stale page: some other build's markup
    old = mount.children[0]
    page = page_of(dom, widget)
    assert page.mounts[0].mirror is None
    page.mounts[0].render()
    assert mount.children[0] is not old and browser.calls["replaceChildren"] == 1
    assert mount.children[0].to_el() == widget.render()


# --- patching ---

def mirrored(dom, browser, tree: El):
    """A mirror of tree adopted from a parsed page, as the page starts, and the DOM node it stands for."""
    mount = browser.mount("x")
    node = browser.parse(tree, mount)
    return dom.adopt(tree, dom.Node(None, mount, []), 0), node


def test_patching_changes_only_what_differs(dom, browser):
    old = h("div", {"class": "a", "id": "d", "role": "group"}, h("p", {}, "one"), h("p", {"title": "t"}, "two"),
            h("span", {}, "three"))
    mirror, node = mirrored(dom, browser, old)
    keep = node.children[0]
    new = h("div", {"class": "b", "id": "d", "role": "group"}, h("p", {}, "one"), h("p", {}, "2"),
            h("em", {}, "three"), h("b", {}, "four"))
    mirror = dom.patch(mirror, new, False)
    assert node.to_el() == new
    assert node.children[0] is keep  # untouched
    assert browser.calls["replaceWith"] == 1 and browser.calls["appendChild"] >= 1  # span -> em; b appended
    assert browser.calls["data"] == 1 and browser.calls["removeAttribute"] == 1  # "two" -> "2"; title removed
    assert browser.calls["setAttribute"] == 1  # class, the one attribute of the div that changed
    # and a second patch with the same tree touches nothing at all
    before = sum(browser.calls.values())
    assert dom.patch(mirror, new, False) is mirror
    assert sum(browser.calls.values()) == before


@pytest.mark.parametrize("keep", [0, 1, 2, 4])
def test_patching_removes_trailing_children_of_an_adopted_view(dom, browser, keep):
    """An adopted mirror finds each node by its index among its siblings: removing one before looking up the next
    would remove the wrong ones."""
    old = h("ul", {}, *(h("li", {}, f"item {i}") for i in range(5)))
    mirror, node = mirrored(dom, browser, old)
    kept = node.children[:keep]
    new = h("ul", {}, *(h("li", {}, f"item {i}") for i in range(keep)))
    dom.patch(mirror, new, False)
    assert node.to_el() == new and node.children == kept
    assert browser.calls["remove"] == 5 - keep


def test_a_widget_that_shrinks_and_grows_again_stays_in_step_with_its_view(dom, browser):
    widget = Counter(5)
    mount = pre_render(browser, widget)
    page = page_of(dom, widget)
    for n, word in [(5, "item"), (1, "item"), (4, "thing"), (0, "x"), (6, "item"), (2, "item")]:
        widget.n, widget.word = n, word
        page.mounts[0].render()
        assert mount.children[0].to_el() == widget.render(), (n, word)


def test_svg_children_are_made_in_the_svg_namespace(dom, browser):
    built = dom.build(h("div", {}, h("svg", {"viewBox": "0 0 1 1"}, h("circle", {"r": 1})), h("p", {}, "x")), False)
    div = built.js
    assert div.namespace == "" and div.children[0].namespace == dom.SVG_NS
    assert div.children[0].children[0].namespace == dom.SVG_NS and div.children[1].namespace == ""
    assert to_markup(div.to_el()) == '<div><svg viewBox="0 0 1 1"><circle r="1"/></svg><p>x</p></div>'


# --- links ---

def test_a_link_hands_each_widget_only_the_fields_it_names(dom, browser):
    counter, other = Counter(5), Other(7, "left alone")
    for widget in (counter, other):
        browser.mount(widget.key)
    page = page_of(dom, counter, other)
    notices = page.address.restore_link("#counter.n=3&nobody.x=1")
    assert counter.restored == [{"n": "3"}] and (counter.n, counter.word) == (3, "item")
    assert other.restored == [] and (other.n, other.word) == (7, "left alone")  # named nowhere: left alone
    assert notices == ["ignored settings for 'nobody'"]
    for anchor in ("#main", "", "#"):
        assert page.address.restore_link(anchor) == []
    assert counter.restored == [{"n": "3"}] and other.restored == []


def test_back_restores_the_whole_state_an_entry_of_the_page_holds(dom, browser):
    counter, other = Counter(5, "a"), Other(7, "b")
    for widget in (counter, other):
        browser.mount(widget.key)
    page = page_of(dom, counter, other)
    page.start()
    # An entry the page wrote holds every widget's state: one not named in it is at its defaults there.
    page.address.go_back(types.SimpleNamespace(state="#counter.n=4"))
    assert (counter.n, counter.word) == (4, "item") and (other.n, other.word) == (2, "item")
    assert other.restored[-1] == {}
    # An entry the page did not write (state null: a link from outside) is left to hashchange's rule.
    counter.n = 9
    page.address.go_back(types.SimpleNamespace(state=JSNULL))
    page.address.go_back(types.SimpleNamespace(state=None))
    assert counter.n == 9 and len(counter.restored) == 1


def test_the_link_written_is_the_whole_state_and_the_history_entry_holds_it(dom, browser):
    counter = Counter()
    browser.mount(counter.key)
    page = page_of(dom, counter)
    page.start()
    counter.n = 4
    page.address.write_link()
    assert browser.location.hash == "#counter.n=4" and browser.history.state == "#counter.n=4"
    assert browser.history.entries[-1] == ("replace", "#counter.n=4")


# --- what widgets keep in the browser ---

def test_kept_text_is_stored_once_per_change_and_read_at_start(dom, browser):
    counter = Counter()
    browser.mount(counter.key)
    browser.storage.items[dom.STORE_KEY] = json.dumps({"counter": "progress", "gone": "x"})
    page = page_of(dom, counter)
    page.start()
    assert counter.loaded == "progress"
    counter.kept_text = "more progress"
    page.mounts[0].render()
    assert json.loads(browser.storage.items[dom.STORE_KEY])["counter"] == "more progress"
    counter.kept_text = ""  # forget it
    page.mounts[0].render()
    assert "counter" not in json.loads(browser.storage.items[dom.STORE_KEY])


@pytest.mark.parametrize("stored", ["not json", "[1, 2]", '{"counter": 3}', "null"])
def test_kept_entries_that_are_not_ours_read_as_nothing(monkeypatch, stored):
    browser = Browser()
    dom = install(monkeypatch, browser)
    browser.storage.items[dom.STORE_KEY] = stored
    assert dom.read_kept() == {}


def test_refused_storage_keeps_for_the_visit_without_a_word(monkeypatch):
    browser = Browser(Storage(refused=True))
    dom = install(monkeypatch, browser)
    assert dom.read_kept() == {}
    counter = Counter()
    browser.mount(counter.key)
    page = page_of(dom, counter)
    page.start()
    counter.kept_text = "progress"
    page.mounts[0].render()
    assert page.kept == {"counter": "progress"}  # lasts for the visit
    assert browser.status.textContent.startswith("Ready")
    assert "data-ready" in browser.body.attributes


# --- revealing the active edge's label in its scrolling box ---

class ScrollBox:
    """A box that scrolls sideways over content `content` wide; scrollTo starts a glide that ends later (finish)."""

    def __init__(self, width: float, content: float):
        self.clientWidth, self.scrollWidth = width, content
        self.clientHeight = self.scrollHeight = 100
        self.scrollLeft = self.scrollTop = 0.0
        self.targets: list[tuple[float, float]] = []

    def getBoundingClientRect(self):
        return types.SimpleNamespace(left=0.0, right=float(self.clientWidth), top=0.0, bottom=100.0)

    def scrollTo(self, left: float, top: float) -> None:
        self.targets.append((left, top))

    def finish(self) -> None:
        self.scrollLeft, self.scrollTop = self.targets[-1]


class Label:
    """An element at content position x (width wide) inside a ScrollBox."""

    def __init__(self, box: ScrollBox, x: float, width: float):
        self.box, self.x, self.width = box, x, width

    def getClientRects(self):
        return types.SimpleNamespace(length=1)

    def closest(self, _selector: str):
        return self.box

    def getBoundingClientRect(self):
        left = self.x - self.box.scrollLeft
        return types.SimpleNamespace(left=left, right=left + self.width, top=40.0, bottom=60.0)


def test_a_label_out_of_sight_is_centred_in_its_box(dom):
    box = ScrollBox(width=364, content=1095)
    dom.reveal(Label(box, x=600, width=200))
    assert box.targets == [(518.0, 0.0)]  # its centre (700) at the box's centre (182)
    box.finish()
    dom.reveal(Label(box, x=560, width=200))  # in sight: the box stays where it is
    assert len(box.targets) == 1


def test_a_label_revealed_during_a_glide_is_judged_by_where_the_box_is_going(dom):
    box = ScrollBox(width=364, content=1095)
    dom.reveal(Label(box, x=300, width=200))  # the box starts gliding to 218
    box.scrollLeft = 100.0  # a frame later, on its way
    dom.reveal(Label(box, x=150, width=200))  # in sight now (at 50…250), but at 218 it will be at −68…132
    box.finish()
    label = Label(box, x=150, width=200).getBoundingClientRect()
    assert label.left >= 0 and label.right <= box.clientWidth


def test_a_widget_left_out_of_the_link_is_named_on_the_status_line(dom, browser):
    counter, other = Counter(), Other(3)
    for widget in (counter, other):
        browser.mount(widget.key)
    page = page_of(dom, counter, other)
    page.start()
    counter.word = "x" * 2500  # more than a link holds
    page.address.write_link()
    assert browser.location.hash == "#other.n=3"  # the other widget keeps its settings in the link
    assert "the counter widget's settings are too long for a link" in browser.status.textContent
    counter.word = "short"
    page.address.write_link()
    assert browser.location.hash == "#counter.word=short&other.n=3"
    assert "too long" not in browser.status.textContent
