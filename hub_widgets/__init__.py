"""Jupyter widgets for the Hugging Face Hub.

Public names are imported lazily so that ``import hub_widgets`` stays cheap: ipywidgets and the
widget modules load only when a widget is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "HubSession": "hub_widgets.session",
    "get_session": "hub_widgets.session",
    "describe_error": "hub_widgets.session",
    "HubWidgetsError": "hub_widgets.errors",
    "LoginWidget": "hub_widgets.login",
    "login": "hub_widgets.login",
    "PushPanel": "hub_widgets.push.panel",
    "RepoBrowser": "hub_widgets.browser.panel",
    "InferencePlayground": "hub_widgets.playground.panel",
    "ModelCardEditor": "hub_widgets.card",
    "HubSidebar": "hub_widgets.sidebar",
    "set_language": "hub_widgets._i18n",
}

__all__ = sorted(_LAZY)

if TYPE_CHECKING:  # pragma: no cover
    from hub_widgets._i18n import set_language
    from hub_widgets.browser.panel import RepoBrowser
    from hub_widgets.card import ModelCardEditor
    from hub_widgets.errors import HubWidgetsError
    from hub_widgets.login import LoginWidget, login
    from hub_widgets.playground.panel import InferencePlayground
    from hub_widgets.push.panel import PushPanel
    from hub_widgets.session import HubSession, describe_error, get_session
    from hub_widgets.sidebar import HubSidebar


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'hub_widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
