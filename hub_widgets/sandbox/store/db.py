"""The sandbox store: repos, refs, commits and trees in sqlite, with blobs, discussions and accounts mixed in.

Regular files are stored under their git blob sha1 (what the Hub reports as `oid`), LFS objects
under their sha256. Every commit records its full file list, so any revision can be read without
replaying history; directory entries carry real git tree ids. Blobs are written while hashing:
no file is ever held whole in memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .accounts import AccountRows
from .blobs import BlobRows
from .discussions import DiscussionRows
from .likes import LikeRows
from .model import (
    EMPTY_TREE,
    REPO_TYPES,
    SHA_PATTERN,
    SHORT_SHA_PATTERN,
    FileEntry,
    Operation,
    Repo,
    StoreError,
    check_repo_names,
    file_entry_json,
    lfs_pointer,
    now_iso,
    parse_front_matter,
    private_dir,
    tags_from_card,
)
from .schema import migrate


class Store(AccountRows, BlobRows, DiscussionRows, LikeRows):
    """Blobs on disk + metadata in sqlite under `root`. Thread-safe (one lock around sqlite).

    Args:
        root: The data folder; created if missing. The same folder after a restart gives back
            the same repos, commits, users and tokens.
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        # Private to the user who runs the sandbox whatever the umask: tokens and private repos live here.
        private_dir(self.root, parents=True)
        for sub in ("blobs", "lfs", "tmp"):
            private_dir(self.root / sub)
        self.lock = threading.RLock()
        self._listings: dict[tuple[str, str, bool], list[dict[str, Any]] | None] = {}
        self._trees: dict[str, list[tuple[str, bool, str, int, str | None]]] = {}
        self._roots: dict[str, str] = {}
        self._tree_index: dict[str, dict[str, tuple[str, bool, str, int, str | None]]] = {}
        self._cards: dict[str, dict[str, Any]] = {}
        db_path = self.root / "hub.sqlite3"
        # sqlite gives its -wal and -shm files the mode of the database file: make that one 0600 first.
        os.close(os.open(db_path, os.O_RDWR | os.O_CREAT, 0o600))
        for path in (db_path, *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm"))):
            if path.exists():
                path.chmod(0o600)
        self.db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def _migrate(self) -> None:
        """Bring a data folder written by an older sandbox to SCHEMA_VERSION (see `schema`)."""
        with self.lock:
            try:
                version = migrate(self.db)
            except ValueError as exc:
                raise StoreError(500, f"{self.root} was written by a newer sandbox ({exc}).") from None
        if version < 1:  # folders written before schema 1 were made under the umask (often 755/644)
            for path in self.root.rglob("*"):
                if not path.is_symlink():
                    path.chmod(0o700 if path.is_dir() else 0o600)

    # -- sqlite helpers ---------------------------------------------------------------------------

    def query(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(sql, tuple(args)).fetchall()

    def execute(self, sql: str, args: Iterable[Any] = ()) -> None:
        with self.lock:
            self.db.execute(sql, tuple(args))

    # -- repos -------------------------------------------------------------------------------------

    def _repo_from_row(self, row: sqlite3.Row) -> Repo:
        gated = row["gated"]
        head = self.query(
            "SELECT target FROM refs WHERE repo=? AND kind='branch' AND name='main'", (row["rowid"],)
        )
        return Repo(
            rowid=row["rowid"],
            type=row["type"],
            namespace=row["namespace"],
            name=row["name"],
            private=bool(row["private"]),
            gated=False if gated in (None, "", "false", "0") else gated,
            created_at=row["created_at"],
            last_modified=row["last_modified"],
            downloads=row["downloads"],
            likes=row["likes"],
            card=json.loads(row["card"] or "{}"),
            head=head[0]["target"] if head else None,
        )

    def get_repo(self, repo_type: str, namespace: str, name: str) -> Repo | None:
        """The repo `namespace/name`, matched without regard to case as the Hub does (the answer keeps
        the stored case)."""
        rows = self.query(
            "SELECT * FROM repos WHERE type=? AND namespace=? COLLATE NOCASE AND name=? COLLATE NOCASE",
            (repo_type, namespace, name),
        )
        return self._repo_from_row(rows[0]) if rows else None

    def moved_repo(self, repo_type: str, namespace: str, name: str) -> Repo | None:
        """The repo that was called `namespace/name` before a move (None if no repo was)."""
        rows = self.query(
            "SELECT repo FROM repo_redirects WHERE type=? AND namespace=? COLLATE NOCASE "
            "AND name=? COLLATE NOCASE",
            (repo_type, namespace, name),
        )
        return self.get_repo_by_rowid(rows[0]["repo"]) if rows else None

    def get_repo_by_rowid(self, rowid: int) -> Repo | None:
        rows = self.query("SELECT * FROM repos WHERE rowid=?", (rowid,))
        return self._repo_from_row(rows[0]) if rows else None

    def create_repo(
        self,
        repo_type: str,
        namespace: str,
        name: str,
        private: bool,
        author: str,
        extra_files: dict[str, bytes] | None = None,
    ) -> Repo:
        """A new repo whose first commit holds `.gitattributes` and `extra_files` (path -> content)."""
        if repo_type not in REPO_TYPES:
            raise StoreError(400, f"Invalid repo type {repo_type!r}: use model, dataset or space.")
        check_repo_names(namespace, name)
        with self.lock:
            if self.get_repo(repo_type, namespace, name) is not None:
                raise StoreError(409, f"You already created this {repo_type} repo", "RepoExists")
            ts = time.time()
            self.db.execute("BEGIN")
            try:
                cur = self.db.execute(
                    "INSERT INTO repos(type, namespace, name, private, gated, created_at, last_modified) "
                    "VALUES (?,?,?,?,?,?,?)",
                    (repo_type, namespace, name, int(private), "", ts, ts),
                )
                rowid = cur.lastrowid
                gitattributes = _DEFAULT_GITATTRIBUTES
                oid = self.put_blob(gitattributes)
                files = {".gitattributes": FileEntry(".gitattributes", oid, len(gitattributes))}
                for path, content in (extra_files or {}).items():
                    files[path] = FileEntry(path, self.put_blob(content), len(content))
                card = self._card_for(None, files)
                commit = self._write_commit(rowid, None, files, "initial commit", "", author, ts, card)
                self.db.execute("INSERT INTO refs VALUES (?,?,?,?)", (rowid, "branch", "main", commit))
                self.db.execute("UPDATE repos SET card=? WHERE rowid=?", (json.dumps(card), rowid))
                # A repo created under a name a moved repo had takes the name back from the redirect.
                self.db.execute(
                    "DELETE FROM repo_redirects WHERE type=? AND namespace=? COLLATE NOCASE "
                    "AND name=? COLLATE NOCASE",
                    (repo_type, namespace, name),
                )
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            return self.get_repo(repo_type, namespace, name)  # type: ignore[return-value]

    def delete_repo(self, repo: Repo) -> None:
        with self.lock:
            self.db.execute("BEGIN")
            for table in ("commits", "refs", "discussions", "lfs_repo_objects", "repo_redirects", "likes"):
                self.db.execute(f"DELETE FROM {table} WHERE repo=?", (repo.rowid,))
            self.db.execute("DELETE FROM repos WHERE rowid=?", (repo.rowid,))
            self.db.execute("COMMIT")

    def move_repo(self, repo: Repo, namespace: str, name: str) -> None:
        """Rename `repo`; its old id keeps leading to it (`moved_repo`) until a new repo takes that id."""
        check_repo_names(namespace, name)
        with self.lock:
            existing = self.get_repo(repo.type, namespace, name)
            if existing is not None and existing.rowid != repo.rowid:  # a change of case only is a move too
                kind = {"model": "model", "dataset": "dataset", "space": "Space"}.get(repo.type, repo.type)
                raise StoreError(
                    409, f"A {kind} repository called {namespace}/{name} already exists.", "RepoExists"
                )
            self.db.execute("BEGIN")
            try:
                self.db.execute(
                    "UPDATE repos SET namespace=?, name=? WHERE rowid=?", (namespace, name, repo.rowid)
                )
                self.db.execute(
                    "DELETE FROM repo_redirects WHERE type=? AND namespace=? COLLATE NOCASE "
                    "AND name=? COLLATE NOCASE",
                    (repo.type, namespace, name),
                )
                if existing is None:
                    self.db.execute(
                        "INSERT OR REPLACE INTO repo_redirects VALUES (?,?,?,?)",
                        (repo.type, repo.namespace, repo.name, repo.rowid),
                    )
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def update_settings(
        self, repo: Repo, private: bool | None = None, gated: str | bool | None = None
    ) -> None:
        if private is not None:
            self.execute("UPDATE repos SET private=? WHERE rowid=?", (int(private), repo.rowid))
        if gated is not None:
            value = "" if gated in (False, "false", None) else str(gated)
            self.execute("UPDATE repos SET gated=? WHERE rowid=?", (value, repo.rowid))

    def set_card(self, repo: Repo, card: dict[str, Any]) -> None:
        """Replace the repo's card data (what repo info reports before any README says otherwise)."""
        self.execute("UPDATE repos SET card=? WHERE rowid=?", (json.dumps(card), repo.rowid))

    def count_download(self, repo: Repo) -> None:
        self.execute("UPDATE repos SET downloads=downloads+1 WHERE rowid=?", (repo.rowid,))

    def set_counters(self, repo: Repo, downloads: int | None = None, likes: int | None = None) -> None:
        if downloads is not None:
            self.execute("UPDATE repos SET downloads=? WHERE rowid=?", (downloads, repo.rowid))
        if likes is not None:
            self.execute("UPDATE repos SET likes=? WHERE rowid=?", (likes, repo.rowid))

    def list_repos(
        self,
        repo_type: str,
        *,
        visible_to: set[str],
        search: str | None = None,
        author: str | None = None,
        tags: Iterable[str] = (),
        sort: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> tuple[list[Repo], bool]:
        """Repos visible to `visible_to` (namespaces), filtered and sorted; returns (page, has_more)."""
        sql = "SELECT * FROM repos WHERE type=?"
        args: list[Any] = [repo_type]
        marks = ",".join("?" * len(visible_to)) or "''"
        sql += f" AND (private=0 OR namespace IN ({marks}))"
        args += sorted(visible_to)
        if author:
            sql += " AND namespace=? COLLATE NOCASE"
            args.append(author)
        if search:
            sql += " AND instr(lower(namespace || '/' || name), ?) > 0"
            args.append(search.lower())
        column = {
            "lastModified": "last_modified",
            "last_modified": "last_modified",
            "createdAt": "created_at",
            "created_at": "created_at",
            "downloads": "downloads",
            "likes": "likes",
            "trendingScore": "likes * 10 + downloads",
            "trending_score": "likes * 10 + downloads",
        }.get(sort or "", "rowid")
        sql += f" ORDER BY {column} DESC, rowid DESC"
        wanted = list(tags)
        if not wanted:  # let sqlite page: no need to read every repo
            rows = self.query(sql + " LIMIT ? OFFSET ?", [*args, limit + 1, offset])
            page = [self._repo_from_row(row) for row in rows[:limit]]
            return page, len(rows) > limit
        rows = self.query(sql, args)
        result: list[Repo] = []
        skipped = 0
        for row in rows:
            card = json.loads(row["card"] or "{}")
            if wanted:
                repo_tags = set(tags_from_card(card, repo_type))
                if not all(t in repo_tags for t in wanted):
                    continue
            if skipped < offset:
                skipped += 1
                continue
            if len(result) == limit:
                return result, True
            result.append(self._repo_from_row(row))
        return result, False

    # -- refs and revisions ------------------------------------------------------------------------

    def refs(self, repo: Repo) -> list[sqlite3.Row]:
        return self.query(
            "SELECT kind, name, target FROM refs WHERE repo=? ORDER BY kind, name", (repo.rowid,)
        )

    def resolve(self, repo: Repo, revision: str) -> tuple[str, str | None]:
        """(commit oid, branch-like ref to commit onto or None) for a branch, tag, refs/pr/N or sha."""
        rev = revision
        if rev.startswith("refs/heads/"):
            rev = rev[len("refs/heads/") :]
        if rev.startswith("refs/pr/"):
            rows = self.query(
                "SELECT target FROM refs WHERE repo=? AND kind='pr' AND name=?", (repo.rowid, rev[8:])
            )
            if rows:
                return rows[0]["target"], rev
        else:
            rows = self.query(
                "SELECT target FROM refs WHERE repo=? AND kind='branch' AND name=?", (repo.rowid, rev)
            )
            if rows:
                return rows[0]["target"], rev
            tag = rev[len("refs/tags/") :] if rev.startswith("refs/tags/") else rev
            rows = self.query(
                "SELECT target FROM refs WHERE repo=? AND kind='tag' AND name=?", (repo.rowid, tag)
            )
            if rows:
                return rows[0]["target"], None
            if SHA_PATTERN.match(rev):
                rows = self.query("SELECT oid FROM commits WHERE repo=? AND oid=?", (repo.rowid, rev))
                if rows:
                    return rev, None
            elif SHORT_SHA_PATTERN.match(rev):
                # A short commit id names a commit when exactly one of the repo's commits starts with it;
                # an ambiguous one names none, as on the Hub.
                rows = self.query(
                    "SELECT oid FROM commits WHERE repo=? AND oid LIKE ? LIMIT 2", (repo.rowid, rev + "%")
                )
                if len(rows) == 1:
                    return rows[0]["oid"], None
        raise StoreError(404, f"Invalid rev id: {revision}", "RevisionNotFound")

    def set_ref(self, repo: Repo, kind: str, name: str, target: str) -> None:
        self.execute("INSERT OR REPLACE INTO refs VALUES (?,?,?,?)", (repo.rowid, kind, name, target))

    def create_ref(self, repo: Repo, kind: str, name: str, target: str) -> bool:
        """Add a ref pointing at `target`; False (and nothing changed) if it already exists."""
        with self.lock:
            cur = self.db.execute(
                "INSERT OR IGNORE INTO refs VALUES (?,?,?,?)", (repo.rowid, kind, name, target)
            )
            return cur.rowcount > 0

    def delete_ref(self, repo: Repo, kind: str, name: str) -> bool:
        with self.lock:
            cur = self.db.execute(
                "DELETE FROM refs WHERE repo=? AND kind=? AND name=?", (repo.rowid, kind, name)
            )
            return cur.rowcount > 0

    def ref_target(self, repo: Repo, kind: str, name: str) -> str | None:
        """The commit a branch, tag or pull request ref points at; None if there is no such ref."""
        rows = self.query(
            "SELECT target FROM refs WHERE repo=? AND kind=? AND name=?", (repo.rowid, kind, name)
        )
        return rows[0]["target"] if rows else None

    def writable_ref(self, repo: Repo, revision: str, create_pr: bool = False) -> tuple[str, str, str]:
        """(kind, name, head) of the branch or pull request ref a commit to `revision` goes onto.

        Args:
            repo: The repo.
            revision: A branch, `refs/heads/...` or `refs/pr/N`.
            create_pr: The commit opens a pull request: only a branch can be its base, and a commit id
                is then an unknown revision (404), as on the Hub.

        Raises:
            StoreError: 400 for a tag or a commit id (they take no commits), 404 for an unknown ref.
        """
        rev = revision[len("refs/heads/") :] if revision.startswith("refs/heads/") else revision
        if rev.startswith("refs/pr/"):
            kind, name = "pr", rev[len("refs/pr/") :]
        else:
            kind, name = "branch", rev
        head = self.ref_target(repo, kind, name)
        if head is None:
            if create_pr and SHA_PATTERN.match(rev):
                raise StoreError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
            if self.has_ref(repo, "tag", rev) or SHA_PATTERN.match(rev):
                raise StoreError(
                    400, f"Cannot commit to {revision!r}: only branches and pull requests take commits."
                )
            raise StoreError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        return kind, name, head

    def has_ref(self, repo: Repo, kind: str, name: str) -> bool:
        return bool(
            self.query("SELECT 1 FROM refs WHERE repo=? AND kind=? AND name=?", (repo.rowid, kind, name))
        )

    # -- commits and files -------------------------------------------------------------------------

    def commit_row(self, oid: str) -> sqlite3.Row:
        return self.query("SELECT * FROM commits WHERE oid=?", (oid,))[0]

    # Trees are stored as git stores them: one row per entry of each folder, keyed by the folder's tree id.
    # Identical folders are shared between commits, so a commit touching one file writes only the folders
    # on its path, not the whole file list.

    def _tree(self, tree_oid: str) -> list[tuple[str, bool, str, int, str | None]]:
        """Entries (name, is_dir, oid, size, lfs) of a tree; trees never change, so they are cached."""
        with self.lock:
            cached = self._trees.get(tree_oid)
            if cached is not None:
                return cached
            rows = self.db.execute(
                "SELECT name, is_dir, oid, size, lfs FROM tree_entries WHERE tree=?", (tree_oid,)
            ).fetchall()
            entries = [(r[0], bool(r[1]), r[2], r[3], r[4]) for r in rows]
            self._trees[tree_oid] = entries
            self._tree_index[tree_oid] = {e[0]: e for e in entries}
            while len(self._trees) > 2048:
                oldest = next(iter(self._trees))
                del self._trees[oldest]
                self._tree_index.pop(oldest, None)
            return entries

    def _entry(self, tree_oid: str, name: str) -> tuple[str, bool, str, int, str | None] | None:
        self._tree(tree_oid)
        with self.lock:
            index = self._tree_index.get(tree_oid)
        if index is None:  # evicted meanwhile
            return next((e for e in self._tree(tree_oid) if e[0] == name), None)
        return index.get(name)

    def _root(self, commit: str) -> str:
        root = self._roots.get(commit)
        if root is None:
            rows = self.query("SELECT tree FROM commits WHERE oid=?", (commit,))
            if not rows:
                return EMPTY_TREE
            root = self._roots[commit] = rows[0]["tree"]  # commits never change
        return root

    def _walk(self, tree_oid: str, prefix: str, recursive: bool, out_dirs: list, out_files: list) -> None:
        # Iterative: however deep a stored tree is, reading it never hits the recursion limit.
        stack = [(tree_oid, prefix)]
        while stack:
            oid, base = stack.pop()
            for name, is_dir, entry_oid, size, lfs in self._tree(oid):
                path = base + name
                if is_dir:
                    out_dirs.append((path, entry_oid))
                    if recursive:
                        stack.append((entry_oid, path + "/"))
                else:
                    out_files.append(FileEntry(path, entry_oid, size, lfs))

    def files(self, commit: str) -> dict[str, FileEntry]:
        dirs: list = []
        files: list[FileEntry] = []
        self._walk(self._root(commit), "", True, dirs, files)
        return {f.path: f for f in files}

    def dir_oid(self, commit: str, path: str) -> str | None:
        oid = self._root(commit)
        for part in [p for p in path.strip("/").split("/") if p]:
            match = self._entry(oid, part)
            if match is None or not match[1]:
                return None
            oid = match[2]
        return oid

    def file(self, commit: str, path: str) -> FileEntry | None:
        parent, _, name = path.strip("/").rpartition("/")
        folder = self.dir_oid(commit, parent)
        if folder is None or not name:
            return None
        match = self._entry(folder, name)
        return FileEntry(path.strip("/"), match[2], match[3], match[4]) if match and not match[1] else None

    def list_dir(self, commit: str, path: str, recursive: bool) -> list[dict[str, Any]] | None:
        """Tree entries under `path` ('' = root), directories first; None if `path` is no folder.

        Commits never change, so listings are cached (a paged listing reads the tree once, not per page).
        """
        key = (commit, path.strip("/"), recursive)
        with self.lock:
            cached = self._listings.get(key)
        if cached is None:
            cached = self._list_dir(commit, path, recursive)
            with self.lock:
                self._listings[key] = cached
                while len(self._listings) > 16:
                    self._listings.pop(next(iter(self._listings)))
        return None if cached is None else [dict(e) for e in cached]

    def _list_dir(self, commit: str, path: str, recursive: bool) -> list[dict[str, Any]] | None:
        folder = path.strip("/")
        oid = self.dir_oid(commit, folder)
        if oid is None:
            return None
        dirs: list[tuple[str, str]] = []
        files: list[FileEntry] = []
        self._walk(oid, f"{folder}/" if folder else "", recursive, dirs, files)
        dirs.sort()
        files.sort(key=lambda f: f.path)
        return [{"type": "directory", "oid": d_oid, "size": 0, "path": d_path} for d_path, d_oid in dirs] + [
            file_entry_json(f) for f in files
        ]

    def apply_commit(
        self,
        repo: Repo,
        branch: str,
        ops: list[Operation],
        summary: str,
        description: str,
        author: str,
        parent_commit: str | None = None,
        kind: str = "branch",
    ) -> str:
        """Apply `ops` on top of `branch` (or `refs/pr/N` when kind='pr') atomically; returns the new commit."""
        with self.lock:
            rows = self.query(
                "SELECT target FROM refs WHERE repo=? AND kind=? AND name=?", (repo.rowid, kind, branch)
            )
            if not rows:
                raise StoreError(404, f"Invalid rev id: {branch}", "RevisionNotFound")
            head = rows[0]["target"]
            if parent_commit and parent_commit != head:
                # The Hub's words (its website shows them too).
                raise StoreError(
                    412, "The branch was updated since you opened this page. Please refresh and try again."
                )
            files = self.files(head)
            folders: set[str] | None = None  # every folder of `files`, built once, lazily
            for op in ops:
                if op.kind in ("file", "lfsFile"):
                    if op.lfs and not self.has_lfs(op.lfs, op.size):
                        raise StoreError(
                            422,
                            f"LFS object {op.lfs[:12]}… for {op.path} was not uploaded (or has another size).",
                        )
                    if folders is None:
                        folders = {f for p in files for f in _parents(p)}
                    if op.path in folders:
                        raise StoreError(409, f"{op.path} is a folder in this revision.")
                    clash = next((f for f in _parents(op.path) if f in files), None)
                    if clash is not None:
                        raise StoreError(
                            409, f"{clash} is a file in this revision: {op.path} cannot go under it."
                        )
                    files[op.path] = FileEntry(op.path, op.oid or "", op.size, op.lfs)
                    folders.update(_parents(op.path))
                elif op.kind == "deletedFile" and op.path in files:
                    del files[op.path]
                    folders = None
                elif op.kind in ("deletedFile", "deletedFolder"):
                    # A folder named without its trailing slash ("dir") is deleted as a folder, as on the Hub.
                    prefix = op.path.strip("/") + "/"
                    doomed = [p for p in files if p.startswith(prefix)]
                    if not doomed:
                        what = "File" if op.kind == "deletedFile" else "Folder"
                        raise StoreError(404, f"{what} {op.path} not found in {branch}.", "EntryNotFound")
                    for p in doomed:
                        del files[p]
                    folders = None
            card = self._card_for(repo, files)
            ts = time.time()
            self.db.execute("BEGIN")
            try:
                commit = self._write_commit(repo.rowid, head, files, summary, description, author, ts, card)
                # Only what the new commit really contains (a later op of the same commit may remove it).
                self._note_lfs_commit(
                    repo.rowid,
                    (op.lfs for op in ops if op.lfs and getattr(files.get(op.path), "lfs", None) == op.lfs),
                )
                self.db.execute(
                    "UPDATE refs SET target=? WHERE repo=? AND kind=? AND name=?",
                    (commit, repo.rowid, kind, branch),
                )
                self._touch_repo(repo, kind == "branch" and branch == "main", card, ts)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            return commit

    def squash(self, repo: Repo, branch: str, message: str, author: str) -> str:
        """Replace the history of `branch` by one commit with its current files (`super_squash_history`).

        Other refs keep their commits (as on the Hub, a tag still points at the old history).
        """
        with self.lock:
            head = self.ref_target(repo, "branch", branch)
            if head is None:
                raise StoreError(404, f"Invalid rev id: {branch}", "RevisionNotFound")
            files = self.files(head)
            card = json.loads(self.commit_row(head)["card"] or "{}")
            ts = time.time()
            self.db.execute("BEGIN")
            try:
                title, _, rest = message.partition("\n")
                commit = self._write_commit(repo.rowid, None, files, title, rest.strip(), author, ts, card)
                self.db.execute(
                    "UPDATE refs SET target=? WHERE repo=? AND kind='branch' AND name=?",
                    (commit, repo.rowid, branch),
                )
                self.db.execute("UPDATE repos SET last_modified=? WHERE rowid=?", (ts, repo.rowid))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            return commit

    def _card_for(self, repo: Repo | None, files: dict[str, FileEntry]) -> dict[str, Any]:
        readme = files.get("README.md")
        if readme is None or readme.lfs or readme.size > 1_000_000:
            return {}
        return self.card_of_blob(readme.oid)

    def card_of_blob(self, oid: str) -> dict[str, Any]:
        """The card metadata of a stored README blob ({} if unreadable or invalid); parsed once per blob.

        The commit handler parses a new README off the event loop first, so commits find it here.
        """
        cached = self._cards.get(oid)
        if cached is not None:
            return cached
        try:
            card = parse_front_matter(self.blob_bytes(oid).decode("utf-8", errors="replace"))
        except OSError:
            return {}
        self.remember_card(oid, card)
        return card

    def remember_card(self, oid: str, card: dict[str, Any]) -> None:
        """Keep the parsed metadata of README blob `oid` (a few hundred, the most recent)."""
        self._cards[oid] = card
        while len(self._cards) > 256:
            self._cards.pop(next(iter(self._cards)), None)

    def _write_commit(
        self,
        repo_rowid: int,
        parent: str | None,
        files: dict[str, FileEntry],
        title: str,
        message: str,
        author: str,
        ts: float,
        card: dict[str, Any],
        raw: bytes | None = None,
    ) -> str:
        """Insert a commit with its full file list and tree ids (inside the caller's transaction).

        Its id is the sha1 of the git commit object it is (`commit_body`), so `git clone` sees the same
        history; `raw` is that object as pushed with git (kept as is: its author, committer, parents and
        message need not follow the API's form), otherwise it is built from the other fields.
        """
        trees, contents = _tree_ids(files)
        tree = trees.get("", EMPTY_TREE)
        if raw is not None:
            oid = hashlib.sha1(b"commit %d\0" % len(raw) + raw).hexdigest()
        else:
            while True:
                body = commit_body(tree, parent, author, ts, title, message)
                oid = hashlib.sha1(b"commit %d\0" % len(body) + body).hexdigest()
                if not self.db.execute("SELECT 1 FROM commits WHERE oid=?", (oid,)).fetchone():
                    break
                # Same content, same second, same parent: a second later, as git would make it; the stored
                # date says so, so the id stays reproducible from the row.
                ts = int(ts) + 1
        self.db.execute(
            "INSERT INTO commits(oid, repo, parent, tree, title, message, author, date, card) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            (oid, repo_rowid, parent, tree, title, message, author, ts, json.dumps(card)),
        )
        if raw is not None:
            self.db.execute("INSERT OR REPLACE INTO commit_objects VALUES (?,?)", (oid, raw))
        for folder, tree_oid in trees.items():
            entries = contents[folder]
            if (
                not entries
                or self.db.execute("SELECT 1 FROM tree_entries WHERE tree=? LIMIT 1", (tree_oid,)).fetchone()
            ):
                continue  # an identical folder is already stored (shared with another commit)
            self.db.executemany(
                "INSERT OR IGNORE INTO tree_entries VALUES (?,?,?,?,?,?)", ((tree_oid, *e) for e in entries)
            )
        return oid

    def history(self, commit: str) -> Iterator[sqlite3.Row]:
        """Commits from `commit` back to the first, newest first."""
        oid: str | None = commit
        while oid:
            rows = self.query("SELECT * FROM commits WHERE oid=?", (oid,))
            if not rows:
                return
            yield rows[0]
            oid = rows[0]["parent"]

    # -- git objects: the stored history as git sees it ---------------------------------------------

    def commit_object(self, oid: str) -> bytes | None:
        """The git commit object of commit `oid` (as pushed, or rebuilt from its row); None if unknown."""
        rows = self.query("SELECT raw FROM commit_objects WHERE oid=?", (oid,))
        if rows:
            return bytes(rows[0]["raw"])
        rows = self.query("SELECT * FROM commits WHERE oid=?", (oid,))
        if not rows:
            return None
        r = rows[0]
        return commit_body(r["tree"], r["parent"], r["author"], r["date"], r["title"], r["message"] or "")

    def repo_commit(self, repo: Repo, oid: str) -> bool:
        """Whether `oid` is a commit of `repo`."""
        return bool(self.query("SELECT 1 FROM commits WHERE oid=? AND repo=?", (oid, repo.rowid)))

    def git_object(self, repo: Repo, oid: str) -> tuple[int, bytes] | None:
        """(git type number, content) of a commit of `repo`, or of a tree or blob (None if unknown).

        Trees come back from their stored entries; an LFS file's blob is its pointer file.
        """
        if self.repo_commit(repo, oid):
            raw = self.commit_object(oid)
            return (1, raw) if raw is not None else None
        if oid == EMPTY_TREE:
            return 2, b""
        entries = self._tree(oid)
        if entries:
            return 2, tree_body((name, is_dir, sha) for name, is_dir, sha, _size, _lfs in entries)
        rows = self.query("SELECT data FROM small_blobs WHERE oid=?", (oid,))
        if rows:
            return 3, bytes(rows[0]["data"])
        path = self.blob_path(oid)
        if path.exists():
            return 3, path.read_bytes()
        rows = self.query(
            "SELECT size, lfs FROM tree_entries WHERE oid=? AND lfs IS NOT NULL LIMIT 1", (oid,)
        )
        if rows:
            return 3, lfs_pointer(rows[0]["lfs"], rows[0]["size"])
        return None

    def repo_objects(self, repo: Repo) -> set[str]:
        """Ids of every tree and blob the commits of `repo` reach: what a push to it may build on
        without sending (a blob of another repo must be sent, as its content proves the pusher has it)."""
        found: set[str] = set()
        stack = [r["tree"] for r in self.query("SELECT tree FROM commits WHERE repo=?", (repo.rowid,))]
        while stack:  # iterative: a deep tree must not hit the recursion limit
            tree = stack.pop()
            if tree in found:
                continue
            found.add(tree)
            for _name, is_dir, oid, _size, _lfs in self._tree(tree):
                if is_dir:
                    stack.append(oid)
                else:
                    found.add(oid)
        return found

    def add_pushed_commits(self, repo: Repo, commits: list[dict[str, Any]]) -> None:
        """Store commits pushed with git, parents first, each with its git object (`raw`) unchanged.

        Args:
            repo: The repo pushed to.
            commits: Dicts with oid, raw, parent (first parent), files (path -> FileEntry), title,
                message, author, date; their blobs are stored already (`put_blob`).
        """
        with self.lock:
            self.db.execute("BEGIN")
            try:
                for c in commits:
                    if self.db.execute("SELECT 1 FROM commits WHERE oid=?", (c["oid"],)).fetchone():
                        continue
                    card = self._card_for(repo, c["files"])
                    oid = self._write_commit(
                        repo.rowid,
                        c["parent"],
                        c["files"],
                        c["title"],
                        c["message"],
                        c["author"],
                        c["date"],
                        card,
                        raw=c["raw"],
                    )
                    if oid != c["oid"] or self._tree_of(oid) != c["tree"]:
                        raise StoreError(422, f"Commit {c['oid']} does not match its stored form.")
                    self._note_lfs_commit(repo.rowid, (e.lfs for e in c["files"].values() if e.lfs))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def _tree_of(self, commit: str) -> str | None:
        row = self.db.execute("SELECT tree FROM commits WHERE oid=?", (commit,)).fetchone()
        return row[0] if row else None

    def move_ref(self, repo: Repo, kind: str, name: str, target: str) -> None:
        """Point a ref (created if missing) at `target`, as a push does; a new head of main gives the
        repo its card."""
        with self.lock:
            ts = time.time()
            self.db.execute("BEGIN")
            try:
                self.db.execute(
                    "INSERT OR REPLACE INTO refs VALUES (?,?,?,?)", (repo.rowid, kind, name, target)
                )
                main = kind == "branch" and name == "main"
                self._touch_repo(
                    repo, main, json.loads(self.commit_row(target)["card"] or "{}") if main else None, ts
                )
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def _touch_repo(self, repo: Repo, on_main: bool, card: dict[str, Any] | None, ts: float) -> None:
        """Inside a transaction: a ref moved; main's move also sets the repo's card."""
        if on_main:
            self.db.execute(
                "UPDATE repos SET card=?, last_modified=? WHERE rowid=?", (json.dumps(card), ts, repo.rowid)
            )
        else:
            self.db.execute("UPDATE repos SET last_modified=? WHERE rowid=?", (ts, repo.rowid))

    # -- storage: what a repo holds, its LFS files --------------------------------------------------

    def namespace_repos(self, namespace: str) -> list[Repo]:
        """Every repo of `namespace` (all types and visibilities), the most recently updated first."""
        rows = self.query(
            "SELECT * FROM repos WHERE namespace=? COLLATE NOCASE ORDER BY last_modified DESC, rowid DESC",
            (namespace,),
        )
        return [self._repo_from_row(r) for r in rows]

    def storage_used(self, repo: Repo) -> int:
        """Bytes `repo` uses: its LFS objects (whatever commit references them) and its main files."""
        rows = self.query(
            "SELECT COALESCE(SUM(o.size), 0) AS n FROM lfs_repo_objects r JOIN lfs_objects o "
            "ON o.sha256 = r.sha256 WHERE r.repo=? AND r.committed=1",
            (repo.rowid,),
        )
        regular = sum(e.size for e in self.files(repo.head).values() if not e.lfs) if repo.head else 0
        return int(rows[0]["n"]) + regular

    def _ordered_refs(self, repo: Repo) -> list[tuple[str, str]]:
        """(ref name as the Hub reports it, target) of the repo's branches (main first) then pull requests."""
        rows = self.refs(repo)
        branches = sorted(
            (r for r in rows if r["kind"] == "branch"), key=lambda r: (r["name"] != "main", r["name"])
        )
        prs = sorted((r for r in rows if r["kind"] == "pr"), key=lambda r: int(r["name"]))
        return [(r["name"], r["target"]) for r in branches] + [
            (f"refs/pr/{r['name']}", r["target"]) for r in prs
        ]

    def lfs_files(self, repo: Repo) -> list[dict[str, Any]]:
        """The LFS objects the repo's commits reference, each with the first commit that brought it
        (`pushedAt`), the path it had there (`filename`) and the ref that commit was pushed to (`ref`).

        Each stored tree is read once: an identical folder in a later commit brings nothing new.
        """
        owned = {
            r["sha256"]: r["size"]
            for r in self.query(
                "SELECT r.sha256, o.size FROM lfs_repo_objects r JOIN lfs_objects o ON o.sha256 = r.sha256 "
                "WHERE r.repo=? AND r.committed=1",
                (repo.rowid,),
            )
        }
        found: dict[str, dict[str, Any]] = {}
        seen_commits: set[str] = set()
        seen_trees: set[str] = set()
        for ref, target in self._ordered_refs(repo):
            chain = [row for row in self.history(target) if row["oid"] not in seen_commits]
            for row in reversed(chain):  # oldest first: an object belongs to the commit that brought it
                seen_commits.add(row["oid"])
                stack = [(row["tree"], "")]
                while stack:
                    tree, base = stack.pop()
                    if tree in seen_trees:
                        continue
                    seen_trees.add(tree)
                    for name, is_dir, oid, _size, lfs in self._tree(tree):
                        if is_dir:
                            stack.append((oid, f"{base}{name}/"))
                        elif lfs and lfs in owned and lfs not in found:
                            found[lfs] = {
                                "fileOid": lfs,
                                "oid": lfs,
                                "size": owned[lfs],
                                "filename": base + name,
                                "pushedAt": now_iso(row["date"]),
                                "ref": ref,
                            }
        return sorted(found.values(), key=lambda f: (f["pushedAt"], f["filename"]), reverse=True)

    def delete_lfs_files(self, repo: Repo, shas: Iterable[str], rewrite_history: bool) -> list[str]:
        """Remove LFS objects from `repo` for good; returns the ones it had.

        An object stays stored while another repo still has it (objects are shared by sha256, scoped by
        `lfs_repo_objects`). With `rewrite_history`, every commit of every branch and pull request is
        rewritten without the files that pointed to them (their ids change, as on the Hub); without it,
        the pointers stay and their content is gone.
        """
        with self.lock:
            wanted = set(shas)
            mine = [
                r["sha256"]
                for r in self.query("SELECT sha256 FROM lfs_repo_objects WHERE repo=?", (repo.rowid,))
                if r["sha256"] in wanted
            ]
            if not mine:
                return []
            doomed = set(mine)
            self.db.execute("BEGIN")
            try:
                if rewrite_history:
                    self._rewrite_without(repo, doomed)
                self.db.executemany(
                    "DELETE FROM lfs_repo_objects WHERE repo=? AND sha256=?", ((repo.rowid, s) for s in mine)
                )
                orphans = [
                    s
                    for s in mine
                    if not self.db.execute("SELECT 1 FROM lfs_repo_objects WHERE sha256=?", (s,)).fetchone()
                ]
                self.db.executemany("DELETE FROM lfs_objects WHERE sha256=?", ((s,) for s in orphans))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            for sha in orphans:
                self.lfs_path(sha).unlink(missing_ok=True)
            return mine

    def _rewrite_without(self, repo: Repo, doomed: set[str]) -> None:
        """Inside the caller's transaction: rewrite the repo's history without files whose LFS object
        is in `doomed`; every ref moves to its rewritten commit."""
        rewritten: dict[str, str] = {}
        for kind_row in self.refs(repo):
            if kind_row["kind"] not in ("branch", "pr", "tag"):
                continue
            chain = []
            for row in self.history(kind_row["target"]):
                if row["oid"] in rewritten:
                    break
                chain.append(row)
            for row in reversed(chain):
                parent = rewritten.get(row["parent"], row["parent"]) if row["parent"] else None
                files = self.files(row["oid"])
                kept = {p: e for p, e in files.items() if e.lfs not in doomed}
                if len(kept) == len(files) and parent == row["parent"]:
                    rewritten[row["oid"]] = row["oid"]
                    continue
                rewritten[row["oid"]] = self._write_commit(
                    repo.rowid,
                    parent,
                    kept,
                    row["title"],
                    row["message"],
                    row["author"],
                    row["date"],
                    json.loads(row["card"] or "{}"),
                )
            self.db.execute(
                "UPDATE refs SET target=? WHERE repo=? AND kind=? AND name=?",
                (rewritten[kind_row["target"]], repo.rowid, kind_row["kind"], kind_row["name"]),
            )
        # The replaced commits are gone, as on the Hub: their ids no longer name a revision.
        self.db.executemany(
            "DELETE FROM commits WHERE oid=? AND repo=?",
            ((old, repo.rowid) for old, new in rewritten.items() if old != new),
        )

    def merge_pr(self, repo: Repo, num: int, author: str) -> str:
        """Merge pull request `num` into its base branch (fast-forward when possible); returns the new head."""
        with self.lock:
            row = self.discussion(repo, num)
            if row is None:
                raise StoreError(404, f"Pull request {num} not found.")
            pr_head, _ = self.resolve(repo, f"refs/pr/{num}")
            base = row["base"] or "main"
            base_head, _ = self.resolve(repo, base)
            files = self.files(pr_head)
            ts = time.time()
            card = self._card_for(repo, files)
            self.db.execute("BEGIN")
            try:
                if any(c["oid"] == base_head for c in self.history(pr_head)):
                    new_head = pr_head
                else:
                    new_head = self._write_commit(
                        repo.rowid,
                        base_head,
                        files,
                        f"Merge pull request #{num}: {row['title']}",
                        "",
                        author,
                        ts,
                        card,
                    )
                self.db.execute(
                    "UPDATE refs SET target=? WHERE repo=? AND kind='branch' AND name=?",
                    (new_head, repo.rowid, base),
                )
                if base == "main":
                    self.db.execute(
                        "UPDATE repos SET card=?, last_modified=? WHERE rowid=?",
                        (json.dumps(card), ts, repo.rowid),
                    )
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            return new_head


def commit_body(tree: str, parent: str | None, author: str, ts: float, title: str, message: str) -> bytes:
    """The git commit object (without its `commit <len>` header) of a commit made through the API."""
    stamp = f"{author} <{author}@users.noreply.sandbox> {int(ts)} +0000"
    body = f"tree {tree}\n" + (f"parent {parent}\n" if parent else "")
    body += f"author {stamp}\ncommitter {stamp}\n\n{title}\n" + (f"\n{message}\n" if message else "")
    return body.encode()


def tree_body(entries: Iterable[tuple[str, bool, str]]) -> bytes:
    """The git tree object (without its header) of (name, is_dir, oid) entries, sorted as git sorts."""
    rows = sorted(entries, key=lambda e: e[0] + ("/" if e[1] else ""))
    return b"".join(
        (f"40000 {name}" if is_dir else f"100644 {name}").encode() + b"\0" + bytes.fromhex(oid)
        for name, is_dir, oid in rows
    )


def _parents(path: str) -> list[str]:
    """The folders above `path`: 'a/b/c.txt' -> ['a', 'a/b']."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _tree_ids(files: dict[str, FileEntry]) -> tuple[dict[str, str], dict[str, list[tuple]]]:
    """Git tree ids of every folder ('' is the root), computed bottom-up as git does, and each folder's
    entries as (name, is_dir, oid, size, lfs) rows."""
    children: dict[str, dict[str, tuple[str, str]]] = {"": {}}
    for path in files:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            parent, name = "/".join(parts[: depth - 1]), parts[depth - 1]
            children.setdefault("/".join(parts[:depth]), {})
            children.setdefault(parent, {})[name] = ("40000", "/".join(parts[:depth]))
        children.setdefault("/".join(parts[:-1]), {})[parts[-1]] = ("100644", path)
    ids: dict[str, str] = {}
    contents: dict[str, list[tuple]] = {}
    for folder in sorted(children, key=lambda p: -p.count("/") - (1 if p else 0)):
        rows: list[tuple] = []
        # git sorts tree entries by name, with folders compared as if they ended in '/'
        for name, (mode, full) in sorted(
            children[folder].items(), key=lambda kv: kv[0] + ("/" if kv[1][0] == "40000" else "")
        ):
            if mode == "40000":
                sha = ids[full]
                rows.append((name, 1, sha, 0, None))
            else:
                entry = files[full]
                sha = entry.oid
                rows.append((name, 0, sha, entry.size, entry.lfs))
        raw = tree_body((r[0], bool(r[1]), r[2]) for r in rows)
        ids[folder] = hashlib.sha1(b"tree %d\0" % len(raw) + raw).hexdigest()
        contents[folder] = rows
    return ids, contents


_DEFAULT_GITATTRIBUTES = b"""*.7z filter=lfs diff=lfs merge=lfs -text
*.bin filter=lfs diff=lfs merge=lfs -text
*.ckpt filter=lfs diff=lfs merge=lfs -text
*.gguf filter=lfs diff=lfs merge=lfs -text
*.h5 filter=lfs diff=lfs merge=lfs -text
*.onnx filter=lfs diff=lfs merge=lfs -text
*.parquet filter=lfs diff=lfs merge=lfs -text
*.pt filter=lfs diff=lfs merge=lfs -text
*.pth filter=lfs diff=lfs merge=lfs -text
*.safetensors filter=lfs diff=lfs merge=lfs -text
*.tar.* filter=lfs diff=lfs merge=lfs -text
*.zip filter=lfs diff=lfs merge=lfs -text
"""
