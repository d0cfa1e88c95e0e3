"""Compare two revisions of a repo: files added / removed / changed, and unified text diffs.

The Hub has no diff API, so the diff is computed from the two revisions' file lists. Pure: the
folder listing is injected (`list_folder`), so the walk is testable without a Hub. Folders whose
git tree id is the same on both sides hold the same files and are not listed at all.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# Unified diffs are shown for text files up to this size on both sides.
MAX_TEXT_DIFF_BYTES = 256_000


@dataclass(frozen=True)
class FileState:
    """A file at one revision: its path, size and content id (LFS sha256 for LFS files, else git blob id)."""

    path: str
    size: int
    oid: str
    lfs: bool = False


@dataclass(frozen=True)
class FileChange:
    """A file present at both revisions with different content."""

    old: FileState
    new: FileState

    @property
    def path(self) -> str:
        return self.new.path

    @property
    def size_delta(self) -> int:
        return self.new.size - self.old.size


@dataclass
class RevisionDiff:
    """Files added, removed and changed between an old and a new revision, sorted by path."""

    added: list[FileState] = field(default_factory=list)
    removed: list[FileState] = field(default_factory=list)
    changed: list[FileChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def paths(self) -> dict[str, set[str]]:
        """{"added": {...}, "removed": {...}, "changed": {...}}: handy for checks and summaries."""
        return {
            "added": {f.path for f in self.added},
            "removed": {f.path for f in self.removed},
            "changed": {c.path for c in self.changed},
        }


def file_state(entry: Any) -> FileState:
    """A `FileState` from a `huggingface_hub` `RepoFile` (tree or paths-info entry)."""
    lfs = getattr(entry, "lfs", None)
    if lfs:
        return FileState(path=entry.path, size=lfs.size, oid=lfs.sha256, lfs=True)
    return FileState(path=entry.path, size=entry.size, oid=entry.blob_id)


def is_folder(entry: Any) -> bool:
    """True for a `RepoFolder` (folders carry a `tree_id`, files a `blob_id`)."""
    return hasattr(entry, "tree_id")


def compare_files(old: Iterable[FileState], new: Iterable[FileState]) -> RevisionDiff:
    """Added / removed / changed files between two file lists.

    Args:
        old: The files of the old revision.
        new: The files of the new revision.

    Returns:
        A `RevisionDiff`; a file counts as changed when its content id differs.
    """
    before = {f.path: f for f in old}
    after = {f.path: f for f in new}
    diff = RevisionDiff()
    for path in sorted(after.keys() - before.keys()):
        diff.added.append(after[path])
    for path in sorted(before.keys() - after.keys()):
        diff.removed.append(before[path])
    for path in sorted(before.keys() & after.keys()):
        if before[path].oid != after[path].oid:
            diff.changed.append(FileChange(before[path], after[path]))
    return diff


ListFolder = Callable[[str, str, bool], Iterable[Any]]


def diff_revisions(list_folder: ListFolder, old_revision: str, new_revision: str) -> RevisionDiff:
    """Diff two revisions, listing only folders that differ.

    Args:
        list_folder: `list_folder(revision, path, recursive)` returns the `RepoFile` / `RepoFolder`
            entries under `path` ("" is the root); it returns [] for a folder missing at that revision.
        old_revision: The older commit (or any revision).
        new_revision: The newer one.

    Returns:
        The `RevisionDiff`.
    """
    old_files: list[FileState] = []
    new_files: list[FileState] = []
    pending = [""]
    while pending:
        folder = pending.pop()
        old_entries = {e.path: e for e in list_folder(old_revision, folder, False)}
        new_entries = {e.path: e for e in list_folder(new_revision, folder, False)}
        for side, entries, other, files in (
            (old_revision, old_entries, new_entries, old_files),
            (new_revision, new_entries, old_entries, new_files),
        ):
            for path, entry in entries.items():
                if not is_folder(entry):
                    files.append(file_state(entry))
                elif path not in other:
                    # Only on this side: every file under it is added (or removed).
                    files.extend(file_state(e) for e in list_folder(side, path, True) if not is_folder(e))
        for path, entry in new_entries.items():
            before = old_entries.get(path)
            if not (is_folder(entry) and before is not None and is_folder(before)):
                continue
            if entry.tree_id and entry.tree_id == before.tree_id:
                continue  # same git tree: same content
            pending.append(path)
        # A path that is a file on one side and a folder on the other was handled above as
        # "only on this side" for the folder (it is absent from `other` as a folder's files).
        for path, entry in old_entries.items():
            after = new_entries.get(path)
            if is_folder(entry) and after is not None and not is_folder(after):
                old_files.extend(
                    file_state(e) for e in list_folder(old_revision, path, True) if not is_folder(e)
                )
        for path, entry in new_entries.items():
            before = old_entries.get(path)
            if is_folder(entry) and before is not None and not is_folder(before):
                new_files.extend(
                    file_state(e) for e in list_folder(new_revision, path, True) if not is_folder(e)
                )
    return compare_files(old_files, new_files)


def looks_like_text(data: bytes) -> bool:
    """True if `data` decodes as UTF-8 and holds no NUL byte (how git guesses "binary")."""
    if b"\x00" in data[:8000]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def unified_text_diff(
    old: bytes, new: bytes, path: str, old_label: str = "old", new_label: str = "new", context: int = 3
) -> str | None:
    """A unified diff of two versions of a text file, or None if either side is binary or too large.

    Args:
        old: The old content ("" for an added file).
        new: The new content ("" for a removed file).
        path: The file's path, shown in the `---` / `+++` lines.
        old_label: Shown after the path for the old side (e.g. a short commit id).
        new_label: The same for the new side.
        context: Lines of context around each change.
    """
    if len(old) > MAX_TEXT_DIFF_BYTES or len(new) > MAX_TEXT_DIFF_BYTES:
        return None
    if not (looks_like_text(old) and looks_like_text(new)):
        return None
    lines = difflib.unified_diff(
        old.decode("utf-8").splitlines(keepends=True),
        new.decode("utf-8").splitlines(keepends=True),
        fromfile=f"a/{path} ({old_label})",
        tofile=f"b/{path} ({new_label})",
        n=context,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
