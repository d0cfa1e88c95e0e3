"""Routes of the git LFS protocol: batch, verify, upload URLs (tickets), signed download URLs."""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from ..http.base import PAGE_MAX, PREFIXED, REPO, BaseHandler, Route, decode_cursor, io_pool
from ..lfs import LFS_URL_TTL, UPLOAD_TTL, UploadTicket, is_sha256, lfs_usable, signed_query, signed_repo
from ..store import StoreError


class LfsBatchHandler(BaseHandler):
    def do_post(self, prefix: str | None, namespace: str, name: str) -> None:
        kind = (prefix or "models").rstrip("/")
        body = self.json_body()
        operation = body.get("operation", "upload")
        objects = body.get("objects")
        if not isinstance(objects, list):
            raise StoreError(400, "Expected {'operation', 'objects': [{oid, size}]}.")
        # Objects are content-addressed and inert until committed: any write token that can read the repo may
        # upload (pull requests from non-members need it); the commit checks the rights to the branch.
        if operation not in ("upload", "download"):
            raise StoreError(400, f"Unknown LFS batch operation {operation!r}: use 'upload' or 'download'.")
        repo = (
            self.contributable(kind, namespace, name, "refs/pr/")
            if operation == "upload"
            else self.readable(kind, namespace, name)
        )
        if operation == "download":
            self.check_gate(repo)
        base = self.base_url()
        result = []
        for obj in objects:
            oid, size = str(obj.get("oid", "")), obj.get("size")
            if not is_sha256(oid) or not isinstance(size, int) or size < 0:
                result.append(
                    {"oid": oid, "size": size, "error": {"code": 422, "message": "Invalid oid or size."}}
                )
                continue
            item: dict[str, Any] = {"oid": oid, "size": size, "authenticated": True}
            if operation == "download":
                # Only objects this repo's commits reference: anything else is "does not exist", stored or not.
                if self.store.lfs_in_repo(repo, oid, committed=True) and self.store.has_lfs(oid, size):
                    query = urlencode(signed_query(self.state.url_secret, repo.rowid, oid))
                    item["actions"] = {
                        "download": {"href": f"{base}/lfs-objects/{oid}?{query}", "expires_in": LFS_URL_TTL}
                    }
                else:
                    item["error"] = {"code": 404, "message": "Object does not exist."}
            elif not lfs_usable(self.store, self.accounts, self.ident, repo, oid, size):
                # Also when the object is stored for repos the caller cannot read: uploading the content
                # proves the caller has it, and the answer does not tell that it exists.
                ticket = secrets.token_urlsafe(24)
                self.state.tickets[ticket] = UploadTicket(
                    repo.rowid, oid, size, time.time() + UPLOAD_TTL, repo_created=repo.created_at
                )
                # No "verify" action: the upload itself checks sha256 + size, and the commit checks the object
                # is stored, so a verify round trip per file would only add latency (the endpoint still exists).
                item["actions"] = {
                    "upload": {"href": f"{base}/lfs-upload/{ticket}", "expires_in": UPLOAD_TTL}
                }
            result.append(item)
        self.send_json(
            {"transfer": "basic", "objects": result, "hash_algo": "sha256"},
            content_type="application/vnd.git-lfs+json",
        )


class LfsVerifyHandler(BaseHandler):
    def do_post(self, prefix: str | None, namespace: str, name: str) -> None:
        kind = (prefix or "models").rstrip("/")
        repo = self.contributable(kind, namespace, name, "refs/pr/")
        body = self.json_body()
        oid, size = str(body.get("oid", "")), body.get("size")
        if not lfs_usable(
            self.store, self.accounts, self.ident, repo, oid, size if isinstance(size, int) else None
        ):
            raise StoreError(404, f"LFS object {oid[:12]}… was not uploaded (or has another size).")
        self.send_json({"message": "Verified"})


class LfsUploadHandler(BaseHandler):
    """PUT target of the upload hrefs: streams to disk while hashing, checks sha256 + size at the end."""

    def uses_token(self) -> bool:
        return False  # the client sends no Authorization here: the href carries a single-use ticket

    def body_limit(self) -> int:
        ticket = self.state.tickets.get(self.path_args[0] if self.path_args else "")
        return ticket.size if ticket is not None else self.state.limits.json_body

    def precheck(self) -> None:
        ticket = self.state.tickets.get(self.path_args[0] if self.path_args else "")
        if ticket is None or ticket.expires < time.time():  # said before a big body is sent for nothing
            raise StoreError(403, "This upload URL is invalid, expired or already used.")

    def prepare(self) -> None:
        self.writer = None
        super().prepare()
        if self._dropped:  # refused before the body (too large for its ticket): nothing to write
            return
        ticket_id = self.path_args[0] if self.path_args else ""
        ticket = self.state.tickets.get(ticket_id)
        if ticket is None or ticket.expires < time.time():
            self._pending_error = StoreError(403, "This upload URL is invalid, expired or already used.")
            return
        self.ticket_id, self.ticket = ticket_id, ticket
        self.writer = self.store.lfs_writer(ticket.oid, ticket.size)

    async def data_received(self, chunk: bytes) -> None:
        if self._check_drop(len(chunk)):
            return
        writer = self.writer
        if writer is None:
            return
        # Hash + write off the IOLoop (hashlib and file writes release the GIL): other uploads and requests
        # proceed meanwhile, and tornado waits for this chunk before reading the next (flow control).
        try:
            await asyncio.get_running_loop().run_in_executor(io_pool(), writer.write, chunk)
        except (ValueError, OSError):  # aborted meanwhile (dropped connection)
            pass

    def on_drop(self) -> None:
        if self.writer is not None:
            self.writer.abort()
            self.writer = None

    def on_connection_close(self) -> None:
        self.on_drop()

    def do_put(self, ticket_id: str) -> None:
        if self.writer is None:
            raise StoreError(400, "Upload aborted.")
        writer, self.writer = self.writer, None
        writer.finish()
        self.state.tickets.pop(ticket_id, None)
        repo = self.store.get_repo_by_rowid(self.ticket.repo_rowid)
        if repo is not None and repo.created_at == self.ticket.repo_created:
            self.store.note_lfs_upload(repo, self.ticket.oid)
        self.send_json({})

    do_post = do_put


class LfsObjectHandler(BaseHandler):
    """Target of the batch endpoint's download actions: a URL signed for one repo and one object, which
    expires. Nothing is served by sha256 alone."""

    def uses_token(self) -> bool:
        return False  # the signature is the credential (LFS clients follow the href as given)

    async def do_get(self, oid: str) -> None:
        repo_arg, expires_arg, sig = self.arg("repo") or "", self.arg("expires") or "", self.arg("sig") or ""
        rowid = signed_repo(self.state.url_secret, oid, repo_arg, expires_arg, sig)
        if rowid is None:
            raise StoreError(
                403,
                "This LFS download URL is invalid or expired: ask the repo's LFS batch endpoint for a new one, "
                "or download the file through /resolve.",
            )
        repo = self.store.get_repo_by_rowid(rowid)
        if repo is None or not self.store.lfs_in_repo(repo, oid, committed=True):
            raise StoreError(404, "Object does not exist.")
        with open(self.store.lfs_path(oid), "rb") as handle:
            await self.send_file(handle)


class LfsFilesHandler(BaseHandler):
    """`list_lfs_files`: the repo's LFS objects with their size, first path, commit date and ref (writers only)."""

    def do_get(self, kind: str, namespace: str, name: str) -> None:
        repo = self.writable(kind, namespace, name)
        files = self.store.lfs_files(repo)
        offset = decode_cursor(self.arg("cursor"))
        size = self.page_size(PAGE_MAX)
        if offset + size < len(files):
            self.next_link(offset + size)
        self.send_json(files[offset : offset + size])


class LfsFilesBatchHandler(BaseHandler):
    """`permanently_delete_lfs_files`: `{deletions: {sha: [...], rewriteHistory}}` (writers only)."""

    body_kind = "listing"

    def precheck(self) -> None:
        self.writable(*self.path_args[:3])

    def do_post(self, kind: str, namespace: str, name: str) -> None:
        repo = self.writable(kind, namespace, name)
        deletions = self.json_body().get("deletions")
        shas = deletions.get("sha") if isinstance(deletions, dict) else None
        if not isinstance(shas, list) or not all(is_sha256(s) for s in shas):
            raise StoreError(400, "Expected {'deletions': {'sha': [sha256, ...], 'rewriteHistory': bool}}.")
        if len(shas) > PAGE_MAX:
            raise StoreError(400, f"At most {PAGE_MAX} LFS files can be deleted at once.")
        rewrite = deletions.get("rewriteHistory", True)
        if not isinstance(rewrite, bool):
            raise StoreError(400, "Invalid deletions.rewriteHistory: expected a boolean.")
        self.store.delete_lfs_files(repo, shas, rewrite)
        self.send_json({})


ROUTES: list[Route] = [
    (rf"{REPO}/lfs-files", LfsFilesHandler),
    (rf"{REPO}/lfs-files/batch", LfsFilesBatchHandler),
    (rf"/{PREFIXED}([^/]+)/([^/]+?)\.git/info/lfs/objects/batch", LfsBatchHandler),
    (rf"/{PREFIXED}([^/]+)/([^/]+?)\.git/info/lfs/objects/verify", LfsVerifyHandler),
    (r"/lfs-upload/([A-Za-z0-9_-]+)", LfsUploadHandler),
    (r"/lfs-objects/([0-9a-f]{64})", LfsObjectHandler),
]
