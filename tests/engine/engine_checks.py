"""Self-contained engine checks: used by the pytest suite in CPython and run as-is inside Pyodide.

No pytest, hypothesis or numpy here: only the engine and the standard library, so tests/pyodide can copy this
file next to the engine package and call run_all().
"""

import math
import random
import re

from engine import Tally, Value, backward, backward_steps, jvp, recompute, release, topological_order
from engine.compile import compile_forward, compile_gradient
from engine.rules import RULES

# --- one generic central-finite-difference checker (after JAX's check_grads) ---


def check_grads(build, xs, rtol=1e-6, atol=1e-7):
    """Compare backward() of build(*Values) at xs with central differences; return the worst error ratio.

    A ratio above 1 means some gradient is off by more than atol * (1 + |f|) + rtol * |gradient|. The
    difference is Richardson-extrapolated from steps h and h/2, so strong curvature does not pass for a bug.
    """
    leaves = [Value(x) for x in xs]
    out = build(*leaves)
    out.backward()
    scale = 1.0 + abs(out.data)

    def central(i: int, h: float) -> float:
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        return (build(*map(Value, up)).data - build(*map(Value, down)).data) / (up[i] - down[i])

    worst = 0.0
    for i, x in enumerate(xs):
        h = 1e-5 * min(max(abs(x), 1e-2), 1.0) * max(1.0, abs(x))  # ~1e-7 near 0, relative far out
        numeric = (4.0 * central(i, h / 2) - central(i, h)) / 3.0
        error = abs(leaves[i].grad - numeric)
        worst = max(worst, error / (atol * scale + rtol * max(abs(numeric), abs(leaves[i].grad))))
    return worst


def apply(op: str, args, n=None):
    """Build one node of `op` through the public operators and methods (of Values, or of torch tensors)."""
    a = args[0]
    binary = {"add": lambda: a + args[1], "sub": lambda: a - args[1], "mul": lambda: a * args[1],
              "div": lambda: a / args[1]}
    if op in binary:
        return binary[op]()
    if op == "bce_with_logits":
        if isinstance(a, Value):
            return a.bce_with_logits(args[1])
        from torch.nn.functional import binary_cross_entropy_with_logits  # a tensor: PyTorch's own

        return binary_cross_entropy_with_logits(a, args[1])
    if op == "pow":
        return a ** n
    if op == "neg":
        return -a
    if op == "softplus" and not isinstance(a, Value):
        from torch.nn.functional import softplus  # a tensor has no softplus method: PyTorch's own function

        return softplus(a)
    return getattr(a, op)()


_BASE = (-3.0, -1.7, -0.5, -1e-3, 2e-4, 0.3, 1.0, 2.5, 7.0)
# Where each rule is smooth enough for a finite difference: (unary points, exponents for pow).
DOMAINS = {
    "add": lambda a, b: True,
    "sub": lambda a, b: True,
    "mul": lambda a, b: True,
    "div": lambda a, b: abs(b) > 0.1,
    "pow": lambda a, n: a > 1e-7 or n == int(n),
    "neg": lambda a: True,
    "exp": lambda a: True,
    "log": lambda a: a > 1e-7,
    "tanh": lambda a: True,
    "sigmoid": lambda a: True,
    "softplus": lambda a: True,
    "relu": lambda a: abs(a) > 1e-5,
    "sin": lambda a: True,
    "cos": lambda a: True,
    "bce_with_logits": lambda a, b: True,
}
EXPONENTS = (2.0, 3.0, -1.0, -2.0, 0.5, 1.5, 1.0, 0.0)
EXTRA_POINTS = (-700.0, -40.0, -20.0, 20.0, 40.0, 600.0, 1e-9, -1e-9)


def rule_points(op: str):
    """Every (args, n) the checker visits for op: a grid of ordinary points plus far-out ones."""
    rule = RULES[op]
    domain = DOMAINS[op]
    if op == "bce_with_logits":  # logits far out too, against the targets a classifier sees
        logits = [((a, b), None) for a in _BASE + EXTRA_POINTS for b in (0.0, 0.25, 1.0)]
        return logits + [((a, b), None) for a in _BASE for b in _BASE]
    if rule.arity == 2:
        return [((a, b), None) for a in _BASE for b in _BASE if domain(a, b)]
    if op == "pow":
        return [((a,), n) for a in (*_BASE, 1e-3) for n in EXPONENTS if domain(a, n)]
    points = [((a,), None) for a in _BASE + EXTRA_POINTS if domain(a)]
    return [(args, n) for args, n in points if op != "exp" or args[0] < 700]


def check_rule(op: str):
    """check_grads over every point of one rule; returns (number of points, worst error ratio)."""
    worst = 0.0
    points = rule_points(op)
    for args, n in points:
        worst = max(worst, check_grads(lambda *vs, args_n=n: apply(op, vs, args_n), args))
    return len(points), worst


# --- IEEE edge cases: exact value and local derivative where a finite difference cannot go ---

EDGE_CASES = [
    # op, args, n, value, locals
    ("exp", (1000.0,), None, math.inf, (math.inf,)),
    ("exp", (-1000.0,), None, 0.0, (0.0,)),
    ("log", (0.0,), None, -math.inf, (math.inf,)),
    ("log", (-1.0,), None, math.nan, (-1.0,)),
    ("div", (1.0, 0.0), None, math.inf, (math.inf, -math.inf)),
    ("div", (0.0, 0.0), None, math.nan, (math.inf, math.nan)),
    ("div", (-2.0, -0.0), None, math.inf, (-math.inf, math.inf)),
    ("pow", (0.0,), -1.0, math.inf, (-math.inf,)),
    ("pow", (-8.0,), 0.5, math.nan, (math.nan,)),
    ("pow", (1e200,), 2.0, math.inf, (2e200,)),
    ("pow", (0.0,), 0.0, 1.0, (0.0,)),
    ("sigmoid", (1000.0,), None, 1.0, (0.0,)),
    ("sigmoid", (-1000.0,), None, 0.0, (0.0,)),
    ("sigmoid", (-math.inf,), None, 0.0, (0.0,)),
    ("sigmoid", (math.nan,), None, math.nan, (math.nan,)),
    ("tanh", (math.inf,), None, 1.0, (0.0,)),
    ("relu", (0.0,), None, 0.0, (0.0,)),
    ("relu", (math.nan,), None, math.nan, (0.0,)),
    ("sin", (math.inf,), None, math.nan, (math.nan,)),
    ("cos", (-math.inf,), None, math.nan, (math.nan,)),
    ("sub", (math.inf, math.inf), None, math.nan, (1.0, -1.0)),
    ("mul", (1e200, 1e200), None, math.inf, (1e200, 1e200)),
    # the logistic loss: confident and right costs 0, confident and wrong costs |z|, with no overflow on the way
    ("bce_with_logits", (800.0, 1.0), None, 0.0, (0.0, -800.0)),
    ("bce_with_logits", (800.0, 0.0), None, 800.0, (1.0, -800.0)),
    ("bce_with_logits", (-800.0, 1.0), None, 800.0, (-1.0, 800.0)),
    ("bce_with_logits", (-800.0, 0.0), None, 0.0, (0.0, 800.0)),
    ("bce_with_logits", (1e308, 0.5), None, 5e307, (0.5, -1e308)),
    ("bce_with_logits", (0.0, 1.0), None, math.log(2.0), (-0.5, 0.0)),
    ("bce_with_logits", (math.inf, 0.0), None, math.inf, (1.0, -math.inf)),
    ("bce_with_logits", (-math.inf, 1.0), None, math.inf, (-1.0, math.inf)),
    ("bce_with_logits", (math.inf, 1.0), None, math.nan, (0.0, -math.inf)),  # 0·inf
    ("bce_with_logits", (math.nan, 1.0), None, math.nan, (math.nan, math.nan)),
]


def same(x: float, y: float) -> bool:
    """Equal, counting nan as equal to nan."""
    return x == y or (x != x and y != y)


def check_edge(case) -> str:
    """'' if the eager node and its local derivatives match the expected IEEE values, else a message."""
    op, args, n, value, expected = case
    leaves = [Value(a) for a in args]
    node = apply(op, leaves, n)
    node.backward()
    got = tuple(leaf.grad for leaf in leaves)
    if same(node.data, value) and all(map(same, got, expected)):
        return ""
    return f"{op}{args} n={n}: value {node.data} (want {value}), locals {got} (want {expected})"


# --- random DAGs with shared subexpressions, as programs that rebuild under any library ---

PROGRAM_OPS = ("add", "sub", "mul", "div", "pow", "neg", "exp", "log", "tanh", "sigmoid", "relu", "sin", "cos",
               "bce_with_logits")
BINARY_OPS = ("add", "sub", "mul", "div", "bce_with_logits")
PROGRAM_EXPONENTS = (2.0, 3.0, -1.0, 0.5)


def make_program(n_leaves: int, raw):
    """Turn raw draws (op index, operand fraction, operand fraction, exponent index) into instructions.

    Operands may be any earlier node, so subexpressions are shared. Arguments are kept in each op's domain
    by small guard nodes (log of a*a + 0.5, division by b*b + 1, ...), themselves part of the graph.
    """
    program = []
    size = n_leaves
    for op_i, fa, fb, ni in raw:
        op = PROGRAM_OPS[op_i % len(PROGRAM_OPS)]
        a = min(int(fa * size), size - 1)
        b = min(int(fb * size), size - 1)
        n = PROGRAM_EXPONENTS[ni % len(PROGRAM_EXPONENTS)]
        if op in ("log", "div") or (op == "pow" and n in (-1.0, 0.5)):
            guard = b if op == "div" else a
            program.append(("mul", guard, guard, None))
            program.append(("add", size, "0.5", None))
            size += 2
            if op == "div":
                b = size - 1
            else:
                a = size - 1
        if op in ("exp", "pow"):  # keep magnitudes modest: squash first
            program.append(("tanh", a, None, None))
            size += 1
            a = size - 1
        if op in BINARY_OPS:
            program.append((op, a, b, None))
        else:
            program.append((op, a, None, n if op == "pow" else None))
        size += 1
    return program


def build_program(program, leaves, lib=None):
    """Run a program over leaf objects (Values, or torch tensors with lib=torch); returns all nodes, root last."""
    nodes = list(leaves)
    for op, a, b, n in program:
        x = nodes[a]
        y = float(b) if isinstance(b, str) else (nodes[b] if b is not None else None)
        if lib is not None and op in ("exp", "log", "tanh", "sigmoid", "relu", "sin", "cos"):
            nodes.append(getattr(lib, op)(x))
        else:
            nodes.append(apply(op, (x, y), n))
    # The root sums the last three nodes so several branches reach it.
    root = nodes[-1]
    for extra in nodes[-3:-1]:
        root = root + extra
    nodes.append(root)
    return nodes


def random_program(rng: random.Random, n_leaves: int = 4, n_ops: int = 12):
    """A random program and leaf values drawn from rng (the Pyodide suite's stand-in for hypothesis)."""
    raw = [(rng.randrange(64), rng.random(), rng.random(), rng.randrange(8)) for _ in range(n_ops)]
    return make_program(n_leaves, raw), [rng.uniform(-2.0, 2.0) for _ in range(n_leaves)]


def well_conditioned(program, xs) -> bool:
    """Whether a finite difference can judge this program at xs: modest values and gradients, no kinks.

    Random compositions sometimes oscillate so fast (cos of x**8, ...) that no step size works; those are
    left to the torch comparison and the compiled == eager checks.
    """
    leaves = [Value(x) for x in xs]
    nodes = build_program(program, leaves)
    nodes[-1].backward()
    return all(math.isfinite(n.data) and abs(n.data) < 1e4 and not (
        n.op == "relu" and abs(n.parents[0].data) < 1e-4) for n in nodes) and all(
        abs(leaf.grad) < 1e3 for leaf in leaves)


def program_grads_fd(program, xs) -> float:
    """check_grads over a whole program's root."""
    return check_grads(lambda *vs: build_program(program, vs)[-1], xs, rtol=1e-5, atol=1e-6)


def check_replay(root) -> str:
    """'' if backward() twice agrees with itself and with replaying backward_steps, else a message."""
    order = topological_order(root)
    steps = backward_steps(root)
    grads = {id(n): 0.0 for n in order}
    grads[id(root)] = 1.0
    for s in steps:
        grads[id(s.parent)] += s.contribution
    root.backward()
    first = [n.grad for n in order]
    root.backward()
    if [n.grad for n in order] != first:
        return "backward() twice gave different gradients"
    if any(not same(grads[id(n)], n.grad) for n in order):
        return "replaying backward_steps differs from backward()"
    return ""


def close(x: float, y: float, tol: float = 1e-12) -> bool:
    """|x − y| <= tol * (1 + max(|x|, |y|)), nan matching nan."""
    return same(x, y) or abs(x - y) <= tol * (1.0 + max(abs(x), abs(y)))


def check_compiled(program, xs, rng: random.Random, n_samples: int = 5) -> str:
    """'' if compiled forward and forward+backward equal the eager path to 1e-12, else a message.

    The first half of the leaves are per-sample inputs (redrawn for each sample), the rest parameters.
    """
    leaves = [Value(x, label=f"v{i}") for i, x in enumerate(xs)]
    nodes = build_program(program, leaves)
    root = nodes[-1]
    k = max(1, len(leaves) // 2)
    inputs, params = leaves[:k], leaves[k:]
    rows = [tuple(rng.uniform(-2.0, 2.0) for _ in inputs) for _ in range(n_samples)]
    grad_program = compile_gradient(root, {"X": tuple(inputs)}, params)
    forward_program = compile_forward(root, {"X": tuple(inputs)}, params)
    values = [p.data for p in params]
    loss, grads = grad_program(rows, *values)
    outputs = forward_program(rows, *values)
    eager_loss, eager_grads, eager_out = 0.0, [0.0] * len(params), []
    for row in rows:
        for leaf, x in zip(inputs, row, strict=True):
            leaf.data = x
        recompute(root)
        root.backward()
        eager_out.append(root.data)
        eager_loss += root.data
        eager_grads = [g + p.grad for g, p in zip(eager_grads, params, strict=True)]
    if not all(map(close, outputs, eager_out)):
        return f"forward differs: {outputs} vs {eager_out}"
    if not close(loss, eager_loss) or not all(map(close, grads, eager_grads)):
        return f"gradient differs: {loss}, {grads} vs {eager_loss}, {eager_grads}"
    return ""


def labelled_program(program, xs, rng: random.Random):
    """build_program over labelled leaves, with a random third of the operations labelled too; returns
    (root, inputs, params): the first leaves are per-sample inputs, the rest parameters."""
    leaves = [Value(x, label=f"v{i}") for i, x in enumerate(xs)]
    nodes = build_program(program, leaves)
    for k, node in enumerate(nodes[len(leaves):]):
        if rng.random() < 0.33:
            node.label = rng.choice(("h", "z", "loss", "d_v0", f"n{k}"))  # d_v0 collides with a gradient name
    k = rng.randint(0, len(leaves) - 1)
    return nodes[-1], leaves[:k], leaves[k:]


def _mentions(line: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", line) is not None


def check_code_map(root, inputs, params) -> str:
    """'' if Program.nodes of both compiled programs is a true map of their source, else a message.

    Every node is mapped; every mapped line exists and names the mapped variable; a node's value is made
    before (or, inlined, in) the line of each node that uses it; a gradient with a line of its own is made
    after the gradient lines of every node that uses it, an inlined one in theirs; gradients exist exactly
    for the nodes that depend on a parameter.
    """
    order = topological_order(root)
    varying = {id(p) for p in params}
    for node in order:
        if any(id(p) in varying for p in node.parents):
            varying.add(id(node))
    users = {id(n): [] for n in order}
    for node in order:
        for parent in node.parents:
            users[id(parent)].append(node)
    columns = {"X": tuple(inputs)} if inputs else {}  # no inputs: the code runs once, as in the lesson's graph
    for program in (compile_gradient(root, columns, params), compile_forward(root, columns, params)):
        lines = ["", *program.source.splitlines()]  # 1-based
        code = program.nodes
        if set(code) != {id(n) for n in order}:
            return f"{program.name}: {len(code)} nodes mapped, the graph has {len(order)}"
        gradient = program.name == "train_step"
        for node in order:
            c = code[id(node)]
            where = f"{program.name} {node.op or 'leaf'} {c}"
            if not node.parents and not any(node is leaf for leaf in (*inputs, *params)):
                if c != (c.name, None, "", ()) or c.name:
                    return f"{where}: a constant has no variable and no lines"
                continue
            if not 1 <= c.forward < len(lines) or any(not 1 <= k < len(lines) for k in c.gradient):
                return f"{where}: a line out of range"
            if c.name and not _mentions(lines[c.forward], c.name):
                return f"{where}: line {c.forward} does not name {c.name}"
            if node.parents and c.name and not lines[c.forward].strip().startswith(f"{c.name} = "):
                return f"{where}: line {c.forward} does not assign {c.name}"
            if node.parents and c.forward not in program.forward_lines:
                return f"{where}: outside the forward lines {program.forward_lines}"
            for parent in node.parents:
                p = code[id(parent)]
                if p.forward is not None and not (p.forward < c.forward if p.name else p.forward == c.forward):
                    return f"{where}: its input's value {p} is not made before it"
            if bool(c.gradient) != (gradient and id(node) in varying):
                return f"{where}: gradient lines {c.gradient}, but depends on a parameter: {id(node) in varying}"
            if c.gradient != tuple(sorted(set(c.gradient))):
                return f"{where}: gradient lines not in source order"
            if c.grad:
                (k,) = c.gradient
                if not re.match(rf"{re.escape(c.grad)} [-+]?= ", lines[k].strip()):
                    return f"{where}: line {k} does not make {c.grad}"
                if k not in program.backward_lines:
                    return f"{where}: outside the backward lines {program.backward_lines}"
            for user in users[id(node)]:
                u = code[id(user)]
                if c.gradient and u.grad and not u.gradient[0] < c.gradient[0]:
                    return f"{where}: made before its user's gradient {u}"
                if c.gradient and not u.grad and not set(c.gradient) <= set(u.gradient):
                    return f"{where}: its user's inlined gradient {u} is not in its lines"
        if not gradient and (program.backward_lines or any(c.grad or c.gradient for c in code.values())):
            return f"{program.name}: a forward program has no gradient lines"
    return ""


def check_jvp(program, xs, rng: random.Random, n_directions: int = 3) -> str:
    """'' if jvp along random tangents equals the reverse-mode gradient dotted with them, else a message.

    Also checks that jvp leaves each node's value as a forward pass makes it, and that it works from leaves
    whose values changed since the graph was built (it refreshes values as it goes).
    """
    leaves = [Value(x) for x in xs]
    nodes = build_program(program, leaves)
    root = nodes[-1]
    root.backward()
    grads = [leaf.grad for leaf in leaves]
    if not all(math.isfinite(g) for g in grads) or not math.isfinite(root.data):
        return ""  # an inf or nan gradient has no meaningful dot product
    values = [n.data for n in nodes]
    for _ in range(n_directions):
        tangents = [rng.uniform(-1.0, 1.0) for _ in leaves]
        # Only some leaves get a tangent; the rest count as 0.
        chosen = {leaf: t for leaf, t in zip(leaves, tangents, strict=True) if rng.random() < 0.7}
        expected = math.fsum(leaf.grad * t for leaf, t in chosen.items())
        scale = math.fsum(abs(leaf.grad * t) for leaf, t in chosen.items())
        got = jvp(root, chosen)
        if not abs(got - expected) <= 1e-10 * (1.0 + scale):
            return f"jvp {got} != grad·tangent {expected} for {program} at {xs}"
    if any(not same(n.data, v) for n, v in zip(nodes, values, strict=True)):
        return "jvp changed a node's value"
    one_hot = jvp(root, {leaves[0]: 1.0})
    if not close(one_hot, leaves[0].grad, 1e-10):
        return f"jvp along the first leaf {one_hot} != its gradient {leaves[0].grad}"
    leaves[0].data += 0.25  # a moved leaf: jvp must use the new values, as recompute + backward do
    moved = jvp(root, {leaves[0]: 1.0})
    recompute(root)
    root.backward()
    if not close(moved, leaves[0].grad, 1e-10):
        return f"after moving a leaf, jvp {moved} != gradient {leaves[0].grad}"
    return ""


def check_tally(program, xs) -> str:
    """'' if recompute, backward and jvp each count their rule applications as documented, else a message."""
    leaves = [Value(x) for x in xs]
    root = build_program(program, leaves)[-1]
    operations = sum(1 for node in topological_order(root) if node.parents)
    tally = Tally()
    recompute(root, tally)
    if (tally.passes, tally.rules) != (1, operations):
        return f"recompute counted {tally}, the graph has {operations} operations"
    backward(root, tally)
    if (tally.passes, tally.rules) != (2, 2 * operations):
        return f"recompute + backward counted {tally} for {operations} operations"
    jvp(root, {leaves[0]: 1.0}, tally)
    if (tally.passes, tally.rules) != (3, 4 * operations):
        return f"recompute + backward + jvp counted {tally} for {operations} operations"
    return ""


def check_jvp_refuses_inner_tangents() -> str:
    """'' if jvp refuses a tangent on a node that is not a leaf (it would be overwritten), else a message."""
    x = Value(1.0)
    y = x.sin()
    try:
        jvp(y * y, {y: 1.0})
    except ValueError:
        return ""
    return "jvp accepted a tangent on an inner node"


def check_deep_chain(n: int = 100_000) -> str:
    """'' if an n-node unary chain runs forward, backward, backward_steps and release, else a message."""
    x = Value(0.5)
    v = x
    for _ in range(n):
        v = v.sin()
    v.backward()
    expected = 1.0
    node = v
    while node.parents:
        expected *= math.cos(node.parents[0].data)
        node = node.parents[0]
    if not close(x.grad, expected, 1e-9):
        return f"chain gradient {x.grad} != {expected}"
    if len(backward_steps(v)) != n:
        return "wrong number of steps"
    tally = Tally()
    forward = jvp(v, {x: 1.0}, tally)
    if not close(forward, expected, 1e-9) or tally.rules != 2 * n:
        return f"chain jvp {forward} != {expected}, or {tally} for {n} nodes"
    release(v)
    del v
    return ""


def check_training() -> str:
    """'' if a 2-4-1 net's bce loss on XOR falls below 0.1 within 500 epochs, else a message."""
    from engine.data import xor
    from engine.nn import MLP
    from engine.train import Trainer

    X, Y = xor()
    trainer = Trainer(MLP(2, [4], 1, seed=0), X, Y, lr=0.5, loss="bce")
    first = trainer.step()
    last = trainer.run(499)
    if not (last < 0.1 < first) or trainer.diverged:
        return f"XOR loss went {first} -> {last}"
    probabilities = trainer.predict(X)
    if sum((p > 0.5) == (y == 1.0) for p, y in zip(probabilities, Y, strict=True)) != len(Y):
        return "XOR not fitted"
    return ""


def run_all(seed: int = 0, n_programs: int = 60) -> dict:
    """Every check once; returns counts and failure messages (used inside Pyodide)."""
    failures = []
    rule_points_checked = 0
    for op in RULES:
        count, worst = check_rule(op)
        rule_points_checked += count
        if worst > 1.0:
            failures.append(f"rule {op}: finite-difference error ratio {worst:.3g}")
    failures += [m for m in map(check_edge, EDGE_CASES) if m]
    rng = random.Random(seed)
    for _ in range(n_programs):
        program, xs = random_program(rng)
        if well_conditioned(program, xs) and program_grads_fd(program, xs) > 1.0:
            failures.append(f"random DAG gradient off: {program} at {xs}")
        failures += [m for m in (check_replay(build_program(program, map(Value, xs))[-1]),
                                 check_compiled(program, xs, rng),
                                 check_code_map(*labelled_program(program, xs, rng)),
                                 check_jvp(program, xs, rng),
                                 check_tally(program, xs)) if m]
    failures += [m for m in (check_jvp_refuses_inner_tangents(), check_deep_chain(), check_training()) if m]
    return {"rules": len(RULES), "rule_points": rule_points_checked, "edge_cases": len(EDGE_CASES),
            "programs": n_programs, "failures": failures}
