"""Kernel objects as push sources: anything with `save_pretrained(dir)` or `to_parquet(path)`.

Duck-typed on purpose: transformers models and tokenizers, pipelines, diffusers, sentence-transformers
and pandas DataFrames all qualify without hub_widgets depending on any of them. The object is saved
to a temporary folder, which is then pushed like any folder.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub_widgets._i18n import _

PARQUET_PATH = "data/train-00000-of-00001.parquet"


def object_kind(obj: Any) -> str | None:
    """ "save_pretrained", "to_parquet", or None if `obj` cannot be pushed."""
    if obj is None or isinstance(obj, (str, bytes, Path)):
        return None
    if callable(getattr(obj, "save_pretrained", None)):
        return "save_pretrained"
    if callable(getattr(obj, "to_parquet", None)):
        return "to_parquet"
    return None


def is_pushable_object(obj: Any) -> bool:
    return object_kind(obj) is not None


def suggested_repo_type(obj: Any) -> str:
    """A DataFrame goes to a dataset repo; a model, tokenizer or pipeline to a model repo."""
    return "dataset" if object_kind(obj) == "to_parquet" else "model"


def object_name(obj: Any) -> str:
    """What the object calls itself: a model's or tokenizer's `name_or_path` (last part), else its type's name."""
    for candidate in (
        getattr(obj, "name_or_path", None),
        getattr(getattr(obj, "config", None), "_name_or_path", None),
    ):
        if isinstance(candidate, str) and candidate.strip("/ "):
            return candidate.strip("/ ").rsplit("/", 1)[-1]
    return type(obj).__name__


def describe_object(obj: Any) -> str:
    """A short sentence saying what will be pushed and how."""
    name = type(obj).__name__
    if object_kind(obj) == "to_parquet":
        return _(
            "Kernel object {name}: saved with to_parquet() as {path} in a temporary folder, then pushed."
        ).format(name=name, path=PARQUET_PATH)
    return _("Kernel object {name}: saved with save_pretrained() to a temporary folder, then pushed.").format(
        name=name
    )


@dataclass
class SavedObject:
    """A kernel object saved to a temporary folder; `cleanup()` removes the folder."""

    folder: Path
    kind: str

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def save_object(obj: Any) -> SavedObject:
    """Save `obj` to a new temporary folder with its own method.

    Raises:
        TypeError: If `obj` has neither `save_pretrained` nor `to_parquet`.
    """
    kind = object_kind(obj)
    if kind is None:
        raise TypeError(
            _("Cannot push a {name}: it has no save_pretrained() or to_parquet().").format(
                name=type(obj).__name__
            )
        )
    folder = Path(tempfile.mkdtemp(prefix="hub-widgets-push-"))
    try:
        if kind == "save_pretrained":
            obj.save_pretrained(str(folder))
        else:
            target = folder / PARQUET_PATH
            target.parent.mkdir(parents=True, exist_ok=True)
            obj.to_parquet(str(target))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return SavedObject(folder, kind)
