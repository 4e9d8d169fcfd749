"""A small fake of the browser that web.dom talks to, so its glue can be tested in CPython.

`install(monkeypatch)` puts a fake `js` and `pyodide.ffi` into sys.modules and returns a fresh `web.dom` bound to
them. The fake document is a tree of `FakeNode`s with only the calls web.dom makes; every call that reaches the
"browser" is counted in `Browser.calls`, so a test can say that adopting a view made none.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections import Counter

from web.tree import El


class JsNull:
    """Pyodide's jsnull: what a JS null becomes."""

    def __repr__(self) -> str:
        return "jsnull"


JSNULL = JsNull()


class ChildNodes:
    def __init__(self, node: FakeNode):
        self.node = node

    def item(self, index: int):
        self.node.browser.calls["childNodes.item"] += 1
        kids = self.node.children
        return kids[index] if 0 <= index < len(kids) else JSNULL

    @property
    def length(self) -> int:
        return len(self.node.children)


class FakeNode:
    """An element (tag set) or a text node (tag None, data set)."""

    def __init__(self, browser: Browser, tag: str | None, data: str = "", namespace: str = ""):
        self.browser, self.tag, self._data, self.namespace = browser, tag, data, namespace
        self.attributes: dict[str, str] = {}
        self.children: list[FakeNode] = []
        self.parent: FakeNode | None = None
        self.listeners: dict[str, list] = {}
        self.value = ""
        self.checked = False

    # --- text ---
    @property
    def data(self) -> str:
        return self._data

    @data.setter
    def data(self, text: str) -> None:
        self.browser.calls["data"] += 1
        self._data = text

    @property
    def childNodes(self) -> ChildNodes:
        return ChildNodes(self)

    # --- tree ---
    def appendChild(self, child: FakeNode) -> FakeNode:
        self.browser.calls["appendChild"] += 1
        child.detach()
        child.parent = self
        self.children.append(child)
        return child

    def replaceChildren(self, *kids: FakeNode) -> None:
        self.browser.calls["replaceChildren"] += 1
        for kid in list(self.children):
            kid.parent = None
        self.children = []
        for kid in kids:
            kid.detach()
            kid.parent = self
            self.children.append(kid)

    def replaceWith(self, other: FakeNode) -> None:
        self.browser.calls["replaceWith"] += 1
        parent = self.parent
        other.detach()
        index = parent.children.index(self)
        parent.children[index] = other
        other.parent, self.parent = parent, None

    def remove(self) -> None:
        self.browser.calls["remove"] += 1
        self.detach()

    def detach(self) -> None:
        if self.parent is not None:
            self.parent.children.remove(self)
            self.parent = None

    # --- attributes ---
    def setAttribute(self, name: str, value: str) -> None:
        self.browser.calls["setAttribute"] += 1
        self.attributes[name] = str(value)

    def removeAttribute(self, name: str) -> None:
        self.browser.calls["removeAttribute"] += 1
        self.attributes.pop(name, None)

    def getAttribute(self, name: str):
        return self.attributes.get(name, JSNULL)

    # --- events, focus, geometry: what web.dom calls, doing nothing much ---
    def addEventListener(self, kind: str, proxy) -> None:
        self.listeners.setdefault(kind, []).append(proxy)

    def removeEventListener(self, kind: str, proxy) -> None:
        self.listeners[kind].remove(proxy)

    def focus(self, *_args) -> None:
        self.browser.focused = self

    def scrollIntoView(self, *_args) -> None:
        pass

    def closest(self, _selector: str):
        return JSNULL

    # --- reading the tree back ---
    def to_el(self) -> El | str:
        """The tree this DOM holds, in web.tree's terms (attributes sorted, as h() sorts them)."""
        if self.tag is None:
            return self._data
        return El(self.tag, tuple(sorted(self.attributes.items())), tuple(kid.to_el() for kid in self.children))

    def walk(self):
        yield self
        for kid in self.children:
            yield from kid.walk()


class Storage:
    """localStorage; refused=True makes every call raise, as a private window or switched-off storage does."""

    def __init__(self, refused: bool = False):
        self.items: dict[str, str] = {}
        self.refused = refused

    def getItem(self, key: str):
        if self.refused:
            raise RuntimeError("SecurityError: The operation is insecure.")
        return self.items.get(key, JSNULL)

    def setItem(self, key: str, value: str) -> None:
        if self.refused:
            raise RuntimeError("QuotaExceededError")
        self.items[key] = value


class History:
    def __init__(self, browser: Browser):
        self.browser = browser
        self.state = JSNULL
        self.entries: list[tuple[str, str]] = []

    def pushState(self, state: str, _title: str, url: str) -> None:
        self.entries.append(("push", url))
        self.state = state
        self.browser.set_hash(url)

    def replaceState(self, state: str, _title: str, url: str) -> None:
        self.entries.append(("replace", url))
        self.state = state
        self.browser.set_hash(url)


class Browser:
    """The fake window, document, location and history, and the `js` module that exposes them."""

    def __init__(self, storage: Storage | None = None):
        self.calls: Counter[str] = Counter()
        self.focused = None
        self.body = FakeNode(self, "body")
        self.status = FakeNode(self, "p")  # the page's status line
        self.status.attributes["id"] = "status"
        self.status.textContent = ""
        self.body.children.append(self.status)
        self.status.parent = self.body
        self.storage = storage or Storage()
        self.history = History(self)
        self.location = types.SimpleNamespace(hash="", pathname="/", search="")
        self.frames: list = []
        self.timers: list = []
        self.window = types.SimpleNamespace(
            localStorage=self.storage,
            matchMedia=lambda _query: types.SimpleNamespace(matches=False),
            addEventListener=lambda *_args: None,
            removeEventListener=lambda *_args: None,
        )
        self.document = types.SimpleNamespace(
            body=self.body,
            createElement=lambda tag: self.create(tag),
            createElementNS=lambda ns, tag: self.create(tag, ns),
            createTextNode=lambda text: self.text(text),
            getElementById=self.by_id,
        )

    def create(self, tag: str, namespace: str = "") -> FakeNode:
        self.calls["createElement"] += 1
        return FakeNode(self, tag, namespace=namespace)

    def text(self, data: str) -> FakeNode:
        self.calls["createTextNode"] += 1
        return FakeNode(self, None, data)

    def by_id(self, element_id: str):
        for node in self.body.walk():
            if node.attributes.get("id") == element_id:
                return node
        return JSNULL

    def set_hash(self, url: str) -> None:
        self.location.hash = url if url.startswith("#") else ""

    def parse(self, tree: El | str, parent: FakeNode) -> FakeNode:
        """Put a tree into the document as the browser's parser would from the pre-rendered page (uncounted)."""
        if isinstance(tree, str):
            node = FakeNode(self, None, tree)
        else:
            node = FakeNode(self, tree.tag)
            node.attributes = dict(tree.attrs)
            for kid in tree.children:
                self.parse(kid, node)
        node.parent = parent
        parent.children.append(node)
        return node

    def mount(self, key: str) -> FakeNode:
        """An empty mount point for a widget, in the body."""
        node = FakeNode(self, "div")
        node.attributes["id"] = f"{key}-mount"
        node.parent = self.body
        self.body.children.append(node)
        return node

    def module(self) -> types.ModuleType:
        js = types.ModuleType("js")
        js.document, js.window, js.location, js.history = self.document, self.window, self.location, self.history
        js.requestAnimationFrame = self.frames.append
        js.setTimeout = lambda callback, _ms: self.timers.append(callback)
        js.Object = types.SimpleNamespace(fromEntries=dict)
        js.ImageData = types.SimpleNamespace(new=lambda w, h: types.SimpleNamespace(width=w, height=h))
        return js


class Proxy:
    """What create_proxy returns: callable, and destroyed once."""

    def __init__(self, fn):
        self.fn, self.destroyed = fn, False

    def __call__(self, *args):
        return self.fn(*args)

    def destroy(self) -> None:
        assert not self.destroyed, "a proxy destroyed twice"
        self.destroyed = True


def install(monkeypatch, browser: Browser):
    """A fresh web.dom that talks to this fake browser."""
    ffi = types.ModuleType("pyodide.ffi")
    ffi.create_proxy = Proxy
    ffi.create_once_callable = lambda fn: fn
    ffi.jsnull = JSNULL
    ffi.to_js = lambda value, **_kwargs: value
    pyodide = types.ModuleType("pyodide")
    pyodide.ffi = ffi
    monkeypatch.setitem(sys.modules, "js", browser.module())
    monkeypatch.setitem(sys.modules, "pyodide", pyodide)
    monkeypatch.setitem(sys.modules, "pyodide.ffi", ffi)
    monkeypatch.delitem(sys.modules, "web.dom", raising=False)
    dom = importlib.import_module("web.dom")
    # No other test sees a web.dom bound to this fake.
    monkeypatch.delitem(sys.modules, "web.dom")
    monkeypatch.delattr(sys.modules["web"], "dom")
    return dom
