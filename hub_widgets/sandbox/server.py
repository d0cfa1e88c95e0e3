"""HTTP routes of the sandbox Hub (tornado). Storage, accounts and faults live in their own modules.

Routing happens on the raw path: revisions and tree paths arrive percent-encoded (`refs%2Fpr%2F1`)
and tornado decodes the captured groups after matching.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import concurrent.futures
import hashlib
import hmac
import inspect
import io
import json
import logging
import os
import re
import secrets
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import tornado.ioloop
import tornado.web

from . import validation
from .auth import ANONYMOUS, Accounts, Identity
from .faults import Faults
from .store import (
    LFS_THRESHOLD,
    Operation,
    Repo,
    Store,
    StoreError,
    check_repo_names,
    file_entry_json,
    git_blob_sha1,
    now_iso,
    parse_front_matter,
    tags_from_card,
)
from .validation import Invalid, Limits

logger = logging.getLogger(__name__)

TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}
PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
T = r"(models|datasets|spaces)"
ID = r"([^/]+)/([^/]+)"
SEG = r"([^/]+)"
CHUNK = 1024 * 1024
PAGE_MAX = 1000
XET_MESSAGE = (
    "Xet storage is not available on the sandbox Hub. Set HF_HUB_DISABLE_XET=1 (before importing "
    "huggingface_hub) to upload and download through plain LFS."
)


@dataclass
class UploadTicket:
    repo_rowid: int
    oid: str
    size: int
    expires: float
    repo_created: float = 0.0  # tells the repo apart from a later one that reuses its rowid


@dataclass
class ServerState:
    """Everything the handlers (and the inference routes) share."""

    store: Store
    accounts: Accounts
    faults: Faults
    request_log: collections.deque = field(default_factory=lambda: collections.deque(maxlen=5000))
    tickets: dict[str, UploadTicket] = field(default_factory=dict)
    oauth: Any = None
    inference: Any = None  # inference.InferenceControl: error models of the /inference routes
    url_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))  # signs LFS download URLs
    limits: Limits = field(default_factory=Limits)  # body sizes and read timeouts

    def repo(self, repo_type: str, repo_id: str) -> Repo | None:
        """A repo by type and 'namespace/name' (for the inference routes)."""
        if "/" not in repo_id:
            return None
        namespace, name = repo_id.split("/", 1)
        return self.store.get_repo(repo_type, namespace, name)

    def identify(self, token: str | None) -> Identity | None:
        return self.accounts.identify(token)


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes", "on")


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return max(0, int(json.loads(base64.urlsafe_b64decode(padded))["o"]))
    except (ValueError, KeyError, TypeError):
        raise StoreError(400, f"Invalid cursor {cursor!r}.") from None


def _ts(ts: float) -> str:
    return now_iso(ts)


@tornado.web.stream_request_body
class BaseHandler(tornado.web.RequestHandler):
    """Common behaviour: identity, request log, faults, JSON errors, body spooling.

    Bodies are checked before they are read: the caller is identified and `precheck()` run (a handler
    that needs a token refuses anonymous callers there), and a body larger than `body_limit()` is
    refused with 413, from its Content-Length or as soon as the bytes received exceed it.
    """

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
    body_kind = "json"  # which `Limits` field bounds the body: json, listing, media or commit

    def initialize(self, state: ServerState) -> None:
        self.state = state
        self.store = state.store
        self.accounts = state.accounts
        self._body_file: Any = None
        self._received = 0
        self._pending_error: StoreError | None = None
        self._dropped = False
        self._body_limit = state.limits.json_body

    # -- lifecycle ---------------------------------------------------------------------------------

    def prepare(self) -> None:
        auth = self.request.headers.get("Authorization", "")
        self._log_entry = {
            "method": self.request.method,
            "path": self.request.path,
            "authorization": bool(auth),
            "time": time.time(),
            "status": None,
        }
        self.state.request_log.append(self._log_entry)
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        ident = self.accounts.identify(token) if self.uses_token() else ANONYMOUS
        if ident is None:
            self.ident = ANONYMOUS
            self._pending_error = StoreError(401, "Invalid credentials in Authorization header")
        else:
            self.ident = ident
        self._limit_body()

    def _limit_body(self) -> None:
        """Set this request's body limit and read timeout; refuse it now if it cannot be accepted."""
        limits = self.state.limits
        raw_length = self.request.headers.get("Content-Length")
        try:
            length = int(raw_length) if raw_length is not None else None
        except ValueError:
            length = None
        has_body = bool(length) or "chunked" in self.request.headers.get("Transfer-Encoding", "").lower()
        try:
            self._body_limit = self.body_limit()
            if self._pending_error is not None and has_body:
                raise self._pending_error
            if has_body:
                self.precheck()
            if length is not None and length > self._body_limit:
                raise StoreError(
                    413,
                    f"Request body too large: {length} bytes, the limit for this route is "
                    f"{self._body_limit} bytes.",
                )
        except StoreError as exc:
            self._refuse(exc)
            return
        connection = self.request.connection
        if connection is not None and hasattr(connection, "set_max_body_size"):
            # A chunked body announces no total: tornado would cut it with a bare 400 at a chunk header,
            # so its cap is lifted and our own count (data arrives in CHUNK pieces) answers 413 instead.
            connection.set_max_body_size(self._body_limit if length is not None else 1 << 62)
            connection.set_body_timeout(limits.timeout_for(length))

    def body_limit(self) -> int:
        """The largest body this request may have, in bytes (from `body_kind` by default)."""
        limits = self.state.limits
        return {
            "json": limits.json_body,
            "listing": limits.listing_body,
            "media": limits.media_body,
            "commit": limits.commit_body,
        }[self.body_kind]

    def precheck(self) -> None:
        """Checks to pass before a body is read (identity, rights from the URL); raise StoreError."""

    def require_token(self, what: str) -> None:
        """401 for anonymous callers, before their body is read."""
        if self.ident.anonymous:
            raise StoreError(401, f"You must be authenticated to {what}.")

    def _refuse(self, exc: StoreError) -> None:
        """Answer `exc` at once, then drop the rest of the body for at most `limits.linger` seconds.

        Closing right away would reset the connection under a client still sending, and it would never
        see the answer; so the answer is sent whole (with Content-Length and `Connection: close`) while
        the body is still coming, the rest of the body is discarded, and the connection is closed once
        the body ends or the linger time is over, whichever comes first.
        """
        self._dropped = True
        self.on_drop()
        self._log_entry["status"] = exc.status
        self.set_header("Connection", "close")
        self.send_json_error(exc.status, exc.message, exc.code, exc.headers, exc.extra, finish=False)
        connection = self.request.connection
        if connection is not None and hasattr(connection, "set_max_body_size"):
            connection.set_max_body_size(1 << 62)  # the rest is dropped: tornado must not cut in with a 400
            connection.set_body_timeout(self.state.limits.linger)
        stream = getattr(connection, "stream", None)
        if stream is not None:
            tornado.ioloop.IOLoop.current().call_later(self.state.limits.linger, self._end_linger, stream)

    def _end_linger(self, stream: Any) -> None:
        # A body that ended in time finished the request (and the connection stays usable).
        if not self._finished and not stream.closed():
            stream.close()

    def uses_token(self) -> bool:
        return True

    def finish(self, chunk: Any = None) -> Any:
        # Logged before the answer leaves: a client that reads the log right after its call sees it.
        if hasattr(self, "_log_entry") and self._log_entry["status"] is None:
            self._log_entry["status"] = self.get_status()
        return super().finish(chunk)

    def on_finish(self) -> None:
        if hasattr(self, "_log_entry") and self._log_entry["status"] is None:
            self._log_entry["status"] = self.get_status()
        if self._body_file is not None:
            self._body_file.close()

    def data_received(self, chunk: bytes) -> None:
        if self._check_drop(len(chunk)):
            return
        if self._body_file is None:
            self._body_file = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115
        self._body_file.write(chunk)

    def _check_drop(self, n: int) -> bool:
        """Count body bytes; close the connection when a drop_after fault is due. True if dropped."""
        if self._dropped:
            return True
        self._received += n
        if self._received > self._body_limit:
            self._refuse(
                StoreError(
                    413, f"Request body too large: the limit for this route is {self._body_limit} bytes."
                )
            )
            return True
        settings = self.state.faults.settings
        if (
            settings.drop_after is not None
            and self._received > settings.drop_after
            and self.state.faults.applies(self.request.path)
        ):
            self._dropped = True
            self.on_drop()
            self._log_entry["status"] = "dropped"
            try:
                self.request.connection.stream.close()  # type: ignore[union-attr]
            except Exception:
                pass
            return True
        return False

    def on_drop(self) -> None:
        """Hook for streaming handlers to discard a partial upload."""

    def compute_etag(self) -> str | None:
        return None

    # -- dispatch ----------------------------------------------------------------------------------

    async def _run(self, method: str, *args: str) -> None:
        if self._dropped:
            return
        faults = self.state.faults
        if faults.settings.latency > 0 and faults.applies(self.request.path):
            await asyncio.sleep(faults.settings.latency)
        try:
            if self._pending_error is not None:
                raise self._pending_error
            code = faults.pick_error(self.request.path)
            if code is not None:
                if code == 429:
                    self.set_header("Retry-After", "1")
                raise StoreError(code, f"Injected fault: HTTP {code} (sandbox fault injection).")
            handler = getattr(self, "do_" + method, None)
            if handler is None:
                raise StoreError(405, f"Method {self.request.method} not allowed on {self.request.path}.")
            result = handler(*args)
            if inspect.isawaitable(result):
                await result
        except StoreError as exc:
            self.send_json_error(exc.status, exc.message, exc.code, exc.headers, exc.extra)
        except tornado.web.HTTPError:
            raise
        except Exception as exc:  # a bug in the sandbox: still answer JSON, never a traceback page
            logger.error(
                "sandbox error on %s %s\n%s", self.request.method, self.request.path, traceback.format_exc()
            )
            self.send_json_error(500, f"Sandbox internal error: {type(exc).__name__}: {exc}")

    async def get(self, *args: str) -> None:
        await self._run("get", *args)

    async def head(self, *args: str) -> None:
        await self._run("head", *args)

    async def post(self, *args: str) -> None:
        await self._run("post", *args)

    async def put(self, *args: str) -> None:
        await self._run("put", *args)

    async def delete(self, *args: str) -> None:
        await self._run("delete", *args)

    async def patch(self, *args: str) -> None:
        await self._run("patch", *args)

    async def options(self, *args: str) -> None:
        self.set_status(204)
        self.finish()

    # -- helpers -----------------------------------------------------------------------------------

    def send_json_error(
        self,
        status: int,
        message: str,
        code: str | None = None,
        headers: dict | None = None,
        extra: dict[str, Any] | None = None,
        finish: bool = True,
    ) -> None:
        """Answer `{"error": message, **extra}` with the Hub's error headers (X-Error-Code, X-Error-Message).

        With `finish=False` the whole answer is written and flushed but the request stays open (its body
        is still being received).
        """
        if self._finished or self._headers_written:
            return
        self.clear_header("Content-Type")
        self.set_status(status)
        if code:
            self.set_header("X-Error-Code", code)
        first_line = message.splitlines()[0] if message else ""
        # Header values must be latin-1: keep the exact text in the JSON body, a safe copy in the header.
        self.set_header("X-Error-Message", first_line.encode("ascii", "replace").decode("ascii"))
        for key, value in (headers or {}).items():
            self.set_header(key, value)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        if self.request.method == "HEAD":
            self.finish()
        elif finish:
            self.finish(json.dumps({"error": message, **(extra or {})}))
        else:
            data = json.dumps({"error": message, **(extra or {})}).encode()
            self.set_header("Content-Length", str(len(data)))
            self.write(data)
            self.flush()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": self._reason or f"HTTP {status_code}"}))

    def send_json(
        self, data: Any, status: int = 200, content_type: str = "application/json; charset=utf-8"
    ) -> None:
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        self.finish(json.dumps(data))

    def body_bytes(self) -> bytes:
        if self._body_file is None:
            return self.request.body or b""
        self._body_file.seek(0)
        return self._body_file.read()

    def json_body(self) -> dict[str, Any]:
        raw = self.body_bytes()
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise StoreError(400, f"Invalid JSON body: {exc}") from None
        if not isinstance(data, dict):
            raise StoreError(400, "The JSON body must be an object.")
        return data

    def form_body(self) -> list[tuple[str, str]]:
        try:
            return parse_qsl(self.body_bytes().decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise StoreError(400, "Invalid form body.") from None

    def base_url(self) -> str:
        return f"{self.request.protocol}://{self.request.host}"

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.get_query_argument(name, default)

    def args(self, *names: str) -> list[str]:
        values: list[str] = []
        for name in names:
            values += self.get_query_arguments(name)
        return values

    def next_link(self, offset: int) -> None:
        query = [(k, v) for k, v in parse_qsl(self.request.query, keep_blank_values=True) if k != "cursor"]
        query.append(("cursor", _encode_cursor(offset)))
        self.set_header("Link", f'<{self.base_url()}{self.request.path}?{urlencode(query)}>; rel="next"')

    def page_size(self, default: int = PAGE_MAX) -> int:
        raw = self.arg("limit")
        try:
            return max(1, min(int(raw), PAGE_MAX)) if raw else default
        except ValueError:
            raise StoreError(400, f"Invalid limit {raw!r}.") from None

    def lookup(self, kind: str, namespace: str, name: str) -> tuple[Repo | None, str]:
        repo_type = TYPES.get(kind, kind)
        return self.store.get_repo(repo_type, namespace, name), f"{namespace}/{name}"

    def readable(self, kind: str, namespace: str, name: str) -> Repo:
        repo, repo_id = self.lookup(kind, namespace, name)
        return self.accounts.check_read(self.ident, repo, repo_id)

    def check_gate(self, repo: Repo) -> None:
        """Files of a gated repo are for its owners only here (the sandbox has no access requests)."""
        if repo.gated and repo.namespace not in self.accounts.namespaces(self.ident):
            raise StoreError(
                403,
                f"Access to {repo.type} {repo.id} is restricted. You must have access to it and be authenticated.",
                "GatedRepo",
            )

    def writable(self, kind: str, namespace: str, name: str) -> Repo:
        repo, repo_id = self.lookup(kind, namespace, name)
        return self.accounts.check_write(self.ident, repo, repo_id)

    def contributable(self, kind: str, namespace: str, name: str, revision: str | None = None) -> Repo:
        """Like `writable`, but for pull requests: any write token that can read the repo may open one."""
        is_pr = _truthy(self.arg("create_pr")) or (revision or "").startswith("refs/pr/")
        if not is_pr:
            return self.writable(kind, namespace, name)
        repo, repo_id = self.lookup(kind, namespace, name)
        repo = self.accounts.check_read(self.ident, repo, repo_id)
        if self.ident.anonymous:
            raise StoreError(401, "You must be authenticated to open a pull request.")
        if self.ident.role != "write":
            raise StoreError(
                403, "This token has the 'read' role: it cannot write. Use a token with the 'write' role."
            )
        return repo

    def repo_url(self, repo: Repo) -> str:
        return f"{self.base_url()}/{PREFIX[repo.type]}{repo.id}"


# -- account -----------------------------------------------------------------------------------------


class WhoamiHandler(BaseHandler):
    def do_get(self) -> None:
        if self.ident.anonymous:
            raise StoreError(401, "Invalid user token. Pass a valid token in the Authorization header.")
        user = self.ident.user or ""
        orgs = [
            {
                "type": "org",
                "name": org,
                "fullname": self.accounts.fullname(org),
                "roleInOrg": "write",
                "isEnterprise": False,
            }
            for org in self.accounts.orgs_of(user)
        ]
        self.send_json(
            {
                "type": "user",
                "id": git_blob_sha1(user.encode())[:24],
                "name": user,
                "fullname": self.accounts.fullname(user),
                "email": f"{user}@sandbox.local",
                "emailVerified": True,
                "canPay": False,
                "isPro": False,
                "avatarUrl": "",
                "orgs": orgs,
                "auth": {
                    "type": "access_token",
                    "accessToken": {
                        "displayName": self.ident.token_name or user,
                        "role": self.ident.role,
                        "createdAt": now_iso(),
                    },
                },
            }
        )


class HarnessesHandler(BaseHandler):
    def do_get(self) -> None:
        self.send_json({"standardEnvVars": [], "harnesses": {}})


class IndexHandler(BaseHandler):
    def do_get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            "<!doctype html><title>Sandbox Hub</title><h1>Sandbox Hub</h1>"
            "<p>A local Hugging Face Hub-compatible server. Point <code>HF_ENDPOINT</code> here.</p>"
        )


class NotFoundHandler(BaseHandler):
    def do_any(self) -> None:
        raise StoreError(
            404, f"Sorry, the route {self.request.method} {self.request.path} does not exist on the sandbox."
        )

    do_get = do_head = do_post = do_put = do_delete = do_patch = do_any


# -- repos -------------------------------------------------------------------------------------------


def _private_from(body: dict[str, Any]) -> bool | None:
    if body.get("visibility") in ("private", "public"):
        return body["visibility"] == "private"
    if body.get("private") is not None:
        return bool(body["private"])
    return None


class CreateRepoHandler(BaseHandler):
    def precheck(self) -> None:
        self.require_token("create a repo")

    def do_post(self) -> None:
        body = self.json_body()
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise StoreError(400, "Missing repo 'name'.")
        if self.ident.anonymous:
            raise StoreError(401, "You must be authenticated to create a repo.")
        namespace = body.get("organization") or self.ident.user
        if "/" in name:
            namespace, name = name.split("/", 1)
        repo_type = body.get("type") or "model"
        if not isinstance(repo_type, str) or repo_type not in PREFIX:
            raise StoreError(400, f"Invalid repo type {repo_type!r}.")
        check_repo_names(namespace, name)
        existing = self.store.get_repo(repo_type, namespace, name)
        url = f"{self.base_url()}/{PREFIX[repo_type]}{namespace}/{name}"
        if existing is not None and self.accounts.can_read(self.ident, existing):
            self.set_status(409)
            self.send_json({"error": f"You already created this {repo_type} repo", "url": url}, status=409)
            return
        self.accounts.check_write_namespace(self.ident, namespace)
        if existing is not None:
            raise StoreError(409, "A repo with this name already exists.")
        repo = self.store.create_repo(
            repo_type, namespace, name, bool(_private_from(body)), self.ident.user or ""
        )
        if repo_type == "space" and body.get("sdk"):
            self.store.execute(
                "UPDATE repos SET card=? WHERE rowid=?", (json.dumps({"sdk": body["sdk"]}), repo.rowid)
            )
        self.send_json({"url": url, "name": f"{namespace}/{name}", "id": f"{namespace}/{name}"})


class DeleteRepoHandler(BaseHandler):
    def precheck(self) -> None:
        self.require_token("delete a repo")

    def do_delete(self) -> None:
        body = self.json_body()
        name = body.get("name") or ""
        namespace = body.get("organization") or self.ident.user or ""
        if "/" in name:
            namespace, name = name.split("/", 1)
        repo = self.store.get_repo(body.get("type") or "model", namespace, name)
        repo = self.accounts.check_write(self.ident, repo, f"{namespace}/{name}")
        self.store.delete_repo(repo)
        self.send_json({})


class MoveRepoHandler(BaseHandler):
    def precheck(self) -> None:
        self.require_token("move a repo")

    def do_post(self) -> None:
        body = self.json_body()
        src, dst = str(body.get("fromRepo", "")), str(body.get("toRepo", ""))
        if src.count("/") != 1 or dst.count("/") != 1:
            raise StoreError(400, "fromRepo and toRepo must be 'namespace/name'.")
        repo = self.store.get_repo(body.get("type") or "model", *src.split("/"))
        repo = self.accounts.check_write(self.ident, repo, src)
        namespace, name = dst.split("/")
        self.accounts.check_write_namespace(self.ident, namespace)
        self.store.move_repo(repo, namespace, name)
        self.send_json({})


class SettingsHandler(BaseHandler):
    def precheck(self) -> None:
        self.writable(*self.path_args[:3])

    def do_put(self, kind: str, namespace: str, name: str) -> None:
        repo = self.writable(kind, namespace, name)
        body = self.json_body()
        gated = body.get("gated")
        if gated not in (None, False, "auto", "manual"):
            raise StoreError(400, f"Invalid gated value {gated!r}: use 'auto', 'manual' or false.")
        self.store.update_settings(repo, private=_private_from(body), gated=gated)
        self.send_json({})

    do_post = do_put


def repo_json(
    handler: BaseHandler,
    repo: Repo,
    commit: str,
    *,
    blobs: bool = False,
    siblings: bool = True,
    card: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The repo info document (models, datasets and spaces share most fields)."""
    store = handler.store
    card = repo.card if card is None else card
    row = store.commit_row(commit)
    data: dict[str, Any] = {
        "_id": git_blob_sha1(f"{repo.type}/{repo.id}".encode())[:24],
        "id": repo.id,
        "author": repo.namespace,
        "sha": commit,
        "lastModified": _ts(row["date"]),
        "createdAt": _ts(repo.created_at),
        "private": repo.private,
        "gated": repo.gated,
        "disabled": False,
        "downloads": repo.downloads,
        "likes": repo.likes,
        "tags": tags_from_card(card, repo.type),
        "trendingScore": repo.likes * 10 + repo.downloads,
    }
    if card:
        data["cardData"] = card
    if repo.type == "model":
        data["modelId"] = repo.id
        data["pipeline_tag"] = card.get("pipeline_tag")
        data["library_name"] = card.get("library_name")
        if isinstance(card.get("widget"), list):  # the card's widget examples, as the Hub serves them
            data["widgetData"] = card["widget"]
        data["spaces"] = []
    elif repo.type == "dataset":
        data["description"] = ""
    else:
        data["sdk"] = card.get("sdk") or "static"
        data["subdomain"] = repo.id.replace("/", "-").lower()
        data["runtime"] = {"stage": "RUNNING", "hardware": {"current": "cpu-basic", "requested": "cpu-basic"}}
    if siblings:
        items = []
        for entry in sorted(store.files(commit).values(), key=lambda e: e.path):
            item: dict[str, Any] = {"rfilename": entry.path}
            if blobs:
                item["size"] = entry.size
                item["blobId"] = entry.oid
                if entry.lfs:
                    item["lfs"] = {
                        "sha256": entry.lfs,
                        "size": entry.size,
                        "pointerSize": entry.pointer_size(),
                    }
            items.append(item)
        data["siblings"] = items
    return data


class RepoInfoHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str, revision: str | None = None) -> None:
        repo = self.readable(kind, namespace, name)
        commit, _ = self.store.resolve(repo, revision or "main")
        card = json.loads(self.store.commit_row(commit)["card"] or "{}") if revision else repo.card
        data = repo_json(self, repo, commit, blobs=_truthy(self.arg("blobs")), card=card)
        expand = self.args("expand", "expand[]")
        if expand:
            keep = set(expand) | {"id", "_id"}
            if "siblings" in keep and "siblings" not in data:
                keep.add("siblings")
            data = {k: v for k, v in data.items() if k in keep}
        self.send_json(data)


class NoNamespaceHandler(BaseHandler):
    """Repo ids without a namespace ('gpt2') exist only on huggingface.co: a clear RepoNotFound here."""

    def do_get(self, kind: str, name: str) -> None:
        raise StoreError(
            404, f"Repository Not Found for {name}: sandbox repo ids are 'namespace/name'.", "RepoNotFound"
        )


class ListReposHandler(BaseHandler):
    def do_get(self, kind: str) -> None:
        repo_type = TYPES[kind]
        limit_raw = self.arg("limit")
        try:
            limit = max(1, int(limit_raw)) if limit_raw else None
        except ValueError:
            raise StoreError(400, f"Invalid limit {limit_raw!r}.") from None
        page = min(limit or PAGE_MAX, PAGE_MAX)
        offset = _decode_cursor(self.arg("cursor"))
        filters = [f for value in self.args("filter") for f in value.split(",") if f]
        for key in ("pipeline_tag", "library", "language", "license"):
            value = self.arg(key)
            if value:
                filters.append(f"license:{value}" if key == "license" else value)
        repos, more = self.store.list_repos(
            repo_type,
            visible_to=self.accounts.namespaces(self.ident),
            search=self.arg("search"),
            author=self.arg("author"),
            tags=filters,
            sort=self.arg("sort"),
            offset=offset,
            limit=page,
        )
        full = _truthy(self.arg("full"))
        with_card = _truthy(self.arg("cardData")) or full
        expand = self.args("expand", "expand[]")
        items = []
        for repo in repos:
            head = repo.head or ""
            data = (
                repo_json(self, repo, head, siblings=full or "siblings" in expand)
                if head
                else {"id": repo.id}
            )
            if expand:
                keep = set(expand) | {"id", "_id"}
                data = {k: v for k, v in data.items() if k in keep}
            else:
                if not with_card:
                    data.pop("cardData", None)
                if not full:
                    for key in ("sha", "siblings", "lastModified", "spaces", "runtime", "subdomain"):
                        data.pop(key, None)
                    data["lastModified"] = _ts(repo.last_modified)
            items.append(data)
        if more:  # `limit` is the page size, as on the Hub; the client stops with islice
            self.next_link(offset + len(repos))
        self.send_json(items)


# -- tree / paths-info / commits / refs -------------------------------------------------------------


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
        entry["lastCommit"] = {"id": last["oid"], "title": last["title"], "date": _ts(last["date"])}


class TreeHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str, revision: str, path: str | None = None) -> None:
        repo = self.readable(kind, namespace, name)
        commit, _ = self.store.resolve(repo, revision)
        path = (path or "").strip("/")
        entries = self.store.list_dir(commit, path, _truthy(self.arg("recursive")))
        if entries is None:
            raise StoreError(
                404,
                f"Entry not found: no folder {path!r} at revision {revision}.",
                "EntryNotFound",
                {"X-Repo-Commit": commit},
            )
        expand = _truthy(self.arg("expand"))
        size = self.page_size(50 if expand else PAGE_MAX)
        offset = _decode_cursor(self.arg("cursor"))
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
            expand = any(_truthy(v) for k, v in form if k == "expand")
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


class CommitsHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str, revision: str) -> None:
        repo = self.readable(kind, namespace, name)
        commit, _ = self.store.resolve(repo, revision)
        offset = _decode_cursor(self.arg("cursor"))
        page_raw = self.arg("p")
        size = self.page_size(50)
        if page_raw is not None and page_raw.isdigit():
            offset = int(page_raw) * size
        formatted = "formatted" in self.args("expand", "expand[]")
        items = []
        more = False
        for index, row in enumerate(self.store.history(commit)):
            if index < offset:
                continue
            if len(items) == size:
                more = True
                break
            item = {
                "id": row["oid"],
                "title": row["title"],
                "message": row["message"],
                "date": _ts(row["date"]),
                "authors": [{"user": row["author"], "avatar": ""}],
            }
            if formatted:
                item["formatted"] = {"title": row["title"], "message": row["message"]}
            items.append(item)
        if more:
            self.next_link(offset + size)
        self.send_json(items)


class RefsHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str) -> None:
        repo = self.readable(kind, namespace, name)
        data: dict[str, Any] = {"branches": [], "tags": [], "converts": []}
        prs = []
        for row in self.store.refs(repo):
            if row["kind"] == "branch":
                data["branches"].append(
                    {"name": row["name"], "ref": f"refs/heads/{row['name']}", "targetCommit": row["target"]}
                )
            elif row["kind"] == "tag":
                data["tags"].append(
                    {"name": row["name"], "ref": f"refs/tags/{row['name']}", "targetCommit": row["target"]}
                )
            elif row["kind"] == "pr":
                prs.append(
                    {
                        "name": f"refs/pr/{row['name']}",
                        "ref": f"refs/pr/{row['name']}",
                        "targetCommit": row["target"],
                    }
                )
        if _truthy(self.arg("include_prs")):
            data["pullRequests"] = sorted(prs, key=lambda p: int(p["name"].rsplit("/", 1)[1]))
        self.send_json(data)


def _ref_name(name: Any, what: str) -> str:
    try:
        return validation.check_ref_name(name, what)
    except Invalid as exc:
        raise StoreError(400, str(exc)) from None


class BranchHandler(BaseHandler):
    def precheck(self) -> None:
        self.writable(*self.path_args[:3])

    def do_post(self, kind: str, namespace: str, name: str, branch: str) -> None:
        repo = self.writable(kind, namespace, name)
        _ref_name(branch, "branch")
        body = self.json_body()
        starting_point = body.get("startingPoint") or "main"
        if not isinstance(starting_point, str):
            raise StoreError(400, "Invalid startingPoint: expected a revision (string).")
        start, _ = self.store.resolve(repo, starting_point)
        with self.store.lock:
            if self.store.has_ref(repo, "branch", branch):
                raise StoreError(409, f"Branch {branch!r} already exists.")
            self.store.set_ref(repo, "branch", branch, start)
        self.send_json({})

    def do_delete(self, kind: str, namespace: str, name: str, branch: str) -> None:
        repo = self.writable(kind, namespace, name)
        if branch == "main":
            raise StoreError(403, "The main branch cannot be deleted.")
        if not self.store.delete_ref(repo, "branch", branch):
            raise StoreError(404, f"Invalid rev id: {branch}", "RevisionNotFound")
        self.send_json({})


class TagHandler(BaseHandler):
    def precheck(self) -> None:
        self.writable(*self.path_args[:3])

    def do_post(self, kind: str, namespace: str, name: str, revision: str) -> None:
        repo = self.writable(kind, namespace, name)
        body = self.json_body()
        tag = _ref_name(body.get("tag"), "tag")
        commit, _ = self.store.resolve(repo, revision)
        with self.store.lock:
            if self.store.has_ref(repo, "tag", tag):
                raise StoreError(409, f"Tag {tag!r} already exists.")
            self.store.set_ref(repo, "tag", tag, commit)
        self.send_json({})

    def do_delete(self, kind: str, namespace: str, name: str, tag: str) -> None:
        repo = self.writable(kind, namespace, name)
        if not self.store.delete_ref(repo, "tag", tag):
            raise StoreError(404, f"Invalid rev id: {tag}", "RevisionNotFound")
        self.send_json({})


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


# -- uploads -----------------------------------------------------------------------------------------


def _gitattributes_lfs_patterns(store: Store, commit: str) -> list[str]:
    entry = store.file(commit, ".gitattributes")
    if entry is None or entry.lfs:
        return []
    try:
        text = store.blob_bytes(entry.oid).decode("utf-8", errors="replace")
    except OSError:
        return []
    return [line.split()[0] for line in text.splitlines() if "filter=lfs" in line and line.split()]


def _matches(path: str, pattern: str) -> bool:
    import fnmatch

    if "/" in pattern.strip("/"):
        return fnmatch.fnmatch(path, pattern.lstrip("/"))
    return fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern)


def upload_mode(store: Store, commit: str, path: str, size: int, sample: bytes) -> str:
    """'lfs' for big files, binary samples and .gitattributes LFS patterns; 'regular' otherwise."""
    if size >= LFS_THRESHOLD or b"\0" in sample:
        return "lfs"
    if any(_matches(path, p) for p in _gitattributes_lfs_patterns(store, commit)):
        return "lfs"
    return "regular"


def _check_path(path: Any) -> str:
    """A path a file may be added at (422 as on the Hub otherwise)."""
    if not isinstance(path, str):
        raise _bad_field("path", None, "a string", path)
    try:
        return validation.check_path(path)
    except Invalid as exc:
        raise StoreError(422, str(exc)) from None


def _deleted_path(path: Any, field: str) -> str:
    """A path to delete: any stored path may go, even one refused today (so old data can be cleaned)."""
    if not isinstance(path, str) or not path.strip("/"):
        raise StoreError(400, f"Invalid {field}: expected a non-empty string.")
    return path.strip("/")


def _writable_ref(store: Store, repo: Repo, revision: str) -> tuple[str, str, str]:
    """(kind, name, head) of the branch or PR ref a commit may be pushed onto."""
    rev = revision[len("refs/heads/") :] if revision.startswith("refs/heads/") else revision
    if rev.startswith("refs/pr/"):
        kind, name = "pr", rev[len("refs/pr/") :]
    else:
        kind, name = "branch", rev
    rows = store.query("SELECT target FROM refs WHERE repo=? AND kind=? AND name=?", (repo.rowid, kind, name))
    if not rows:
        if store.has_ref(repo, "tag", rev) or re.fullmatch(r"[0-9a-f]{40}", rev):
            raise StoreError(
                400, f"Cannot commit to {revision!r}: only branches and pull requests take commits."
            )
        raise StoreError(404, f"Invalid rev id: {revision}", "RevisionNotFound")
    return kind, name, rows[0]["target"]


class PreuploadHandler(BaseHandler):
    body_kind = "listing"

    def precheck(self) -> None:
        _check_pr_push(self, self.contributable(*self.path_args[:4]), self.path_args[3])

    def do_post(self, kind: str, namespace: str, name: str, revision: str) -> None:
        repo = self.contributable(kind, namespace, name, revision)
        _check_pr_push(self, repo, revision)  # refused before the client uploads anything
        body = self.json_body()
        files = body.get("files")
        if not isinstance(files, list):
            raise StoreError(400, "Expected {'files': [{path, sample, size}, ...]}.")
        _, _, head = _writable_ref(self.store, repo, revision)
        result = []
        for item in files:
            if not isinstance(item, dict):
                raise StoreError(400, "Each file must be an object {path, sample, size}.")
            path = _check_path(item.get("path"))
            size = item.get("size") or 0
            if not isinstance(size, int) or isinstance(size, bool) or size < 0:
                raise _bad_field("files.size", path, "a non-negative integer", size)
            try:
                sample = base64.b64decode(item.get("sample") or "")
            except (ValueError, TypeError):
                raise StoreError(400, f"Invalid files.sample for {path}: not base64.") from None
            mode = upload_mode(self.store, head, path, size, sample)
            entry: dict[str, Any] = {"path": path, "uploadMode": mode, "shouldIgnore": False}
            existing = self.store.file(head, path)
            if existing is not None:
                entry["oid"] = existing.lfs or existing.oid
            result.append(entry)
        self.send_json({"files": result, "commitOid": head})


@dataclass
class CommitPayload:
    """A parsed NDJSON commit: header fields and operations (blobs already stored)."""

    summary: str
    description: str
    parent: str | None
    ops: list[Operation]


def _bad_field(field: str, path: str | None, expected: str, value: Any) -> StoreError:
    where = f" for {path}" if path else ""
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:80] + "…"
    return StoreError(400, f"Invalid {field}{where}: expected {expected}, got {shown}.")


class CommitHandler(BaseHandler):
    body_kind = "commit"

    def precheck(self) -> None:
        _check_pr_push(self, self.contributable(*self.path_args[:4]), self.path_args[3])

    async def do_post(self, kind: str, namespace: str, name: str, revision: str) -> None:
        repo = self.contributable(kind, namespace, name, revision)
        _check_pr_push(self, repo, revision)
        create_pr = _truthy(self.arg("create_pr"))
        # Decoding, blob writes and README validation run off the event loop.
        payload = await asyncio.get_running_loop().run_in_executor(_io_pool(), self._parse_payload, repo)
        summary, description, parent, ops = payload.summary, payload.description, payload.parent, payload.ops
        kind_ref, ref_name, head = _writable_ref(self.store, repo, revision)
        pr_num = None
        if create_pr and kind_ref == "branch":
            # The pull request starts at parentCommit when given (an older commit is fine), else at the head.
            start = head
            if parent:
                start, _ = self.store.resolve(repo, parent)
            pr_num = self.store.create_discussion(
                repo, summary, description, self.ident.user or "", True, base=ref_name
            )
            self.store.set_ref(repo, "pr", str(pr_num), start)
            kind_ref, ref_name, parent = "pr", str(pr_num), None
        elif kind_ref == "pr":
            pr_num = int(ref_name)
        try:
            commit = self.store.apply_commit(
                repo,
                ref_name,
                ops,
                summary,
                description,
                self.ident.user or "",
                parent_commit=parent,
                kind=kind_ref,
            )
        except StoreError:
            if create_pr and pr_num is not None:  # all or nothing: no empty pull request is left behind
                self.store.execute("DELETE FROM discussions WHERE repo=? AND num=?", (repo.rowid, pr_num))
                self.store.delete_ref(repo, "pr", str(pr_num))
            raise
        if kind_ref == "pr" and pr_num is not None:
            self.store.add_event(
                repo, pr_num, "commit", self.ident.user or "", {"subject": summary, "oid": commit}
            )
        data = {"success": True, "commitOid": commit, "commitUrl": f"{self.repo_url(repo)}/commit/{commit}"}
        if pr_num is not None and create_pr:
            data["pullRequestUrl"] = f"{self.repo_url(repo)}/discussions/{pr_num}"
        self.send_json(data)

    def _parse_payload(self, repo: Repo) -> CommitPayload:
        """Read the NDJSON lines; every malformed field is a 400 that names it (runs on a worker thread)."""
        header: dict[str, Any] | None = None
        ops: list[Operation] = []
        readme: tuple[str, bytes] | None = None
        for number, line in self._lines():
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (ValueError, UnicodeDecodeError):
                raise StoreError(400, f"Invalid NDJSON commit payload at line {number}: not JSON.") from None
            if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
                raise StoreError(
                    400, f"Invalid NDJSON commit payload at line {number}: expected {{key, value: {{...}}}}."
                )
            key, value = item.get("key"), item["value"]
            if key == "header":
                header = value
            elif key == "file":
                path = _check_path(value.get("path"))
                if value.get("encoding", "base64") != "base64":
                    raise _bad_field("file.encoding", path, "'base64'", value.get("encoding"))
                raw = value.get("content") or ""
                if not isinstance(raw, str):
                    raise _bad_field("file.content", path, "a base64 string", raw)
                try:
                    content = base64.b64decode(raw, validate=False)
                except ValueError:
                    raise StoreError(400, f"Invalid file.content for {path}: not base64.") from None
                oid = self.store.put_blob(content)
                if path == "README.md":
                    readme = (oid, content)
                ops.append(Operation("file", path, oid=oid, size=len(content)))
            elif key == "lfsFile":
                path = _check_path(value.get("path"))
                oid = value.get("oid")
                if not isinstance(oid, str) or not re.fullmatch(r"[0-9a-f]{64}", oid):
                    raise _bad_field("lfsFile.oid", path, "a sha256 (64 hex digits)", oid)
                if value.get("algo", "sha256") != "sha256":
                    raise _bad_field("lfsFile.algo", path, "'sha256'", value.get("algo"))
                size = value.get("size")
                if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 0):
                    raise _bad_field("lfsFile.size", path, "a non-negative integer", size)
                if not lfs_usable(self, repo, oid, size or None):
                    # The Hub's answer (400). An object of another repo the committer cannot read answers the
                    # same as a missing one: the refusal must not tell that it exists.
                    raise StoreError(
                        400,
                        "Your push was rejected because an LFS pointer pointed to a file that does not exist "
                        f"in this repo: the object for {path} (sha256 {oid}) was never uploaded for this repo; "
                        f"upload it first. Offending file: {path}",
                    )
                if not size:
                    size = self.store.query("SELECT size FROM lfs_objects WHERE sha256=?", (oid,))[0]["size"]
                if path == "README.md":
                    readme = None  # an LFS README carries no metadata
                ops.append(Operation("lfsFile", path, oid=_pointer_oid(oid, size), size=size, lfs=oid))
            elif key == "deletedFile":
                ops.append(Operation("deletedFile", _deleted_path(value.get("path"), "deletedFile.path")))
                if ops[-1].path == "README.md":
                    readme = None
            elif key == "deletedFolder":
                ops.append(Operation("deletedFolder", _deleted_path(value.get("path"), "deletedFolder.path")))
            else:
                raise StoreError(400, f"Unknown commit operation {key!r} at line {number}.")
        if header is None:
            raise StoreError(400, "The commit payload has no header line.")
        try:
            summary = validation.check_text(
                header.get("summary"), "header.summary", validation.MAX_TITLE_LENGTH
            ).strip()
            description = validation.check_text(
                header.get("description"), "header.description", validation.MAX_MESSAGE_LENGTH
            )
        except Invalid as exc:
            raise StoreError(400, str(exc)) from None
        parent = header.get("parentCommit") or None
        if parent is not None and not isinstance(parent, str):
            raise _bad_field("header.parentCommit", None, "a commit id", parent)
        if readme is not None:
            self._check_readme(readme[0], readme[1], repo.type)
        return CommitPayload(summary or "Update", description, parent, ops)

    def _check_readme(self, oid: str, content: bytes, repo_type: str) -> None:
        """Refuse a README whose metadata the Hub would refuse; keep the parsed card for the commit."""
        text = content.decode("utf-8", errors="replace")
        errors = validate_card_metadata(text, repo_type)
        if errors:  # worded as the client words the same answer from /api/validate-yaml
            raise StoreError(400, "Invalid metadata in README.md.\n" + "\n".join(f"- {e}" for e in errors))
        self.store.remember_card(oid, parse_front_matter(text))

    def _lines(self):
        """(number, line) of the body, each line at most `commit_line` bytes (413 beyond)."""
        limit = self.state.limits.commit_line
        if self._body_file is None:
            source: Any = io.BytesIO(self.request.body or b"")
        else:
            source = self._body_file
            source.seek(0)
        number = 0
        while line := source.readline(limit + 1):
            number += 1
            if len(line) > limit:
                raise StoreError(413, f"Line {number} of the commit payload is longer than {limit} bytes.")
            yield number, line


def _pointer_oid(sha256: str, size: int) -> str:
    from .store import lfs_pointer

    return git_blob_sha1(lfs_pointer(sha256, size))


class ValidateYamlHandler(BaseHandler):
    body_kind = "listing"

    async def do_post(self) -> None:
        body = self.json_body()
        content = body.get("content")
        if not isinstance(content, str):
            raise StoreError(400, "Expected {'content': str, 'repoType': str}.")
        repo_type = str(body.get("repoType") or "model")
        # YAML parsing is CPU work on untrusted input: off the event loop.
        errors, card = await asyncio.get_running_loop().run_in_executor(
            _io_pool(), _card_report, content, repo_type
        )
        if errors:
            self.send_json(
                {"error": errors[0], "errors": [{"message": m} for m in errors], "warnings": []}, status=400
            )
            return
        warnings = []
        if not card:
            warnings.append({"message": "Empty or missing yaml metadata in repo card"})
        elif "license" not in card and repo_type in ("model", "dataset"):
            warnings.append({"message": "license is not set: consider adding a license to the metadata"})
        self.send_json({"errors": [], "warnings": warnings})


def _card_report(content: str, repo_type: str) -> tuple[list[str], dict[str, Any]]:
    """(errors, metadata) of a README."""
    errors = validate_card_metadata(content, repo_type)
    return errors, ({} if errors else parse_front_matter(content))


def validate_card_metadata(content: str, repo_type: str) -> list[str]:
    """Problems the Hub reports for a README's front matter (invalid YAML, unknown license or task).

    The YAML is parsed with limits (size, nesting, aliases, expanded size): beyond them it is invalid.
    """
    from .vocab import LICENSES, PIPELINE_TAGS

    try:
        data = validation.parse_card(content)
    except Invalid as exc:
        return [str(exc)]
    errors = []
    licenses = data.get("license")
    for lic in licenses if isinstance(licenses, list) else [licenses] if licenses is not None else []:
        if str(lic) not in LICENSES:
            errors.append(
                f'"license" must be one of [{", ".join(sorted(LICENSES)[:8])}, ..., other]; got {lic!r}'
            )
    task = data.get("pipeline_tag")
    if repo_type == "model" and task is not None and str(task) not in PIPELINE_TAGS:
        errors.append(
            f'"pipeline_tag" must be one of [{", ".join(sorted(PIPELINE_TAGS)[:8])}, ...]; got {task!r}'
        )
    return errors


# -- downloads ---------------------------------------------------------------------------------------


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
            remaining = length
            while remaining > 0:
                chunk = handle.read(min(CHUNK, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                self.write(chunk)
                await self.flush()
        self.finish()


# -- LFS ---------------------------------------------------------------------------------------------
# An object is stored once but served and reused only through a repo that may use it (store.lfs_in_repo):
# downloads go through `resolve` (repo access rules) or through a download URL the batch endpoint signs
# for one repo and object; a commit references an object uploaded for its repo or one a repo the
# committer can read already references.

LFS_URL_TTL = 3600


def _can_read_files(handler: BaseHandler, repo: Repo) -> bool:
    """Whether the caller may download the files of `repo` (read access; owners only for a gated repo)."""
    if not handler.accounts.can_read(handler.ident, repo):
        return False
    return not repo.gated or repo.namespace in handler.accounts.namespaces(handler.ident)


def lfs_usable(handler: BaseHandler, repo: Repo, oid: str, size: int | None = None) -> bool:
    """Whether the caller may reference LFS object `oid` (of `size`, when given) in a commit to `repo`.

    Args:
        handler: The request (its identity decides which other repos count).
        repo: The repo the commit or upload is for.
        oid: The object's sha256.
        size: Its size, when the client gave one (a different stored size does not match).
    """
    store = handler.store
    if not store.has_lfs(oid, size):
        return False
    if store.lfs_in_repo(repo, oid):
        return True
    # Dedupe across repos the caller can read is legitimate: they could download the object anyway.
    return any(_can_read_files(handler, other) for other in store.repos_referencing_lfs(oid))


def _object_signature(state: ServerState, repo_rowid: int, oid: str, expires: int) -> str:
    message = f"{repo_rowid}:{oid}:{expires}".encode()
    return hmac.new(state.url_secret, message, hashlib.sha256).hexdigest()


def _is_writer(handler: BaseHandler, repo: Repo) -> bool:
    try:
        handler.accounts.check_write(handler.ident, repo, repo.id)
    except StoreError:
        return False
    return True


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
            if not re.fullmatch(r"[0-9a-f]{64}", oid) or not isinstance(size, int) or size < 0:
                result.append(
                    {"oid": oid, "size": size, "error": {"code": 422, "message": "Invalid oid or size."}}
                )
                continue
            item: dict[str, Any] = {"oid": oid, "size": size, "authenticated": True}
            if operation == "download":
                # Only objects this repo's commits reference: anything else is "does not exist", stored or not.
                if self.store.lfs_in_repo(repo, oid, committed=True) and self.store.has_lfs(oid, size):
                    expires = int(time.time()) + LFS_URL_TTL
                    query = urlencode(
                        {
                            "repo": repo.rowid,
                            "expires": expires,
                            "sig": _object_signature(self.state, repo.rowid, oid, expires),
                        }
                    )
                    item["actions"] = {
                        "download": {"href": f"{base}/lfs-objects/{oid}?{query}", "expires_in": LFS_URL_TTL}
                    }
                else:
                    item["error"] = {"code": 404, "message": "Object does not exist."}
            elif not lfs_usable(self, repo, oid, size):
                # Also when the object is stored for repos the caller cannot read: uploading the content
                # proves the caller has it, and the answer does not tell that it exists.
                ticket = secrets.token_urlsafe(24)
                self.state.tickets[ticket] = UploadTicket(
                    repo.rowid, oid, size, time.time() + 3600, repo_created=repo.created_at
                )
                # No "verify" action: the upload itself checks sha256 + size, and the commit checks the object
                # is stored, so a verify round trip per file would only add latency (the endpoint still exists).
                item["actions"] = {"upload": {"href": f"{base}/lfs-upload/{ticket}", "expires_in": 3600}}
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
        if not lfs_usable(self, repo, oid, size if isinstance(size, int) else None):
            raise StoreError(404, f"LFS object {oid[:12]}… was not uploaded (or has another size).")
        self.send_json({"message": "Verified"})


_IO_POOL: concurrent.futures.ThreadPoolExecutor | None = None


def _io_pool() -> concurrent.futures.ThreadPoolExecutor:
    global _IO_POOL
    if _IO_POOL is None:
        _IO_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="sandbox-io")
    return _IO_POOL


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
            await asyncio.get_running_loop().run_in_executor(_io_pool(), writer.write, chunk)
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
        if not (
            re.fullmatch(r"[0-9]{1,18}", repo_arg)
            and re.fullmatch(r"[0-9]{1,18}", expires_arg)
            and int(expires_arg) >= time.time()
            and hmac.compare_digest(
                sig.encode(), _object_signature(self.state, int(repo_arg), oid, int(expires_arg)).encode()
            )
        ):
            raise StoreError(
                403,
                "This LFS download URL is invalid or expired: ask the repo's LFS batch endpoint for a new one, "
                "or download the file through /resolve.",
            )
        repo = self.store.get_repo_by_rowid(int(repo_arg))
        if repo is None or not self.store.lfs_in_repo(repo, oid, committed=True):
            raise StoreError(404, "Object does not exist.")
        with open(self.store.lfs_path(oid), "rb") as handle:
            while chunk := handle.read(CHUNK):
                self.write(chunk)
                await self.flush()
        self.finish()


# -- discussions and pull requests -------------------------------------------------------------------


def _check_pr_push(handler: BaseHandler, repo: Repo, revision: str) -> None:
    """A commit onto an existing pull request's ref: its author or a repo writer only, as on the Hub."""
    match = re.fullmatch(r"refs/pr/(\d+)", revision)
    if not match:
        return
    num = int(match.group(1))
    row = handler.store.discussion(repo, num)
    if row is None or row["author"] == handler.ident.user or _is_writer(handler, repo):
        return  # an unknown ref gets the commit's own 404
    raise StoreError(
        403,
        f"Only the author of pull request #{num} or a user with write access to {repo.id} "
        f"can push to refs/pr/{num}.",
    )


def discussion_json(handler: BaseHandler, repo: Repo, row: Any) -> dict[str, Any]:
    return {
        "num": row["num"],
        "title": row["title"],
        "status": row["status"],
        "createdAt": _ts(row["created_at"]),
        "author": {"name": row["author"], "type": "user"},
        "repo": {"name": repo.id, "type": repo.type},
        "isPullRequest": bool(row["is_pr"]),
        "numComments": sum(1 for e in json.loads(row["events"]) if e["type"] == "comment"),
        "pinned": False,
        "topReactions": [],
    }


class DiscussionsHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str) -> None:
        repo = self.readable(kind, namespace, name)
        rows = self.store.discussions(repo)
        kind_filter, status, author = self.arg("type"), self.arg("status"), self.arg("author")
        if kind_filter in ("pull_request", "discussion"):
            rows = [r for r in rows if bool(r["is_pr"]) == (kind_filter == "pull_request")]
        if status in ("open", "closed", "merged", "draft"):
            rows = [r for r in rows if r["status"] == status]
        if author:
            rows = [r for r in rows if r["author"] == author]
        page = int(self.arg("p") or 0)
        size = 50
        items = [discussion_json(self, repo, r) for r in rows[page * size : (page + 1) * size]]
        closed = sum(1 for r in rows if r["status"] != "open")
        self.send_json(
            {"discussions": items, "count": len(rows), "start": page * size, "numClosedDiscussions": closed}
        )

    def do_post(self, kind: str, namespace: str, name: str) -> None:
        repo, repo_id = self.lookup(kind, namespace, name)
        repo = self.accounts.check_read(self.ident, repo, repo_id)
        if self.ident.anonymous:
            raise StoreError(401, "You must be authenticated to open a discussion.")
        if self.ident.role != "write":
            raise StoreError(
                403, "This token has the 'read' role: it cannot open discussions or pull requests."
            )
        body = self.json_body()
        title = str(body.get("title") or "").strip()
        if not title:
            raise StoreError(400, "A discussion needs a title.")
        is_pr = bool(body.get("pullRequest"))
        num = self.store.create_discussion(
            repo, title, str(body.get("description") or ""), self.ident.user or "", is_pr
        )
        self.send_json({"num": num, "url": f"{self.repo_url(repo)}/discussions/{num}", "pullRequest": is_pr})


class DiscussionHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str, num: str) -> None:
        repo = self.readable(kind, namespace, name)
        row = self.store.discussion(repo, int(num))
        if row is None:
            raise StoreError(404, f"Discussion {num} not found.")
        data = discussion_json(self, repo, row)
        data["events"] = json.loads(row["events"])
        if row["is_pr"]:
            changes: dict[str, Any] = {"base": f"refs/heads/{row['base']}"}
            if row["merge_commit"]:
                changes["mergeCommitId"] = row["merge_commit"]
            data["changes"] = changes
            data["filesWithConflicts"] = []
            data["diff"] = ""
        self.send_json(data)

    def do_delete(self, kind: str, namespace: str, name: str, num: str) -> None:
        repo = self.writable(kind, namespace, name)
        self.store.execute("DELETE FROM discussions WHERE repo=? AND num=?", (repo.rowid, int(num)))
        self.store.delete_ref(repo, "pr", str(int(num)))
        self.send_json({})


class DiscussionActionHandler(BaseHandler):
    def do_post(self, kind: str, namespace: str, name: str, num: str, action: str) -> None:
        repo, repo_id = self.lookup(kind, namespace, name)
        repo = self.accounts.check_read(self.ident, repo, repo_id)
        if self.ident.anonymous or self.ident.role != "write":
            raise StoreError(403 if not self.ident.anonymous else 401, "A write token is needed for this.")
        number = int(num)
        row = self.store.discussion(repo, number)
        if row is None:
            raise StoreError(404, f"Discussion {num} not found.")
        body = self.json_body()
        user = self.ident.user or ""
        if action == "comment":
            text = str(body.get("comment") or "")
            self.store.add_event(
                repo, number, "comment", user, {"edited": False, "hidden": False, "latest": {"raw": text}}
            )
            events = json.loads(self.store.discussion(repo, number)["events"])
            self.send_json({"newMessage": events[-1]})
            return
        if action in ("title", "status") and row["author"] != user and not _is_writer(self, repo):
            raise StoreError(
                403,
                f"Only the author of discussion #{number} or a user with write access to {repo.id} "
                f"can change its {action}.",
            )
        if action == "title":
            title = body.get("title")
            if not isinstance(title, str) or not title.strip():
                raise StoreError(400, "Expected {'title': str}: a discussion needs a title.")
            title = title.strip()
            self.store.execute(
                "UPDATE discussions SET title=? WHERE repo=? AND num=?",
                (title, repo.rowid, number),
            )
            self.store.add_event(repo, number, "title-change", user, {"from": row["title"], "to": title})
            events = json.loads(self.store.discussion(repo, number)["events"])
            self.send_json({"newTitle": events[-1]})
            return
        self.accounts.check_write(self.ident, repo, repo_id) if action == "merge" else None
        if action == "status":
            status = body.get("status")
            if status not in ("open", "closed"):
                raise StoreError(400, "status must be 'open' or 'closed'.")
            self.store.set_discussion_status(repo, number, status, user)
        elif action == "merge":
            if not row["is_pr"] or row["status"] != "open":
                raise StoreError(400, "Only an open pull request can be merged.")
            merge = self.store.merge_pr(repo, number, user)
            self.store.set_discussion_status(repo, number, "merged", user, merge_commit=merge)
        else:
            raise StoreError(404, f"Unknown discussion action {action!r}.")
        events = json.loads(self.store.discussion(repo, number)["events"])
        self.send_json({"newStatus": events[-1]})


# -- application -------------------------------------------------------------------------------------


def make_routes(state: ServerState) -> list[tuple]:
    """The URL table; `state` is handed to every handler."""
    kw = {"state": state}
    R = rf"/api/{T}/{ID}"
    P = r"(datasets/|spaces/)?"
    routes: list[tuple] = [
        (r"/", IndexHandler, kw),
        (r"/api/whoami-v2", WhoamiHandler, kw),
        (r"/api/agent-harnesses", HarnessesHandler, kw),
        (r"/api/repos/create", CreateRepoHandler, kw),
        (r"/api/repos/delete", DeleteRepoHandler, kw),
        (r"/api/repos/move", MoveRepoHandler, kw),
        (r"/api/validate-yaml", ValidateYamlHandler, kw),
        (rf"/api/{T}", ListReposHandler, kw),
        (rf"{R}", RepoInfoHandler, kw),
        (rf"/api/{T}/([^/]+)", NoNamespaceHandler, kw),
        (rf"{R}/revision/{SEG}", RepoInfoHandler, kw),
        (rf"{R}/settings", SettingsHandler, kw),
        (rf"{R}/tree/{SEG}", TreeHandler, kw),
        (rf"{R}/tree/{SEG}/(.*)", TreeHandler, kw),
        (rf"{R}/paths-info/{SEG}", PathsInfoHandler, kw),
        (rf"{R}/commits/{SEG}", CommitsHandler, kw),
        (rf"{R}/refs", RefsHandler, kw),
        (rf"{R}/branch/{SEG}", BranchHandler, kw),
        (rf"{R}/tag/{SEG}", TagHandler, kw),
        (rf"{R}/preupload/{SEG}", PreuploadHandler, kw),
        (rf"{R}/commit/{SEG}", CommitHandler, kw),
        (rf"{R}/auth-check(/write)?", AuthCheckHandler, kw),
        (rf"{R}/xet-[a-z-]+(?:/.*)?", XetHandler, kw),
        (rf"{R}/discussions", DiscussionsHandler, kw),
        (rf"{R}/discussions/(\d+)", DiscussionHandler, kw),
        (rf"{R}/discussions/(\d+)/(comment|status|merge|title)", DiscussionActionHandler, kw),
        (rf"/{P}([^/]+)/([^/]+?)\.git/info/lfs/objects/batch", LfsBatchHandler, kw),
        (rf"/{P}([^/]+)/([^/]+?)\.git/info/lfs/objects/verify", LfsVerifyHandler, kw),
        (r"/lfs-upload/([A-Za-z0-9_-]+)", LfsUploadHandler, kw),
        (r"/lfs-objects/([0-9a-f]{64})", LfsObjectHandler, kw),
        (rf"/{P}([^/]+)/([^/]+)/resolve/{SEG}/(.+)", ResolveHandler, kw),
    ]
    if state.oauth is not None:
        from .oauth import oauth_routes

        routes += oauth_routes(state, BaseHandler)
    routes += _inference_routes(state)
    routes.append((r".*", NotFoundHandler, kw))
    return routes


def _inference_routes(state: ServerState) -> list[Any]:
    """Routes of the optional inference engines (hub_widgets.sandbox.inference), under /inference/."""
    try:
        from . import inference  # type: ignore[attr-defined]
    except ImportError:
        return []
    if not hasattr(inference, "routes"):
        return []
    specs = []
    for spec in inference.routes(state):
        if (
            isinstance(spec, tuple | list)
            and isinstance(spec[0], str)
            and not spec[0].startswith("/inference")
        ):
            spec = ("/inference" + (spec[0] if spec[0].startswith("/") else "/" + spec[0]), *spec[1:])
        specs.append(spec)
    return specs


def make_app(state: ServerState) -> tornado.web.Application:
    # The request log lives in `state.request_log`; tornado's access log would only clutter stderr.
    return tornado.web.Application(
        make_routes(state), compress_response=False, serve_traceback=False, log_function=lambda handler: None
    )


def body_limits(limits: Limits | None = None) -> dict[str, Any]:
    """HTTPServer settings: every handler sets its own body limit and timeout before reading a body, so
    the defaults here (the JSON limit, the plain body timeout) only apply to what no handler sees."""
    limits = limits or Limits()
    return {
        "max_body_size": limits.json_body,
        "max_buffer_size": 64 * CHUNK,
        "chunk_size": CHUNK,
        "body_timeout": limits.body_timeout,
        "idle_connection_timeout": limits.header_timeout,
    }


__all__ = ["ServerState", "make_app", "body_limits", "os"]
