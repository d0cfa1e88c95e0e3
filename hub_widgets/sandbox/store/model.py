"""The value types of the sandbox store and the rules on names and card tags they carry."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..validation import Invalid, check_repo_name, parse_card

REPO_TYPES = ("model", "dataset", "space")
RESERVED_NAMESPACES = {"api", "datasets", "spaces", "models", "oauth", "inference", "lfs-upload", "settings"}
SHA_PATTERN = re.compile(r"^[0-9a-f]{40}$")
SHORT_SHA_PATTERN = re.compile(r"^[0-9a-f]{7,39}$")  # a commit id shortened as git does (7+ digits)
LFS_THRESHOLD = 10 * 1000 * 1000
SMALL_BLOB = 64 * 1024
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


class StoreError(Exception):
    """An error with an HTTP status and the `X-Error-Code` the client maps to an exception."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict | None = None,
        extra: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.headers = status, message, code, headers or {}
        self.extra = extra or {}  # more fields of the JSON error body (e.g. `estimated_time`)


def now_iso(ts: float | None = None) -> str:
    ts = time.time() if ts is None else ts
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1000):03d}Z"


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def parse_front_matter(text: str) -> dict[str, Any]:
    """The YAML front matter of a README as a dict ({} when absent, invalid or beyond the parse limits)."""
    try:
        return parse_card(text)
    except Invalid:
        return {}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None]
    return [str(value)]


def tags_from_card(card: dict[str, Any], repo_type: str) -> list[str]:
    """The tags the Hub derives from card metadata: plain tags, library, task, license, datasets, ..."""
    tags: list[str] = []
    tags += _as_list(card.get("tags"))
    tags += _as_list(card.get("library_name"))
    if repo_type == "model":
        tags += _as_list(card.get("pipeline_tag"))
    else:
        tags += [f"task_categories:{t}" for t in _as_list(card.get("task_categories"))]
    tags += _as_list(card.get("language"))
    tags += [f"license:{lic}" for lic in _as_list(card.get("license"))]
    tags += [f"dataset:{d}" for d in _as_list(card.get("datasets"))]
    tags += [f"base_model:{b}" for b in _as_list(card.get("base_model"))]
    seen: dict[str, None] = {}
    for tag in tags:
        seen.setdefault(tag, None)
    return list(seen)


@dataclass
class Repo:
    rowid: int
    type: str
    namespace: str
    name: str
    private: bool
    gated: str | bool
    created_at: float
    last_modified: float
    downloads: int
    likes: int
    card: dict[str, Any] = field(default_factory=dict)
    head: str | None = None  # main branch head

    @property
    def id(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def tags(self) -> list[str]:
        return tags_from_card(self.card, self.type)


@dataclass
class FileEntry:
    path: str
    oid: str  # git blob sha1 (for LFS files: the sha1 of the pointer file)
    size: int
    lfs: str | None = None  # sha256 for LFS files

    def pointer_size(self) -> int:
        return len(lfs_pointer(self.lfs or "", self.size))


def lfs_pointer(sha256: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()


@dataclass
class Operation:
    """One operation of a commit, as parsed from the NDJSON body."""

    kind: str  # "file" | "lfsFile" | "deletedFile" | "deletedFolder"
    path: str
    oid: str | None = None
    size: int = 0
    lfs: str | None = None


def private_dir(path: Path, parents: bool = False) -> None:
    """Create `path` (if missing) as a folder only its owner can enter (0700, whatever the umask)."""
    path.mkdir(mode=0o700, parents=parents, exist_ok=True)
    if path.stat().st_mode & 0o777 != 0o700:
        path.chmod(0o700)


def check_repo_names(namespace: Any, name: Any) -> None:
    """Refuse a repo name or namespace the Hub would not accept (also for moves)."""
    try:
        check_repo_name(namespace, "namespace")
        check_repo_name(name)
    except Invalid as exc:
        raise StoreError(400, str(exc)) from None
    if namespace in RESERVED_NAMESPACES:
        raise StoreError(400, f"Namespace {namespace!r} is reserved.")


def file_entry_json(entry: FileEntry) -> dict[str, Any]:
    """A file as the tree and paths-info endpoints describe it (never with a xetHash)."""
    item: dict[str, Any] = {"type": "file", "oid": entry.oid, "size": entry.size, "path": entry.path}
    if entry.lfs:
        item["lfs"] = {"oid": entry.lfs, "size": entry.size, "pointerSize": entry.pointer_size()}
    return item
