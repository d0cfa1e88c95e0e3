"""Search: turn the browser's filter state into `list_models` / `list_datasets` / `list_spaces`
keyword arguments, and Hub answers into result rows. Pure: no widgets, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from hub_widgets._i18n import _, format_date, format_number, ngettext
from hub_widgets.vocab import REPO_TYPES

# UI sort name -> huggingface_hub `sort=` value (always descending on the Hub).
SORTS = {
    "downloads": "downloads",
    "likes": "likes",
    "trending": "trending_score",
    "updated": "last_modified",
}

# Spaces have no download counter: sorting them by downloads falls back to likes.
_SPACE_SORT_FALLBACK = {"downloads": "likes"}

# Only what a result row shows: the Hub skips the file lists and cards.
_EXPAND = {
    "model": [
        "pipeline_tag",
        "downloads",
        "likes",
        "lastModified",
        "private",
        "gated",
        "library_name",
        "tags",
    ],
    "dataset": ["downloads", "likes", "lastModified", "private", "gated", "tags"],
    "space": ["likes", "lastModified", "private", "sdk", "tags"],
}


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for in the search bar.

    Args:
        text: Words the repo id must contain.
        repo_type: "model", "dataset" or "space".
        author: A user or organisation name.
        task: A pipeline tag (models) or task category (datasets), e.g. "text-classification".
        library: A library tag, e.g. "transformers" (for Spaces: the SDK, e.g. "gradio").
        sort: One of `SORTS`.
    """

    text: str = ""
    repo_type: str = "model"
    author: str = ""
    task: str = ""
    library: str = ""
    sort: str = "downloads"


def list_method(repo_type: str) -> str:
    """The `HfApi` method listing repos of `repo_type`."""
    if repo_type not in REPO_TYPES:
        raise ValueError(_("Unknown repo type: {repo_type}").format(repo_type=repo_type))
    return f"list_{repo_type}s"


def build_list_kwargs(query: SearchQuery) -> dict[str, Any]:
    """Keyword arguments for `HfApi.list_models/list_datasets/list_spaces` from the search state.

    Empty fields are left out; values are stripped. Datasets take their task as a
    `task_categories:` filter and their library as a `library:` tag, as the Hub tags them.

    Args:
        query: The search bar's state.

    Returns:
        The kwargs (no `limit`: the caller keeps the iterator and pages through it).
    """
    repo_type = query.repo_type
    list_method(repo_type)  # validates
    kwargs: dict[str, Any] = {"expand": list(_EXPAND[repo_type])}
    text, author = query.text.strip(), query.author.strip()
    task, library = query.task.strip(), query.library.strip()
    if text:
        kwargs["search"] = text
    if author:
        kwargs["author"] = author
    filters: list[str] = []
    if repo_type == "model":
        if task:
            kwargs["pipeline_tag"] = task
        if library:
            filters.append(library)
    elif repo_type == "dataset":
        if task:
            filters.append(task if task.startswith("task_categories:") else f"task_categories:{task}")
        if library:
            filters.append(library if library.startswith("library:") else f"library:{library}")
    else:
        if library:
            filters.append(library)
    if filters:
        kwargs["filter"] = filters
    sort = query.sort or "downloads"
    if sort not in SORTS:
        raise ValueError(_("Unknown sort: {sort}").format(sort=sort))
    if repo_type == "space":
        sort = _SPACE_SORT_FALLBACK.get(sort, sort)
    kwargs["sort"] = SORTS[sort]
    return kwargs


@dataclass(frozen=True)
class ResultRow:
    """One search result as the list shows it."""

    repo_id: str
    repo_type: str
    task: str = ""
    downloads: int | None = None
    likes: int | None = None
    updated: datetime | None = None
    private: bool = False
    gated: bool = False

    def label(self, now: datetime | None = None) -> str:
        """A one-line label: id · task · downloads · likes · updated · badges."""
        parts = [self.repo_id]
        if self.task:
            parts.append(self.task)
        # Option labels are plain text: words, not icon glyphs a font may lack.
        if self.downloads is not None:
            parts.append(
                ngettext("{count} download", "{count} downloads", self.downloads).format(
                    count=format_count(self.downloads)
                )
            )
        if self.likes is not None:
            parts.append(
                ngettext("{count} like", "{count} likes", self.likes).format(count=format_count(self.likes))
            )
        if self.updated is not None:
            parts.append(format_age(self.updated, now))
        if self.private:
            parts.append(_("private"))
        if self.gated:
            parts.append(_("gated"))
        return " · ".join(parts)


def result_row(info: Any, repo_type: str) -> ResultRow:
    """A `ResultRow` from a `ModelInfo` / `DatasetInfo` / `SpaceInfo`."""
    task = getattr(info, "pipeline_tag", None) or ""
    if repo_type == "dataset" and not task:
        task = next((t.split(":", 1)[1] for t in (info.tags or []) if t.startswith("task_categories:")), "")
    if repo_type == "space":
        task = getattr(info, "sdk", None) or ""
    return ResultRow(
        repo_id=info.id,
        repo_type=repo_type,
        task=task,
        downloads=getattr(info, "downloads", None),
        likes=getattr(info, "likes", None),
        updated=getattr(info, "last_modified", None),
        private=bool(getattr(info, "private", False)),
        gated=bool(getattr(info, "gated", False)),
    )


def format_count(n: int) -> str:
    """1234 -> "1.2k", 2_500_000 -> "2.5M" (as the Hub shows counters; "1,2k" in German)."""
    if n < 1000:
        return str(n)
    unit, size = ("k", 1000) if n < 999_500 else ("M", 1_000_000)  # 999,999 is "1M", not "1000k"
    value = round(n / size, 1) if n / size < 100 else round(n / size)
    return format_number(value, 0 if value == int(value) else 1) + unit


def format_age(when: datetime, now: datetime | None = None) -> str:
    """How long ago: "just now", "5 min ago", "3 h ago", "2 days ago", or the date after a month."""
    now = now or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        minutes = int(seconds // 60)
        return ngettext("{n} min ago", "{n} min ago", minutes).format(n=minutes)
    if seconds < 86400:
        hours = int(seconds // 3600)
        return ngettext("{n} h ago", "{n} h ago", hours).format(n=hours)
    if seconds < 30 * 86400:
        days = int(seconds // 86400)
        return ngettext("{n} day ago", "{n} days ago", days).format(n=days)
    return format_date(when)
