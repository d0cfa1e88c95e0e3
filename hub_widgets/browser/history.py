"""The History tab: the commits of a revision, a page at a time. Click a commit to see what it changed,
the + beside a second one compares the two: the diff always belongs to the current selection."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W

from hub_widgets._i18n import _, format_date, ngettext
from hub_widgets.browser.diff import (
    MAX_TEXT_DIFF_BYTES,
    FileState,
    RevisionDiff,
)
from hub_widgets.browser.files import preview_kind
from hub_widgets.hub import history
from hub_widgets.session import HubSession, HubTask, scoped
from hub_widgets.ui import (
    MAX_SHOWN_CHARS,
    StatusLine,
    diff_html,
    format_bytes,
    html_table,
    shorten,
    truncated_note,
)
from hub_widgets.ui.base import HubWidget
from hub_widgets.ui.rows import RowList

PAGE_SIZE = 20
MAX_TEXT_DIFFS = 20  # unified diffs shown in one comparison


def commit_label(commit: Any) -> str:
    """One line per commit: short id · date · authors · title."""
    when = format_date(commit.created_at, with_time=True) if commit.created_at else ""
    authors = shorten(", ".join(commit.authors or []), 100)
    # An option's label is plain text in the page (never HTML); long titles are cut all the same.
    return " · ".join(p for p in (commit.commit_id[:7], when, authors, shorten(commit.title or "", 200)) if p)


def page_bounds(total: int, page: int, page_size: int = PAGE_SIZE) -> tuple[int, int]:
    """[start, end) of page `page` (0-based, clamped) among `total` items."""
    pages = max(1, -(-total // page_size))
    page = min(max(page, 0), pages - 1)
    return page * page_size, min(total, (page + 1) * page_size)


def _signed_bytes(delta: int) -> str:
    return ("+" if delta >= 0 else "−") + format_bytes(abs(delta))


def diff_table_html(diff: RevisionDiff) -> str:
    """The files added, removed and changed, with their sizes, as one table."""
    rows: list[tuple[str, str, str]] = []
    for f in diff.added:
        rows.append((_("added"), f.path, format_bytes(f.size)))
    for f in diff.removed:
        rows.append((_("removed"), f.path, format_bytes(f.size)))
    for c in diff.changed:
        rows.append(
            (
                _("changed"),
                c.path,
                f"{format_bytes(c.old.size)} → {format_bytes(c.new.size)} ({_signed_bytes(c.size_delta)})",
            )
        )
    summary = _("{added} added, {removed} removed, {changed} changed").format(
        added=len(diff.added), removed=len(diff.removed), changed=len(diff.changed)
    )
    if not rows:
        return f"<div>{html.escape(_('No file differs between these two commits.'))}</div>"
    return f"<div><b>{html.escape(summary)}</b></div>" + html_table([_("Change"), _("Path"), _("Size")], rows)


def _is_text_candidate(state: FileState | None) -> bool:
    if state is None:
        return True
    return not state.lfs and state.size <= MAX_TEXT_DIFF_BYTES and preview_kind(state.path) not in ("image",)


class HistoryView(HubWidget, W.VBox):
    """Commits of the current revision with paging, and the diff of two picked commits.

    Args:
        session: The `HubSession` doing the I/O.
        status: The browser's status line.
    """

    def __init__(self, session: HubSession, status: StatusLine | None = None, **kwargs: Any) -> None:
        self.session = scoped(session)
        # Static widgets share one layout model: the frontend gets one state instead of dozens.
        plain = W.Layout()
        self.status = status or StatusLine()
        self.repo_id: str | None = None
        self.repo_type = "model"
        self.revision = "main"
        self.commits: list[Any] = []
        self.page = 0
        self.page_size = PAGE_SIZE
        self.commit_list = RowList(multiple=True, toggle_tooltip=_("Compare with the selected commit"))
        self.page_label = W.HTML(layout=plain)
        self.newer_button = W.Button(layout=plain, description=_("Newer"), icon="arrow-left", disabled=True)
        self.older_button = W.Button(layout=plain, description=_("Older"), icon="arrow-right", disabled=True)
        self.hint = W.HTML(
            layout=plain,
            value=html.escape(
                _(
                    "Click a commit to see what it changed; click the + beside a second one to compare the two."
                )
            ),
        )
        self.diff_summary = W.HTML(layout=plain)
        self.diff_text = W.HTML(layout=plain)
        self.commits_task: HubTask | None = None
        self.diff_task: HubTask | None = None
        self.last_diff = None
        self.last_diff_texts: dict[str, str] = {}  # path -> the whole unified diff last compared
        pager = W.HBox(children=[self.newer_button, self.page_label, self.older_button])
        pager.add_class("hubw-row")
        super().__init__(
            [
                self.commit_list,
                pager,
                self.hint,
                self.diff_summary,
                self.diff_text,
            ],
            **kwargs,
        )
        self.newer_button.on_click(lambda _b: self.show_page(self.page - 1))
        self.older_button.on_click(lambda _b: self.show_page(self.page + 1))
        self.commit_list.observe(self._on_pick, names="value")

    def load(self, repo_id: str, repo_type: str = "model", revision: str = "main") -> HubTask:
        """List the commits of `revision` (newest first) and show the first page."""
        self.repo_id, self.repo_type, self.revision = repo_id, repo_type, revision
        self.commits, self.page = [], 0
        self.commit_list.options = []
        self._clear_diff()
        self.page_label.value = html.escape(_("Loading commits…"))
        self.commits_task = self.submit(
            history.list_commits,
            self.session,
            repo_id,
            repo_type=repo_type,
            revision=revision,
            on_result=self._show_commits,
            on_error=lambda exc: self.status.error(self.session.describe_error(exc)),
            key=f"browser-history:{id(self)}",
        )
        return self.commits_task

    def _show_commits(self, commits: list[Any]) -> None:
        self.commits = list(commits)
        self.show_page(0)

    def show_page(self, page: int) -> None:
        """Show page `page` (0 = newest commits)."""
        start, end = page_bounds(len(self.commits), page, self.page_size)
        self.page = start // self.page_size
        self.commit_list.options = [(commit_label(c), c.commit_id) for c in self.commits[start:end]]
        pages = max(1, -(-len(self.commits) // self.page_size))
        self.page_label.value = html.escape(
            ngettext("{n} commit", "{n} commits", len(self.commits)).format(n=len(self.commits))
            + " · "
            + _("page {page}/{pages}").format(page=self.page + 1, pages=pages)
        )
        self.newer_button.disabled = self.page == 0
        self.older_button.disabled = end >= len(self.commits)

    def _comparable(self, picked: tuple[str, ...]) -> bool:
        # Two commits, or one (compared with its parent; the first commit with nothing).
        return len(picked) in (1, 2)

    def _parent_of(self, commit_id: str) -> str | None:
        ids = [c.commit_id for c in self.commits]
        index = ids.index(commit_id) if commit_id in ids else -1
        return ids[index + 1] if 0 <= index < len(ids) - 1 else None

    def _clear_diff(self) -> None:
        """Drop the shown diff and any comparison under way: what is shown belongs to the selection."""
        if self.diff_task is not None:
            self.diff_task.cancel()
        self.last_diff, self.last_diff_texts = None, {}
        self.diff_summary.value = self.diff_text.value = ""

    def _on_pick(self, change: dict) -> None:
        picked = tuple(change["new"] or ())
        self._clear_diff()
        if self._comparable(picked):
            self.compare_selected()
        elif len(picked) > 2:
            self.diff_summary.value = html.escape(_("Pick at most two commits to compare them."))

    def compare_selected(self) -> HubTask | None:
        """Compare the two picked commits, or the one picked commit with its parent."""
        picked = tuple(self.commit_list.value)
        if not self._comparable(picked):
            self.status.warning(_("Pick two commits, or one commit to see what it changed."))
            return None
        if len(picked) == 1:
            return self.compare(self._parent_of(picked[0]), picked[0])
        return self.compare(*picked)

    def compare(self, commit_a: str | None, commit_b: str) -> HubTask:
        """Diff two commits (in either order: the older one is the base; None: before the first commit)."""
        order = {c.commit_id: i for i, c in enumerate(self.commits)}  # 0 = newest
        if commit_a is None:
            old, new = None, commit_b
            self.diff_summary.value = html.escape(_("Reading what {new} added…").format(new=new[:7]))
        else:
            old, new = sorted((commit_a, commit_b), key=lambda c: -order.get(c, -1))
            self.diff_summary.value = html.escape(
                _("Comparing {old} → {new}…").format(old=old[:7], new=new[:7])
            )
        self.diff_text.value = ""
        repo_id, repo_type = self.repo_id, self.repo_type
        self.diff_task = self.submit(
            self._compute_diff,
            repo_id,
            repo_type,
            old,
            new,
            on_result=self._show_diff,
            on_error=self._diff_error,
            key=f"browser-diff:{id(self)}",
            lane="long",  # reads every changed file of both commits
        )
        return self.diff_task

    def _compute_diff(
        self, repo_id: str, repo_type: str, old: str | None, new: str
    ) -> tuple[RevisionDiff, list[tuple[str, str]]]:
        return history.compare(
            self.session,
            repo_id,
            old,
            new,
            repo_type=repo_type,
            diff_text_of=_is_text_candidate,
            max_text_diffs=MAX_TEXT_DIFFS,
        )

    def _show_diff(self, result: tuple[RevisionDiff, list[tuple[str, str]]]) -> None:
        diff, texts = result
        self.last_diff = diff
        self.last_diff_texts = dict(texts)
        self.diff_summary.value = diff_table_html(diff)
        parts, size = [], 0
        for path, text in texts:
            shown = text[: max(0, MAX_SHOWN_CHARS // 2 - size)]  # escaped and coloured, it doubles
            size += len(shown)
            parts.append(f"<div><b>{html.escape(path)}</b></div>{diff_html(shown)}")
            if len(shown) < len(text):
                left = len(text) - len(shown) + sum(len(t) for _p, t in texts[len(parts) :])
                hint = _("The whole diffs are in this view's last_diff_texts attribute.")
                parts.append(truncated_note(left, hint=hint))
                break
        self.diff_text.value = "".join(parts)

    def _diff_error(self, exc: BaseException) -> None:
        self.diff_summary.value = ""
        self.status.error(self.session.describe_error(exc))
