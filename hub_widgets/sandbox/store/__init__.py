"""Storage of the sandbox Hub: the only place that speaks SQL.

- `db`: the `Store` (content-addressed blobs on disk, repos, commits, trees, refs, discussions, LFS
  objects in sqlite) and its value types;
- `accounts`: the account tables (mixed into `Store`);
- `schema`: the tables, `SCHEMA_VERSION` and the migrations that bring an older `--data` folder up to it.
"""

from __future__ import annotations

from .db import (
    EMPTY_TREE,
    LFS_THRESHOLD,
    REPO_TYPES,
    RESERVED_NAMESPACES,
    SMALL_BLOB,
    FileEntry,
    LfsWriter,
    Operation,
    Repo,
    Store,
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
