"""Show code: the backward pass as Python, two ways.

- Steps (the default): one line per step of the pass, in the order the animation plays it,
  `d_parent += d_child * local`, with the local derivative pasted from the rule table's code template. It is
  real Python: run after the forward values, it computes exactly the gradients the badges show.
- Optimized: what training runs, `engine.compile`'s generated forward + backward function, where each gradient
  is one summed line and pass-through gradients are inlined. Its `Program.nodes` says which lines hold each
  node's gradient, so a step's lines are looked up, never worked out from the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine import Value
from engine.compile import Namer, Program, compile_forward, compile_gradient
from engine.graph import Step
from engine.rules import ATOM, CODE_NAMESPACE, RULES, number, precedence
from web.dag.diagram import CONSTANT, Scene
from web.tree import El, h

GRADIENT_NAME = "forward_backward"


def code_names(scene: Scene) -> tuple[list[str], str]:
    """A Python name per node (a number literal for a constant) and the gradients' prefix (d_, or longer
    when a variable's name would clash with a gradient's). Names come from engine.compile's Namer, the one namer
    of generated code, so a variable is called the same in both codes; the pasted templates' names are reserved."""
    namer = Namer(CODE_NAMESPACE)
    names = [number(node.data) if kind == CONSTANT else namer.fresh(node.label or name, "v")
             for name, kind, node in zip(scene.names, scene.kinds, scene.order, strict=True)]
    taken = {n for n, kind in zip(names, scene.kinds, strict=True) if kind != CONSTANT}
    prefix = "d_"
    while any(prefix + n in taken for n in names):
        prefix = "d" + prefix
    return names, prefix


OWN = "your rule: "  # how web.graph.state.own_table marks a learner's rule in the table's formulas


def step_lines(scene: Scene, steps: Sequence[Step]) -> list[str]:
    """The pass as Python: a comment, the seed, then `d_parent += d_child * local` per step (line k + 2 is
    step k, 0-based). A step whose op runs the learner's rule pastes that rule, in this graph's names, and says so."""
    names, d = code_names(scene)
    lines = [f"# every {d}<name> starts at 0.0", f"{d}{names[scene.index(scene.root)]} = 1.0"]
    for step in steps:
        child = step.child
        parents = [names[scene.index(p)] for p in child.parents]
        out = names[scene.index(child)]
        human = scene.rules[child.op].human[step.index]
        comment = ""
        if isinstance(human, str) and human.startswith(OWN):
            text = human[len(OWN):].replace("{{", "{").replace("}}", "}")
            local = _renamed(text, {"x": parents[0], "y": parents[-1], "out": out,
                                    "n": number(child.arg) if child.arg is not None else "n"})
            comment = f"  # {OWN}{text}"
        else:
            _, dcode = RULES[child.op].templates(child.arg)
            local = dcode[step.index].format(a=parents[0], b=parents[1] if len(parents) > 1 else "", y=out)
        if precedence(local) < ATOM:
            local = f"({local})"
        lines.append(f"{d}{names[scene.index(step.parent)]} += {d}{names[scene.index(child)]} * {local}{comment}")
    return lines


def _renamed(text: str, names: dict[str, str]) -> str:
    """A rule's text (as the reader wrote it back: names, numbers, operators, calls) in this graph's names."""
    return re.sub(r"[A-Za-z_]\w*", lambda m: names.get(m[0], m[0]), text)


class Compiled:
    """The generated forward and forward+backward programs of one scene, and where each step's lines are."""

    def __init__(self, scene: Scene):
        self.params: list[Value] = [scene.node(s.name) for s in scene.diagram.sliders]
        root = scene.root
        self.gradient: Program = compile_gradient(root, {}, self.params, GRADIENT_NAME)
        self.forward: Program = compile_forward(root, {}, self.params, "forward")
        self.lines = self.gradient.source.rstrip("\n").split("\n")
        nodes = self.gradient.nodes.items()
        # Nodes whose gradient has a line of its own (d_x += ... for a variable, d_<name> = ... for an operation).
        self.own = {key for key, code in nodes if code.grad}
        # Nodes that depend on a variable: only their gradients are computed.
        self.varying = {key for key, code in nodes if code.gradient}

    def lines_for(self, step: Step) -> tuple[int, ...]:
        """The 0-based lines where a backward step's contribution is added (none for a node of constants)."""
        return tuple(k - 1 for k in self.gradient.where(step.parent).gradient)

    def part(self, k: int) -> str:
        """Which part of the function 0-based line k is: "fwd", "bwd" or "head" (def, set-up, return)."""
        if k + 1 in self.gradient.forward_lines:
            return "fwd"
        return "bwd" if k + 1 in self.gradient.backward_lines else "head"

    def values(self) -> list[float]:
        """The sliders' current values, in the programs' argument order."""
        return [p.data for p in self.params]

    def loss(self, values: Sequence[float]) -> float:
        """L at these variable values, through the generated forward pass."""
        return self.forward(*values)[0]

    def grads(self, values: Sequence[float]) -> list[float]:
        """∂L/∂variable at these values, through the generated backward pass."""
        return list(self.gradient(*values)[1])


def render_code(lines: Sequence[str], parts: Sequence[str], active: Sequence[int], label: str) -> El:
    """Code in a <pre><code> block, one span per line with its part's bar, the active lines lit."""
    rows = [h("span", {"class": f"code-line code-{part}" + (" code-active" if k in active else "")}, line + "\n")
            for k, (line, part) in enumerate(zip(lines, parts, strict=True))]
    return h("pre", {"class": "code-block", "tabindex": "0", "aria-label": label}, h("code", {}, *rows))
