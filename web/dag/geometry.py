"""Where everything of the drawing goes, and how large it is on screen: the numbers the legibility tests check.

Text sizes are fixed in SVG units (graph.css uses the same FONT and BADGE_FONT), so what a learner reads is
font × scale, where scale is how the page fits the drawing into its box. Wide screens show the left-to-right
drawing at its own size (scale 1) when it fits the card and scroll sideways when it does not; phones show the
top-to-bottom drawing shrunk to the screen, but never below PHONE_MIN_SCALE (then it scrolls instead).

The active edge's label sits near the middle of its edge, in free space: off every node box and off its own
edge, so it never hides what it explains. Its place is worked out once per scene, for the widest value it can
show, so it does not jump while a slider moves.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from web.dag.diagram import Scene
from web.dag.words import edge_label_lines, tag_lines
from web.format import MINUS
from web.layout import Box, Layout, layout, point_on

FONT = 16  # caption, value and edge label
BADGE_FONT = 15  # the gradient badge
SMALLEST_FONT = min(FONT, BADGE_FONT)
CHAR_EM = 0.64  # an upper bound on a character's advance, in em (DejaVu Sans digits are 0.636)
VALUE_CHARS = 8  # room every box has for its value: −12.3456; a longer one grows the drawing
NODE_H = 84
NODE_PAD = 14
BADGE_PAD = 14  # the badge's rounded box around its text
CAPTION_Y, VALUE_Y, BADGE_TOP, BADGE_H = 23, 47, 56, 22
LABEL_LINE = 22
LABEL_PAD = 8
# Card content widths measured at 1280 and 390 CSS px (style.css: 64rem card, 1.25rem padding; 0.75rem on phones).
WIDE_ROOM, PHONE_ROOM = 980.0, 366.0
MIN_READABLE = {True: 14.0, False: 12.0}  # CSS px, at 1280 and at 390 (DESIGN §4)
PHONE_MIN_SCALE = MIN_READABLE[False] / SMALLEST_FONT  # 0.8: a phone drawing never shrinks below this
# On a phone a drawing up to FIT_MAX_HEIGHT shrinks to the screen height too, but never below PHONE_MIN_SCALE:
# graph.css floors its max-height at their product.
FIT_MAX_HEIGHT = 760
WIDE = {"rank_gap": 52, "cross_gap": 26, "margin": 14}
TALL = {"rank_gap": 44, "cross_gap": 22, "margin": 10}


NARROW, WIDE_CHARS = set(" .,·()[]/'|:;!ijlIft"), set("−×∂≈→MWmw—")
SUPERSCRIPTS = set("⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def text_width(text: str, font: float = FONT) -> float:
    """An upper bound on the rendered width of a line of text (DejaVu Sans, the fallback sans-serif here)."""
    em = 0.0
    for ch in text:
        if ch in SUPERSCRIPTS:
            em += 0.45
        elif ch in NARROW:
            em += 0.40
        elif ch in WIDE_CHARS:
            em += 0.90
        elif ch.isupper():
            em += 0.80
        else:
            em += CHAR_EM
    return em * font


def node_width(scene: Scene, k: int, value_chars: int) -> float:
    """Room for the caption and for values and badges up to value_chars characters (digits and a minus)."""
    value = widest_value(value_chars)
    widest = max(text_width(scene.captions[k]), text_width(value, FONT), text_width(value, BADGE_FONT) + BADGE_PAD)
    return widest + NODE_PAD


def widest_value(chars: int) -> str:
    """A stand-in for the widest value text of `chars` characters: a minus, digits and a decimal point."""
    return MINUS + "0" * (chars - 6) + ".0000" if chars >= 7 else MINUS + "0" * (chars - 1)


def value_chars(texts) -> int:
    """How many characters a node must hold for these value and badge texts (never fewer than VALUE_CHARS)."""
    return max([VALUE_CHARS] + [len(t) for t in texts])


EAGER_STEPS = 16  # up to this many steps every label is placed at once; a bigger graph places each when shown


@dataclass(frozen=True)
class Drawing:
    """One flow direction's geometry: the layout, where each step's label goes, and the on-screen scale."""

    horizontal: bool
    layout: Layout
    big: bool  # too large for its screen at a readable scale: it scrolls in its box
    scale: float  # the smallest scale the page draws it at, on its screen
    band: float  # height of the strip kept free at the top for labels that find no room beside their edge
    wanted: tuple[tuple[int, list[str], list[str]], ...]  # per step: edge, label in one line, label in two
    placed: dict = field(default_factory=dict, compare=False)  # step -> (Box, lines), filled as steps are shown
    tagged: tuple[list[str], ...] = ()  # per step: its local derivative kept on the drawing, sized for the widest value
    tags: dict = field(default_factory=dict, compare=False)  # step -> Box, every step's placed when first needed

    @property
    def width(self) -> float:
        return self.layout.width

    @property
    def height(self) -> float:
        return self.layout.height

    @property
    def fit(self) -> bool:
        """A phone drawing short enough to be shrunk to the screen height without going below PHONE_MIN_SCALE."""
        return not self.horizontal and not self.big and self.height <= FIT_MAX_HEIGHT

    def label(self, k: int) -> tuple[Box, bool]:
        """Where step k's label goes and whether it takes two lines (a label wider than the drawing does)."""
        if k not in self.placed:
            e, one, two = self.wanted[k]
            lines = two if label_size(one)[0] > self.width - 4 else one
            box = place_label(self.layout, e, lines, self.horizontal, self.band)
            if box is None:  # no free spot near the edge: the band at the top
                width, height = label_size(lines)
                mx = point_on(self.layout.routes[e], 0.5, self.horizontal)[0]
                box = Box(min(max(mx, width / 2 + 2), self.width - width / 2 - 2), self.band / 2, width, height)
            self.placed[k] = (box, lines is two)
        return self.placed[k]

    def tag(self, k: int) -> Box:
        """Where step k's kept local derivative goes: on its edge where that is free of nodes and of the other
        steps' tags, else beside it (all placed at once, in step order, the first time one is needed)."""
        if not self.tags:
            taken: list[Box] = []
            for j, lines in enumerate(self.tagged):
                e = self.wanted[j][0]
                # On the edge; else near and coarse beside it, then wider; then over another tag rather than
                # over a node; at worst on the edge's middle.
                box = (self._on_edge(e, lines, taken)
                       or place_label(self.layout, e, lines, self.horizontal, self.band, taken, TAG_OFFSETS, 8)
                       or place_label(self.layout, e, lines, self.horizontal, self.band, taken, OFFSETS, 8)
                       or place_label(self.layout, e, lines, self.horizontal, self.band, (), OFFSETS, 8)
                       or Box(*point_on(self.layout.routes[e], 0.5, self.horizontal), *label_size(lines)))
                taken.append(box)
                self.tags[j] = box
        return self.tags[k]

    def _on_edge(self, e: int, lines: list[str], taken: list[Box]) -> Box | None:
        """A spot centred on edge e, nearest its middle, inside the drawing and clear of nodes and `taken`."""
        width, height = label_size(lines)
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
            box = Box(*point_on(self.layout.routes[e], t, self.horizontal), width, height)
            inside = (box.left >= 2 and box.right <= self.width - 2 and box.top >= self.band + 2
                      and box.bottom <= self.height - 2)
            clear = Box(box.cx, box.cy, width + 8, height + 8)
            if inside and not any(_meet(clear, o) for o in (*self.layout.boxes, *taken)):
                return box
        return None


def drawing(scene: Scene, horizontal: bool, chars: int = VALUE_CHARS) -> Drawing:
    """Lay the scene out for one flow direction, with boxes that hold `chars`-character values, and place
    every step's label (sized for a value as long)."""
    sizes = [(node_width(scene, k, chars), NODE_H) for k in range(len(scene.order))]
    lay = layout(sizes, scene.edges, horizontal=horizontal, **(WIDE if horizontal else TALL))
    if not horizontal and lay.width < PHONE_ROOM:
        lay = _widened(lay, PHONE_ROOM)  # a phone has the room: labels find free space beside the edges
    value = widest_value(chars)
    steps = scene.steps()
    wanted = tuple((scene.edge(step), edge_label_lines(scene, step, value), edge_label_lines(scene, step, value, True))
                   for step in steps)
    tagged = tuple(tag_lines(scene, step, value) for step in steps)
    if horizontal:
        big, scale = lay.width > WIDE_ROOM, 1.0
    else:
        big = lay.width * PHONE_MIN_SCALE > PHONE_ROOM
    placed = {}
    if len(steps) <= EAGER_STEPS:
        # Place every label now: only if one finds no room does the drawing get a band.
        trial = Drawing(horizontal, lay, big, 1.0, 0.0, wanted)
        for k in range(len(steps)):
            lines = _lines(trial, k)
            placed[k] = (place_label(lay, wanted[k][0], lines, horizontal, 0.0), lines is wanted[k][2])
        band = max((label_size(_lines(trial, k))[1] for k, (box, _) in placed.items() if box is None),
                   default=-12.0) + 12
    else:
        band = 2 * LABEL_LINE + LABEL_PAD + 12  # room for any label: placing them all now would be slow
    if band > 0:
        lay = _lowered(lay, band)
    # Labels that found room keep it (moved down with the drawing); the others are placed when first shown.
    placed = {k: (Box(box.cx, box.cy + max(band, 0.0), box.width, box.height), split)
              for k, (box, split) in placed.items() if box is not None}
    if not horizontal:
        # Shrunk to the screen's width, and a short drawing to its height as well, where only the floor is sure.
        fit_height = not big and lay.height <= FIT_MAX_HEIGHT
        scale = PHONE_MIN_SCALE if big or fit_height else min(1.0, PHONE_ROOM / lay.width)
    return Drawing(horizontal, lay, big, scale, max(band, 0.0), wanted, placed, tagged)


def _lines(d: Drawing, k: int) -> list[str]:
    _, one, two = d.wanted[k]
    return two if label_size(one)[0] > d.width - 4 else one


def label_size(lines: list[str]) -> tuple[float, float]:
    """Width and height of a label box holding these lines."""
    return max(text_width(line) for line in lines) + 2 * LABEL_PAD, len(lines) * LABEL_LINE + LABEL_PAD


def edge_samples(lay: Layout, e: int, horizontal: bool, count: int = 24) -> list[tuple[float, float]]:
    """Points along edge e's curve, for collision tests."""
    return [point_on(lay.routes[e], i / (count - 1), horizontal) for i in range(count)]


def place_label(lay: Layout, e: int, lines: list[str], horizontal: bool, top: float = 0.0,
                avoid: list[Box] | tuple[Box, ...] = (), offsets=None, samples: int = 24) -> Box | None:
    """The free spot nearest the middle of edge e for a label: inside the drawing below `top`, off every box
    (the nodes' and those in `avoid`) and its own edge, tried at `offsets` from it (OFFSETS by default)."""
    width, height = label_size(lines)
    mx, my = point_on(lay.routes[e], 0.5, horizontal)
    hw, hh = width / 2, height / 2
    # Plain tuples: this loop runs for every step of every new graph, so it must stay cheap.
    near = [(b.left - 4 - hw, b.top - 4 - hh, b.right + 4 + hw, b.bottom + 4 + hh) for b in (*lay.boxes, *avoid)
            if abs(b.cx - mx) < b.width / 2 + hw + MAX_DX + 4 and abs(b.cy - my) < b.height / 2 + hh + MAX_DY + 4]
    points = edge_samples(lay, e, horizontal, samples)
    # The edge as short chords, each with its bounding box for a quick rejection: a label may touch none.
    own = [(p, q, min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
           for p, q in itertools.pairwise(points)]
    lo_x, hi_x, lo_y, hi_y = 2 + hw, lay.width - 2 - hw, top + 2 + hh, lay.height - 2 - hh
    for dx, dy in OFFSETS if offsets is None else offsets:
        x, y = mx + dx, my + dy
        if not (lo_x <= x <= hi_x and lo_y <= y <= hi_y):
            continue
        # The label's centre must stay out of every box grown by half the label (and a margin), and every
        # sample of its own edge out of the label.
        if any(a < x < c and b < y < d for a, b, c, d in near):
            continue
        left, top_, right, bottom = x - hw - 3, y - hh - 3, x + hw + 3, y + hh + 3
        if any(a <= right and c >= left and b <= bottom and d >= top_ and _crosses(p, q, left, top_, right, bottom)
               for p, q, a, b, c, d in own):
            continue
        return Box(x, y, width, height)
    return None


MAX_DX, MAX_DY = 240.0, 160.0
# A kept label (Show all local derivatives) looks nearer and more coarsely: every step's is placed at once.
TAG_OFFSETS = sorted(((dx, dy) for dx in range(-120, 121, 30) for dy in range(-80, 81, 16)),
                     key=lambda o: math.hypot(o[0], 1.5 * o[1]))
# Candidate label centres around the edge's middle, nearest first (moving across the flow costs a little more).
OFFSETS = sorted(((dx, dy) for dx in range(-240, 241, 24) for dy in range(-160, 161, 10)),
                 key=lambda o: math.hypot(o[0], 1.5 * o[1]))


def _crosses(p: tuple[float, float], q: tuple[float, float], left: float, top: float, right: float,
             bottom: float) -> bool:
    """True when the segment p–q meets the rectangle (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = p, q
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for step, room in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if step == 0:
            if room < 0:
                return False
            continue
        t = room / step
        if step < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def _meet(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _lowered(lay: Layout, by: float) -> Layout:
    """The same layout moved down by `by`, leaving a band at the top."""
    boxes = tuple(Box(b.cx, b.cy + by, b.width, b.height) for b in lay.boxes)
    routes = tuple(tuple((x, y + by) for x, y in route) for route in lay.routes)
    return Layout(boxes, routes, lay.layers, lay.width, lay.height + by)


def _widened(lay: Layout, width: float) -> Layout:
    """The same layout centred in a wider drawing."""
    by = (width - lay.width) / 2
    boxes = tuple(Box(b.cx + by, b.cy, b.width, b.height) for b in lay.boxes)
    routes = tuple(tuple((x + by, y) for x, y in route) for route in lay.routes)
    return Layout(boxes, routes, lay.layers, width, lay.height)

