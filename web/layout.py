"""Layered layout of any DAG: depth picks the column, barycenter sweeps order each column, edges get routes.

A small Sugiyama-style layout, written for graphs of tens of nodes: the lesson's neuron today, a learner's own
expression later. Node k sits in column `layer[k]`; an edge spanning several columns passes through one
placeholder ("virtual node") per column in between, so long edges bend around boxes instead of through them.
Everything is computed along two axes, `rank` (the flow direction) and `cross`; `horizontal` maps them to
x/y or y/x at the end.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

Point = tuple[float, float]

SWEEPS = 8          # ordering passes (down and up each); small graphs settle in two or three
VIRTUAL_SIZE = 14.0  # cross-axis room a long edge takes in a column it passes through


@dataclass(frozen=True)
class Box:
    """A node's rectangle: centre (cx, cy) and size."""

    cx: float
    cy: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.cx - self.width / 2

    @property
    def right(self) -> float:
        return self.cx + self.width / 2

    @property
    def top(self) -> float:
        return self.cy - self.height / 2

    @property
    def bottom(self) -> float:
        return self.cy + self.height / 2

    def overlaps(self, other: Box) -> bool:
        """True when the two rectangles share interior area."""
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)


@dataclass(frozen=True)
class Layout:
    """Where everything goes: one box per node, one route (parent side to child side) per edge."""

    boxes: tuple[Box, ...]
    routes: tuple[tuple[Point, ...], ...]
    layers: tuple[int, ...]
    width: float
    height: float


def layer_of(n: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    """Column of every node: longest path from the sources; a source sits just before its first consumer."""
    incoming: list[list[int]] = [[] for _ in range(n)]
    outgoing: list[list[int]] = [[] for _ in range(n)]
    for src, dst in edges:
        outgoing[src].append(dst)
        incoming[dst].append(src)
    order = _topological(n, incoming, outgoing)
    layer = [0] * n
    for node in order:
        for src in incoming[node]:
            layer[node] = max(layer[node], layer[src] + 1)
    # Pulling inputs right keeps a late input (like y*) beside the node that uses it, not a long edge away.
    for node in order:
        if not incoming[node] and outgoing[node]:
            layer[node] = min(layer[dst] for dst in outgoing[node]) - 1
    return layer


def _topological(n: int, incoming: list[list[int]], outgoing: list[list[int]]) -> list[int]:
    """Kahn's algorithm; raises ValueError on a cycle."""
    pending = [len(srcs) for srcs in incoming]
    ready = [k for k in range(n) if pending[k] == 0]
    order = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for dst in outgoing[node]:
            pending[dst] -= 1
            if pending[dst] == 0:
                ready.append(dst)
    if len(order) != n:
        raise ValueError("the graph has a cycle")
    return order


def layout(sizes: Sequence[tuple[float, float]], edges: Sequence[tuple[int, int]], *,
           rank_gap: float, cross_gap: float, margin: float = 0.0, horizontal: bool = True) -> Layout:
    """Lay out nodes of the given (width, height) joined by edges (parent, child); edges may repeat.

    Each child's incoming edges, in the order given, enter it at evenly spaced ports (x * x shows two).
    """
    n = len(sizes)
    layer = layer_of(n, edges)
    # Along the flow, a node's extent is its width when the flow runs horizontally.
    along = [w if horizontal else hgt for w, hgt in sizes]
    across = [hgt if horizontal else w for w, hgt in sizes]

    # Ports: each child's incoming edges, in the order given, are its argument slots 0, 1, ...
    entering: list[list[int]] = [[] for _ in range(n)]
    for e, (_, dst) in enumerate(edges):
        entering[dst].append(e)

    # Chains: every edge becomes a path of nodes, real at both ends, virtual in between.
    chains: list[list[int]] = []
    node_layer = list(layer)
    node_size = list(across)
    for src, dst in edges:
        chain = [src]
        for col in range(layer[src] + 1, layer[dst]):
            node_layer.append(col)
            node_size.append(VIRTUAL_SIZE)
            chain.append(len(node_layer) - 1)
        chain.append(dst)
        chains.append(chain)
    total = len(node_layer)
    up: list[list[int]] = [[] for _ in range(total)]
    down: list[list[tuple[int, int]]] = [[] for _ in range(total)]  # (next node, argument slot there)
    for e, chain in enumerate(chains):
        for a, b in pairwise(chain):
            down[a].append((b, entering[b].index(e) if b == chain[-1] else 0))
            up[b].append(a)

    columns = _order(node_layer, up, down)
    cross = _coordinates(columns, node_size, down, cross_gap)

    # Column positions along the flow: each column as wide as its widest node.
    depth = max(node_layer, default=-1) + 1
    extent = [0.0] * depth
    for k in range(n):
        extent[layer[k]] = max(extent[layer[k]], along[k])
    starts, pos = [], margin
    for col in range(depth):
        starts.append(pos)
        pos += extent[col] + rank_gap
    centre = [starts[c] + extent[c] / 2 for c in range(depth)]
    length = (pos - rank_gap + margin) if depth else 2 * margin

    low = min((cross[k] - node_size[k] / 2 for k in range(total)), default=0.0)
    shift = margin - low
    high = max((cross[k] + node_size[k] / 2 for k in range(total)), default=0.0) + shift + margin

    def point(rank: float, off: float) -> Point:
        return (rank, off + shift) if horizontal else (off + shift, rank)

    boxes = []
    for k in range(n):
        x, y = point(centre[layer[k]], cross[k])
        boxes.append(Box(x, y, sizes[k][0], sizes[k][1]))

    # Each edge leaves its parent's centre and enters its child at the edge's argument slot.
    routes = []
    for e, chain in enumerate(chains):
        src, dst = chain[0], chain[-1]
        slot = entering[dst].index(e)
        ports = len(entering[dst])
        enter = cross[dst] - across[dst] / 2 + across[dst] * (slot + 1) / (ports + 1)
        pts = [point(centre[layer[src]] + along[src] / 2, cross[src])]
        pts += [point(centre[node_layer[v]], cross[v]) for v in chain[1:-1]]
        pts.append(point(centre[layer[dst]] - along[dst] / 2, enter))
        routes.append(tuple(pts))

    width, height = (length, high) if horizontal else (high, length)
    return Layout(tuple(boxes), tuple(routes), tuple(layer), width, height)


def _order(node_layer: list[int], up: list[list[int]], down: list[list[tuple[int, int]]]) -> list[list[int]]:
    """Order each column to reduce crossings: barycenter sweeps, keeping the best order seen."""
    depth = max(node_layer, default=-1) + 1
    columns: list[list[int]] = [[] for _ in range(depth)]
    for k, col in enumerate(node_layer):
        columns[col].append(k)
    best, best_crossings = [list(c) for c in columns], crossings(columns, down)
    upward = [[(m, 0) for m in ms] for ms in up]  # built once: it was rebuilt per column, the layout's main cost
    stale = 0
    for _ in range(SWEEPS):
        for col in range(1, depth):
            _sort_by_barycenter(columns[col], columns[col - 1], upward)
        for col in range(depth - 2, -1, -1):
            _sort_by_barycenter(columns[col], columns[col + 1], down)
        count = crossings(columns, down)
        if count < best_crossings:
            best, best_crossings, stale = [list(c) for c in columns], count, 0
        else:
            stale += 1
        if best_crossings == 0 or stale == 2:  # two sweeps without a better order: it has settled
            break
    return best


def _sort_by_barycenter(column: list[int], fixed: list[int], neighbours: list[list[tuple[int, int]]]) -> None:
    """Reorder column in place by the mean position of each node's neighbours in the fixed column.

    A neighbour's argument slot breaks ties, so the first argument of a node sits above (before) the second.
    """
    where = {node: i for i, node in enumerate(fixed)}
    keys = {}
    for i, node in enumerate(column):
        near = [where[m] + 0.01 * slot for m, slot in neighbours[node] if m in where]
        # A node with no neighbour on that side keeps its place, scaled to the fixed column's span.
        keys[node] = sum(near) / len(near) if near else i * max(len(fixed) - 1, 1) / max(len(column) - 1, 1)
    column.sort(key=keys.__getitem__)


def crossings(columns: list[list[int]], down: list[list[tuple[int, int]]]) -> int:
    """Number of pairs of edges that cross between adjacent columns."""
    count = 0
    for col in range(len(columns) - 1):
        here = {node: i for i, node in enumerate(columns[col])}
        there = {node: i for i, node in enumerate(columns[col + 1])}
        pairs = sorted((here[a], there[b]) for a in columns[col] for b, _ in down[a] if b in there)
        for i, (a1, b1) in enumerate(pairs):
            count += sum(1 for a2, b2 in pairs[i + 1:] if a2 > a1 and b2 < b1)
    return count


def _coordinates(columns: list[list[int]], size: list[float], down: list[list[tuple[int, int]]],
                 gap: float) -> list[float]:
    """Cross-axis centres, placed from the output back: a node's first argument lines up with it, the next
    ones a slot further each, so the main chain runs straight; within a column the order is kept and no two
    nodes come closer than gap (a least-squares fit, by pool-adjacent-violators)."""
    slot = max(size, default=0.0) + gap
    pos = [0.0] * len(size)
    for column in reversed(columns):
        wanted = []
        for node in column:
            near = [pos[m] + arg * slot for m, arg in down[node]]
            wanted.append(sum(near) / len(near) if near else 0.0)
        offsets = _offsets(column, size, gap)
        placed = _isotonic([w - o for w, o in zip(wanted, offsets, strict=True)])
        for node, off, z in zip(column, offsets, placed, strict=True):
            pos[node] = z + off
    # Snap to half a slot, so averaging never leaves a chain off by a pixel.
    grid = slot / 2
    for column in columns:
        previous = None
        for node in column:
            at = round(pos[node] / grid) * grid
            if previous is not None:
                least = pos[previous] + (size[previous] + size[node]) / 2 + gap
                if at < least - 1e-9:
                    at = math.ceil(least / grid - 1e-9) * grid
            pos[node] = at
            previous = node
    return pos


def _offsets(column: list[int], size: list[float], gap: float) -> list[float]:
    """Least distance of each node's centre from the first one's when packed in order with `gap` between."""
    offsets, at = [], 0.0
    for i, node in enumerate(column):
        if i:
            at += (size[column[i - 1]] + size[node]) / 2 + gap
        offsets.append(at)
    return offsets


def _isotonic(values: list[float]) -> list[float]:
    """Closest non-decreasing sequence in least squares (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, count]
    for v in values:
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, c2 = blocks.pop()
            m1, c1 = blocks.pop()
            blocks.append([(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2])
    out = []
    for mean, count in blocks:
        out.extend([mean] * int(count))
    return out


def curve(route: Sequence[Point], horizontal: bool = True) -> str:
    """The `d` of a smooth path through a route: cubic segments that leave and enter along the flow."""
    (x0, y0), rest = route[0], route[1:]
    parts = [f"M{x0:.1f},{y0:.1f}"]
    px, py = x0, y0
    for x, y in rest:
        c1, c2 = _controls((px, py), (x, y), horizontal)
        parts.append(f"C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} {x:.1f},{y:.1f}")
        px, py = x, y
    return "".join(parts)


def _controls(a: Point, b: Point, horizontal: bool) -> tuple[Point, Point]:
    if horizontal:
        half = (b[0] - a[0]) / 2
        return (a[0] + half, a[1]), (b[0] - half, b[1])
    half = (b[1] - a[1]) / 2
    return (a[0], a[1] + half), (b[0], b[1] - half)


def point_on(route: Sequence[Point], fraction: float, horizontal: bool = True) -> Point:
    """The point a fraction of the way along the curve through route (0 at its start, 1 at its end)."""
    segments = len(route) - 1
    if segments < 1:
        return route[0]
    f = min(max(fraction, 0.0), 1.0) * segments
    index = min(int(f), segments - 1)
    t = f - index
    a, b = route[index], route[index + 1]
    c1, c2 = _controls(a, b, horizontal)
    s = 1.0 - t
    return tuple(s**3 * p0 + 3 * s * s * t * p1 + 3 * s * t * t * p2 + t**3 * p3
                 for p0, p1, p2, p3 in zip(a, c1, c2, b, strict=True))
