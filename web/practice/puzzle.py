"""Practice graphs for "Your turn": one drawn per (kind, seed), with each leaf's gradient and the numbers the
common mistakes would give for it.

A puzzle is an expression over leaves a, b, c, d (a neuron's are w, x, b, y*) with friendly values (small
integers or one decimal) and 3 to 7 operations of the engine's table. A draw is kept only when nothing in it is
0 by accident or overflows, and when, for every leaf, the right answer and each mistake's number are further
apart than two tolerances: then an answer is never right and a mistake at once, nor two mistakes at once. Same
kind and seed, same puzzle, in CPython and in the browser (`random.Random` is the same generator in both).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from engine import Value, jvp, topological_order
from engine.graph import Step
from web.dag.diagram import STEP, Diagram, Scene, Slider, lesson_diagram, scene_of
from web.expr import Bin, Call, Expr, Neg, Pow, Var, build, to_text, variables
from web.format import MINUS, fixed

KINDS = ("one", "two", "neuron")
KIND_NAMES = {"one": "One path", "two": "Two paths", "neuron": "A neuron"}
SEEDS = 2**31
TOLERANCE, FLOOR = 0.005, 0.0005  # an answer is right within 0.5% or 0.0005, as in predict mode
LEAVES = "abcd"
INNER = "pqrstuv"  # names of the operations in forward order (L is the last)
LARGEST = 1000.0  # no value or gradient beyond this: a learner works these out by hand
SMALLEST_GRAD = 0.01  # no leaf's gradient nearer 0 than this (0.001 for the other nodes)
UNARY = (("square", 4), ("sigmoid", 2), ("tanh", 2), ("exp", 1), ("sin", 1), ("cos", 1), ("log", 1),
         ("relu", 1), ("softplus", 1), ("neg", 1))
BINARY = (("*", 3), ("+", 3), ("-", 2), ("/", 1))
POSITIVE = ("square", "exp", "sigmoid", "softplus")  # operations whose value is never negative
FRIENDLY = (-3.0, -2.0, -1.0, 1.0, 2.0, 3.0)


def close(answer: float, right: float) -> bool:
    """Right within 0.5% relative or 0.0005 absolute."""
    return abs(answer - right) <= max(TOLERANCE * abs(right), FLOOR)


def apart(u: float, v: float) -> bool:
    """Further apart than two tolerances of either: no answer can be close to both."""
    return abs(u - v) > 2 * max(TOLERANCE * max(abs(u), abs(v)), FLOOR)


@dataclass(frozen=True)
class Mistake:
    """A wrong answer a learner may give, the number it comes to, and what to tell them."""

    kind: str  # "paths", "sign", "forward", "local", "stopped"
    value: float
    message: str


@dataclass(frozen=True)
class Leaf:
    """One leaf the learner answers for: its names, value, gradient and the mistakes' numbers."""

    name: str  # as drawn and labelled: a, y*
    key: str  # as typed in the expression: a, ystar
    value: float
    grad: float
    paths: int
    mistakes: tuple[Mistake, ...]


@dataclass(frozen=True)
class Puzzle:
    """A practice graph: what it is drawn from, its line of text, and what each leaf's answer should be."""

    kind: str
    seed: int
    text: str  # in the expression field's syntax: (a*b + a)**2
    scene: Scene
    steps: tuple[Step, ...]
    leaves: tuple[Leaf, ...]

    @property
    def line(self) -> str:
        """L = (a*b + a)**2, where a = 2, b = −1."""
        values = ", ".join(f"{leaf.key} = {number(leaf.value)}" for leaf in self.leaves)
        return f"L = {self.text}, where {values}"

    @property
    def operations(self) -> int:
        return sum(1 for node in self.scene.order if node.parents)


def number(v: float) -> str:
    """A friendly value as written: 2, −1, 0.5."""
    return f"{v:g}".replace("-", MINUS)


def friendly(rng: random.Random) -> float:
    """A small integer, or a number with one decimal, never 0."""
    if rng.random() < 0.5:
        return rng.choice(FRIENDLY)
    return rng.choice([-1, 1]) * rng.randint(1, 25) / 10


def _weighted(rng: random.Random, table) -> str:
    return rng.choices([name for name, _ in table], [w for _, w in table])[0]


def _draw_expr(rng: random.Random, kind: str) -> Expr:
    """A chain of 3 to 7 operations on one running value; "two" reuses a leaf once, so two paths meet."""
    count = rng.randint(3, 7)
    reuse = rng.randint(1, count - 1) if kind == "two" else -1
    used = [LEAVES[0]]
    cur: Expr = Var(LEAVES[0])
    last = ""  # the unary operation just applied
    for i in range(count):
        if i == 0 or i == reuse or (len(used) < len(LEAVES) and rng.random() < 0.4):
            if i == reuse:
                other = Var(rng.choice(used))
            else:
                used.append(LEAVES[len(used)])
                other = Var(used[-1])
            op = _weighted(rng, BINARY)
            cur = Bin(op, cur, other) if rng.random() < 0.6 else Bin(op, other, cur)
            last = ""
        else:
            fn = _weighted(rng, UNARY)
            if fn == "relu" and last in POSITIVE:
                fn = "tanh"  # relu of a value that is never negative would do nothing
            cur = Pow(cur, 2.0) if fn == "square" else Neg(cur) if fn == "neg" else Call(fn, cur)
            last = fn
    return cur


def _renamed(expr: Expr, names: dict[str, str]) -> Expr:
    """The same expression with its variables renamed."""
    if isinstance(expr, Var):
        return Var(names[expr.name])
    if isinstance(expr, Bin):
        return Bin(expr.op, _renamed(expr.left, names), _renamed(expr.right, names))
    if isinstance(expr, Pow):
        return Pow(_renamed(expr.base, names), expr.exponent)
    if isinstance(expr, Neg):
        return Neg(_renamed(expr.arg, names))
    return Call(expr.fn, _renamed(expr.arg, names))


def _diagram(expr: Expr, values: dict[str, float]) -> Diagram:
    """The diagram of a drawn expression: leaves by their letters, operations p, q, r, … in forward order."""
    names = list(values)
    leaves = {n: Value(values[n], label=n) for n in names}
    root = build(expr, leaves)
    shown = {id(leaves[n]): n for n in names}
    inner = iter(INNER)
    for node in topological_order(root):
        if node.parents:
            node.label = shown[id(node)] = "L" if node is root else next(inner)
    sliders = tuple(Slider(n, -3.0, 3.0, STEP) for n in names)
    return Diagram(root, shown, sliders, tuple(names), "", "")


def compact(expr: Expr) -> str:
    """The reader's text with products and quotients written tight: (a*b + a)**2."""
    return to_text(expr).replace(" * ", "*").replace(" / ", "/")


def draw(kind: str, seed: int) -> Puzzle:
    """The puzzle of this kind and seed (the same every time)."""
    if kind not in KINDS or not 0 <= seed < SEEDS:
        raise ValueError(f"no puzzle of kind {kind!r} and seed {seed}")
    rng = random.Random(seed * len(KINDS) + KINDS.index(kind))
    while True:
        if kind == "neuron":
            w, x, b = friendly(rng), friendly(rng), friendly(rng)
            diagram = lesson_diagram({"w": w, "x": x, "b": b, "ystar": float(rng.choice((0, 1)))})
            text, keys = diagram.text, {"w": "w", "x": "x", "b": "b", "y*": "ystar"}
        else:
            drawn = _draw_expr(rng, kind)
            # Letters in order of first appearance in the text: L = (a*b + c)**2, never (b*a + c)**2.
            expr = _renamed(drawn, {n: LEAVES[i] for i, n in enumerate(variables(drawn))})
            leaves = variables(expr)
            diagram = _diagram(expr, {n: friendly(rng) for n in leaves})
            text, keys = compact(expr), {n: n for n in leaves}
        puzzle = _analyse(kind, seed, text, scene_of(diagram), keys)
        if puzzle is not None:
            return puzzle


def _paths(leaf: Value, root: Value, children: dict[int, list]) -> list[list[tuple[Value, int]]]:
    """Every path from leaf up to root, as the edges (child, argument index) it crosses."""
    paths, stack = [], [(leaf, [])]
    while stack:
        node, path = stack.pop()
        if node is root:
            paths.append(path)
            continue
        for child, index in children.get(id(node), ()):
            stack.append((child, [*path, (child, index)]))
    return paths


def _analyse(kind: str, seed: int, text: str, scene: Scene, keys: dict[str, str]) -> Puzzle | None:
    """The puzzle, or None when this draw breaks a rule (an overflow, a gradient 0 by accident, mistakes whose
    numbers could be taken for the right answer or for each other)."""
    root = scene.root
    if not 3 <= sum(1 for node in scene.order if node.parents) <= 7:
        return None
    if any(not math.isfinite(node.data) or abs(node.data) > LARGEST for node in scene.order):
        return None
    root.backward()
    for node in scene.order:
        smallest = SMALLEST_GRAD if not node.parents else 0.001
        if not math.isfinite(node.grad) or not smallest <= abs(node.grad) <= LARGEST:
            return None
    steps = tuple(scene.steps())
    local = {(id(s.child), s.index): s.local for s in steps}
    children: dict[int, list] = {}
    for node in scene.order:
        for index, parent in enumerate(node.parents):
            children.setdefault(id(parent), []).append((node, index))
    leaves = []
    for name, key in keys.items():
        node = scene.node(name)
        paths = _paths(node, root, children)
        if kind == "one" and len(paths) != 1:
            return None
        mistakes = _mistakes(scene, node, paths, local)
        numbers = [node.grad] + [m.value for m in mistakes]
        if any(not math.isfinite(v) for v in numbers):
            return None
        if not all(apart(u, v) for i, u in enumerate(numbers) for v in numbers[i + 1:]):
            return None
        leaves.append(Leaf(name, key, node.data, node.grad, len(paths), tuple(mistakes)))
    if kind == "two" and max(leaf.paths for leaf in leaves) < 2:
        return None
    return Puzzle(kind, seed, text, scene, steps, tuple(leaves))


def _total(paths, local, override: dict | None = None) -> float:
    """The sum over paths of the product of local derivatives, with some edges' locals replaced."""
    override = override or {}
    total = 0.0
    for path in paths:
        product = 1.0
        for child, index in path:
            edge = (id(child), index)
            product *= override.get(edge, local[edge])
        total += product
    return total


def _unit(v: float) -> bool:
    return abs(abs(v) - 1.0) < 1e-12


def _mistakes(scene: Scene, leaf: Value, paths, local) -> list[Mistake]:
    """What each mistake of the lesson's list would give for this leaf (only those that differ from the answer
    by more than a sign: leaving out an edge whose local derivative is 1 is no mistake)."""
    a, root, right = scene.name_of(leaf), scene.root, leaf.grad
    found = []
    if len(paths) > 1:
        others = "the other" if len(paths) == 2 else "the others"
        found += [Mistake("paths", _total([p], local),
                          f"{a} reaches L along {len(paths)} paths; your answer is one of them. Add {others}.")
                  for p in paths]
    negative = sorted({f"{scene.name_of(c)} → {scene.name_of(c.parents[i])}"
                       for p in paths for c, i in p if local[(id(c), i)] < 0})
    where = (f" (negative here: {', '.join(negative)})" if negative else
             " (here every local derivative is positive)")
    found.append(Mistake("sign", -right, f"The sign is flipped: the size is right. Check the sign of each local "
                                         f"derivative from L down to {a}{where}."))
    found.append(Mistake("forward", leaf.data, f"That is {a}'s value from the forward pass, {fixed(leaf.data, 4)}, "
                                               f"not its gradient: ∂L/∂{a} is how fast L changes as {a} moves."))
    found.append(Mistake("forward", root.data, f"That is L's value from the forward pass, not ∂L/∂{a}."))
    edges = {(id(c), i): (c, i) for p in paths for c, i in p}
    for edge, (child, _) in edges.items():
        wrong = _wrong_local(scene, child)
        if wrong is not None:
            value, message = wrong
            found.append(Mistake("local", _total(paths, local, {edge: value}), message))
    on_paths = {id(c): c for p in paths for c, _ in p if c is not root}
    for node in on_paths.values():
        p = scene.name_of(node)
        below = jvp(node, {leaf: 1.0})  # ∂p/∂a
        if not _unit(below):
            found.append(Mistake("stopped", node.grad,
                                 f"You stopped at {p}: that is ∂L/∂{p}. Multiply on by the local derivatives of "
                                 f"the edges from {p} down to {a}."))
        if not _unit(node.grad):
            found.append(Mistake("stopped", below,
                                 f"You stopped at {p}: that is ∂{p}/∂{a}, from {a} up to {p} only. Multiply on by "
                                 f"the local derivatives of the edges from {p} up to L."))
    # One mistake reached two ways (stopping at p or at z when the edge between has local derivative 1) keeps
    # its first message.
    kept: list[Mistake] = []
    for m in found:
        if not any(k.kind == m.kind and abs(k.value - m.value) <= 1e-12 * max(1.0, abs(m.value)) for k in kept):
            kept.append(m)
    return kept


def _wrong_local(scene: Scene, child: Value) -> tuple[float, str] | None:
    """A local derivative taken at the wrong value: σ's s(1 − s) with z for s, tanh's 1 − t² with its input,
    x²'s 2x as x."""
    if not child.parents:
        return None
    c, z = scene.name_of(child), scene.name_of(child.parents[0])
    v = child.parents[0].data
    if child.op == "sigmoid":
        return v * (1 - v), (f"At {c} = σ({z}) the local derivative is {c}(1 − {c}) with {c} = "
                             f"{fixed(child.data, 4)}, the node's output; you used {z} = {fixed(v, 4)}, its input.")
    if child.op == "tanh":
        return 1 - v * v, (f"At {c} = tanh({z}) the local derivative is 1 − {c}² with {c} = {fixed(child.data, 4)}, "
                           f"the node's output; you used {z} = {fixed(v, 4)}, its input.")
    if child.op == "pow" and child.arg == 2.0:
        return v, f"At {c} = {z}² the local derivative is 2{z}, not {z}: you left out the 2."
    return None


def diagnose(leaf: Leaf, answer: float) -> tuple[bool, str]:
    """(right, what to say) for one answer: right, a named mistake, or "Not yet"."""
    if close(answer, leaf.grad):
        return True, f"Right: ∂L/∂{leaf.name} = {fixed(leaf.grad, 4)}."
    for mistake in leaf.mistakes:
        if close(answer, mistake.value):
            return False, mistake.message
    return False, "Not yet. Press “Hint” for the next edge to think about."
