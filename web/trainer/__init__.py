"""The live trainer: a 2 → 4 tanh → 1 sigmoid network learning XOR or two moons by full-batch gradient descent.

Read it in this order:
- state.py     the settings on one table of fields (parse, snap, default, in the link), and the added points
- run.py       the network and its compiled engine Trainer: epochs, the engine's loss, the last runs' curves
- clock.py     the frame budget: how long training may run per animation frame
- view.py      pure views of values, and the one Memo cache
- widget.py    TrainerWidget: events and frames, making the run agree with the settings
- heatmap.py, linechart.py, netview.py: the boundary and hidden-unit pixels, the loss chart, the weights diagram
"""

from web.trainer.state import MAX_ADDED, points_text
from web.trainer.widget import TrainerWidget

__all__ = ["MAX_ADDED", "TrainerWidget", "points_text"]  # what the rest of the page (and test_share) uses
