"""A repo's history: its commits, and what changed between two revisions (file lists and text diffs).

Blocking functions taking a session (a `HubSession` or a widget's scope of it): run them in a worker.
The diffing itself is pure (`hub_widgets.browser.diff`); this reads what it needs from the Hub.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huggingface_hub.errors import EntryNotFoundError

from hub_widgets.browser.diff import FileState, RevisionDiff, diff_revisions, unified_text_diff
from hub_widgets.hub import repos

__all__ = ["compare", "list_commits"]


def list_commits(
    session: Any, repo_id: str, *, repo_type: str = "model", revision: str = "main"
) -> list[Any]:
    """The commits of `revision`, newest first (`HfApi.list_repo_commits`).

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit.
    """
    return list(session.api.list_repo_commits(repo_id, repo_type=repo_type, revision=revision))


def compare(
    session: Any,
    repo_id: str,
    old: str | None,
    new: str,
    *,
    repo_type: str = "model",
    diff_text_of: Callable[[FileState | None], bool] = lambda state: True,
    max_text_diffs: int = 20,
) -> tuple[RevisionDiff, list[tuple[str, str]]]:
    """The files added, removed and changed from `old` to `new`, and unified diffs of the text ones.

    Only folders that differ are listed; a file's content is read only for a text diff.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        old: The older revision (a commit id); None: nothing (what the first commit added).
        new: The newer one.
        repo_type: "model", "dataset" or "space".
        diff_text_of: Whether a file version (None: absent on that side) is worth a text diff.
        max_text_diffs: At most this many text diffs.

    Returns:
        `(diff, [(path, unified diff), ...])`.
    """

    def list_folder(revision: str | None, path: str, recursive: bool) -> list[Any]:
        if revision is None:
            return []  # before the first commit: no files
        try:
            return list(
                repos.list_tree(
                    session, repo_id, path, repo_type=repo_type, revision=revision, recursive=recursive
                )
            )
        except EntryNotFoundError:
            return []

    diff = diff_revisions(list_folder, old, new)

    def read(revision: str, state: FileState | None) -> bytes:
        if state is None:
            return b""
        return repos.read_bytes(session, repo_id, state.path, repo_type=repo_type, revision=revision)

    texts: list[tuple[str, str]] = []
    pairs: list[tuple[FileState | None, FileState | None]] = [(c.old, c.new) for c in diff.changed]
    pairs += [(None, f) for f in diff.added] + [(f, None) for f in diff.removed]
    for before, after in pairs:
        if len(texts) >= max_text_diffs:
            break
        if not (diff_text_of(before) and diff_text_of(after)):
            continue
        path = (after or before).path
        text = unified_text_diff(
            read(old, before) if old else b"", read(new, after), path, old[:7] if old else "-", new[:7]
        )
        if text:
            texts.append((path, text))
    return diff, texts
