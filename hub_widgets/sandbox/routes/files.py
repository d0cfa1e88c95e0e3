"""Routes of a repo's files: tree listings, paths-info, downloads (resolve), auth-check, Xet."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from ..http.base import (
    PAGE_MAX,
    PREFIXED,
    REPO,
    SEG,
    BaseHandler,
    Route,
    decode_cursor,
    truthy,
    ts,
)
from ..store import Store, StoreError, file_entry_json

XET_MESSAGE = (
    "Xet storage is not available on the sandbox Hub. Set HF_HUB_DISABLE_XET=1 (before importing "
    "huggingface_hub) to upload and download through plain LFS."
)


def _with_last_commit(store: Store, commit: str, entries: list[dict[str, Any]], depth: int = 500) -> None:
    """Add `lastCommit`: the commit that last changed each entry (walking back while its oid stays the same)."""
    history = []
    for index, row in enumerate(store.history(commit)):
        if index >= depth:
            break
        history.append(row)

    def oid_at(commit_oid: str, entry: dict[str, Any]) -> str | None:
        if entry["type"] == "directory":
            return store.dir_oid(commit_oid, entry["path"])
        found = store.file(commit_oid, entry["path"])
        return found.oid if found else None

    for entry in entries:
        last = history[0]
        for row in history[1:]:
            if oid_at(row["oid"], entry) != entry["oid"]:
                break
            last = row
        entry["lastCommit"] = {"id": last["oid"], "title": last["title"], "date": ts(last["date"])}


class TreeHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str, revision: str, path: str | None = None) -> None:
        repo = self.readable(kind, namespace, name)
        commit, _ = self.store.resolve(repo, revision)
        path = (path or "").strip("/")
        entries = self.store.list_dir(commit, path, truthy(self.arg("recursive")))
        if entries is None:
            raise StoreError(
                404,
                f"Entry not found: no folder {path!r} at revision {revision}.",
                "EntryNotFound",
                {"X-Repo-Commit": commit},
            )
        expand = truthy(self.arg("expand"))
        size = self.page_size(50 if expand else PAGE_MAX)
        offset = decode_cursor(self.arg("cursor"))
        page = entries[offset : offset + size]
        if expand:
            _with_last_commit(self.store, commit, page)
        if offset + size < len(entries):
            self.next_link(offset + size)
        self.set_header("X-Repo-Commit", commit)
        self.send_json(page)


class PathsInfoHandler(BaseHandler):
    body_kind = "listing"

    def do_post(self, kind: str, namespace: str, name: str, revision: str) -> None:
        repo = self.readable(kind, namespace, name)
        commit, _ = self.store.resolve(repo, revision)
        content_type = self.request.headers.get("Content-Type", "")
        if "json" in content_type:
            body = self.json_body()
            paths = body.get("paths") or []
            expand = bool(body.get("expand"))
        else:
            form = self.form_body()
            paths = [v for k, v in form if k in ("paths", "paths[]")]
            expand = any(truthy(v) for k, v in form if k == "expand")
        results = []
        for raw in paths:
            path = str(raw).strip("/")
            entry = self.store.file(commit, path)
            if entry is not None:
                results.append(file_entry_json(entry))
                continue
            oid = self.store.dir_oid(commit, path)
            if oid is not None and path:
                results.append({"type": "directory", "oid": oid, "size": 0, "path": path})
        if expand:
            _with_last_commit(self.store, commit, results)
        self.set_header("X-Repo-Commit", commit)
        self.send_json(results)


class AuthCheckHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str, write: str | None = None) -> None:
        if write:
            self.writable(kind, namespace, name)
        else:
            self.check_gate(self.readable(kind, namespace, name))
        self.send_json({})


class XetHandler(BaseHandler):
    def do_get(self, *args: str) -> None:
        raise StoreError(501, XET_MESSAGE)

    do_post = do_get


class ResolveHandler(BaseHandler):
    async def do_get(self, prefix: str | None, namespace: str, name: str, revision: str, path: str) -> None:
        await self._serve(prefix, namespace, name, revision, path, body=True)

    async def do_head(self, prefix: str | None, namespace: str, name: str, revision: str, path: str) -> None:
        await self._serve(prefix, namespace, name, revision, path, body=False)

    async def _serve(
        self, prefix: str | None, namespace: str, name: str, revision: str, path: str, body: bool
    ) -> None:
        kind = (prefix or "models").rstrip("/")
        repo = self.readable(kind, namespace, name)
        self.check_gate(repo)
        commit, _ = self.store.resolve(repo, revision)
        entry = self.store.file(commit, path)
        if entry is None:
            raise StoreError(
                404,
                f"Entry not found: {path} at revision {revision}.",
                "EntryNotFound",
                {"X-Repo-Commit": commit},
            )
        if entry.lfs and not self.store.lfs_in_repo(repo, entry.lfs):  # deleted for good, history kept
            raise StoreError(
                404,
                f"Entry not found: the content of {path} was permanently deleted from this repo.",
                "EntryNotFound",
                {"X-Repo-Commit": commit},
            )
        total = entry.size
        etag = entry.lfs or entry.oid
        self.set_header("X-Repo-Commit", commit)
        self.set_header("ETag", f'"{etag}"')
        if entry.lfs:
            self.set_header("X-Linked-Etag", f'"{entry.lfs}"')
            self.set_header("X-Linked-Size", str(total))
        self.set_header("Accept-Ranges", "bytes")
        self.set_header("Content-Type", "application/octet-stream")
        filename = path.rsplit("/", 1)[-1]
        ascii_name = filename.encode("ascii", "replace").decode("ascii").replace('"', "_")
        self.set_header(
            "Content-Disposition", f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        )
        start, end = 0, total - 1
        range_header = self.request.headers.get("Range")
        if range_header:
            match = re.fullmatch(r"bytes=(\d*)-(\d*)", range_header.strip())
            if not match or (not match.group(1) and not match.group(2)):
                raise StoreError(416, f"Invalid Range header {range_header!r}.")
            if match.group(1):
                start = int(match.group(1))
                end = min(int(match.group(2)), total - 1) if match.group(2) else total - 1
            else:
                start = max(0, total - int(match.group(2)))
            if start >= total and total > 0 or start > end + 1:
                self.set_header("Content-Range", f"bytes */{total}")
                raise StoreError(416, f"Range {range_header} not satisfiable (size {total}).")
            self.set_status(206)
            self.set_header("Content-Range", f"bytes {start}-{end}/{total}")
        length = max(0, end - start + 1)
        self.set_header("Content-Length", str(length))
        if not body:
            self.finish()
            return
        if start == 0:
            self.store.count_download(repo)
        with self.store.open_entry(entry) as handle:
            handle.seek(start)
            await self.send_file(handle, length)


ROUTES: list[Route] = [
    (rf"{REPO}/tree/{SEG}", TreeHandler),
    (rf"{REPO}/tree/{SEG}/(.*)", TreeHandler),
    (rf"{REPO}/paths-info/{SEG}", PathsInfoHandler),
    (rf"{REPO}/auth-check(/write)?", AuthCheckHandler),
    (rf"{REPO}/xet-[a-z-]+(?:/.*)?", XetHandler),
    (rf"/{PREFIXED}([^/]+)/([^/]+)/resolve/{SEG}/(.+)", ResolveHandler),
]
