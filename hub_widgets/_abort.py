"""Abortable HTTP calls: Stop closes the connection of a running `huggingface_hub` call.

`huggingface_hub` sends every request through one shared HTTP client, built by the factory set
with its public `set_client_factory`. The factory installed here builds that client as the
library's default one does (same hooks, redirects, no timeout) with one difference: a request made
inside an `AbortScope` (a Stop-able task) runs on a connection pool of its own, whose sockets the
scope records as they connect. `AbortScope.abort()`, from any thread, shuts those sockets down: a
worker blocked reading an answer that never comes wakes up at once with a connection error, and
the server sees the connection closed. Requests outside a scope take the shared pool, unchanged.

Closing a socket from another thread does not wake a blocked `recv` on Linux; `shutdown` does.
"""

from __future__ import annotations

import contextvars
import logging
import socket
import threading
from typing import Any

from hub_widgets._i18n import _
from hub_widgets.errors import CancelledError

logger = logging.getLogger(__name__)

_scope: contextvars.ContextVar[AbortScope | None] = contextvars.ContextVar("hub_widgets_abort", default=None)
_install_lock = threading.Lock()
_installed = False


class AbortScope:
    """The connections of one Stop-able call; `abort()` shuts them down from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._transport: Any = None
        self.aborted = False

    def __enter__(self) -> AbortScope:
        self._token = _scope.set(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _scope.reset(self._token)
        self.close()

    def abort(self) -> None:
        """Shut down every connection of this scope; later requests in it fail at once."""
        with self._lock:
            self.aborted = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)

    def close(self) -> None:
        """Release the scope's connection pool (on the worker, once its call is over)."""
        with self._lock:
            transport, self._transport = self._transport, None
            self._sockets.clear()
        if transport is not None:
            try:
                transport.close()
            except Exception:  # an aborted connection may fail to close cleanly: it is gone anyway
                logger.debug("closing an aborted connection pool failed", exc_info=True)

    def handle(self, request: Any) -> Any:
        import httpx2

        with self._lock:
            if self.aborted:
                raise CancelledError(_("Cancelled."))
            if self._transport is None:
                self._transport = httpx2.HTTPTransport(verify=_ssl_context())
            transport = self._transport
        previous = request.extensions.get("trace")

        def trace(event: str, info: dict) -> None:
            # The TLS socket replaces the plain one it wraps: record both, shut down whichever is live.
            if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
                stream = info.get("return_value")
                sock = stream.get_extra_info("socket") if stream is not None else None
                if sock is not None:
                    with self._lock:
                        self._sockets.append(sock)
                        aborted = self.aborted
                    if aborted:
                        _shutdown(sock)
            if previous is not None:
                previous(event, info)

        request.extensions = {**request.extensions, "trace": trace}
        return transport.handle_request(request)


_ssl = None


def _ssl_context() -> Any:
    # Built once: loading the CA bundle costs far more than opening a loopback connection.
    global _ssl
    if _ssl is None:
        import httpx2

        _ssl = httpx2.create_ssl_context()
    return _ssl


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed, or never connected
        pass


def current_scope() -> AbortScope | None:
    return _scope.get()


def _client_factory() -> Any:
    import httpx2

    class _Transport(httpx2.BaseTransport):
        def __init__(self) -> None:
            self._shared = httpx2.HTTPTransport()

        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            scope = _scope.get()
            if scope is None:
                return self._shared.handle_request(request)
            return scope.handle(request)

        def close(self) -> None:
            self._shared.close()

    return httpx2.Client(transport=_Transport(), event_hooks=_HOOKS, follow_redirects=True, timeout=None)


_HOOKS: dict[str, list] = {}


def install() -> None:
    """Make `huggingface_hub`'s shared client abortable (once per process; no-op afterwards).

    The hooks of the library's own client are kept (offline mode, request ids, logging).
    """
    global _installed, _HOOKS
    with _install_lock:
        if _installed:
            return
        from huggingface_hub import get_session, set_client_factory

        _installed = True
        if _custom_factory():
            # The user's own client (a proxy, certificates) wins: Stop then only stops at the next chunk.
            logger.info("huggingface_hub has a custom client factory: Stop cannot close running requests")
            return
        base = get_session()
        _HOOKS = {name: list(hooks) for name, hooks in base.event_hooks.items()}
        set_client_factory(_client_factory)


def _custom_factory() -> bool:
    """True if someone replaced huggingface_hub's default client factory (read only, never changed)."""
    from huggingface_hub.utils import _http

    current = getattr(_http, "_GLOBAL_CLIENT_FACTORY", None)
    default = getattr(_http, "default_client_factory", None)
    return current is not None and default is not None and current is not default
