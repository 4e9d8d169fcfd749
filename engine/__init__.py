"""Pure-Python reverse-mode autodiff for the lesson: a real DAG of Values plus a compiler for speed."""

from engine.graph import backward_steps, nonfinite, recompute, release, topological_order
from engine.value import Value

__all__ = ["Value", "backward_steps", "nonfinite", "recompute", "release", "topological_order"]
