"""What a drawn DAG says about itself: an edge's local derivative in the lesson's notation, its label, and the
picture in words for screen readers. Shared by every widget that draws a graph (web.dag.svg)."""

from __future__ import annotations

from engine.graph import Step
from engine.rules import local_formula
from web.dag.diagram import Scene
from web.format import fixed, parse_number

LABEL_CHARS = 30  # a label longer than this breaks before its value


def formula(scene: Scene, step: Step) -> str:
    """The step's local derivative as the lesson writes it, in this scene's names."""
    return local_formula(step.child, step.index, scene.name_of, scene.rules)


def edge_label_lines(scene: Scene, step: Step, value: str, split: bool = False) -> list[str]:
    """The active edge's label, ∂child/∂parent = formula = value (a bare number is not repeated): one line,
    or two when it is long or `split` (a narrow drawing)."""
    text = formula(scene, step)
    name = f"∂{scene.name_of(step.child)}/∂{scene.name_of(step.parent)} = {text}"
    if parse_number(text) is not None:
        return [name]
    line = f"{name} = {value}"
    return [line] if len(line) <= LABEL_CHARS and not split else [name, f"= {value}"]


def tag_lines(scene: Scene, step: Step, value: str) -> list[str]:
    """An edge's local derivative kept on the drawing beside its edge: its value (a constant as the rule writes it),
    short so that every edge's fits; the formula is in the edge's own label and the step's explanation."""
    text = formula(scene, step)
    return [text] if parse_number(text) is not None else [value]


def describe(scene: Scene, grads: list[float | None], horizontal: bool, kept: list[str] | None = None) -> str:
    """The picture in words, for the SVG's <desc> (with the local derivatives kept on the edges, if any)."""
    values = "; ".join(f"{cap} = {fixed(node.data, 4)}" for cap, node in zip(scene.captions, scene.order,
                                                                              strict=True))
    where = "on the left" if horizontal else "at the top"
    text = (f"{len(scene.order)} nodes and {len(scene.edges)} edges, inputs {where}, arrows pointing towards "
            f"{scene.name_of(scene.root)}. Forward values: {values}.")
    known = [f"{scene.names[k]} {fixed(g, 4)}" for k, g in enumerate(grads) if g is not None]
    if known:
        text += " Gradients so far: " + ", ".join(known) + "."
    if kept:
        text += " Local derivatives on the edges: " + "; ".join(kept) + "."
    return text
