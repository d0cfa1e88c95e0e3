"""Model and dataset cards: the `ModelCardEditor` widget and the pure pieces it is built from.

- `hub_data`: license ids and standard sections the Hub knows (tasks: `hub_widgets.vocab`).
- `document`: split / render a README, rewriting only the front matter keys that changed; diffs.
- `checks`: local checks, and the reading of the Hub's `/api/validate-yaml` verdict, as `CardIssue`s per key.
- `editor`: the widget (imported lazily, so the pure modules load without ipywidgets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["ModelCardEditor"]

if TYPE_CHECKING:  # pragma: no cover
    from hub_widgets.card.editor import ModelCardEditor


def __getattr__(name: str) -> Any:
    if name == "ModelCardEditor":
        from hub_widgets.card.editor import ModelCardEditor

        return ModelCardEditor
    raise AttributeError(f"module 'hub_widgets.card' has no attribute {name!r}")
