"""A local Hugging Face Hub-compatible server (the sandbox Hub) for demos and tests.

`from hub_widgets.sandbox import SandboxHub` is cheap: the server modules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .hub import SandboxHub

__all__ = ["SandboxHub"]


def __getattr__(name: str) -> Any:
    if name == "SandboxHub":
        from .hub import SandboxHub

        return SandboxHub
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
