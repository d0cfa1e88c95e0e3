"""Storage of the sandbox Hub: the only place that speaks SQL.

- `db`: the `Store`: repos, refs, commits and their git trees, merges; with, mixed in, the tables of
  `blobs` (content-addressed files, LFS objects and which repo may use which), `discussions`
  (discussions and pull requests) and `accounts` (users, organisations, tokens, passwords);
- `model`: the value types (`Repo`, `FileEntry`, `Operation`, `StoreError`) and name rules;
- `schema`: the tables, `SCHEMA_VERSION` and the migrations that bring an older `--data` folder up to it.
"""

from __future__ import annotations

from .blobs import LfsWriter
from .db import Store
from .model import (
    EMPTY_TREE,
    LFS_THRESHOLD,
    REPO_TYPES,
    RESERVED_NAMESPACES,
    SMALL_BLOB,
    FileEntry,
    Operation,
    Repo,
    StoreError,
    check_repo_names,
    file_entry_json,
    git_blob_sha1,
    lfs_pointer,
    now_iso,
    parse_front_matter,
    private_dir,
    tags_from_card,
)
from .schema import SCHEMA_VERSION, secret_hash

__all__ = [
    "EMPTY_TREE",
    "LFS_THRESHOLD",
    "REPO_TYPES",
    "RESERVED_NAMESPACES",
    "SCHEMA_VERSION",
    "SMALL_BLOB",
    "FileEntry",
    "LfsWriter",
    "Operation",
    "Repo",
    "Store",
    "StoreError",
    "check_repo_names",
    "file_entry_json",
    "git_blob_sha1",
    "lfs_pointer",
    "now_iso",
    "parse_front_matter",
    "private_dir",
    "secret_hash",
    "tags_from_card",
]
