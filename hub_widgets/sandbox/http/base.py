"""The base handler of the sandbox Hub (tornado) and the state every handler shares.

`BaseHandler` does what every route needs, once: the caller's identity, the request log, injected
faults, body limits checked before a body is read (and bodies spooled to disk while they stream), and
any `StoreError` a handler raises answered as the Hub's JSON error (X-Error-Code, X-Error-Message),
written once. Route handlers (`sandbox.routes`) subclass it and define `do_get`, `do_post`, ...: they
parse the request, call the store or a domain module, and answer.

Routing happens on the raw path: revisions and tree paths arrive percent-encoded (`refs%2Fpr%2F1`)
and tornado decodes the captured groups after matching.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import concurrent.futures
import inspect
import json
import logging
import secrets
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode

import tornado.ioloop
import tornado.web

from ..auth import ANONYMOUS, Accounts, Identity
from ..faults import Faults
from ..lfs import UploadTicket
from ..store import Repo, Store, StoreError, now_iso
from ..validation import Limits

logger = logging.getLogger(__name__)

TYPES = {"models": "model", "datasets": "dataset", "spaces": "space"}
PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
CHUNK = 1024 * 1024
PAGE_MAX = 1000

# Pieces of URL patterns the route tables share.
T = r"(models|datasets|spaces)"
ID = r"([^/]+)/([^/]+)"
SEG = r"([^/]+)"
REPO = rf"/api/{T}/{ID}"  # /api/{type}s/{namespace}/{name}
PREFIXED = r"(datasets/|spaces/)?"  # git-style URLs: models have no prefix

# What a routes module exports: (URL pattern, handler class) pairs, in matching order.
Route = tuple[str, type]
# A mounted route: (URL pattern, handler class, keyword arguments of its `initialize`).
Rule = tuple[str, type, dict[str, Any]]


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


def basic_password(credentials: str) -> str | None:
    """The password of HTTP basic credentials (git and git-lfs send the token so, any user name)."""
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return decoded.partition(":")[2] or None


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes", "on")


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return max(0, int(json.loads(base64.urlsafe_b64decode(padded))["o"]))
    except (ValueError, KeyError, TypeError):
        raise StoreError(400, f"Invalid cursor {cursor!r}.") from None


def ts(value: float) -> str:
    """An epoch time as the Hub writes dates."""
    return now_iso(value)


@tornado.web.stream_request_body
class BaseHandler(tornado.web.RequestHandler):
    """Common behaviour: identity, request log, faults, JSON errors, body spooling.

    Bodies are checked before they are read: the caller is identified and `precheck()` run (a handler
    that needs a token refuses anonymous callers there), and a body larger than `body_limit()` is
    refused with 413, from its Content-Length or as soon as the bytes received exceed it.
    """

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
    body_kind = "json"  # which `Limits` field bounds the body: json, listing, media or commit

    def set_default_headers(self) -> None:
        # As on the Hub, every answer carries a request id (the client quotes it in its error messages).
        self.set_header("X-Request-Id", "Root=1-" + secrets.token_hex(12))

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
        if auth.lower().startswith("basic "):
            token = basic_password(auth[6:])
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
        """Answer a problem in the form `error_answer` gives (the Hub's JSON here).

        With `finish=False` the whole answer is written and flushed but the request stays open (its body
        is still being received).
        """
        if self._finished or self._headers_written:
            return
        self.clear_header("Content-Type")
        self.set_status(status)
        answer_headers, content_type, data = self.error_answer(
            status, message, code, headers or {}, extra or {}, finish
        )
        for key, value in answer_headers.items():
            self.set_header(key, value)
        self.set_header("Content-Type", content_type)
        if self.request.method == "HEAD":
            self.finish()
        elif finish:
            self.finish(data)
        else:
            self.set_header("Content-Length", str(len(data)))
            self.write(data)
            self.flush()

    def error_answer(
        self, status: int, message: str, code: str | None, headers: dict, extra: dict[str, Any], finish: bool
    ) -> tuple[dict[str, str], str, bytes]:
        """The headers, content type and body of a problem answer: `{"error": message, **extra}` with the
        Hub's error headers (X-Error-Code, X-Error-Message). Handlers whose clients read another form
        (git, browsers) override it."""
        first_line = message.splitlines()[0] if message else ""
        # Header values must be latin-1: keep the exact text in the JSON body, a safe copy in the header.
        answer = {"X-Error-Message": first_line.encode("ascii", "replace").decode("ascii")}
        if code:
            answer["X-Error-Code"] = code
        body = json.dumps({"error": message, **extra}).encode()
        return {**answer, **headers}, "application/json; charset=utf-8", body

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": self._reason or f"HTTP {status_code}"}))

    def send_json(
        self, data: Any, status: int = 200, content_type: str = "application/json; charset=utf-8"
    ) -> None:
        self.set_status(status)
        self.set_header("Content-Type", content_type)
        self.finish(json.dumps(data))

    async def send_file(self, handle: Any, length: int | None = None) -> None:
        """Answer with the content of the open binary file `handle` (`length` bytes, or to its end),
        one CHUNK at a time, flushed: a large file is never held in memory."""
        remaining = length
        while remaining is None or remaining > 0:
            chunk = handle.read(CHUNK if remaining is None else min(CHUNK, remaining))
            if not chunk:
                break
            if remaining is not None:
                remaining -= len(chunk)
            self.write(chunk)
            await self.flush()
        self.finish()

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
        query.append(("cursor", encode_cursor(offset)))
        self.set_header("Link", f'<{self.base_url()}{self.request.path}?{urlencode(query)}>; rel="next"')

    def page_size(self, default: int = PAGE_MAX) -> int:
        raw = self.arg("limit")
        try:
            return max(1, min(int(raw), PAGE_MAX)) if raw else default
        except ValueError:
            raise StoreError(400, f"Invalid limit {raw!r}.") from None

    def lookup(self, kind: str, namespace: str, name: str) -> tuple[Repo | None, str]:
        """The repo a URL names (None if none) and the id as the URL gave it.

        Raises:
            StoreError: 307 to the same URL under the repo's new id when it was moved (`move_repo`) and
                the caller may read it, as the Hub redirects an old id (the client follows).
        """
        repo_type = TYPES.get(kind, kind)
        repo = self.store.get_repo(repo_type, namespace, name)
        if repo is None:
            moved = self.store.moved_repo(repo_type, namespace, name)
            if moved is not None and self.accounts.can_read(self.ident, moved):
                raise StoreError(
                    307,
                    f"Repository {namespace}/{name} was moved to {moved.id}.",
                    headers={"Location": _moved_url(self.request.uri or "", namespace, name, moved)},
                )
        return repo, f"{namespace}/{name}"

    def readable(self, kind: str, namespace: str, name: str) -> Repo:
        repo, repo_id = self.lookup(kind, namespace, name)
        return self.accounts.check_read(self.ident, repo, repo_id)

    def check_gate(self, repo: Repo) -> None:
        """Files of a gated repo are for its owners only here (the sandbox has no access requests)."""
        self.accounts.check_gate(self.ident, repo, self.repo_url(repo))

    def writable(self, kind: str, namespace: str, name: str) -> Repo:
        repo, repo_id = self.lookup(kind, namespace, name)
        return self.accounts.check_write(self.ident, repo, repo_id)

    def contributable(self, kind: str, namespace: str, name: str, revision: str | None = None) -> Repo:
        """Like `writable`, but for pull requests: any write token that can read the repo may open one."""
        is_pr = truthy(self.arg("create_pr")) or (revision or "").startswith("refs/pr/")
        if not is_pr:
            return self.writable(kind, namespace, name)
        return self.accounts.check_contribute(self.ident, *self.lookup(kind, namespace, name))

    def repo_url(self, repo: Repo) -> str:
        return f"{self.base_url()}/{PREFIX[repo.type]}{repo.id}"


def _moved_url(uri: str, namespace: str, name: str, repo: Repo) -> str:
    """`uri` (path and query, as received) with its repo id `namespace/name` replaced by `repo`'s."""
    path, sep, query = uri.partition("?")
    parts = path.split("/")
    for i in range(len(parts) - 1):
        second = unquote(parts[i + 1])
        if unquote(parts[i]) == namespace and second in (name, name + ".git"):  # git LFS URLs end in .git
            suffix = second[len(name) :]
            parts[i : i + 2] = [quote(repo.namespace, safe=""), quote(repo.name, safe="") + suffix]
            break
    return "/".join(parts) + sep + query


def not_found(request: Any) -> StoreError:
    """The answer to a path no route serves."""
    return StoreError(404, f"Sorry, the route {request.method} {request.path} does not exist on the sandbox.")


class NotFoundHandler(BaseHandler):
    """The last route: a JSON 404 for any path no other route matches."""

    def do_any(self) -> None:
        raise not_found(self.request)

    do_get = do_head = do_post = do_put = do_delete = do_patch = do_any


def bind(state: ServerState, table: list[Route]) -> list[Rule]:
    """The rules of a route table: each handler gets `state`.

    Args:
        state: What the handlers share.
        table: (URL pattern, handler class) pairs, in matching order.
    """
    kw = {"state": state}
    return [(pattern, handler, kw) for pattern, handler in table]


_IO_POOL: concurrent.futures.ThreadPoolExecutor | None = None


def io_pool() -> concurrent.futures.ThreadPoolExecutor:
    """Worker threads for CPU work and file writes on untrusted input (off the event loop)."""
    global _IO_POOL
    if _IO_POOL is None:
        _IO_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="sandbox-io")
    return _IO_POOL
