"""Shareable links: the widgets' settings in the URL fragment, read back strictly.

The fragment looks like `#chain.x=0.70&graph.expr=x*x%2Bsin(x)`. Each key is `<widget>.<field>`; each widget
validates its own fields (see Widget.restore_state). Reading never evaluates anything: it splits, unquotes and
hands plain strings to validators, and anything odd is reported as a notice instead of raising. A fragment with no
"=" at all is a place on the page (the skip link's `#main`), not settings, and is left alone without a word.
"""

from __future__ import annotations

MAX_FRAGMENT = 2000
MAX_FIELDS = 40
SAFE = "*()-._~,"  # characters left readable in links
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
HEX = frozenset("0123456789abcdefABCDEF")


# quote and unquote do what urllib.parse's do for these links (a test compares them). urllib.parse is not used
# because importing it in Pyodide also imports ipaddress and costs about 0.1 s of every page start.
def quote(text: str, safe: str = "") -> str:
    """Percent-encode the UTF-8 bytes of text, except unreserved characters and those in safe."""
    keep = UNRESERVED.union(safe)
    return "".join(c if c in keep else "".join(f"%{b:02X}" for b in c.encode()) for c in text)


def unquote(text: str) -> str:
    """Undo %XX escapes; each run of escaped bytes is read as UTF-8 (invalid bytes become U+FFFD), and a '%' not
    followed by two hex digits stays as it is."""
    if "%" not in text:
        return text
    head, *rest = text.split("%")
    out, run = [head], bytearray()
    for piece in rest:
        if len(piece) >= 2 and piece[0] in HEX and piece[1] in HEX:
            run.append(int(piece[:2], 16))
            tail = piece[2:]
        else:
            tail = "%" + piece
        if tail:
            out.append(run.decode("utf-8", "replace") + tail)
            run.clear()
    out.append(run.decode("utf-8", "replace"))
    return "".join(out)


def _pieces(fields: dict[str, dict[str, str]]) -> list[str]:
    return [f"{quote(widget, safe='')}.{quote(name, safe='')}={quote(value, safe=SAFE)}"
            for widget, values in fields.items() for name, value in values.items()]


def fit(fields: dict[str, dict[str, str]]) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The widgets' fields that fit in a link `decode` accepts, and a notice for each widget left out.

    A link that overflows is refused whole when read, which would cost every widget its settings; so a widget
    whose settings do not fit is left out whole instead (the longest first), never one field of it: a link that
    names none of a widget's fields leaves that widget alone, one that named only some would reset the rest.
    """
    kept = {widget: values for widget, values in fields.items() if values}
    notices = []
    while kept:
        pieces = _pieces(kept)
        if len("&".join(pieces)) <= MAX_FRAGMENT and len(pieces) <= MAX_FIELDS:
            break
        longest = max(kept, key=lambda widget: len("&".join(_pieces({widget: kept[widget]}))))
        del kept[longest]
        notices.append(f"the {longest} widget's settings are too long for a link and were left out of it")
    return kept, notices


def encode(fields: dict[str, dict[str, str]]) -> str:
    """The fragment (with '#') for each widget's fields, in a stable order; '' when there is nothing to share.

    It is always one that `decode` reads back whole: widgets that do not fit are left out (see `fit`)."""
    parts = _pieces(fit(fields)[0])
    return "#" + "&".join(parts) if parts else ""


def decode(fragment: str) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Split a fragment into {widget: {field: text}} plus notices about what was ignored."""
    notices: list[str] = []
    text = fragment[1:] if fragment.startswith("#") else fragment
    if "=" not in text:  # empty, or an anchor such as #main: nothing to apply and nothing to report
        return {}, notices
    if len(text) > MAX_FRAGMENT:
        return {}, [f"the link's settings are too long ({len(text)} characters) and were ignored"]
    pieces = text.split("&")
    if len(pieces) > MAX_FIELDS:
        return {}, [f"the link carries {len(pieces)} settings, more than {MAX_FIELDS}; they were ignored"]
    fields: dict[str, dict[str, str]] = {}
    given: dict[str, int] = {}  # keys named more than once, and how often
    for piece in pieces:
        key, sep, raw = piece.partition("=")
        widget, dot, name = unquote(key).partition(".")
        if not (sep and dot and widget.isidentifier() and name.isidentifier()):
            notices.append(f"ignored '{unquote(piece)[:40]}'")
            continue
        values = fields.setdefault(widget, {})
        if name in values:
            given[f"{widget}.{name}"] = given.get(f"{widget}.{name}", 1) + 1
        values[name] = unquote(raw)  # the last value wins, and the notice below says so
    notices += [f"{key} was given {'twice' if times == 2 else f'{times} times'}; the last value was used"
                for key, times in given.items()]
    return fields, notices
