"""The sqlite schema of the sandbox store and its migrations (`PRAGMA user_version`).

A data folder (`--data`) outlives the sandbox that wrote it: on open, each step in `MIGRATIONS` from the
folder's version up to `SCHEMA_VERSION` runs once, then `SCHEMA` creates whatever is still missing, and
a `DERIVED` table that was missing is filled in from the tables it follows from.
To change the schema: add the table or column to `SCHEMA` (for new folders), append a step that brings
an existing folder there, and add a test that opens a folder of the previous version.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable

SCHEMA = """
CREATE TABLE IF NOT EXISTS repos (
    rowid INTEGER PRIMARY KEY, type TEXT, namespace TEXT, name TEXT, private INTEGER, gated TEXT,
    created_at REAL, last_modified REAL, downloads INTEGER DEFAULT 0, likes INTEGER DEFAULT 0,
    card TEXT DEFAULT '{}', UNIQUE(type, namespace, name));
CREATE TABLE IF NOT EXISTS commits (
    oid TEXT PRIMARY KEY, repo INTEGER, parent TEXT, tree TEXT, title TEXT, message TEXT,
    author TEXT, date REAL, card TEXT DEFAULT '{}');
CREATE TABLE IF NOT EXISTS refs (
    repo INTEGER, kind TEXT, name TEXT, target TEXT, PRIMARY KEY (repo, kind, name));
CREATE TABLE IF NOT EXISTS tree_entries (
    tree TEXT, name TEXT, is_dir INTEGER, oid TEXT, size INTEGER, lfs TEXT,
    PRIMARY KEY (tree, name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS commits_by_repo ON commits(repo);
CREATE INDEX IF NOT EXISTS repos_by_namespace ON repos(type, namespace);
-- Repo ids are looked up without regard to case, as on the Hub.
CREATE INDEX IF NOT EXISTS repos_by_id_nocase ON repos(type, namespace COLLATE NOCASE, name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS small_blobs (oid TEXT PRIMARY KEY, data BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lfs_objects (sha256 TEXT PRIMARY KEY, size INTEGER);
-- Which repo may use which LFS object: uploaded for it (committed=0) or referenced by one of its
-- commits (committed=1). Objects are stored once, by sha256.
CREATE TABLE IF NOT EXISTS lfs_repo_objects (
    repo INTEGER, sha256 TEXT, committed INTEGER, PRIMARY KEY (repo, sha256)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lfs_repo_objects_by_sha ON lfs_repo_objects(sha256);
CREATE TABLE IF NOT EXISTS discussions (
    repo INTEGER, num INTEGER, title TEXT, description TEXT, author TEXT, is_pr INTEGER,
    status TEXT, created_at REAL, base TEXT, merge_commit TEXT, events TEXT DEFAULT '[]',
    PRIMARY KEY (repo, num));
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, fullname TEXT, is_org INTEGER DEFAULT 0);
-- Secrets are stored as sha256 hex digests only (the token itself is shown once, when created).
-- source: 'given' (listed by --user / --read-token / SandboxHub(users=...) at the latest start),
-- 'created' (new_token, seed) or 'device' (device login).
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY, user TEXT, role TEXT, name TEXT, created REAL, source TEXT DEFAULT 'created');
-- access: the hash of the access token issued with it (revoking that token revokes this one too).
CREATE TABLE IF NOT EXISTS refresh_tokens (
    hash TEXT PRIMARY KEY, user TEXT, role TEXT, created REAL, access TEXT);
CREATE TABLE IF NOT EXISTS passwords (user TEXT PRIMARY KEY, salt TEXT, hash TEXT);
-- The ids a repo had before it was moved (`move_repo`): they keep leading to it, as on the Hub.
CREATE TABLE IF NOT EXISTS repo_redirects (
    type TEXT, namespace TEXT, name TEXT, repo INTEGER, PRIMARY KEY (type, namespace, name));
CREATE TABLE IF NOT EXISTS members (org TEXT, user TEXT, PRIMARY KEY (org, user));
-- Who liked which repo (repos.likes counts them, on top of a seeded count). A new table: an older
-- folder gets it (empty) from this script, no migration step needed.
CREATE TABLE IF NOT EXISTS likes (user TEXT, repo INTEGER, created REAL, PRIMARY KEY (user, repo));
CREATE INDEX IF NOT EXISTS likes_by_repo ON likes(repo);
-- The exact git commit object of a commit pushed with git (its id is the sha1 of it); a commit made
-- through the API has none here: its object is rebuilt from its `commits` row (`Store.commit_object`).
-- A new table, an older folder gets it (empty): its commits were all made through the API.
CREATE TABLE IF NOT EXISTS commit_objects (oid TEXT PRIMARY KEY, raw BLOB) WITHOUT ROWID;
-- Blobs by id, to serve an LFS pointer file (stored only as its tree entry) as a git object.
CREATE INDEX IF NOT EXISTS tree_entries_by_oid ON tree_entries(oid);
"""


def secret_hash(secret: str) -> str:
    """What the database keeps of a token: its sha256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _hash_plain_tokens(db: sqlite3.Connection) -> None:
    """Schema 0 -> 1: tokens and refresh tokens were stored in plain text; keep only their sha256."""
    tables = _tables(db)
    # Overwrite freed pages: the plain tokens must not survive in the file.
    db.execute("PRAGMA secure_delete=ON")
    db.execute("BEGIN")
    if "tokens" in tables and "token" in {r[1] for r in db.execute("PRAGMA table_info(tokens)")}:
        old = db.execute("SELECT token, user, role, name, created FROM tokens").fetchall()
        db.execute("DROP TABLE tokens")
        db.execute(
            "CREATE TABLE tokens (hash TEXT PRIMARY KEY, user TEXT, role TEXT, name TEXT, created REAL, "
            "source TEXT DEFAULT 'created')"
        )
        db.executemany(
            "INSERT OR REPLACE INTO tokens VALUES (?,?,?,?,?,'created')",
            ((secret_hash(r[0]), r[1], r[2], r[3], r[4]) for r in old),
        )
    if "refresh_tokens" in tables and "token" in {
        r[1] for r in db.execute("PRAGMA table_info(refresh_tokens)")
    }:
        old = db.execute("SELECT token, user, created, access FROM refresh_tokens").fetchall()
        db.execute("DROP TABLE refresh_tokens")
        db.execute(
            "CREATE TABLE refresh_tokens (hash TEXT PRIMARY KEY, user TEXT, role TEXT, created REAL, access TEXT)"
        )
        db.executemany(  # schema 0 issued write tokens only
            "INSERT OR REPLACE INTO refresh_tokens VALUES (?,?,'write',?,?)",
            ((secret_hash(r[0]), r[1], r[2], secret_hash(r[3] or "")) for r in old),
        )
    db.execute("COMMIT")
    db.execute("VACUUM")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("PRAGMA secure_delete=OFF")


def _lfs_repo_objects(db: sqlite3.Connection) -> None:
    """Fill `lfs_repo_objects` from the commits: which repo references which LFS object.

    Run when the table is missing (a folder written before repos owned their objects, or one whose
    table was lost): the objects referenced by commits are found again; uploads not yet committed are
    not (their clients upload again).
    """
    db.execute("BEGIN")
    for (rowid,) in db.execute("SELECT DISTINCT repo FROM commits").fetchall():
        seen: set[str] = set()
        stack = [r[0] for r in db.execute("SELECT tree FROM commits WHERE repo=?", (rowid,))]
        found: set[str] = set()
        while stack:  # iterative: a deep tree must not hit the recursion limit
            tree = stack.pop()
            if tree in seen:
                continue
            seen.add(tree)
            for is_dir, oid, lfs in db.execute(
                "SELECT is_dir, oid, lfs FROM tree_entries WHERE tree=?", (tree,)
            ).fetchall():
                if is_dir:
                    stack.append(oid)
                elif lfs:
                    found.add(lfs)
        db.executemany(
            "INSERT OR REPLACE INTO lfs_repo_objects VALUES (?,?,1)", ((rowid, sha) for sha in found)
        )
    db.execute("COMMIT")


# MIGRATIONS[n - 1] brings a database from user_version n-1 to n; SCHEMA_VERSION is their count.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_hash_plain_tokens]
SCHEMA_VERSION = len(MIGRATIONS)

# Tables whose rows follow from other tables: when one is missing, whatever the version, `SCHEMA`
# creates it empty and its function fills it in.
DERIVED: dict[str, Callable[[sqlite3.Connection], None]] = {"lfs_repo_objects": _lfs_repo_objects}


def user_version(db: sqlite3.Connection) -> int:
    """The schema version a database was written with (0 for one older than versioning)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite3.Connection) -> int:
    """Bring `db` to SCHEMA_VERSION; returns the version it had.

    Raises:
        ValueError: `db` was written by a newer sandbox.
    """
    version = user_version(db)
    if version > SCHEMA_VERSION:
        raise ValueError(f"schema {version} > {SCHEMA_VERSION}")
    missing = set(DERIVED) - _tables(db)
    for step in range(version, SCHEMA_VERSION):
        MIGRATIONS[step](db)
    db.executescript(SCHEMA)
    for table in sorted(missing):
        DERIVED[table](db)
    if version != SCHEMA_VERSION:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    return version
