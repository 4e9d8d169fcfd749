"""The live trainer: a 2 → k → 1 sigmoid network (k from 1 to 8; tanh, sigmoid or ReLU units) learning XOR or two
moons by full-batch gradient descent, with its gradients on show.

Read it in this order, as web/graph/:
- state.py      the settings on one table of fields (read, check, default, in the link), and the added points
- update.py     TrainerState and update(state, event) -> state: what every click, key and control does
- run.py        the Run that follows the state: the compiled engine Trainer, its epochs and losses, past curves
- gradients.py  parameter names, one point's chain of local derivatives, dead units, Show in the graph's expression
- clock.py      the frame budget: how long training may run per animation frame
- view.py       pure views of values, and the one Memo cache; netview.py, panel.py, heatmap.py, linechart.py: the
                network and its buttons, the weight panel, the boundary and hidden-unit pixels, the loss chart
- widget.py     TrainerWidget: hands events to update, lets the run follow, trains in frames, paints
"""

from web.trainer.state import MAX_ADDED, points_text
from web.trainer.widget import TrainerWidget

__all__ = ["MAX_ADDED", "TrainerWidget", "points_text"]  # what the rest of the page (and test_share) uses
