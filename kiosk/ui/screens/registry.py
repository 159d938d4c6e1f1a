"""Maps the `type:` of a screen in content.yaml to the widget that shows it.

Adding a screen type: one module in this folder, one model class, one line here.
"""

from __future__ import annotations

from kiosk.ui.screens.attract import AttractScreenWidget
from kiosk.ui.screens.base import ScreenContext, ScreenWidget
from kiosk.ui.screens.chart import ChartScreenWidget
from kiosk.ui.screens.coalition import CoalitionScreenWidget
from kiosk.ui.screens.facts import FactsScreenWidget
from kiosk.ui.screens.flow import FlowScreenWidget
from kiosk.ui.screens.storage import StorageScreenWidget
from kiosk.ui.screens.technologies import TechnologiesScreenWidget

SCREEN_TYPES: dict[str, type[ScreenWidget]] = {
    "attract": AttractScreenWidget,
    "facts": FactsScreenWidget,
    "flow": FlowScreenWidget,
    "storage": StorageScreenWidget,
    "technologies": TechnologiesScreenWidget,
    "coalition": CoalitionScreenWidget,
    "chart": ChartScreenWidget,
}


def make_screen(model, ctx: ScreenContext) -> ScreenWidget:
    return SCREEN_TYPES[model.type](model, ctx)
