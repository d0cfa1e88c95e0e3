"""The repo view's header and card: what the Hub's repo info says, formatted. Pure except `fetch_*`,
which run on a session worker."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from huggingface_hub.repocard import REGEX_YAML_BLOCK

from hub_widgets._i18n import _
from hub_widgets.browser.search import format_age, format_count
from hub_widgets.ui import badge, fa_icon, html_table, link, shorten, truncated_note
from hub_widgets.vocab import repo_type_label

# Asked from repo info: everything the header and card table show, never the file list (a big
# repo's siblings would cost megabytes and seconds).
INFO_EXPAND = {
    "model": [
        "author", "cardData", "downloads", "gated", "lastModified", "library_name", "likes",
        "pipeline_tag", "private", "sha", "tags",
    ],
    "dataset": ["author", "cardData", "downloads", "gated", "lastModified", "likes", "private", "sha", "tags"],
    "space": ["author", "cardData", "lastModified", "likes", "private", "sdk", "sha", "tags"],
}  # fmt: skip


@dataclass
class RepoSummary:
    """What the header shows about a repo."""

    repo_id: str
    repo_type: str
    sha: str | None = None
    private: bool = False
    gated: str | bool = False
    license: str | None = None
    tags: list[str] = field(default_factory=list)
    downloads: int | None = None
    likes: int | None = None
    updated: datetime | None = None
    task: str | None = None
    library: str | None = None
    card_data: dict[str, Any] = field(default_factory=dict)


def summarize(info: Any, repo_type: str) -> RepoSummary:
    """A `RepoSummary` from a `ModelInfo` / `DatasetInfo` / `SpaceInfo`."""
    card = info.card_data.to_dict() if getattr(info, "card_data", None) is not None else {}
    tags = [t for t in (info.tags or []) if not t.startswith("license:")]
    license_ = card.get("license") or next(
        (t.split(":", 1)[1] for t in (info.tags or []) if t.startswith("license:")), None
    )
    return RepoSummary(
        repo_id=info.id,
        repo_type=repo_type,
        sha=info.sha,
        private=bool(info.private),
        gated=info.gated or False,
        license=str(license_) if license_ else None,
        tags=tags,
        downloads=getattr(info, "downloads", None),
        likes=getattr(info, "likes", None),
        updated=getattr(info, "last_modified", None),
        task=getattr(info, "pipeline_tag", None) or getattr(info, "sdk", None),
        library=getattr(info, "library_name", None),
        card_data=card,
    )


def header_html(summary: RepoSummary, url: str, max_tags: int = 12) -> str:
    """The header: id (linked), type, private / gated badges, license, tags, counters, age."""
    title = f"<b style='font-size:120%'>{link(url, summary.repo_id)}</b>"
    badges = [badge(repo_type_label(summary.repo_type), "#0969da")]
    if summary.private:
        badges.append(
            f"<span style='color:#cf222e'>{fa_icon('lock')}</span> " + badge(_("private"), "#cf222e")
        )
    if summary.gated:
        badges.append(badge(_("gated"), "#9a6700"))
    if summary.license:
        badges.append(badge(_("license: {name}").format(name=shorten(summary.license, 80)), "#1a7f37"))
    stats = []
    if summary.task:
        stats.append(html.escape(shorten(summary.task, 80)))
    if summary.library:
        stats.append(html.escape(shorten(summary.library, 80)))
    if summary.downloads is not None:
        stats.append(f"{fa_icon('download')} {format_count(summary.downloads)}")
    if summary.likes is not None:
        stats.append(f"{fa_icon('heart')} {format_count(summary.likes)}")
    if summary.updated is not None:
        stats.append(html.escape(_("updated {age}").format(age=format_age(summary.updated))))
    tags = summary.tags[:max_tags]
    more = len(summary.tags) - len(tags)
    tag_html = " ".join(badge(shorten(str(t), 80)) for t in tags) + (f" +{more}" if more > 0 else "")
    return (
        f"<div class='hubw-repo-header'>{title} {' '.join(badges)}"
        f"<div>{' · '.join(stats)}</div><div>{tag_html}</div></div>"
    )


def split_card(text: str) -> tuple[str, str]:
    """Split a README into its YAML front matter (without the `---` fences) and its markdown body."""
    match = REGEX_YAML_BLOCK.search(text)
    if not match:
        return "", text
    return match.group(2), text[match.end() :].lstrip("\n")


MAX_METADATA_ROWS = 200


def metadata_rows(card_data: dict[str, Any], max_chars: int = 200) -> list[tuple[str, str]]:
    """The card metadata as (key, value) rows; lists joined, keys and values shortened."""
    rows = []
    for key, value in card_data.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            text = ", ".join(str(v) for v in value[:max_chars])
        else:
            text = str(value)
        rows.append((shorten(str(key), max_chars), shorten(text, max_chars)))
    return rows


def metadata_table(card_data: dict[str, Any], max_rows: int = MAX_METADATA_ROWS) -> str:
    """The card metadata as an HTML table (empty string when there is none), at most `max_rows` rows."""
    rows = metadata_rows(card_data)
    if not rows:
        return ""
    table = html_table([_("Field"), _("Value")], rows[:max_rows])
    if len(rows) > max_rows:
        hint = _("The whole metadata is in this browser's summary.card_data attribute.")
        table += truncated_note(len(rows) - max_rows, unit="items", hint=hint)
    return table
