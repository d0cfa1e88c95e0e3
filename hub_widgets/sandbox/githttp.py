"""Git smart HTTP of the sandbox Hub: the stored history served as git objects, pushes made Hub commits.

dulwich speaks the pack protocol (`UploadPackHandler`, `ReceivePackHandler`); this module gives it a
repository view of the store: `StoreObjects` builds each git object from the stored rows on demand
(commits from their row or their pushed object, trees from their entries, LFS files as pointer files),
and the refs are the repo's branches, tags and pull request refs. A received pack is written to a
temporary folder on disk (`_Incoming`), read from there, then deleted: nothing is kept in memory but the
objects being checked.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from dulwich.object_store import BaseObjectStore, DiskObjectStore
from dulwich.objects import Blob, Commit, Tag, Tree
from dulwich.protocol import ReceivableProtocol
from dulwich.refs import DictRefsContainer
from dulwich.repo import BaseRepo
from dulwich.server import Backend, ReceivePackHandler, UploadPackHandler

from .auth import Accounts, Identity
from .lfs import lfs_patterns, lfs_tracked, lfs_usable
from .store import LFS_THRESHOLD, FileEntry, Repo, Store, StoreError, lfs_pointer
from .validation import Invalid, check_path, check_ref_name

ZERO = "0" * 40
SERVICES = ("git-upload-pack", "git-receive-pack")
_POINTER = re.compile(
    rb"version https://git-lfs\.github\.com/spec/v1\noid sha256:([0-9a-f]{64})\nsize (\d+)\n"
)
# The Hub's words for a big file pushed without LFS.
TOO_LARGE = (
    "Your push was rejected because it contains files larger than 10 MiB. "
    "Please use https://git-lfs.github.com/ to store large files. Offending file: {path}"
)


class PushRefused(Exception):
    """A ref update that is refused: its message goes back to git (`! [remote rejected] ... (message)`)."""


def _hex(sha: bytes | str) -> str:
    if isinstance(sha, str):
        return sha
    return sha.hex() if len(sha) == 20 else sha.decode("ascii")


class StoreObjects(BaseObjectStore):
    """The git objects of one repo, read from the store (nothing is added through this view).

    Args:
        store: The store.
        repo: Whose commits are served (trees and blobs are found by id).
    """

    def __init__(self, store: Store, repo: Repo) -> None:
        super().__init__()
        self.store = store
        self.repo = repo

    def contains_loose(self, sha: Any) -> bool:
        return self.store.git_object(self.repo, _hex(sha)) is not None

    def get_raw(self, name: Any) -> tuple[int, bytes]:
        found = self.store.git_object(self.repo, _hex(name))
        if found is None:
            raise KeyError(name)
        return found

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    @property
    def packs(self) -> list[Any]:
        return []


class _Incoming(DiskObjectStore):
    """A temporary on-disk object store holding a received pack. What the pack does not hold (thin-pack
    delta bases, unchanged files and folders) comes from `base`, only if the repo already has it: an
    object of another repo is found by id only through a repo the pusher can read, never by guessing."""

    def __init__(self, path: str, base: StoreObjects) -> None:
        super().__init__(path)
        self.base = base
        self._known: set[str] | None = None

    def _from_repo(self, name: Any) -> tuple[int, bytes]:
        oid = _hex(name)
        found = self.base.store.git_object(self.base.repo, oid)
        if found is not None and found[0] != 1:  # commits are scoped to the repo already
            if self._known is None:
                self._known = self.base.store.repo_objects(self.base.repo)
            if oid not in self._known:
                found = None
        if found is None:
            raise KeyError(name)
        return found

    def get_raw(self, name: Any) -> tuple[int, bytes]:
        try:
            return super().get_raw(name)
        except KeyError:
            return self._from_repo(name)

    def __contains__(self, sha: Any) -> bool:
        if super().__contains__(sha):
            return True
        try:
            self._from_repo(sha)
        except KeyError:
            return False
        return True


class SandboxRepo(BaseRepo):
    """What dulwich's handlers see of a repo: its objects and refs (a snapshot taken per request)."""

    def __init__(self, store: Store, repo: Repo) -> None:
        refs: dict[bytes, bytes] = {}
        for row in store.refs(repo):
            prefix = {"branch": "refs/heads/", "tag": "refs/tags/", "pr": "refs/pr/"}.get(row["kind"])
            if prefix:
                refs[(prefix + row["name"]).encode()] = row["target"].encode()
        container = DictRefsContainer(refs)
        if b"refs/heads/main" in refs:
            container.set_symbolic_ref(b"HEAD", b"refs/heads/main")
        super().__init__(StoreObjects(store, repo), container)  # type: ignore[arg-type]
        self.hooks: dict[str, Any] = {}
        # Not `repo`: dulwich looks for a `.repo` attribute to peel tags with.
        self.hub_repo = repo

    def get_config_stack(self) -> Any:
        from dulwich.config import ConfigDict

        return ConfigDict()


class _Backend(Backend):
    def __init__(self, repo: SandboxRepo) -> None:
        self.repo = repo

    def open_repository(self, path: str) -> SandboxRepo:  # type: ignore[override]
        return self.repo


class _Receive(ReceivePackHandler):
    """receive-pack whose ref updates are Hub commits and ref changes (`Push`), with the Hub's refusals."""

    push: Push

    def _apply_pack(self, refs: list[tuple[Any, Any, Any]]) -> Iterator[tuple[bytes, bytes]]:
        with tempfile.TemporaryDirectory(dir=self.push.tmp_root) as tmp:
            for sub in ("pack", "info"):
                Path(tmp, sub).mkdir()
            incoming = _Incoming(tmp, self.repo.object_store)  # type: ignore[attr-defined]
            try:
                yield from self._apply(incoming, refs)
            finally:
                incoming.close()

    def _apply(self, incoming: _Incoming, refs: list[tuple[Any, Any, Any]]) -> Iterator[tuple[bytes, bytes]]:
        if any(new != ZERO.encode() for _old, new, _ref in refs):
            try:
                # Written to disk while read from the request body, indexed there.
                incoming.add_thin_pack(self.proto.read, getattr(self.proto, "recv", None))
            except Exception as exc:  # a broken pack: git shows the reason
                yield b"unpack", str(exc).replace("\n", " ").encode()
                return
        yield b"unpack", b"ok"
        for old, new, ref in refs:
            try:
                self.push.update(incoming, ref.decode(), old.decode(), new.decode())
            except PushRefused as exc:
                yield ref, str(exc).replace("\n", " ").encode()
            except StoreError as exc:
                yield ref, exc.message.replace("\n", " ").encode()
            except KeyError as exc:  # an object neither sent nor in the repo
                yield ref, f"missing object {_hex(exc.args[0]) if exc.args else ''}".encode()
            else:
                yield ref, b"ok"


class Push:
    """The rules of a push to one repo by one caller: each ref update is checked, then stored.

    Args:
        store: The store.
        accounts: The access rules.
        ident: Who pushes (a write token: checked before the body is read).
        repo: The repo pushed to.
    """

    def __init__(self, store: Store, accounts: Accounts, ident: Identity, repo: Repo) -> None:
        self.store = store
        self.accounts = accounts
        self.ident = ident
        self.repo = repo
        self.tmp_root = str(Path(store.root) / "tmp")

    def update(self, objects: _Incoming, ref: str, old: str, new: str) -> None:
        """Apply one ref update of the push, or raise PushRefused / StoreError."""
        if ref.startswith("refs/heads/"):
            kind, name = "branch", ref[len("refs/heads/") :]
        elif ref.startswith("refs/tags/"):
            kind, name = "tag", ref[len("refs/tags/") :]
        elif re.fullmatch(r"refs/pr/\d+", ref):
            kind, name = "pr", ref[len("refs/pr/") :]
        else:
            raise PushRefused("only branches (refs/heads/), tags (refs/tags/) and refs/pr/N can be pushed")
        if kind == "pr":
            self.accounts.check_contribute(self.ident, self.repo, self.repo.id)
            self.accounts.check_pr_push(self.ident, self.repo, ref)
        else:
            self.accounts.check_write(self.ident, self.repo, self.repo.id)
            try:
                check_ref_name(name, kind)
            except Invalid as exc:
                raise PushRefused(str(exc)) from None
        current = self.store.ref_target(self.repo, kind, name)
        if kind == "pr" and current is None:
            raise PushRefused(f"pull request #{name} does not exist: open it on the Hub first")
        if old != (current or ZERO):
            raise PushRefused("stale info: the ref changed since you fetched (fetch first)")
        if new == ZERO:
            if kind == "branch" and name == "main":
                raise PushRefused("the main branch cannot be deleted")
            if kind == "pr":
                raise PushRefused("a pull request ref cannot be deleted")
            self.store.delete_ref(self.repo, kind, name)
            return
        obj = objects[new.encode()]
        while isinstance(obj, Tag):  # an annotated tag: the Hub's tags name commits
            obj = objects[obj.object[1]]
        if not isinstance(obj, Commit):
            raise PushRefused("a ref must point at a commit")
        target = obj.id.decode()
        if current is not None:
            if kind == "tag":
                raise PushRefused(f"tag {name} already exists")
            if not self._descends(objects, target, current):
                raise PushRefused("non-fast-forward: pull first (the Hub refuses to rewrite history)")
        self.store.add_pushed_commits(self.repo, self._new_commits(objects, target))
        self.store.move_ref(self.repo, kind, name, target)

    def _descends(self, objects: _Incoming, new: str, ancestor: str) -> bool:
        seen: set[str] = set()
        stack = [new]
        while stack:
            oid = stack.pop()
            if oid == ancestor:
                return True
            if oid in seen:
                continue
            seen.add(oid)
            stack.extend(p.decode() for p in objects[oid.encode()].parents)
        return False

    def _new_commits(self, objects: _Incoming, head: str) -> list[dict[str, Any]]:
        """The pushed commits the repo does not have yet, parents first, with their files checked."""
        order: list[Commit] = []
        seen: set[str] = set()
        stack: list[tuple[str, bool]] = [(head, False)]
        while stack:  # iterative depth-first walk: a post-order gives parents before children
            oid, done = stack.pop()
            if done:
                order.append(objects[oid.encode()])
                continue
            if oid in seen or self.store.repo_commit(self.repo, oid):
                continue
            seen.add(oid)
            commit = objects[oid.encode()]
            if not isinstance(commit, Commit):
                raise PushRefused(f"{oid} is not a commit")
            stack.append((oid, True))
            stack.extend((p.decode(), False) for p in commit.parents)
        result = []
        for commit in order:
            message = commit.message.decode("utf-8", errors="replace")
            title, _, rest = message.partition("\n")
            author = commit.author.decode("utf-8", errors="replace").rsplit(" <", 1)[0]
            result.append(
                {
                    "oid": commit.id.decode(),
                    "raw": commit.as_raw_string(),
                    "parent": commit.parents[0].decode() if commit.parents else None,
                    "tree": commit.tree.decode(),
                    "files": self._files(objects, commit),
                    "title": title.strip(),
                    "message": rest.strip(),
                    "author": author,
                    "date": float(commit.author_time),
                }
            )
        return result

    def _files(self, objects: _Incoming, commit: Commit) -> dict[str, FileEntry]:
        """The files of a pushed commit; its blobs are stored as they are checked."""
        root = objects[commit.tree]
        attributes = b""
        for entry in root.iteritems():  # type: ignore[union-attr]
            if entry.path == b".gitattributes" and entry.mode == 0o100644:
                attributes = objects[entry.sha].data
        patterns = lfs_patterns(attributes)
        files: dict[str, FileEntry] = {}
        stack: list[tuple[Tree, str]] = [(root, "")]  # type: ignore[list-item]
        while stack:
            tree, base = stack.pop()
            for entry in tree.iteritems():
                path = base + entry.path.decode("utf-8", errors="replace")
                try:
                    check_path(path)
                except Invalid as exc:
                    raise PushRefused(str(exc)) from None
                sha = entry.sha.decode()
                if entry.mode == 0o040000:
                    stack.append((objects[entry.sha], path + "/"))  # type: ignore[arg-type]
                    continue
                if entry.mode != 0o100644:
                    raise PushRefused(
                        f"{path}: only regular files (mode 100644) and folders can be pushed here, "
                        f"not mode {entry.mode:o}"
                    )
                files[path] = self._file(objects, path, sha, lfs_tracked(path, patterns))
        return files

    def _file(self, objects: _Incoming, path: str, sha: str, tracked: bool) -> FileEntry:
        type_num, data = objects.get_raw(sha.encode())
        if type_num != Blob.type_num:
            raise PushRefused(f"{path} is not a blob")
        pointer = _POINTER.fullmatch(data) if tracked else None
        if pointer is not None:
            oid, size = pointer.group(1).decode(), int(pointer.group(2))
            if lfs_pointer(oid, size) == data:
                if not lfs_usable(self.store, self.accounts, self.ident, self.repo, oid, size):
                    raise PushRefused(
                        f"LFS object {oid[:12]}... for {path} was not uploaded (git lfs push first)"
                    )
                return FileEntry(path, sha, size, oid)
        if len(data) > LFS_THRESHOLD:
            raise PushRefused(TOO_LARGE.format(path=path))
        stored = self.store.put_blob(data)
        assert stored == sha, "a blob's id is the sha1 of its content"
        return FileEntry(path, sha, len(data))


def advertise(service: str, repo: SandboxRepo, write: Callable[[bytes], Any]) -> None:
    """Write the `info/refs` answer of `service` (the refs and capabilities) through `write`."""
    proto = ReceivableProtocol(lambda n: b"", write)
    proto.write_pkt_line(f"# service={service}\n".encode())
    proto.write_pkt_line(None)
    handler_cls = UploadPackHandler if service == "git-upload-pack" else ReceivePackHandler
    handler_cls(_Backend(repo), ["/"], proto, stateless_rpc=True, advertise_refs=True).handle()


def serve(
    service: str, repo: SandboxRepo, body: BinaryIO, write: Callable[[bytes], Any], push: Push | None
) -> None:
    """Answer one stateless-RPC request of `service` (`body` is the request, already on disk)."""
    proto = ReceivableProtocol(body.read, write)
    if service == "git-upload-pack":
        UploadPackHandler(_Backend(repo), ["/"], proto, stateless_rpc=True).handle()
        return
    assert push is not None
    handler = _Receive(_Backend(repo), ["/"], proto, stateless_rpc=True)
    handler.push = push
    handler.handle()
