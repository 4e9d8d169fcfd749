"""The page's entry point: which widgets exist and how the browser starts them."""

from __future__ import annotations

from web.chain import ChainWidget
from web.cost import CostWidget
from web.descent import DescentWidget
from web.graph import GraphWidget
from web.practice import PracticeWidget
from web.trainer import TrainerWidget
from web.widget import Widget

# key -> constructor of the widget in its initial state; build.py pre-renders each into its mount point.
FACTORIES: dict[str, type[Widget]] = {
    ChainWidget.key: ChainWidget,
    GraphWidget.key: GraphWidget,
    PracticeWidget.key: PracticeWidget,
    TrainerWidget.key: TrainerWidget,
    CostWidget.key: CostWidget,
    DescentWidget.key: DescentWidget,
}


def make_widgets() -> list[Widget]:
    """Fresh widgets in their initial state, in page order."""
    return [factory() for factory in FACTORIES.values()]


def main() -> None:
    """Mount every widget on the page (called by boot.js once the wheel is installed)."""
    from web import dom  # only importable in the browser

    page = dom.Page(make_widgets(), FACTORIES)
    page.start()
    global PAGE
    PAGE = page  # keep the page (and its proxies) alive for the lifetime of the document


PAGE = None
