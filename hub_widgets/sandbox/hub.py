"""SandboxHub: the sandbox server, run on a tornado IOLoop in a background thread."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from .auth import Accounts
from .faults import Faults, parse_faults
from .store import Store
from .validation import Limits

logger = logging.getLogger(__name__)


class SandboxHub:
    """A local Hugging Face Hub-compatible server for demos and tests.

    Args:
        host: Interface to bind (loopback by default).
        port: TCP port; 0 picks a free one (see `endpoint` after `start()`).
        data_dir: Folder for blobs and the sqlite database; the same folder after a restart gives back
            the same repos, commits, users and tokens. A temporary folder (removed on `stop()`) if None.
        users: `{name: write token}` to create. Only the sha256 of each token is stored. When `users` or
            `read_tokens` is given, tokens given at an earlier start on the same `data_dir` and not given
            now are revoked; when both are None they are kept (see `notices`).
        read_tokens: `{name: read token}` to create.
        orgs: `{org: [member, ...]}` to create.
        fullnames: `{name: "Full Name"}` for users and organisations (what `whoami` shows as
            `fullname`); a name not given keeps its stored full name (a new user's is its name, titled).
        passwords: `{name: password}`: the password signs the user in on the device approval page
            (besides their token). Replaces the stored passwords whenever users are given.
        admins: Users whose write tokens may drive the fault switches over HTTP (`/inference/_control`).
        seed: `"demo"` to fill the Hub with demo content on first start.
        faults: A fault spec like ``"latency=0.2,error_rate=0.1,drop_after=1000000"``.
        limits: Body sizes and read timeouts (`hub_widgets.sandbox.validation.Limits`); defaults if None.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        data_dir: str | Path | None = None,
        users: dict[str, str] | None = None,
        read_tokens: dict[str, str] | None = None,
        orgs: dict[str, list[str]] | None = None,
        seed: str | None = None,
        faults: str | None = None,
        limits: Limits | None = None,
        passwords: dict[str, str] | None = None,
        admins: list[str] | tuple[str, ...] | set[str] | None = None,
        fullnames: dict[str, str] | None = None,
    ) -> None:
        self.host, self.port = host, port
        self._temp_dir = None if data_dir is not None else tempfile.mkdtemp(prefix="sandbox-hub-")
        self.data_dir = Path(data_dir if data_dir is not None else self._temp_dir)  # type: ignore[arg-type]
        self.store = Store(self.data_dir)
        self.accounts = Accounts(self.store)
        self.faults = Faults()
        if faults:
            self.faults.set(**parse_faults(faults))
        from .oauth import DeviceFlow

        self.device = DeviceFlow(self.accounts)
        given = None
        if users is not None or read_tokens is not None:
            given = {token: (name, "write") for name, token in (users or {}).items()}
            given.update({token: (name, "read") for name, token in (read_tokens or {}).items()})
        # What this start did to tokens given at an earlier one (one line each; also logged).
        if passwords is not None:
            passwords = dict(passwords)
        elif given is not None:
            passwords = {}  # a user list without passwords: none of the earlier ones stays
        self.notices: list[str] = self.accounts.sync_given(given, passwords)
        for notice in self.notices:
            logger.warning("%s", notice)
        self._admins = set(admins or ())
        self.accounts.admins = self._admins
        fullnames = dict(fullnames or {})
        for org, members in (orgs or {}).items():
            self.accounts.add_org(org, members, fullname=fullnames.pop(org, None))
        try:
            for name, fullname in fullnames.items():
                self.accounts.set_fullname(name, fullname)
        except ValueError:  # an unknown name: nothing is served, the database is not left open
            self.store.close()
            if self._temp_dir:
                shutil.rmtree(self._temp_dir, ignore_errors=True)
            raise
        self.seed = seed
        from .inference import InferenceControl

        self.inference = InferenceControl()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Any = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._closed = False
        self.limits = limits or Limits()
        self.state = self._new_state()

    def _new_state(self) -> Any:
        """The state the handlers share: this hub's store, accounts, device flow, switches and limits."""
        from .http.base import ServerState

        return ServerState(
            self.store,
            self.accounts,
            self.faults,
            oauth=self.device,
            inference=self.inference,
            limits=self.limits,
        )

    @property
    def request_log(self) -> list[dict[str, Any]]:
        """Recent requests: `{method, path, authorization: bool, status, time}`, oldest first."""
        return list(self.state.request_log)

    @property
    def endpoint(self) -> str:
        if not self._ready.is_set():
            raise RuntimeError("SandboxHub is not started: call start() first.")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    def revoke_token(
        self, token: str | None = None, *, token_id: str | None = None, user: str | None = None
    ) -> int:
        """Revoke a token at once: by value, by the id `tokens()` lists, or every token of `user`.

        Args:
            token: The token itself.
            token_id: The start of its hash as `tokens()` lists it (8 hex digits or more).
            user: Revoke every token and refresh token of this user.

        Returns:
            How many access tokens were revoked.
        """
        return self.accounts.revoke_tokens(token, token_id=token_id, user=user)

    def tokens(self, user: str | None = None) -> list[dict[str, Any]]:
        """The stored tokens, without their values: `{id, user, role, name, source, created}`.

        Args:
            user: Only this user's tokens.
        """
        return self.accounts.tokens(user)

    def login_link(self, user: str) -> str:
        """A single-use URL that signs a browser in as `user` on the device approval page (for demos).

        Args:
            user: An existing sandbox user.
        """
        return self.endpoint + self.device.login_link(user)

    def start(self) -> SandboxHub:
        """Start serving from a background thread; returns self once the port is bound."""
        if self._thread is not None:
            return self
        if self._closed:  # started again after stop(): reopen the same data folder
            self.store = Store(self.data_dir)
            self.accounts = Accounts(self.store)
            self.accounts.admins = self._admins
            from .oauth import DeviceFlow

            self.device = DeviceFlow(self.accounts)
            self.state = self._new_state()
            self._closed = False
        self._thread = threading.Thread(target=self._serve, name="sandbox-hub", daemon=True)
        self._thread.start()
        self._ready.wait(30)
        if self._error is not None:
            raise RuntimeError(f"SandboxHub failed to start: {self._error}") from self._error
        if self.seed:
            from .seed import seed

            seed(self, self.seed)
        return self

    def _serve(self) -> None:
        try:
            import tornado.httpserver
            import tornado.netutil

            from .app import body_limits, make_app

            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            app = make_app(self.state)
            sockets = tornado.netutil.bind_sockets(self.port, self.host, reuse_port=False)
            self.port = sockets[0].getsockname()[1]
            self._server = tornado.httpserver.HTTPServer(app, **body_limits(self.state.limits))
            self._server.add_sockets(sockets)
        except BaseException as exc:  # reported to start()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    def stop(self) -> None:
        """Stop serving and close the database (a temporary data folder is removed)."""
        if self._thread is None:
            if not self._closed:
                self.store.close()
                self._closed = True
            return
        loop = self._loop
        if loop is not None and loop.is_running():

            async def _close() -> None:
                # Close kept-alive client connections too: a client would otherwise wait forever on them.
                if self._server is not None:
                    self._server.stop()
                    try:
                        await asyncio.wait_for(self._server.close_all_connections(), 5)
                    except Exception:
                        pass
                loop.stop()

            loop.call_soon_threadsafe(lambda: asyncio.ensure_future(_close()))
        self._thread.join(10)
        self._thread = None
        self._ready.clear()
        self.store.close()
        self._closed = True
        if self._temp_dir:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    def __enter__(self) -> SandboxHub:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
