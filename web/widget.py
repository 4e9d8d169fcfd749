"""What every widget offers the page: a view, event handling, optional animation frames and canvases.

Widgets are plain Python objects with no browser in sight; `web.dom` is the only code that calls them from
the page, and the tests call them directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from web.tree import El

# What widgets hand each other through the page (Widget.take_handoff / receive), never through a link:
USE_RULE = "rule"  # payload: a web.ownrule.OwnRule the Computation graph uses instead of the engine's rule
BUILT_IN_RULE = "rule-off"  # payload: the op (a key of engine.rules.RULES) whose built-in rule comes back
GRAPH_EXPRESSION = "graph-expression"  # payload: the text of the expression the Computation graph now shows


@dataclass(frozen=True, slots=True)
class UIEvent:
    """A browser event reduced to plain values: which control (its data-on key), what happened, with what."""

    kind: str  # "input", "change", "click" or "key"
    name: str  # the data-on attribute of the control
    value: str = ""
    shift: bool = False
    key: str = ""
    fx: float = 0.0  # click position as a fraction of the element's width ...
    fy: float = 0.0  # ... and height, for canvases and plots


@dataclass(frozen=True, slots=True)
class Pixels:
    """RGBA bytes for one canvas, row by row."""

    width: int
    height: int
    rgba: bytes


class Widget:
    """Base class: a widget that neither animates nor paints canvases."""

    #: id prefix; the page mounts the widget into the element with id f"{key}-mount"
    key = ""
    #: set by the page when the learner asked the system for reduced motion
    reduced_motion = False

    def render(self, *, ready: bool = True) -> El:
        """The widget's whole view for its current state; ready=False disables controls (pre-render)."""
        raise NotImplementedError

    def handle(self, event: UIEvent) -> None:
        """Update the state for one learner action."""

    @property
    def wants_frame(self) -> bool:
        """True while an animation or training run needs another frame."""
        return False

    def frame(self, now_ms: float) -> None:
        """Advance an animation to the time `now_ms` (milliseconds, monotonic)."""

    def take_pixels(self) -> dict[str, Pixels]:
        """Canvases whose pixels changed since the last call, by element id."""
        return {}

    def take_reveal(self) -> list[str]:
        """Ids of elements that just became what the learner should look at, once each time that changes.

        The page scrolls each one's box (the nearest ancestor marked `data-scrollbox`) sideways to show it, and
        never scrolls the page itself.
        """
        return []

    def take_focus(self) -> str | None:
        """The id of an element that should take the keyboard focus now (a field that just began to wait for an
        answer), once each time that changes; None when the focus should stay where it is."""
        return None

    def take_link(self) -> str | None:
        """A link fragment the learner asked to open (e.g. "#graph.expr=..."), once; None when there is none.

        The page applies it as if the learner had opened that link, for the widgets it names, and scrolls the
        first of them into view: how one widget hands something to another without importing it.
        """
        return None

    def take_handoff(self) -> tuple[str, object] | None:
        """Something for the other widgets that must never enter a link (a learner's derivative rule), once, as
        (kind, payload); None when there is nothing. The page passes it to every other widget's `receive`."""
        return None

    def receive(self, kind: str, payload: object) -> None:
        """A hand-off from another widget (see take_handoff); a widget that has no use for `kind` ignores it."""

    def load_kept(self, text: str) -> None:
        """What this widget kept in the browser on an earlier visit (see take_kept), read once at start."""

    def take_kept(self) -> str | None:
        """Text to keep in the browser for this widget (its progress, never settings a link carries), once each
        time it changes; "" to forget it; None when nothing changed. The page stores every widget's text under
        one localStorage key of the lesson, and where the browser refuses storage it lasts for the visit."""
        return None

    def share_state(self) -> dict[str, str]:
        """Settings that differ from the defaults, as text for a shareable link (see web.share)."""
        return {}

    def restore_state(self, fields: dict[str, str]) -> list[str]:
        """Apply settings read from a link that names this widget; return a notice for each field ignored.

        The page calls it only for a link that names at least one of this widget's fields, and the link then
        describes the widget whole: the fields it names are set, every other setting goes to its default (a link
        that names none of them leaves the widget alone, because the page does not call this at all)."""
        return [f"ignored '{self.key}.{name}'" for name in fields]
