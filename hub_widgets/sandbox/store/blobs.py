"""Blobs and LFS objects of the sandbox store: content-addressed files (small ones in sqlite) and
which repo may use which LFS object. Mixed into `Store`."""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from .model import SMALL_BLOB, FileEntry, Repo, StoreError, git_blob_sha1, private_dir


class BlobRows:
    """Mixed into `Store`: blob files, the `small_blobs`, `lfs_objects` and `lfs_repo_objects` tables."""

    root: Path
    db: sqlite3.Connection
    lock: threading.RLock
    query: Callable[..., list[sqlite3.Row]]
    execute: Callable[..., None]
    _repo_from_row: Callable[[sqlite3.Row], Repo]

    # -- blobs -------------------------------------------------------------------------------------

    def blob_path(self, oid: str) -> Path:
        return self.root / "blobs" / oid[:2] / oid[2:]

    def lfs_path(self, sha256: str) -> Path:
        return self.root / "lfs" / sha256[:2] / sha256[2:]

    def put_blob(self, data: bytes) -> str:
        """Store a regular file's content; returns its git blob sha1.

        Small blobs live in sqlite (one row instead of one file: a commit of 20,000 small files stays
        fast); larger ones are files under blobs/.
        """
        oid = git_blob_sha1(data)
        if len(data) <= SMALL_BLOB:
            self.execute("INSERT OR IGNORE INTO small_blobs(oid, data) VALUES (?,?)", (oid, data))
            return oid
        path = self.blob_path(oid)
        if not path.exists():
            private_dir(path.parent)
            tmp = path.with_suffix(f".tmp{threading.get_ident()}")
            with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        return oid

    def blob_bytes(self, oid: str) -> bytes:
        """The content of a regular blob (small files only: callers check the size first)."""
        rows = self.query("SELECT data FROM small_blobs WHERE oid=?", (oid,))
        return bytes(rows[0]["data"]) if rows else self.blob_path(oid).read_bytes()

    def open_entry(self, entry: FileEntry) -> BinaryIO:
        """A binary file object with the content of `entry` (regular or LFS)."""
        if entry.lfs:
            return open(self.lfs_path(entry.lfs), "rb")
        if entry.size <= SMALL_BLOB:
            rows = self.query("SELECT data FROM small_blobs WHERE oid=?", (entry.oid,))
            if rows:
                return io.BytesIO(bytes(rows[0]["data"]))
        return open(self.blob_path(entry.oid), "rb")

    def has_lfs(self, sha256: str, size: int | None = None) -> bool:
        rows = self.query("SELECT size FROM lfs_objects WHERE sha256=?", (sha256,))
        return bool(rows) and (size is None or rows[0]["size"] == size) and self.lfs_path(sha256).exists()

    def lfs_size(self, sha256: str) -> int | None:
        """The stored size of LFS object `sha256`, or None if it was never uploaded."""
        rows = self.query("SELECT size FROM lfs_objects WHERE sha256=?", (sha256,))
        return rows[0]["size"] if rows else None

    def lfs_writer(self, sha256: str, size: int) -> LfsWriter:
        return LfsWriter(self, sha256, size)

    # -- which repo may use which LFS object ---------------------------------------------------------
    # LFS objects are stored once (by sha256) but belong to repos, as on the Hub: a repo may use an object
    # that was uploaded for it or that one of its commits references; `committed` tells the two apart.

    def note_lfs_upload(self, repo: Repo, sha256: str) -> None:
        """Record that `sha256` was uploaded for `repo` (through one of its upload URLs)."""
        self.execute("INSERT OR IGNORE INTO lfs_repo_objects VALUES (?,?,0)", (repo.rowid, sha256))

    def _note_lfs_commit(self, repo_rowid: int, shas: Iterable[str]) -> None:
        """Inside the caller's transaction: `repo` now references these objects in a commit."""
        self.db.executemany(
            "INSERT INTO lfs_repo_objects VALUES (?,?,1) ON CONFLICT(repo, sha256) DO UPDATE SET committed=1",
            ((repo_rowid, sha) for sha in set(shas)),
        )

    def lfs_in_repo(self, repo: Repo, sha256: str, committed: bool = False) -> bool:
        """Whether `repo` may use `sha256`: uploaded for it or referenced by one of its commits
        (only the latter when `committed`), and stored."""
        rows = self.query(
            "SELECT committed FROM lfs_repo_objects WHERE repo=? AND sha256=?", (repo.rowid, sha256)
        )
        return bool(rows) and (rows[0]["committed"] or not committed) and self.has_lfs(sha256)

    def repos_referencing_lfs(self, sha256: str) -> list[Repo]:
        """The repos with a commit that references LFS object `sha256`."""
        rows = self.query(
            "SELECT repos.* FROM lfs_repo_objects JOIN repos ON repos.rowid = lfs_repo_objects.repo "
            "WHERE lfs_repo_objects.sha256=? AND lfs_repo_objects.committed=1",
            (sha256,),
        )
        return [self._repo_from_row(r) for r in rows]


class LfsWriter:
    """Receives an LFS object in chunks: hashes while writing to a temp file, then checks and stores it."""

    def __init__(self, store: BlobRows, sha256: str, size: int) -> None:
        self.store, self.sha256, self.size = store, sha256, size
        fd, self.tmp = tempfile.mkstemp(dir=store.root / "tmp")
        self.file = os.fdopen(fd, "wb")
        self.hash = hashlib.sha256()
        self.received = 0

    def write(self, chunk: bytes) -> None:
        self.hash.update(chunk)
        self.file.write(chunk)
        self.received += len(chunk)

    def abort(self) -> None:
        self.file.close()
        Path(self.tmp).unlink(missing_ok=True)

    def finish(self) -> None:
        self.file.close()
        if self.received != self.size or self.hash.hexdigest() != self.sha256:
            Path(self.tmp).unlink(missing_ok=True)
            raise StoreError(
                400,
                f"Uploaded content does not match: expected {self.size} bytes with sha256 {self.sha256[:12]}…",
            )
        path = self.store.lfs_path(self.sha256)
        private_dir(path.parent)
        os.replace(self.tmp, path)
        self.store.execute("INSERT OR REPLACE INTO lfs_objects VALUES (?,?)", (self.sha256, self.size))
