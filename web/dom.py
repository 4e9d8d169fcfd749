"""The only module that touches the browser: mounts widgets, patches the DOM, routes events, runs frames.

Everything here is glue. Each widget's state and view live in plain Python modules that the tests run in
CPython; this module applies their element trees to the page and turns browser events into `UIEvent`s.
"""

from __future__ import annotations

import contextlib
import json
import time

import js
from pyodide.ffi import create_once_callable, create_proxy, jsnull, to_js

from web import share
from web.tree import El, digest
from web.widget import Pixels, UIEvent, Widget

SVG_NS = "http://www.w3.org/2000/svg"
EVENTS = ("input", "change", "click", "keydown")
STORE_KEY = "backprop-is-the-chain-rule"  # the lesson's one localStorage entry: {widget key: kept text}
HASH_WRITE_MS = 400  # browsers limit history.replaceState calls, so the link is rewritten at most this often
# Properties that the learner changes by using a control: patch the live property, not just the attribute.
LIVE_PROPS = {"value", "checked"}


def missing(obj) -> bool:
    """True for a JS null/undefined as Pyodide hands them over."""
    return obj is None or obj is jsnull


class Node:
    """Mirror of one DOM node: the tree it was built from, the JS node and the mirrors of its children.

    A mirror adopted from the pre-rendered page finds its JS node only when a patch first needs it, as child
    `index` of its parent's node, so that adopting a view costs no call into the browser at all.
    """

    __slots__ = ("_node", "el", "index", "kids", "parent")

    def __init__(self, el: El | str | None, node, kids: list[Node], parent: Node | None = None, index: int = 0):
        self.el, self._node, self.kids, self.parent, self.index = el, node, kids, parent, index

    @property
    def js(self):
        if self._node is None:
            self._node = self.parent.js.childNodes.item(self.index)
        return self._node


def adopt(el: El | str, parent: Node, index: int) -> Node:
    """Mirror a tree that is already in the page, as child `index` of parent's node (nothing is looked up yet).

    This relies on each child of the tree being one node of the parsed page: `web.tree.h` drops empty texts and
    joins neighbouring ones so that it is, and a browser test compares the adopted page with the tree."""
    mirror = Node(el, None, [], parent, index)
    if isinstance(el, El):
        mirror.kids = [adopt(child, mirror, i) for i, child in enumerate(el.children)]
    return mirror


def set_attr(node, name: str, value: str) -> None:
    """Set an attribute; for a control's live property also set the property when it differs."""
    node.setAttribute(name, value)
    if name in LIVE_PROPS and str(getattr(node, name, "")) != value:
        setattr(node, name, value == "" if name == "checked" else value)


def build(el: El | str, svg: bool) -> Node:
    """Create DOM nodes for a tree (SVG namespace inside <svg>)."""
    if isinstance(el, str):
        return Node(el, js.document.createTextNode(el), [])
    svg = svg or el.tag == "svg"
    node = js.document.createElementNS(SVG_NS, el.tag) if svg else js.document.createElement(el.tag)
    kids = [build(child, svg) for child in el.children]
    for kid in kids:
        node.appendChild(kid.js)
    # Attributes after children, so a <select>'s value finds its options.
    for name, value in el.attrs:
        set_attr(node, name, value)
    return Node(el, node, kids)


def patch(mirror: Node, new: El | str, svg: bool) -> Node:
    """Bring the DOM under `mirror` in line with `new`, touching only what changed; returns the new mirror."""
    old = mirror.el
    if old is new or old == new:
        return mirror
    if isinstance(new, str) and isinstance(old, str):
        mirror.js.data = new
        mirror.el = new
        return mirror
    if isinstance(new, str) or isinstance(old, str) or old.tag != new.tag:
        fresh = build(new, svg)
        mirror.js.replaceWith(fresh.js)
        return fresh
    svg = svg or new.tag == "svg"
    kids = mirror.kids
    fresh_kids = [patch(kids[i], child, svg) for i, child in enumerate(new.children[: len(kids)])]
    for child in new.children[len(kids):]:
        built = build(child, svg)
        mirror.js.appendChild(built.js)
        fresh_kids.append(built)
    # Looked up before any is removed: an adopted mirror finds its node by its index among its siblings.
    for extra in [extra.js for extra in kids[len(new.children):]]:
        extra.remove()
    if old.attrs != new.attrs:
        before, after = dict(old.attrs), dict(new.attrs)
        for name in before.keys() - after.keys():
            mirror.js.removeAttribute(name)
        for name, value in after.items():
            if before.get(name) != value:
                set_attr(mirror.js, name, value)
    mirror.el, mirror.kids = new, fresh_kids
    return mirror


GLIDE_S = 1.0  # a smooth scroll is over well within this; a glide target older than it is where the box is


class Glide:
    """The last box the page sent gliding, where to, and when: a second reveal while it glides judges the next
    element by where the box is going, not by where it happens to be in the middle of its glide."""

    box = None
    target = (0.0, 0.0)
    at = -GLIDE_S


def reveal(element) -> None:
    """Scroll the element's box until the element is centred in it (or as near as the box allows), sideways
    and, for a box that scrolls both ways, up or down.

    Only the box moves, never the page: scrollIntoView would also scroll the page under a learner's thumb.
    """
    if missing(element) or element.getClientRects().length == 0:  # absent, or in the drawing CSS hides
        return
    box = element.closest("[data-scrollbox]")
    if missing(box):
        return
    inner, outer = element.getBoundingClientRect(), box.getBoundingClientRect()
    now = (box.scrollLeft, box.scrollTop)
    gliding = Glide.box == box and time.monotonic() - Glide.at < GLIDE_S and Glide.target != now
    left, top = Glide.target if gliding else now
    shift_x, shift_y = left - now[0], top - now[1]  # how far the element moves on screen as the glide ends
    lo_x, hi_x, lo_y, hi_y = inner.left - shift_x, inner.right - shift_x, inner.top - shift_y, inner.bottom - shift_y
    if box.scrollWidth > box.clientWidth and (lo_x < outer.left or hi_x > outer.right):
        left += (lo_x + hi_x) / 2 - (outer.left + outer.right) / 2
    if box.scrollHeight > box.clientHeight and (lo_y < outer.top or hi_y > outer.bottom):
        top += (lo_y + hi_y) / 2 - (outer.top + outer.bottom) / 2
    # One call for both axes: a second smooth scroll would cancel the first one's glide.
    if (left, top) != now and (left, top) != (Glide.target if gliding else now):
        box.scrollTo(left, top)
        Glide.box, Glide.target, Glide.at = box, (left, top), time.monotonic()


def to_event(event, target) -> UIEvent:
    """Copy what a widget needs out of a browser event (never keep the event itself)."""
    kind = "key" if event.type == "keydown" else str(event.type)
    fx = fy = 0.0
    if kind == "click":
        box = target.getBoundingClientRect()
        if box.width > 0 and box.height > 0:
            fx = (event.clientX - box.left) / box.width
            fy = (event.clientY - box.top) / box.height
    value = getattr(target, "value", "")
    return UIEvent(
        kind=kind,
        name=str(target.getAttribute("data-on")),
        value="" if missing(value) else str(value),
        shift=bool(getattr(event, "shiftKey", False)),
        key=str(getattr(event, "key", "") or ""),
        fx=fx,
        fy=fy,
    )


def read_kept() -> dict[str, str]:
    """What the widgets kept in this browser on earlier visits; {} where there is nothing, storage is refused or
    the entry is not ours to read."""
    try:
        raw = js.window.localStorage.getItem(STORE_KEY)
        data = json.loads("{}" if missing(raw) else str(raw))
    except Exception:  # storage refused, or an entry that is not JSON
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


class Mount:
    """One widget attached to its mount element: its DOM mirror, listeners and canvases."""

    def __init__(self, page: Page, widget: Widget):
        self.page, self.widget = page, widget
        self.element = js.document.getElementById(f"{widget.key}-mount")
        self.mirror: Node | None = self.adopt_preview()
        self.images: dict[str, object] = {}
        self.proxies = []
        for kind in EVENTS:
            proxy = create_proxy(self.on_event)
            self.element.addEventListener(kind, proxy)
            self.proxies.append((kind, proxy))

    def adopt_preview(self) -> Node | None:
        """A mirror of the view build.py pre-rendered into the mount, when it is exactly what this widget, still in
        its initial state, pre-renders here (build.py stamps the markup's digest on the mount). The first render
        then patches the few differences instead of building the whole view again: one call into the browser per
        node, 0.1 s of every page start for the four widgets."""
        stamp = self.element.getAttribute("data-preview")
        self.element.removeAttribute("data-preview")  # true only of the page as loaded: no later mount may trust it
        if missing(stamp) or digest(preview := self.widget.render(ready=False)) != str(stamp):
            return None
        return adopt(preview, Node(None, self.element, []), 0)

    def render(self) -> None:
        """Patch the widget's view into the page and paint any canvas that changed."""
        tree = self.widget.render(ready=True)
        if self.mirror is None:
            self.mirror = build(tree, False)
            self.element.replaceChildren(self.mirror.js)
        else:
            self.mirror = patch(self.mirror, tree, False)
        for canvas_id, pixels in self.widget.take_pixels().items():
            self.paint(canvas_id, pixels)
        for element_id in self.widget.take_reveal():
            reveal(js.document.getElementById(element_id))
        link = self.widget.take_link()
        if link:
            self.page.address.open_link(link)
        handoff = self.widget.take_handoff()
        if handoff:
            self.page.hand_off(self, *handoff)
        kept = self.widget.take_kept()
        if kept is not None:
            self.page.keep(self.widget.key, kept)

    def paint(self, canvas_id: str, pixels: Pixels) -> None:
        """Copy RGBA bytes into the canvas through one reused ImageData."""
        canvas = js.document.getElementById(canvas_id)
        if missing(canvas):
            return
        image = self.images.get(canvas_id)
        if image is None or image.width != pixels.width or image.height != pixels.height:
            image = js.ImageData.new(pixels.width, pixels.height)
            self.images[canvas_id] = image
        image.data.assign(pixels.rgba)
        canvas.getContext("2d").putImageData(image, 0, 0)

    def on_event(self, event) -> None:
        target = event.target.closest("[data-on]") if hasattr(event.target, "closest") else None
        if missing(target):
            return
        ui = to_event(event, target)
        keys = target.getAttribute("data-keys")
        if ui.kind == "key" and not missing(keys) and ui.key in str(keys).split():
            event.preventDefault()  # keys a control handles itself (arrows on a plot) must not also scroll the page
        self.page.guard(self, lambda: self.widget.handle(ui))

    def close(self) -> None:
        """Remove listeners and free their proxies."""
        for kind, proxy in self.proxies:
            self.element.removeEventListener(kind, proxy)
            proxy.destroy()
        self.proxies.clear()


class Address:
    """The page's link: the settings in the address bar, links opened from outside or handed over by a widget, and
    the page's own history entries, each holding the whole page's state."""

    def __init__(self, page: Page):
        self.page = page
        self.fragment = ""  # the fragment the page last applied or wrote
        self.left_out: list[str] = []  # notices for widgets whose settings were too long for the written link
        self.timer_pending = False
        self.on_hashchange = create_proxy(self.read_link)
        js.window.addEventListener("hashchange", self.on_hashchange)
        self.on_popstate = create_proxy(self.go_back)
        js.window.addEventListener("popstate", self.on_popstate)

    def restore_link(self, fragment: str) -> list[str]:
        """Hand each widget the link names its fields (the others are left alone); returns notices about what was
        ignored."""
        fields, notices = share.decode(fragment)
        for mount in self.page.mounts:
            if mount.widget.key in fields:
                notices += self.page.restore(mount, fields.pop(mount.widget.key))
        notices += [f"ignored settings for '{key}'" for key in fields]
        self.fragment = fragment if fragment != "#" else ""
        return notices

    def open_link(self, fragment: str) -> None:
        """Apply a link a widget handed over (Widget.take_link) as if the learner had opened it, for the widgets it
        names only, then bring the first of them into view and tell the learner where to look.

        It is a navigation the learner expects to undo with Back: the entry before it is stamped with the whole
        page's state, and the new state gets an entry of its own (see go_back)."""
        self.write_link()
        fields, notices = share.decode(fragment)
        named = [m for m in self.page.mounts if m.widget.key in fields]
        for mount in named:
            notices += self.page.restore(mount, fields[mount.widget.key])
        self.link_status(notices)
        self.fragment = self.whole_state()
        js.history.pushState(self.fragment, "", url_of(self.fragment))
        if named:
            self.page.show(named[0].widget.key)

    def read_link(self, _event) -> None:
        """A learner pasted or edited the link in this tab: apply it unless it is the one we just wrote."""
        fragment = str(js.location.hash)
        if fragment != self.fragment:
            self.link_status(self.restore_link(fragment))
            self.page.redraw_all()

    def go_back(self, event) -> None:
        """Back or Forward to one of the page's own history entries: restore exactly the whole state it holds.

        Entries the page did not write (state null: a link opened from outside, an anchor) are left to
        read_link, which hashchange calls, with the rule for links from outside."""
        state = event.state
        if missing(state) or not isinstance(state, str):
            return
        fields, _ = share.decode(state)
        for mount in self.page.mounts:
            self.page.restore(mount, fields.get(mount.widget.key, {}))
        self.fragment = str(js.location.hash)  # hashchange follows popstate: this entry is already applied
        self.link_status([])
        self.page.redraw_all()

    def whole_state(self) -> str:
        """The fragment of every widget's settings that fits in a link: what a copied link shares."""
        fields, self.left_out = share.fit({m.widget.key: m.widget.share_state() for m in self.page.mounts})
        return share.encode(fields)

    def write_link(self) -> None:
        """Put the current settings into the address bar (throttled), so copying it shares this state; the
        history entry holds them too, so that Back can return to exactly this state (go_back). A widget whose
        settings no longer fit is left out of the link, and the status line says so while that lasts."""
        self.timer_pending = False
        before = self.left_out
        fragment = self.whole_state()
        if fragment != self.fragment or missing(js.history.state):
            self.fragment = fragment
            js.history.replaceState(fragment, "", url_of(fragment))
        if self.left_out != before:
            self.link_status([])

    def schedule_write(self) -> None:
        if not self.timer_pending:
            self.timer_pending = True
            js.setTimeout(create_once_callable(self.write_link), HASH_WRITE_MS)

    def link_status(self, notices: list[str]) -> None:
        """The status line after a link was applied or written: what it ignored or left out, if anything. Each
        link replaces the notice of the one before, so the line never speaks of a link that is no longer the
        page's."""
        text = self.page.ready
        if notices:
            text += " Part of the link was not understood and was ignored (" + "; ".join(notices[:3]) + ")."
        if self.left_out:
            text += " In the address bar: " + "; ".join(self.left_out) + "."
        self.page.status(text)

    def close(self) -> None:
        for kind, proxy in (("hashchange", self.on_hashchange), ("popstate", self.on_popstate)):
            js.window.removeEventListener(kind, proxy)
            proxy.destroy()


def url_of(fragment: str) -> str:
    """The address to put in the bar for a fragment ('' drops the fragment)."""
    return fragment or js.location.pathname + js.location.search


class Page:
    """All mounted widgets, one coalesced animation-frame loop, the status line, and the link (Address)."""

    def __init__(self, widgets: list[Widget], factories: dict[str, object]):
        self.factories = factories
        self.reduce = bool(js.window.matchMedia("(prefers-reduced-motion: reduce)").matches)
        for widget in widgets:
            widget.reduced_motion = self.reduce
        self.mounts = [Mount(self, widget) for widget in widgets]
        self.dirty: set[Mount] = set()
        self.frame_pending = False
        self.ready = ""  # what the status line says when no link notice is due (set by start)
        self.kept: dict[str, str] = {}  # what the widgets keep in the browser (localStorage, when it lets us)
        self.address = Address(self)

    def start(self) -> None:
        """Apply the link's settings, replace the pre-rendered views with live ones and mark the page ready."""
        self.kept = read_kept()
        for mount in self.mounts:
            if mount.widget.key in self.kept:
                self.guard(mount, lambda m=mount: m.widget.load_kept(self.kept[m.widget.key]))
        notices = self.address.restore_link(str(js.location.hash))
        broken = []
        for mount in list(self.mounts):
            try:
                mount.render()
            except Exception as exc:  # one faulty widget keeps its preview; the others still start
                broken.append(f"the {mount.widget.key} widget could not start ({type(exc).__name__}: {exc})")
                mount.close()
                self.mounts.remove(mount)
        self.ready = "Ready: Python is running in your browser. Every control below is live."
        if broken:
            self.ready = "Partly ready: " + "; ".join(broken) + ". The other widgets work."
        self.address.link_status(notices)
        js.document.body.setAttribute("data-ready", "")
        if any(mount.widget.wants_frame for mount in self.mounts):
            self.schedule()  # a widget with work to do from the start (the cost widget's first measurement)

    def restore(self, mount: Mount, fields: dict[str, str]) -> list[str]:
        """Give one widget its fields from a link; a hostile or damaged link never breaks it."""
        self.dirty.add(mount)
        self.schedule()
        try:
            return mount.widget.restore_state(fields)
        except Exception as exc:
            self.replace(mount)
            return [f"{mount.widget.key}: {type(exc).__name__}"]

    def show(self, key: str) -> None:
        """Bring a widget's section into view and move focus there, so keyboard and screen-reader users land
        where the change happened."""
        section = js.document.getElementById(key)
        if missing(section):
            return
        section.setAttribute("tabindex", "-1")
        section.focus(to_js({"preventScroll": True}, dict_converter=js.Object.fromEntries))
        behavior = "auto" if self.reduce else "smooth"
        section.scrollIntoView(to_js({"behavior": behavior, "block": "start"}, dict_converter=js.Object.fromEntries))

    def redraw_all(self) -> None:
        self.dirty.update(self.mounts)
        self.schedule()

    def hand_off(self, sender: Mount, kind: str, payload: object) -> None:
        """Pass what one widget hands over (Widget.take_handoff) to every other widget, never through a link."""
        for mount in self.mounts:
            if mount is not sender:
                self.guard(mount, lambda m=mount: m.widget.receive(kind, payload))

    def keep(self, key: str, text: str) -> None:
        """Keep a widget's text in the lesson's localStorage entry ("" forgets it). Where the browser refuses
        storage (a private window, a full quota, storage switched off) it lasts for this visit, without a word."""
        if text:
            self.kept[key] = text
        else:
            self.kept.pop(key, None)
        with contextlib.suppress(Exception):  # refused: what the widget keeps lasts for the visit
            js.window.localStorage.setItem(STORE_KEY, json.dumps(self.kept))

    def status(self, text: str) -> None:
        js.document.getElementById("status").textContent = text

    def guard(self, mount: Mount, action) -> None:
        """Run a widget action; on an unexpected error explain it in plain words and start the widget afresh."""
        try:
            action()
        except Exception as exc:  # a bug must never leave a frozen widget or a traceback on the page
            name = type(exc).__name__
            self.status(f"Something went wrong in a widget ({name}: {exc}); it has been reset.")
            self.replace(mount)
        self.dirty.add(mount)
        self.schedule()

    def replace(self, mount: Mount) -> None:
        """Give a mount a fresh widget in its initial state."""
        mount.widget = self.factories[mount.widget.key]()
        mount.widget.reduced_motion = self.reduce

    def schedule(self) -> None:
        if not self.frame_pending:
            self.frame_pending = True
            js.requestAnimationFrame(create_once_callable(self.on_frame))

    def on_frame(self, now_ms: float) -> None:
        self.frame_pending = False
        for mount in self.mounts:
            if mount.widget.wants_frame:
                self.guard(mount, lambda m=mount: m.widget.frame(float(now_ms)))
        # Taken before drawing: drawing one widget may mark another dirty (open_link), for the next frame.
        dirty, self.dirty = self.dirty, set()
        for mount in dirty:
            try:
                mount.render()
            except Exception as exc:
                self.status(f"The page could not draw a widget ({type(exc).__name__}: {exc}).")
        self.address.schedule_write()
        if any(mount.widget.wants_frame for mount in self.mounts):
            self.schedule()

    def close(self) -> None:
        """Detach every widget's listeners and the page's own."""
        for mount in self.mounts:
            mount.close()
        self.address.close()
