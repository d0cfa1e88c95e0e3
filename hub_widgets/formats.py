"""Sizes, durations and names as people read them: pure, so that plans and services can use them without widgets."""

from __future__ import annotations

import os
import re
from pathlib import Path

from hub_widgets._i18n import _, format_number

__all__ = ["format_bytes", "format_duration", "repo_name_from", "suggest_repo_name"]


def format_bytes(n: float | None) -> str:
    """Human-readable size: 1.3 GB, 512 B (decimal units, as the Hub shows them; 1,3 GB in German)."""
    if n is None:
        return ""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{format_number(n)} {unit}" if unit == "B" else f"{format_number(n, 1)} {unit}"
        n /= 1000
    return f"{format_number(n, 1)} TB"  # pragma: no cover


def format_duration(seconds: float | None) -> str:
    if seconds is None or seconds != seconds or seconds == float("inf"):
        return "–"
    seconds = int(round(seconds))
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    if seconds < 3600:
        return _("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=f"{seconds % 60:02d}")
    return _("{hours} h {minutes} min").format(hours=seconds // 3600, minutes=f"{seconds % 3600 // 60:02d}")


def suggest_repo_name(path: str | None) -> str:
    """A Hub-friendly repo name from a file or folder path (`My Notebook.ipynb` -> `my-notebook`).

    Args:
        path: A file or folder path (or a model id such as `org/tiny-bert`), or None.

    Returns:
        A name of letters, digits, `-`, `_` and `.`, or "" when nothing usable is left.
    """
    if not path:
        return ""
    target = Path(os.path.abspath(os.path.expanduser(path)))
    return repo_name_from(target.stem if target.suffix else target.name)


def repo_name_from(text: str) -> str:
    """`text` as a repo name: runs of other characters become `-`, lower case, at most 96 characters.

    Args:
        text: A folder name, a model's name, a type name.
    """
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._").lower()[:96].strip("-._")
