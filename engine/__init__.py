"""Pure-Python autodiff for the lesson: a real DAG of Values, reverse and forward mode from one rule table,
plus a compiler for speed."""

from engine.graph import Tally, backward, backward_steps, jvp, nonfinite, recompute, release, topological_order
from engine.value import Value

__all__ = ["Tally", "Value", "backward", "backward_steps", "jvp", "nonfinite", "recompute", "release",
           "topological_order"]
