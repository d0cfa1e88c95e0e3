"""What a push will do, computed locally: scan files, hash them as the Hub does, compare with the remote.

Pure logic: no widgets and no network. The remote side comes in as plain `RemoteFile` values (built
from `HfApi.get_paths_info` / `list_repo_tree` answers by `remote_files_from_hub`), so computing a
plan never uploads anything.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub_widgets._i18n import _, ngettext

# What the Hub uses to decide "large file" (LFS): 10 MB (decimal), a binary sample, or .gitattributes.
LFS_THRESHOLD = 10 * 1000 * 1000
SAMPLE_SIZE = 512
HASH_CHUNK = 8 * 1024 * 1024

#: Excluded unless the user removes them from the exclude patterns.
DEFAULT_EXCLUDES: tuple[str, ...] = (".git/", "__pycache__/", ".ipynb_checkpoints/", "*.pyc", ".env")
# Never pushed whatever the patterns say (the Hub refuses these folders).
ALWAYS_EXCLUDED: tuple[str, ...] = (".git/", ".cache/huggingface/")

STATUSES = ("new", "changed", "unchanged", "delete")


@dataclass(frozen=True)
class LocalFile:
    """A local file to push, with the hashes the Hub would compute for it.

    Attributes:
        path_in_repo: Where it goes in the repo (posix).
        local_path: Absolute path on disk.
        size: Size in bytes.
        lfs: True if the Hub will store it as a large (LFS) file (prediction by the Hub's rule).
        sha1: Git blob sha1 (what the Hub reports as `oid` for regular files), if computed.
        sha256: Content sha256 (the LFS oid), if computed.
    """

    path_in_repo: str
    local_path: str
    size: int
    lfs: bool
    sha1: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class RemoteFile:
    """A file of the remote revision: size, git blob id, and sha256 if it is stored as LFS."""

    path: str
    size: int
    blob_id: str
    sha256: str | None = None

    @property
    def lfs(self) -> bool:
        return self.sha256 is not None


@dataclass(frozen=True)
class PlanEntry:
    """One line of a plan: a file and what happens to it."""

    path: str
    status: str  # "new" | "changed" | "unchanged" | "delete"
    size: int
    lfs: bool
    local: LocalFile | None = None
    remote: RemoteFile | None = None


@dataclass
class Plan:
    """The outcome of comparing local files with a remote revision."""

    entries: list[PlanEntry] = field(default_factory=list)
    revision: str = "main"
    head: str | None = None  # the remote commit compared against (None: empty or missing repo)

    def _with(self, status: str) -> list[PlanEntry]:
        return [e for e in self.entries if e.status == status]

    @property
    def new(self) -> list[PlanEntry]:
        return self._with("new")

    @property
    def changed(self) -> list[PlanEntry]:
        return self._with("changed")

    @property
    def unchanged(self) -> list[PlanEntry]:
        return self._with("unchanged")

    @property
    def to_delete(self) -> list[PlanEntry]:
        return self._with("delete")

    @property
    def to_upload(self) -> list[PlanEntry]:
        """New and changed files, in path order."""
        return [e for e in self.entries if e.status in ("new", "changed")]

    @property
    def upload_bytes(self) -> int:
        return sum(e.size for e in self.to_upload)

    @property
    def is_empty(self) -> bool:
        """True when pushing would change nothing on the Hub."""
        return not self.to_upload and not self.to_delete

    def counts(self) -> dict[str, int]:
        return {status: len(self._with(status)) for status in STATUSES}

    def summary(self) -> str:
        """What the push will do, for the Push button: "Push 12 files, 1.3 GB", "Delete 2 files"."""
        from hub_widgets.ui import format_bytes

        parts = []
        n_up, n_del = len(self.to_upload), len(self.to_delete)
        if n_up:
            parts.append(
                ngettext("Push {n} file, {size}", "Push {n} files, {size}", n_up).format(
                    n=n_up, size=format_bytes(self.upload_bytes)
                )
            )
        if n_del:
            text = ngettext("delete {n} file", "delete {n} files", n_del).format(n=n_del)
            parts.append(text if parts else text[:1].upper() + text[1:])
        return ", ".join(parts) if parts else _("Nothing to push: everything is up to date")


# -- patterns --------------------------------------------------------------------------------------


def split_patterns(value: str | Sequence[str] | None) -> list[str]:
    """Patterns from a text field ("a, b" or one a line) or a list; empty items dropped."""
    if value is None:
        return []
    items = value.replace("\n", ",").split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


def expand_pattern(pattern: str) -> list[str]:
    """fnmatch patterns matching `pattern` at any depth: "x/" is a folder, a bare name matches anywhere.

    As in `huggingface_hub.utils.filter_repo_objects`, `*` crosses folder boundaries.
    """
    pattern = pattern.replace("\\", "/")
    anchored = pattern.startswith("/")
    pattern = pattern.lstrip("/")
    if pattern.endswith("/"):
        base = pattern + "*"
        return [base] if anchored or "/" in pattern[:-1] else [base, "*/" + base]
    if anchored or "/" in pattern:
        return [pattern]
    return [pattern, "*/" + pattern]


def matches(path: str, patterns: Iterable[str]) -> bool:
    """True if posix `path` matches one of `patterns` (see `expand_pattern`)."""
    return any(fnmatch.fnmatchcase(path, p) for pattern in patterns for p in expand_pattern(pattern))


# -- .gitattributes --------------------------------------------------------------------------------


def lfs_patterns_from_gitattributes(text: str) -> list[str]:
    """The patterns a .gitattributes file routes to LFS (`filter=lfs`), in file order."""
    patterns = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, *attrs = line.split()
        if "filter=lfs" in attrs:
            patterns.append(pattern)
        elif "-filter" in attrs or "!filter" in attrs:
            patterns = [p for p in patterns if p != pattern]
    return patterns


def _gitattributes_match(path: str, pattern: str) -> bool:
    # git rules: a pattern without "/" matches the base name at any depth; "**" spans folders.
    pattern = pattern.lstrip("/")
    if "/" not in pattern:
        return fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    return fnmatch.fnmatchcase(path, pattern.replace("**/", "*").replace("/**", "/*"))


# -- classification and hashing --------------------------------------------------------------------


def is_binary_sample(sample: bytes) -> bool:
    """True if the first bytes of a file look binary: a NUL byte, or not UTF-8 text."""
    if b"\x00" in sample:
        return True
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 512-byte sample is still text.
        return not (exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data")
    return False


def is_lfs(path_in_repo: str, size: int, sample: bytes, lfs_patterns: Sequence[str] = ()) -> bool:
    """The Hub's rule: large (>= 10 MB), binary sample, or routed to LFS by .gitattributes.

    Empty files are always regular (the client never sends them to LFS).
    """
    if size == 0:
        return False
    if size >= LFS_THRESHOLD or is_binary_sample(sample):
        return True
    return any(_gitattributes_match(path_in_repo, p) for p in lfs_patterns)


def git_blob_sha1(data: bytes) -> str:
    """The git blob id of `data` (what the Hub reports as `oid` of a regular file)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


def hash_file(
    path: str,
    *,
    sha1: bool = False,
    sha256: bool = False,
    on_bytes: Callable[[int], None] | None = None,
    check: Callable[[], None] | None = None,
) -> tuple[str | None, str | None]:
    """Hash a file in one read: its git blob sha1 and/or its sha256.

    Args:
        path: File to read.
        sha1: Compute the git blob sha1.
        sha256: Compute the sha256.
        on_bytes: Called with the number of bytes read after each chunk (progress).
        check: Called between chunks; may raise to stop (cancellation).

    Returns:
        `(sha1 hex or None, sha256 hex or None)`.
    """
    size = os.path.getsize(path)
    h1 = hashlib.sha1(b"blob %d\0" % size, usedforsecurity=False) if sha1 else None
    h256 = hashlib.sha256() if sha256 else None
    with open(path, "rb") as file:
        while chunk := file.read(HASH_CHUNK):
            if check is not None:
                check()
            if h1 is not None:
                h1.update(chunk)
            if h256 is not None:
                h256.update(chunk)
            if on_bytes is not None:
                on_bytes(len(chunk))
    return (h1.hexdigest() if h1 else None, h256.hexdigest() if h256 else None)


# -- local scan ------------------------------------------------------------------------------------


def join_repo_path(prefix: str, rel: str) -> str:
    prefix = prefix.strip().strip("/")
    return f"{prefix}/{rel}" if prefix else rel


def list_local_files(
    source: str | os.PathLike,
    *,
    path_in_repo: str = "",
    include: Sequence[str] | None = None,
    exclude: Sequence[str] | None = DEFAULT_EXCLUDES,
) -> list[tuple[str, str]]:
    """The files a push of `source` would send, as sorted `(path_in_repo, absolute local path)` pairs.

    Patterns apply to paths relative to `source` (as in `HfApi.upload_folder`). A single file keeps
    its name and goes in the `path_in_repo` folder.

    Args:
        source: A file or a folder.
        path_in_repo: Folder in the repo ("" for the root).
        include: Only files matching one of these (None or empty: all files).
        exclude: Skip files matching any of these (`ALWAYS_EXCLUDED` are added).

    Raises:
        FileNotFoundError: If `source` does not exist.
    """
    root = Path(source).expanduser()
    if not root.exists():
        raise FileNotFoundError(2, "No such file or folder", str(source))
    if root.is_file():
        return [(join_repo_path(path_in_repo, root.name), str(root.resolve()))]
    root = root.resolve()
    excludes = [*(exclude or ()), *ALWAYS_EXCLUDED]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        # Prune excluded folders early (a .git or a big cache can hold many files).
        dirnames[:] = sorted(d for d in dirnames if not matches(f"{rel_dir}{d}/", excludes))
        for name in filenames:
            rel = rel_dir + name
            full = os.path.join(dirpath, name)
            if not os.path.isfile(full):
                continue
            if include and not matches(rel, include):
                continue
            if matches(rel, excludes):
                continue
            found.append((join_repo_path(path_in_repo, rel), full))
    return sorted(found)


def read_sample(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read(SAMPLE_SIZE)


def hash_local_files(
    files: Sequence[tuple[str, str]],
    *,
    remote: dict[str, RemoteFile] | None = None,
    lfs_patterns: Sequence[str] = (),
    cache: dict[tuple[str, int, int], tuple[str | None, str | None]] | None = None,
    on_bytes: Callable[[int], None] | None = None,
    check: Callable[[], None] | None = None,
    max_workers: int = 4,
) -> list[LocalFile]:
    """Classify and hash local files as the Hub would; each file is read once at most.

    Regular files get their git blob sha1, LFS files their sha256; when a remote file of the other
    kind exists at the same path, that hash is computed too (in the same read) to compare.

    Args:
        files: `(path_in_repo, local path)` pairs, from `list_local_files`.
        remote: The remote files by path (decides which extra hash is needed).
        lfs_patterns: LFS patterns from the .gitattributes that will apply.
        cache: Hashes by `(local path, size, mtime_ns)`, reused and filled (skips re-hashing).
        on_bytes: Progress callback (bytes hashed).
        check: Called between chunks; may raise to stop.
        max_workers: Files hashed in parallel (hashlib releases the GIL).
    """
    remote = remote or {}

    def one(item: tuple[str, str]) -> LocalFile:
        path_in_repo, local_path = item
        stat = os.stat(local_path)
        lfs = is_lfs(path_in_repo, stat.st_size, read_sample(local_path), lfs_patterns)
        other = remote.get(path_in_repo)
        need_sha1 = not lfs or (other is not None and not other.lfs)
        need_sha256 = lfs or (other is not None and other.lfs)
        key = (local_path, stat.st_size, stat.st_mtime_ns)
        sha1, sha256 = (cache or {}).get(key, (None, None))
        if (need_sha1 and sha1 is None) or (need_sha256 and sha256 is None):
            sha1_new, sha256_new = hash_file(
                local_path,
                sha1=need_sha1 and sha1 is None,
                sha256=need_sha256 and sha256 is None,
                on_bytes=on_bytes,
                check=check,
            )
            sha1, sha256 = sha1 or sha1_new, sha256 or sha256_new
            if cache is not None:
                cache[key] = (sha1, sha256)
        elif on_bytes is not None:
            on_bytes(stat.st_size)
        return LocalFile(path_in_repo, local_path, stat.st_size, lfs, sha1, sha256)

    if len(files) <= 1 or max_workers <= 1:
        return [one(item) for item in files]
    with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="hub-widgets-hash") as pool:
        return list(pool.map(one, files))


# -- remote ----------------------------------------------------------------------------------------


def remote_files_from_hub(items: Iterable[Any]) -> dict[str, RemoteFile]:
    """`RemoteFile`s by path from `huggingface_hub` `RepoFile` objects (folders are skipped)."""
    result = {}
    for item in items:
        blob_id = getattr(item, "blob_id", None)
        if blob_id is None:  # a RepoFolder
            continue
        lfs = getattr(item, "lfs", None)
        sha256 = (
            (lfs.get("sha256") if isinstance(lfs, dict) else getattr(lfs, "sha256", None)) if lfs else None
        )
        result[item.path] = RemoteFile(item.path, int(item.size or 0), blob_id, sha256)
    return result


def same_content(local: LocalFile, remote: RemoteFile) -> bool:
    """True if the remote file already holds the local content (compared as the Hub stores it)."""
    if local.size != remote.size:
        return False
    if remote.lfs:
        return local.sha256 is not None and local.sha256 == remote.sha256
    return local.sha1 is not None and local.sha1 == remote.blob_id


def build_plan(
    local: Sequence[LocalFile],
    remote: dict[str, RemoteFile],
    *,
    delete_patterns: Sequence[str] = (),
    deletable: Iterable[str] = (),
    path_in_repo: str = "",
    revision: str = "main",
    head: str | None = None,
) -> Plan:
    """Compare hashed local files with the remote revision.

    Args:
        local: Hashed local files (`hash_local_files`).
        remote: Remote files at the same paths (missing paths are new).
        delete_patterns: Remote files matching these, relative to `path_in_repo`, are deleted unless
            a local file replaces them. `.gitattributes` is never deleted.
        deletable: All remote file paths under `path_in_repo` (candidates for delete patterns).
        path_in_repo: The repo folder the push targets.
        revision: The branch compared against (for display).
        head: The remote commit compared against.
    """
    entries = []
    local_paths = set()
    for file in local:
        local_paths.add(file.path_in_repo)
        other = remote.get(file.path_in_repo)
        if other is None:
            status = "new"
        elif same_content(file, other):
            status = "unchanged"
        else:
            status = "changed"
        entries.append(PlanEntry(file.path_in_repo, status, file.size, file.lfs, file, other))
    if delete_patterns:
        prefix = path_in_repo.strip("/")
        prefix = prefix + "/" if prefix else ""
        for path in sorted(set(deletable)):
            if path in local_paths or path == ".gitattributes" or not path.startswith(prefix):
                continue
            if matches(path[len(prefix) :], delete_patterns):
                other = remote.get(path)
                entries.append(
                    PlanEntry(
                        path, "delete", other.size if other else 0, bool(other and other.lfs), None, other
                    )
                )
    entries.sort(key=lambda e: (STATUSES.index(e.status), e.path))
    return Plan(entries=entries, revision=revision, head=head)


def plan_rows(plan: Plan, limit: int = 200) -> list[tuple[str, str, int, bool]]:
    """`(status, path, size, lfs)` rows for display, most interesting first, at most `limit`."""
    return [(e.status, e.path, e.size, e.lfs) for e in plan.entries[:limit]]
