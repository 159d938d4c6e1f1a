"""Maps the `type:` of a screen in content.yaml to the widget that shows it.

Adding a screen type: one module in this folder, one model class, one line here. Modules are
imported when a screen of their type is first built, so the chart's pyqtgraph import does not
delay the kiosk's first frame.
"""

from __future__ import annotations

from importlib import import_module

from kiosk.ui.screens.base import ScreenContext, ScreenWidget

SCREEN_TYPES: dict[str, str] = {
    "attract": "kiosk.ui.screens.attract:AttractScreenWidget",
    "facts": "kiosk.ui.screens.facts:FactsScreenWidget",
    "flow": "kiosk.ui.screens.flow:FlowScreenWidget",
    "storage": "kiosk.ui.screens.storage:StorageScreenWidget",
    "technologies": "kiosk.ui.screens.technologies:TechnologiesScreenWidget",
    "coalition": "kiosk.ui.screens.coalition:CoalitionScreenWidget",
    "chart": "kiosk.ui.screens.chart:ChartScreenWidget",
    "bathtub": "kiosk.ui.screens.bathtub:BathtubScreenWidget",
    "removal_mix": "kiosk.ui.screens.removal_mix:RemovalMixScreenWidget",
}


def screen_class(type_name: str) -> type[ScreenWidget]:
    module, _, name = SCREEN_TYPES[type_name].partition(":")
    return getattr(import_module(module), name)


def make_screen(model, ctx: ScreenContext) -> ScreenWidget:
    return screen_class(model.type)(model, ctx)
