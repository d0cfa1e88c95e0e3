"""Moved to `hub_widgets.ui.base` (the `HubWidget` base); kept so that older imports keep working."""

from hub_widgets.ui.base import ClosesItsWork, HubWidget

__all__ = ["ClosesItsWork", "HubWidget"]
