"""Routes of git smart HTTP: `info/refs` and the two services, on every repo URL the Hub serves.

`/{namespace}/{name}`, `/datasets/...`, `/spaces/...`, with or without `.git`. The pack protocol is
`githttp`'s (dulwich); these handlers check who may read or push, spool the request body to disk and
run the protocol off the event loop. Errors are plain text (git prints them), and a 401 asks for basic
credentials, where git sends the token as the password.
"""

from __future__ import annotations

import asyncio
import gzip
import tempfile
from typing import Any

from ..githttp import SERVICES, Push, SandboxRepo, advertise, serve
from ..http.base import PREFIXED, BaseHandler, Route, io_pool
from ..store import Repo, StoreError

_AUTH = {"WWW-Authenticate": 'Basic realm="Hugging Face"'}


class _GitHandler(BaseHandler):
    body_kind = "commit"  # a pushed pack: regular files (< 10 MB each) travel in it

    def error_answer(
        self, status: int, message: str, code: str | None, headers: dict, extra: dict[str, Any], finish: bool
    ) -> tuple[dict[str, str], str, bytes]:
        """git shows a text answer, not JSON; a 401 asks for credentials (the token as password)."""
        answer = {**headers, **(_AUTH if status == 401 else {})}
        return answer, "text/plain; charset=utf-8", (message + "\n").encode()

    def data_received(self, chunk: bytes) -> None:
        # A pack is streamed to a file on disk, never kept in memory.
        if self._check_drop(len(chunk)):
            return
        if self._body_file is None:
            self._body_file = tempfile.TemporaryFile(dir=self.store.root / "tmp")  # noqa: SIM115
        self._body_file.write(chunk)

    def repo_for(self, prefix: str | None, namespace: str, name: str, service: str) -> Repo:
        """The repo, if the caller may use `service` on it: 401 asks anonymous callers for credentials."""
        if service not in SERVICES:
            raise StoreError(
                403, f"Unsupported service {service!r}: use git-upload-pack or git-receive-pack."
            )
        kind = (prefix or "models").rstrip("/")
        repo, repo_id = self.lookup(kind, namespace, name)
        if self.ident.anonymous and (
            service == "git-receive-pack" or repo is None or not self.accounts.can_read(self.ident, repo)
        ):
            raise StoreError(401, "Authentication required: use a token as the password.")
        repo = self.accounts.check_read(self.ident, repo, repo_id)
        if service == "git-receive-pack":
            # Any write token that can read the repo: refs/pr/N takes pushes from a PR's author; each ref
            # update checks the rights to its branch (`githttp.Push`).
            self.accounts.check_contribute(self.ident, repo, repo_id)
        else:
            self.accounts.check_gate(self.ident, repo, self.repo_url(repo))
        return repo

    def precheck(self) -> None:
        args = self.path_args
        service = self.request.path.rsplit("/", 1)[-1]
        self.repo_for(args[0], args[1], args[2], service)


class InfoRefsHandler(_GitHandler):
    async def do_get(self, prefix: str | None, namespace: str, name: str) -> None:
        service = self.arg("service") or ""
        repo = self.repo_for(prefix, namespace, name, service)
        chunks: list[bytes] = []
        await asyncio.get_running_loop().run_in_executor(
            io_pool(), lambda: advertise(service, SandboxRepo(self.store, repo), chunks.append)
        )
        self.set_header("Content-Type", f"application/x-{service}-advertisement")
        self.set_header("Cache-Control", "no-cache")
        self.finish(b"".join(chunks))


class ServiceHandler(_GitHandler):
    async def do_post(self, prefix: str | None, namespace: str, name: str, service: str) -> None:
        repo = self.repo_for(prefix, namespace, name, service)
        body = self._body_file or tempfile.TemporaryFile(dir=self.store.root / "tmp")  # noqa: SIM115
        body.seek(0)
        if self.request.headers.get("Content-Encoding", "").lower() in ("gzip", "x-gzip"):
            body = gzip.GzipFile(fileobj=body, mode="rb")
        push = Push(self.store, self.accounts, self.ident, repo) if service == "git-receive-pack" else None
        with tempfile.TemporaryFile(dir=self.store.root / "tmp") as out:
            await asyncio.get_running_loop().run_in_executor(
                io_pool(), lambda: serve(service, SandboxRepo(self.store, repo), body, out.write, push)
            )
            self.set_header("Content-Type", f"application/x-{service}-result")
            self.set_header("Cache-Control", "no-cache")
            out.seek(0)
            await self.send_file(out)


_REPO = rf"/{PREFIXED}([^/]+)/([^/]+?)(?:\.git)?"
ROUTES: list[Route] = [
    (rf"{_REPO}/info/refs", InfoRefsHandler),
    (rf"{_REPO}/(git-upload-pack|git-receive-pack)", ServiceHandler),
]
