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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub_widgets._i18n import _, ngettext
from hub_widgets.formats import format_bytes
from hub_widgets.push.secrets import Finding

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
    mtime_ns: int = 0
    sample: bytes = b""
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A path of the source folder that is not pushed, and why (one sentence)."""

    path: str
    reason: str


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
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        """Probable secrets in the files the push would upload."""
        return [f for e in self.to_upload if e.local is not None for f in e.local.findings]

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
        """What the push will do, for the Push button: "Push 12 files (1.3 GB)", "Delete 2 files"."""
        n_up, n_del = len(self.to_upload), len(self.to_delete)
        size = format_bytes(self.upload_bytes)
        if n_up and n_del:
            # One sentence per case (no glued fragments); the deletions' count sits in its own clause.
            deleted = ngettext("{n} file deleted", "{n} files deleted", n_del).format(n=n_del)
            return ngettext(
                "Push {n} file ({size}); {deleted}", "Push {n} files ({size}); {deleted}", n_up
            ).format(n=n_up, size=size, deleted=deleted)
        if n_up:
            return ngettext("Push {n} file ({size})", "Push {n} files ({size})", n_up).format(
                n=n_up, size=size
            )
        if n_del:
            return ngettext("Delete {n} file", "Delete {n} files", n_del).format(n=n_del)
        return _("Nothing to push: everything is up to date")


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

    See `list_local_tree` (this drops the skipped paths).
    """
    return list_local_tree(source, path_in_repo=path_in_repo, include=include, exclude=exclude)[0]


def list_local_tree(
    source: str | os.PathLike,
    *,
    path_in_repo: str = "",
    include: Sequence[str] | None = None,
    exclude: Sequence[str] | None = DEFAULT_EXCLUDES,
) -> tuple[list[tuple[str, str]], list[Skipped]]:
    """The files a push of `source` would send, and the paths it skips because of symbolic links.

    Patterns apply to paths relative to `source` (as in `HfApi.upload_folder`). A single file keeps
    its name and goes in the `path_in_repo` folder. A link leading outside `source` is skipped (its
    target is not the user's to publish by accident); a link to a file or folder inside `source` is
    skipped too, its target being pushed once under its own path.

    Args:
        source: A file or a folder.
        path_in_repo: Folder in the repo ("" for the root).
        include: Only files matching one of these (None or empty: all files).
        exclude: Skip files matching any of these (`ALWAYS_EXCLUDED` are added).

    Returns:
        `(sorted (path_in_repo, absolute local path) pairs, skipped paths)`.

    Raises:
        FileNotFoundError: If `source` does not exist.
    """
    root = Path(source).expanduser()
    if not root.exists():
        raise FileNotFoundError(2, "No such file or folder", str(source))
    if root.is_file():
        return [(join_repo_path(path_in_repo, root.name), str(root.resolve()))], []
    root = root.resolve()
    excludes = [*(exclude or ()), *ALWAYS_EXCLUDED]
    found: list[tuple[str, str]] = []
    links: list[tuple[str, str, str]] = []  # (path relative to root, absolute target, kind)
    specials: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):  # never follows folder links
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        # Prune excluded folders early (a .git or a big cache can hold many files).
        dirnames[:] = sorted(d for d in dirnames if not matches(f"{rel_dir}{d}/", excludes))
        for name in list(dirnames):
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                dirnames.remove(name)
                links.append((rel_dir + name, os.path.realpath(full), "folder"))
        for name in filenames:
            rel = rel_dir + name
            full = os.path.join(dirpath, name)
            if include and not matches(rel, include):
                continue
            if matches(rel, excludes):
                continue
            if os.path.islink(full):
                links.append((rel, os.path.realpath(full), "file"))
                continue
            if not os.path.isfile(full):
                specials.append(join_repo_path(path_in_repo, rel))
                continue
            found.append((join_repo_path(path_in_repo, rel), full))
    skipped = [
        Skipped(path, _("not a regular file (pipe, socket or device): not pushed")) for path in specials
    ]
    pushed = {local for _repo, local in found}
    for rel, target, kind in sorted(links):
        repo_path = join_repo_path(path_in_repo, rel)
        inside = target == str(root) or target.startswith(str(root) + os.sep)
        if not inside:
            skipped.append(
                Skipped(repo_path, _("symbolic link leading outside the source folder: not pushed"))
            )
            continue
        target_rel = Path(target).relative_to(root).as_posix()
        if kind == "folder" or target in pushed:
            reason = _(
                "symbolic link to {target} in the source folder: its content is pushed once, as {target}"
            )
        else:  # excluded or filtered out: a link must not bring it back
            reason = _("symbolic link to {target}, which is not pushed")
        skipped.append(Skipped(repo_path, reason.format(target=target_rel)))
    return sorted(found), skipped


class ReadError(Exception):
    """A file could not be read (or changed while read): nothing may be pushed. One-line message."""


#: Below this many bytes the read pass runs in the calling process (a worker would cost more to start).
IN_PROCESS_BYTES = 32 * 1024 * 1024


def hash_local_files(
    files: Sequence[tuple[str, str]],
    *,
    remote: dict[str, RemoteFile] | None = None,
    lfs_patterns: Sequence[str] = (),
    cache: dict[tuple[str, int, int, bool], LocalFile] | None = None,
    on_bytes: Callable[[int], None] | None = None,
    check: Callable[[], None] | None = None,
    scan: bool = True,
    on_file: Callable[[LocalFile], None] | None = None,
) -> list[LocalFile]:
    """Classify, hash and scan local files in one read of each (`readpass.run_read_pass`).

    Small files get both hashes (whether the Hub stores them as LFS depends on their first bytes);
    files over the LFS size threshold get their sha256, and the git sha1 only when the remote file
    at the same path is a regular one (to compare).

    Args:
        files: `(path_in_repo, local path)` pairs, from `list_local_files`.
        remote: The remote files by path (decides which extra hash is needed).
        lfs_patterns: LFS patterns from the .gitattributes that will apply.
        cache: Results by `(local path, size, mtime_ns, scan)`, reused and filled (skips re-reading).
        on_bytes: Progress callback (bytes read).
        check: Called while reading; may raise to stop.
        scan: Scan for secrets in the same pass.
        on_file: Receives each file as soon as it is read (completion order), e.g. to upload it.

    Raises:
        ReadError: If a file cannot be read or changes while it is read.
    """
    from hub_widgets.push.readpass import ReadJob, ReadResult, run_read_pass

    remote = remote or {}
    done: dict[int, LocalFile] = {}
    jobs = []
    for index, (path_in_repo, local_path) in enumerate(files):
        try:
            stat = os.stat(local_path)
        except OSError as exc:
            raise ReadError(_read_error(path_in_repo, exc.strerror or str(exc))) from None
        other = remote.get(path_in_repo)
        cached = (cache or {}).get((local_path, stat.st_size, stat.st_mtime_ns, scan))
        if (
            cached is not None
            and cached.path_in_repo == path_in_repo
            and (cached.sha1 is not None or other is None or other.lfs)
        ):
            done[index] = cached
            if on_bytes is not None:
                on_bytes(stat.st_size)
            if on_file is not None:
                on_file(cached)
            continue
        big = stat.st_size >= LFS_THRESHOLD
        jobs.append(
            ReadJob(
                index,
                path_in_repo,
                local_path,
                # To compare with a regular remote file; else only if it is to be stored as one.
                sha1=True if other is not None and not other.lfs else (False if big else None),
                sha256=True,
                scan=scan,
                lfs_patterns=tuple(lfs_patterns),
            )
        )
    by_index = {job.index: job for job in jobs}

    def finish(result: ReadResult) -> None:
        job = by_index[result.index]
        if result.error == "changed":
            raise ReadError(
                _("{path} changed while it was being read: plan again. Nothing was uploaded.").format(
                    path=job.path_in_repo
                )
            )
        if result.error:
            raise ReadError(_read_error(job.path_in_repo, result.error))
        lfs = is_lfs(job.path_in_repo, result.size, result.sample, lfs_patterns)
        local = LocalFile(
            job.path_in_repo,
            job.local_path,
            result.size,
            lfs,
            result.sha1,
            result.sha256,
            result.mtime_ns,
            result.sample,
            tuple(result.findings),
        )
        done[job.index] = local
        if cache is not None:
            cache[(job.local_path, result.size, result.mtime_ns, scan)] = local
        if on_file is not None:
            on_file(local)

    total = sum(_size_of(j.local_path) for j in jobs)
    run_read_pass(
        jobs, on_bytes=on_bytes, on_result=finish, check=check, in_process=total <= IN_PROCESS_BYTES
    )
    return [done[i] for i in range(len(files))]


def _read_error(path: str, reason: str) -> str:
    return _("Cannot read {path}: {reason}. Nothing was uploaded.").format(path=path, reason=reason)


def _size_of(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def unchanged_on_disk(local: LocalFile) -> bool:
    """True if the file still has the size and modification time it had when it was read for the plan."""
    try:
        stat = os.stat(local.local_path)
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == (local.size, local.mtime_ns)


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
    skipped: Sequence[Skipped] = (),
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
    return Plan(entries=entries, revision=revision, head=head, skipped=list(skipped))


def plan_rows(plan: Plan, limit: int = 200) -> list[tuple[str, str, int, bool]]:
    """`(status, path, size, lfs)` rows for display, most interesting first, at most `limit`."""
    return [(e.status, e.path, e.size, e.lfs) for e in plan.entries[:limit]]
