"""Trace a Value graph once into straight-line Python: a forward-only and a forward + backward function.

The generated function loops over the samples itself: one line per kept node forward (and one before it for a
value its rule shares between forward and backward, as bce_with_logits shares e^−|z|), one accumulation per
edge backward, single-use unnamed temporaries inlined, variables named after node labels. It is the backward
pass written out, so `Program.source` is shown in the lesson as well as run, and `Program.nodes` says, for every
node of the traced graph, which variable and which lines of that source are its own (written down while the
code is generated, so a viewer never has to parse the source back to find them).

The fast code uses Python's own operators and `math`, which raise on overflow, log(0) or division by zero.
When that happens the call is rerun through a second, plainer program that calls the rule table's IEEE
functions, so results match the eager `Value` path (inf/nan, never an exception).
"""

import keyword
import math
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from engine.graph import topological_order
from engine.rules import ADD, ATOM, CODE_NAMESPACE, MUL, NEG, RULES, number, precedence

# What the fast code raises where IEEE arithmetic would give inf or nan (overflow, log(0), x / 0).
FALLBACK_ERRORS = (ArithmeticError, ValueError)


class NodeCode(NamedTuple):
    """Where one graph node is in a Program's source; line numbers are 1-based, as in a traceback.

    - name: the variable that holds its value: an argument, a loop variable or an assigned name. '' for a
      constant leaf (its number is written where it is used) and for an inlined temporary (its expression is).
    - forward: the line its value comes from: line 1 (the def) for a parameter, the `for` line for a per-sample
      input, its assignment for an operation with a name, the line its expression is pasted into for an inlined
      temporary; None for a constant.
    - grad: the variable that holds ∂root/∂node in a gradient program: d_<name> for every parameter, and for
      the operations whose gradient gets a line of its own (labelled ones, or those with several parents to
      feed); else ''.
    - gradient: the lines where its gradient is made, in source order. With a variable of its own, that one
      line (`d_w += ...` for a parameter, `d_z = ...` for an operation). Otherwise the gradient is inlined: its
      expression (or a folded constant, as the root's 1.0) is pasted into each contribution to the node's
      parents, so these are its parents' gradient lines, followed up as far as they are inlined too. Empty
      for a node that depends on no parameter (the code computes no gradient for it) and in forward programs.
    """

    name: str
    forward: int | None
    grad: str = ""
    gradient: tuple[int, ...] = ()


class Program:
    """One generated function; call it like the function its `source` defines.

    `nodes` maps id(node) -> NodeCode for every node of the traced graph (ids: the graph stays the caller's,
    a Program does not keep it alive). `forward_lines` are the lines of the forward pass (one per kept node,
    then the line that adds the root to loss_sum or appends it to the output), `backward_lines` those of the
    backward pass (empty for compile_forward). All refer to `source`, not to the IEEE fallback's code.
    """

    def __init__(self, name: str, source: str, fn, make_safe, nodes: dict[int, NodeCode] | None = None,
                 forward_lines: range = range(0), backward_lines: range = range(0)):
        self.name = name
        self.source = source        # the readable fast code, for the lesson's "Show code"
        self.fn = fn                # the compiled fast function
        self.nodes = nodes or {}
        self.forward_lines, self.backward_lines = forward_lines, backward_lines
        self._make_safe = make_safe
        self._safe = None

    def where(self, node) -> NodeCode:
        """The variable and source lines of one node of the traced graph."""
        return self.nodes[id(node)]

    def __call__(self, *args):
        try:
            return self.fn(*args)
        except FALLBACK_ERRORS:
            return self.safe(*args)

    def safe(self, *args):
        """Run the IEEE version (compiled on first use): for when the fast code raised."""
        if self._safe is None:
            self._safe = self._make_safe()
        return self._safe(*args)


def compile_forward(output, inputs: Mapping, params: Sequence, name: str = "predict") -> Program:
    """Compile `name(*columns, *param_values) -> [output for each sample]`.

    `inputs` maps each data argument name to the leaf (or tuple of leaves) one item of that column holds,
    e.g. {"X": (x1, x2)}; `params` are the leaves passed as numbers after the columns. Other leaves are
    constants, baked in with their current .data.
    """
    return _build(output, inputs, params, name, gradient=False)


def compile_gradient(loss, inputs: Mapping, params: Sequence, name: str = "train_step") -> Program:
    """Compile `name(*columns, *param_values) -> (sum of loss, [sum of ∂loss/∂param for each param])`."""
    return _build(loss, inputs, params, name, gradient=True)


def _build(root, inputs, params, name, gradient):
    plan = _Plan(root, inputs, params, name, gradient)
    source, code_map = plan.source(safe=False)
    # Written now, while the graph is as traced; compiled only if the fast code ever raises.
    safe_source, _ = plan.source(safe=True)
    return Program(name, source, _exec(source, name, safe=False), lambda: _exec(safe_source, name, safe=True),
                   *code_map)


def _exec(source: str, name: str, safe: bool):
    namespace = dict(CODE_NAMESPACE)
    if safe:
        for rule in RULES.values():
            namespace[f"F_{rule.op}"] = rule.forward
            namespace[f"D_{rule.op}"] = rule.local
    exec(compile(source, f"<engine.compile {name}>", "exec"), namespace)
    return namespace[name]


class Namer:
    """Unique Python identifiers from node labels: the one namer of generated code (the compiler's, and the lines
    the Computation graph's "Show code" writes), so a variable has one name in both.

    A label that is a fresh ASCII identifier is kept; otherwise it is spelled as one (y* as y_star, x' as
    x_prime) and, if that is taken (a keyword, a name generated code calls, one in `reserved`, or an earlier
    node's), numbered: max becomes max_2.
    """

    def __init__(self, reserved=()):
        self.used = set(reserved) | set(keyword.kwlist) | {"zip", "out", "append", "loss_sum"}
        self.used |= {f"{kind}_{op}" for kind in "FD" for op in RULES}  # the IEEE fallback's names
        self.counts = {}

    def fresh(self, label: str, fallback: str) -> str:
        """A new name from label, or fallback1, fallback2, ... for unlabelled nodes."""
        if label.isidentifier() and label.isascii() and label not in self.used:
            self.used.add(label)
            return label
        base = re.sub(r"\W", "_", label.replace("*", "_star").replace("'", "_prime"), flags=re.ASCII)
        base = re.sub(r"_+", "_", base).strip("_")
        if base and base[0].isdigit():
            base = "v" + base
        if base and base not in self.used:
            self.used.add(base)
            return base
        # unlabelled nodes count up from 1 (sub1, sub2); a repeated label gets _2, _3
        base, sep, count = (base, "_", 1) if base else (fallback, "", 0)
        count = max(count, self.counts.get((base, sep), 0))
        candidate = base if sep else ""
        while not candidate or candidate in self.used:
            count += 1
            candidate = f"{base}{sep}{count}"
        self.counts[(base, sep)] = count
        self.used.add(candidate)
        return candidate


class _Plan:
    """Which nodes get a variable, what each is called, which edges the backward pass needs."""

    def __init__(self, root, inputs, params, name, gradient):
        self.root, self.name, self.gradient = root, name, gradient
        self.order = topological_order(root)
        # (argument name, leaves of one item, whether an item is a tuple)
        self.columns = [(col, tuple(v), True) if isinstance(v, Sequence) else (col, (v,), False)
                        for col, v in inputs.items()]
        self.params = list(params)
        bad = [col for col, _, _ in self.columns if not col.isidentifier() or keyword.iskeyword(col)]
        if bad:
            raise ValueError(f"input names must be Python identifiers, not {bad[0]!r}")
        leaves = [v for _, vs, _ in self.columns for v in vs] + self.params
        if any(leaf.parents for leaf in leaves):
            raise ValueError("inputs and params must be leaves")
        if len({id(leaf) for leaf in leaves}) != len(leaves):
            raise ValueError("a leaf may appear only once among inputs and params")
        self.namer = Namer(set(CODE_NAMESPACE) | {name} | {col for col, _, _ in self.columns})
        self.names = {}
        for leaf in leaves:
            self.names[id(leaf)] = self.namer.fresh(leaf.label, "v")
        self.param_ids = {id(p) for p in self.params}
        self.gnames = {id(p): self.namer.fresh("d_" + self.names[id(p)], "d") for p in self.params}
        self.needs_grad = set(self.param_ids)
        if gradient:
            for node in self.order:
                if any(id(p) in self.needs_grad for p in node.parents):
                    self.needs_grad.add(id(node))
        # An edge is emitted backward only if its parent needs a gradient.
        self.edges = {id(n): [i for i, p in enumerate(n.parents) if id(p) in self.needs_grad]
                      for n in self.order if gradient and id(n) in self.needs_grad and n.parents}
        self.templates = {id(n): RULES[n.op].templates(n.arg) for n in self.order if n.parents}
        self.shared = {}  # id -> variable of a node's shared value (see rules.Rule.shared), named when written
        uses = {}
        referenced = set()
        for node in self.order:
            for parent in node.parents:
                uses[id(parent)] = uses.get(id(parent), 0) + 1
            if node.parents:
                code, dcode = self.templates[id(node)]
                # An input the forward code pastes twice (its shared value counts) gets a variable, computed once.
                pasted = code + RULES[node.op].shared
                for key, value in (("{a}", node.parents[0]), ("{b}", node.parents[-1])):
                    if pasted.count(key) > 1:
                        referenced.add(id(value))
                for i in self.edges.get(id(node), ()):
                    for key, value in (("{a}", node.parents[0]), ("{b}", node.parents[-1]), ("{y}", node)):
                        if key in dcode[i]:
                            referenced.add(id(value))
        # Keep a variable for the root, labelled nodes, shared nodes and nodes the backward pass reads.
        self.kept = {id(n) for n in self.order if n.parents and (
            n is root or n.label or uses.get(id(n), 0) > 1 or id(n) in referenced)}

    def _shared(self, node) -> str:
        """The variable that holds a node's shared value ({e} in its rule's templates), or '' if it has none."""
        key = id(node)
        if key not in self.shared and RULES[node.op].shared:
            self.shared[key] = self.namer.fresh("e", "e")
        return self.shared.get(key, "")

    def _var(self, node) -> str:
        key = id(node)
        if key not in self.names:
            self.names[key] = self.namer.fresh(node.label, node.op or "c")
        return self.names[key]

    def _gvar(self, node) -> str:
        key = id(node)
        if key not in self.gnames:
            self.gnames[key] = self.namer.fresh("d_" + self._var(node), "d")
        return self.gnames[key]

    def source(self, safe: bool):
        """The generated module text, and where each node went in it: (nodes, forward lines, backward lines).

        `safe` calls the rule table's IEEE functions and inlines nothing; its text is never shown, so its map
        is left empty.
        """
        kept = self.kept if not safe else {id(n) for n in self.order if n.parents}
        exprs = {}  # id -> (text, precedence) of how the node's value is spelled
        host = {}   # id of an inlined node -> the node whose expression it is pasted into

        def ref(node):
            if id(node) in exprs:
                return exprs[id(node)]
            if id(node) in self.names or node.parents:
                return self._var(node), ATOM
            text = number(node.data)  # a constant leaf
            return text, ATOM

        def fill(template, slots, node):
            parts = {}
            for key, parent, slot in zip("ab", node.parents, slots, strict=False):
                text, prec = ref(parent)
                parts[key] = f"({text})" if prec < slot else text
                if id(parent) in exprs:
                    host[id(parent)] = node
            parts.setdefault("b", "0.0")
            parts["y"] = self._var(node) if "{y}" in template else ""
            parts["n"] = "None" if node.arg is None else number(node.arg)
            parts["e"] = self._shared(node) if "{e}" in template else ""
            return template.format(**parts)

        forward = []
        assigned = {}  # id -> index in forward of a kept node's line
        for node in self.order:
            if not node.parents:
                continue
            rule = RULES[node.op]
            if safe:
                text = fill(f"F_{node.op}({{a}}, {{b}}, {{n}})", (0, 0), node)
                prec = ATOM
            else:
                code, _ = self.templates[id(node)]
                if rule.shared:  # its own line, before the node's: the backward pass reads it too
                    forward.append(f"{self._shared(node)} = {fill(rule.shared, rule.slots, node)}")
                text, prec = fill(code, rule.slots, node), precedence(code)
            if id(node) in kept:
                assigned[id(node)] = len(forward)
                forward.append(f"{self._var(node)} = {text}")
            else:
                exprs[id(node)] = (text, prec)
        result = ref(self.root)[0]

        params = ", ".join(self.names[id(p)] for p in self.params)
        args = ", ".join([col for col, _, _ in self.columns] + ([params] if params else []))
        lines = [f"def {self.name}({args}):"]
        if self.gradient:
            lines += [f"    {self.gnames[id(p)]} = 0.0" for p in self.params] + ["    loss_sum = 0.0"]
        else:
            lines += ["    out = []", "    append = out.append"]
        body = "    "
        loop_line = None
        if self.columns:  # with no per-sample inputs the body runs once
            lines.append(f"    for {self._loop_target()}:")
            body = "        "
            loop_line = len(lines)
        forward_from = len(lines) + 1
        lines += [body + line for line in forward]
        backward, own = [], {}
        if self.gradient:
            lines.append(f"{body}loss_sum += {result}")
            backward, own = self._backward(safe)
        else:
            lines.append(f"{body}append({result})")
        backward_from = len(lines) + 1
        lines += [body + line for line in backward]
        if self.gradient:
            grads = ", ".join(self.gnames[id(p)] for p in self.params)
            lines.append(f"    return loss_sum, [{grads}]")
        else:
            lines.append("    return out")
        text = "\n".join(lines) + "\n"
        if safe:
            return text, ({}, range(0), range(0))
        nodes = self._code_map({key: forward_from + k for key, k in assigned.items()}, host, loop_line,
                               {key: backward_from + k for key, k in own.items()})
        return text, (nodes, range(forward_from, backward_from), range(backward_from, backward_from + len(backward)))

    def _code_map(self, assigned, host, loop_line, own) -> dict:
        """NodeCode for every node (see there), from the line numbers of each kept node's assignment
        (`assigned`) and of each gradient that has a variable (`own`), both by id."""
        forward = dict(assigned)
        forward.update((id(p), 1) for p in self.params)
        forward.update((id(v), loop_line) for _, leaves, _ in self.columns for v in leaves)
        for key, user in reversed(host.items()):  # users last first, so an inlined user already has its line
            forward[key] = forward[id(user)]
        gradient = {key: (k,) for key, k in own.items()}
        for node in self.order:  # parents first: an inlined gradient takes its parents' lines
            key = id(node)
            if key not in own and key in self.edges:
                lines = set()
                for i in self.edges[key]:
                    lines.update(gradient.get(id(node.parents[i]), ()))
                gradient[key] = tuple(sorted(lines))
        nodes = {}
        for node in self.order:
            key = id(node)
            named = key in forward and key not in host  # not a constant, not an inlined temporary
            nodes[key] = NodeCode(self.names[key] if named else "", forward.get(key),
                                  self.gnames[key] if key in own else "", gradient.get(key, ()))
        return nodes

    def _loop_target(self) -> str:
        def target(leaves, is_tuple, nested):
            names = ", ".join(self.names[id(v)] for v in leaves)
            if not leaves:  # a column of empty tuples: `for () in X` unpacks each into nothing
                return "()"
            if is_tuple and len(leaves) == 1:
                return f"({names},)"
            return f"({names})" if nested and len(leaves) > 1 else names

        if len(self.columns) == 1:
            col, leaves, is_tuple = self.columns[0]
            return f"{target(leaves, is_tuple, False)} in {col}"
        targets = ", ".join(target(leaves, is_tuple, True) for _, leaves, is_tuple in self.columns)
        return f"{targets} in zip({', '.join(col for col, _, _ in self.columns)})"

    def _backward(self, safe: bool) -> tuple[list[str], dict[int, int]]:
        """One line per gradient kept; each edge's contribution is upstream * local, signs folded.

        Also returns which of those lines is each node's own: id -> index, for the parameters and for the
        operations whose gradient gets a variable.
        """
        lines = []
        own = {}
        contributions = {}   # id -> list of _Term
        for node in reversed(self.order):
            key = id(node)
            if key not in self.needs_grad and node is not self.root:
                continue
            seed = [_Term("1.0", ATOM, 1.0)] if node is self.root else [_Term("0.0", ATOM, 0.0)]
            grad = _sum(contributions.get(key, seed))
            if not node.parents:
                if key in self.param_ids:
                    own[key] = len(lines)
                    lines.append(f"{self.gnames[key]} {'-=' if grad.neg else '+='} {grad.text}")
                continue
            edges = self.edges.get(key, [])
            if grad.const is None and grad.prec < ATOM and (node.label or len(edges) > 1):
                name = self._gvar(node)
                own[key] = len(lines)
                lines.append(f"{name} = {_signed(grad).text}")
                grad = _Term(name, ATOM)
            _, dcode = self.templates[key]
            for i in edges:
                if safe:
                    b = "{b}" if len(node.parents) > 1 else "0.0"
                    template = f"D_{node.op}({{a}}, {b}, {{y}}, {{n}})[{i}]"
                else:
                    template = dcode[i]
                local = self._local(template, node)
                contributions.setdefault(id(node.parents[i]), []).append(_mul(grad, local))
        return lines, own

    def _local(self, template: str, node):
        """A local derivative as a _Term; every node it names is a kept variable or a literal."""
        if template in ("1.0", "-1.0"):
            return _Term("1.0", ATOM, float(template), template == "-1.0")
        neg = template.startswith("-") and precedence(template[1:]) >= MUL
        if neg:  # -y / b is -(y / b) exactly: carry the sign, it may cancel another
            template = template[1:]
        parents = node.parents

        def spell(value):
            return self._var(value) if (value.parents or id(value) in self.names) else number(value.data)

        text = template.format(a=spell(parents[0]), b=spell(parents[-1]), y=self._var(node) if "{y}" in
                               template else "", n="None" if node.arg is None else number(node.arg),
                               e=self._shared(node) if "{e}" in template else "")
        return _Term(text, precedence(template), None, neg)


class _Term(NamedTuple):
    """An expression in the backward pass; its value is -text when neg (sign flips are exact in IEEE)."""

    text: str
    prec: int
    const: float | None = None  # the value (sign included) when it is a known constant
    neg: bool = False


def _signed(term: _Term) -> _Term:
    """The term with its sign written into the text."""
    if not term.neg:
        return term
    if term.const is not None:
        return _Term(number(term.const), ATOM, term.const)
    if term.prec >= MUL and not term.text.startswith("-"):
        return _Term("-" + term.text, MUL if term.prec == MUL else NEG)
    return _Term(f"-({term.text})", NEG)


def _mul(up: _Term, local: _Term) -> _Term:
    """upstream * local with ±1 folded away and signs carried (both exact in IEEE arithmetic)."""
    if up.const is not None and local.const is not None:
        c = up.const * local.const
        return _Term(number(c), ATOM, c)
    for one, other in ((up, local), (local, up)):
        if one.const == 1.0:
            return other
        if one.const == -1.0:
            return other._replace(neg=not other.neg)
    left = up.text if up.prec >= MUL else f"({up.text})"
    right = local.text if local.prec > MUL else f"({local.text})"
    return _Term(f"{left} * {right}", MUL, None, up.neg != local.neg)


def _sum(terms: list) -> _Term:
    """Contributions added in the order the eager backward adds them; a + (-b) is written a - b."""
    if len(terms) == 1:
        return terms[0]
    first = _signed(terms[0])
    text = first.text if first.prec >= ADD else f"({first.text})"
    for term in terms[1:]:
        body = term.text if term.prec > ADD else f"({term.text})"
        if term.const is not None:
            body, sign = number(abs(term.const)), term.const < 0 or math.copysign(1, term.const) < 0
        else:
            sign = term.neg
        text += (" - " if sign else " + ") + body
    return _Term(text, ADD)
