"""A computation graph drawn for a learner, shared by the widgets that draw one (the Computation graph and the
practice graphs of "Your turn"): `diagram` (a graph of engine Values, named and indexed), `geometry` (where each
node, edge and label goes), `player` (the backward pass's clock), `words` (edge labels and the picture in words)
and `svg` (the drawing). No widget state lives here: a widget imports these, never another widget."""
