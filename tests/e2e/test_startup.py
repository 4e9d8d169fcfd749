"""The page adopts its pre-rendered views instead of building them again (web.dom.Mount.adopt_preview).

Each widget's live view must then be exactly what a fresh build of its tree would be: every element, attribute and
text in place, one DOM node per child of the tree. The snapshot is taken in the same task that marks the page
ready, before any frame can change a view (the cost widget starts measuring on the first frame).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from build import DIST, serve_in_thread
from web import share
from web.app import make_widgets
from web.tree import El

SNAPSHOT = """
window.__previews = {};
document.addEventListener("DOMContentLoaded", () => {
  for (const mount of document.querySelectorAll(".mount")) window.__previews[mount.id] = mount.firstChild;
});
const attributes = (node) => Object.fromEntries([...node.attributes].map((a) => [a.name, a.value]));
const shape = (node) => node.nodeType === Node.TEXT_NODE ? node.data
  : [node.localName, attributes(node), [...node.childNodes].map(shape)];
new MutationObserver((_, observer) => {
  if (!document.body || !document.body.hasAttribute("data-ready")) return;
  observer.disconnect();
  window.__atReady = Object.fromEntries([...document.querySelectorAll(".mount")].map((mount) => [mount.id, {
    views: [...mount.childNodes].map(shape), adopted: mount.firstChild === window.__previews[mount.id],
    stamp: mount.getAttribute("data-preview")}]));
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-ready"] });
"""


def shape(node: El | str):
    """The tree as the snapshot script writes a DOM node."""
    if isinstance(node, str):
        return node
    return [node.tag, dict(node.attrs), [shape(child) for child in node.children]]


def expected_views(fragment: str = "") -> dict[str, list]:
    """Each mount's content as a fresh build of the widget's view would make it, after the link's settings."""
    fields, _ = share.decode(fragment)
    views = {}
    for widget in make_widgets():
        widget.restore_state(fields.get(widget.key, {}))
        views[f"{widget.key}-mount"] = [shape(widget.render(ready=True))]
    return views


def snapshot(new_lesson, fragment: str = "") -> dict[str, dict]:
    page, log = new_lesson(fragment, init_script=SNAPSHOT)
    at_ready = page.evaluate("window.__atReady")
    assert log.console_errors == [] and log.page_errors == []
    assert page.locator("#status").inner_text().startswith("Ready: ")  # no widget fell back to its preview
    return at_ready


def test_each_widget_adopts_its_preview_and_shows_exactly_its_live_view(new_lesson):
    at_ready = snapshot(new_lesson)
    assert {mount: state["views"] for mount, state in at_ready.items()} == expected_views()
    assert {mount: state["adopted"] for mount, state in at_ready.items()} == {mount: True for mount in at_ready}
    assert all(state["stamp"] is None for state in at_ready.values())  # used once, then gone


def test_a_link_changes_the_adopted_views_exactly_as_a_fresh_build_would(new_lesson):
    fragment = "#chain.x=-1.25&graph.expr=a*b%2Bsin(a)&graph.a=0.50&trainer.dataset=xor&cost.k=9"
    at_ready = snapshot(new_lesson, fragment)
    assert {mount: state["views"] for mount, state in at_ready.items()} == expected_views(fragment)
    assert all(state["adopted"] for state in at_ready.values())


def test_a_preview_that_does_not_match_its_stamp_is_built_again(new_lesson, browser, tmp_path):
    copy = Path(shutil.copytree(DIST, tmp_path / "dist"))
    page_file = copy / "index.html"
    text = page_file.read_text(encoding="utf-8")
    assert 'id="graph-mount" data-preview="' in text
    page_file.write_text(text.replace('id="graph-mount" data-preview="', 'id="graph-mount" data-preview="0'),
                         encoding="utf-8")
    server, url = serve_in_thread(copy)
    try:
        context = browser.new_context()
        page = context.new_page()
        page.add_init_script(SNAPSHOT)
        page.goto(url)
        page.wait_for_function("() => window.__atReady !== undefined", timeout=90_000)
        at_ready = page.evaluate("window.__atReady")
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert {mount: state["views"] for mount, state in at_ready.items()} == expected_views()
    assert {mount: state["adopted"] for mount, state in at_ready.items()} == {
        "chain-mount": True, "graph-mount": False, "cost-mount": True, "trainer-mount": True, "descent-mount": True,
        "practice-mount": True}
