"""Element trees: the one description of a view that both the browser patcher and the pre-renderer read.

A view function returns an `El`; `web.dom` turns it into live DOM nodes (and later patches only what changed),
`to_markup` turns the same tree into HTML for the page that `build.py` pre-renders.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

Attr = str | int | float | bool | None

# What HTML needs escaped in text and in quoted attribute values. Written out rather than taken from `html.escape`:
# importing `html` pulls in its table of 2,231 named entities, 34 ms of every page start in Pyodide.
TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})

# Elements that have no closing tag in HTML; SVG elements are closed with "/>" instead.
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


@dataclass(frozen=True, slots=True)
class El:
    """One element: a tag, its attributes as sorted (name, text) pairs, and its children."""

    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple[El | str, ...] = ()

    def attr(self, name: str) -> str | None:
        """The attribute's text, or None when absent."""
        for key, value in self.attrs:
            if key == name:
                return value
        return None


def attr_text(value: Attr) -> str | None:
    """Render one attribute value: True -> present and empty, False/None -> absent, floats compactly."""
    if value is None or value is False:
        return None
    if value is True:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def h(tag: str, attrs: dict[str, Attr] | None = None, *children: El | str | None) -> El:
    """Build an element; attribute names use '_' for '-' (aria_label -> aria-label); None and empty children
    vanish and neighbouring texts join, so each child is one DOM node both when built and when parsed from markup
    (which lets web.dom adopt the pre-rendered page instead of building it again)."""
    pairs = []
    for name, value in (attrs or {}).items():
        text = attr_text(value)
        if text is not None:
            pairs.append((name.rstrip("_").replace("_", "-"), text))
    kids: list[El | str] = []
    for child in children:
        for kid in child if isinstance(child, list | tuple) else (child,):
            if kid is None or kid == "":
                continue
            if isinstance(kid, str) and kids and isinstance(kids[-1], str):
                kids[-1] += kid  # one text node, as the browser's parser makes of the pre-rendered page
            else:
                kids.append(kid)
    return El(tag, tuple(sorted(pairs)), tuple(kids))


def to_markup(node: El | str, *, in_svg: bool = False) -> str:
    """Serialize a tree to HTML text, escaping every attribute and text node."""
    if isinstance(node, str):
        return node.translate(TEXT_ESCAPES)
    svg = in_svg or node.tag == "svg"
    attrs = "".join(f' {name}="{value.translate(ATTR_ESCAPES)}"' for name, value in node.attrs)
    if node.tag in VOID and not svg:
        return f"<{node.tag}{attrs}>"
    if svg and not node.children:
        return f"<{node.tag}{attrs}/>"
    inner = "".join(to_markup(child, in_svg=svg) for child in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def digest(node: El | str) -> str:
    """A short fingerprint of a tree's markup: build.py stamps each pre-rendered view with it, and web.dom adopts
    that view only when the widget in the browser would write the same markup."""
    return f"{zlib.crc32(to_markup(node).encode()):08x}"


def text_of(node: El | str) -> str:
    """All text inside a tree, concatenated: what a reader of the page sees, handy in tests."""
    if isinstance(node, str):
        return node
    return "".join(text_of(child) for child in node.children)


def find_all(node: El | str, predicate) -> list[El]:
    """Every element in the tree (depth first) for which predicate(el) is true."""
    found: list[El] = []
    stack: list[El | str] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, El):
            if predicate(current):
                found.append(current)
            stack.extend(reversed(current.children))
    return found


def find(node: El | str, **attrs: str) -> El:
    """The first element whose attributes include all of attrs (names with '_' for '-'); raises if none."""
    wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    hits = find_all(node, lambda el: all(el.attr(k) == v for k, v in wanted.items()))
    if not hits:
        raise LookupError(f"no element with {wanted}")
    return hits[0]
