"""LFS rules of the sandbox Hub: which files go through LFS, who may use a stored object, signed URLs.

An object is stored once but served and reused only through a repo that may use it (`Store.lfs_in_repo`):
downloads go through `resolve` (repo access rules) or through a download URL the batch endpoint signs
for one repo and object; a commit references an object uploaded for its repo or one a repo the
committer can read already references.
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import re
import time
from dataclasses import dataclass

from .auth import Accounts, Identity
from .store import LFS_THRESHOLD, Repo, Store, git_blob_sha1, lfs_pointer

LFS_URL_TTL = 3600  # seconds a signed download URL stays valid
UPLOAD_TTL = 3600  # seconds an upload URL (ticket) stays valid


@dataclass
class UploadTicket:
    """What a single-use upload URL may receive: one object of one size, for one repo."""

    repo_rowid: int
    oid: str
    size: int
    expires: float
    repo_created: float = 0.0  # tells the repo apart from a later one that reuses its rowid


def _gitattributes_lfs_patterns(store: Store, commit: str) -> list[str]:
    entry = store.file(commit, ".gitattributes")
    if entry is None or entry.lfs:
        return []
    try:
        return lfs_patterns(store.blob_bytes(entry.oid))
    except OSError:
        return []


def lfs_patterns(gitattributes: bytes) -> list[str]:
    """The path patterns a `.gitattributes` file sends through LFS (`filter=lfs`)."""
    text = gitattributes.decode("utf-8", errors="replace")
    return [line.split()[0] for line in text.splitlines() if "filter=lfs" in line and line.split()]


def lfs_tracked(path: str, patterns: list[str]) -> bool:
    """Whether `path` matches one of the LFS `patterns` of a `.gitattributes`."""
    return any(_matches(path, p) for p in patterns)


def _matches(path: str, pattern: str) -> bool:
    if "/" in pattern.strip("/"):
        return fnmatch.fnmatch(path, pattern.lstrip("/"))
    return fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern)


def upload_mode(store: Store, commit: str, path: str, size: int, sample: bytes) -> str:
    """'lfs' for big files, binary samples and .gitattributes LFS patterns; 'regular' otherwise.

    Args:
        store: Where the repo lives.
        commit: The head the file would be committed onto (its .gitattributes counts).
        path: The file's path in the repo.
        size: Its size in bytes.
        sample: Its first bytes (a NUL makes it binary).
    """
    if size >= LFS_THRESHOLD or b"\0" in sample:
        return "lfs"
    if any(_matches(path, p) for p in _gitattributes_lfs_patterns(store, commit)):
        return "lfs"
    return "regular"


def pointer_oid(sha256: str, size: int) -> str:
    """The git blob id of the LFS pointer file of an object (what the tree lists for it)."""
    return git_blob_sha1(lfs_pointer(sha256, size))


def is_sha256(oid: object) -> bool:
    return isinstance(oid, str) and re.fullmatch(r"[0-9a-f]{64}", oid) is not None


def lfs_usable(
    store: Store, accounts: Accounts, ident: Identity, repo: Repo, oid: str, size: int | None = None
) -> bool:
    """Whether `ident` may reference LFS object `oid` (of `size`, when given) in a commit to `repo`.

    Args:
        store: Where the object and the repos live.
        accounts: The access rules.
        ident: The caller (its identity decides which other repos count).
        repo: The repo the commit or upload is for.
        oid: The object's sha256.
        size: Its size, when the client gave one (a different stored size does not match).
    """
    if not store.has_lfs(oid, size):
        return False
    if store.lfs_in_repo(repo, oid):
        return True
    # Dedupe across repos the caller can read is legitimate: they could download the object anyway.
    return any(accounts.can_read_files(ident, other) for other in store.repos_referencing_lfs(oid))


def object_signature(secret: bytes, repo_rowid: int, oid: str, expires: int) -> str:
    """The signature of a download URL for object `oid` of one repo, valid until `expires` (epoch)."""
    message = f"{repo_rowid}:{oid}:{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_query(secret: bytes, repo_rowid: int, oid: str) -> dict[str, str | int]:
    """The query of a fresh download URL for `oid` through repo `repo_rowid` (valid LFS_URL_TTL)."""
    expires = int(time.time()) + LFS_URL_TTL
    return {"repo": repo_rowid, "expires": expires, "sig": object_signature(secret, repo_rowid, oid, expires)}


def signed_repo(secret: bytes, oid: str, repo_arg: str, expires_arg: str, sig: str) -> int | None:
    """The repo rowid a download URL was signed for, or None if it is malformed, forged or expired."""
    if not (
        re.fullmatch(r"[0-9]{1,18}", repo_arg)
        and re.fullmatch(r"[0-9]{1,18}", expires_arg)
        and int(expires_arg) >= time.time()
        and hmac.compare_digest(
            sig.encode(), object_signature(secret, int(repo_arg), oid, int(expires_arg)).encode()
        )
    ):
        return None
    return int(repo_arg)
