"""HubSession: the one path from widgets to the Hub.

A session holds the endpoint and the token source, builds the `huggingface_hub` clients and runs
their calls on worker threads so that the kernel's main thread stays free. Widgets submit work and
observe the result; they never hold a token and never speak HTTP themselves.

Two bounded pools ("lanes") keep long or unbounded work (inference, pushes, downloads, a browser
login waiting for approval) from blocking the quick Hub calls every widget needs (login state,
whoami, listings). A widget works through its own `SessionScope` (`session.scope()`): the same
session, plus a record of the widget's listeners and tasks, so that closing the widget ends both.

By default a session uses what `huggingface_hub` itself would use (`HF_ENDPOINT`, the `HF_TOKEN`
variable, the stored login, a Colab secret), resolved at each call, so a login made anywhere (the
CLI, `huggingface_hub.login`, another widget) is seen everywhere.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from huggingface_hub import HfApi, constants
from huggingface_hub.utils import get_token

from hub_widgets import _abort, problems
from hub_widgets._i18n import _, scoped_language, use_language
from hub_widgets.errors import CancelledError
from hub_widgets.problems import Problem, scrub_secrets
from hub_widgets.token_rule import is_hugging_face_origin, same_origin, token_may_go_to

logger = logging.getLogger(__name__)

T = TypeVar("T")

_current_task: contextvars.ContextVar[HubTask | None] = contextvars.ContextVar(
    "hub_widgets_task", default=None
)

LANES = ("quick", "long")


@dataclass(eq=False)
class HubTask:
    """A unit of work submitted to a session: cancellable, and aware of being superseded.

    Code running inside a task reaches it with `current_task()` to report progress or to stop
    early when the user pressed Cancel.
    """

    key: str | None = None
    future: Future = field(default_factory=Future)
    _cancel: threading.Event = field(default_factory=threading.Event)
    _stale: bool = False
    # Set for abortable tasks: cancel() also shuts down the task's HTTP connections.
    _connections: _abort.AbortScope | None = None

    def cancel(self) -> None:
        """Ask the task to stop at its next check; callbacks of a cancelled task are not called.

        An abortable task's HTTP request is closed at once, so its worker is freed even when the
        server never answers.
        """
        self._cancel.set()
        if self._connections is not None:
            self._connections.abort()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def stale(self) -> bool:
        """True once a newer task with the same key was submitted."""
        return self._stale

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise CancelledError(_("Cancelled."))

    def done(self) -> bool:
        return self.future.done()

    def wait(self, timeout: float | None = None) -> Any:
        """Block until the task and its callbacks have run; return the result or raise its error."""
        return self.future.result(timeout)


def current_task() -> HubTask | None:
    """The task the calling code runs in, or None outside of a session's worker."""
    return _current_task.get()


STORED_LOGIN_POLL_S = 2.0  # how often a session following the stored login looks for changes


def stored_login_stamp() -> tuple:
    """When and how huggingface_hub's stored login last changed (its token files' mtimes and sizes)."""
    stamps = []
    for path in (constants.HF_TOKEN_PATH, constants.HF_STORED_TOKENS_PATH):
        try:
            info = os.stat(path)
        except OSError:
            stamps.append(None)
        else:
            stamps.append((info.st_mtime_ns, info.st_size))
    return tuple(stamps)


def stored_login_identity() -> tuple[str, bool] | None:
    """The active stored login as (its stored name, whether it is a refreshable browser login); None when
    no token file is stored, ("", False) for a token file that is not among the stored tokens."""
    from hub_widgets.auth_state import file_token, stored_tokens

    token = file_token()
    if not token:
        return None
    for entry in stored_tokens(token):
        if entry.active:
            return entry.name, entry.refreshable
    return "", False


class HubSession:
    """Endpoint + token source + the `huggingface_hub` clients + two bounded worker pools.

    Args:
        endpoint: The Hub URL. Defaults to `HF_ENDPOINT`, then `https://huggingface.co`.
        token: A fixed token for this session. Defaults to whatever `huggingface_hub.get_token()`
            finds at each call (environment, stored login, Colab secret).
        max_workers: Size of the "quick" pool (login state, whoami, listings, repo info).
        long_workers: Size of the "long" pool (inference, pushes, downloads, waiting for approval).
    """

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | None = None,
        *,
        max_workers: int = 4,
        long_workers: int = 6,
    ) -> None:
        self._endpoint = endpoint.rstrip("/") if endpoint else None
        self.__token = token  # name-mangled: never a trait, never in repr
        self._pools = {
            "quick": ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="hub-widgets"),
            "long": ThreadPoolExecutor(max_workers=long_workers, thread_name_prefix="hub-widgets-long"),
        }
        self._latest: dict[str, HubTask] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._active = 0
        self._listeners: list[Callable[[], None]] = []
        self._whoami_cache: dict[str, dict] = {}
        self._login_watch: threading.Event | None = None
        self._login_stamp: tuple = ()
        self._login_identity: tuple[str, bool] | None = None
        _abort.install()

    def __repr__(self) -> str:
        return f"HubSession(endpoint={self.endpoint!r})"

    # -- where and who ---------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """The Hub URL this session talks to."""
        return self._endpoint or os.environ.get("HF_ENDPOINT", constants.ENDPOINT).rstrip("/")

    def _token(self) -> str | None:
        # Private on purpose: only the session hands the token to huggingface_hub.
        return self.__token or get_token()

    @property
    def pinned(self) -> bool:
        """True when a token was given to this session in code (it then ignores the stored login)."""
        return bool(self.__token)

    @property
    def has_token(self) -> bool:
        return bool(self._token())

    @property
    def api(self) -> HfApi:
        """A `HfApi` bound to this session's endpoint and current token (cheap to build)."""
        return HfApi(endpoint=self.endpoint, token=self._token(), library_name="hub-widgets")

    def is_hf_host(self, url: str) -> bool:
        """True if `url` has this session's Hub origin or a Hugging Face API origin: the token may go there.

        Origins (scheme, host, port) are compared, not host names: another port is another server.
        """
        return token_may_go_to(url, self.endpoint)

    def is_own_hub(self, url: str) -> bool:
        """True if `url` has the exact origin of this session's Hub."""
        return same_origin(url, self.endpoint)

    @staticmethod
    def is_hugging_face(url: str) -> bool:
        """True if `url` is one of Hugging Face's API hosts (https; not `*.hf.space`)."""
        return is_hugging_face_origin(url)

    def may_send_token(self, url: str | None, opted_in: bool = False) -> bool:
        """The token rule: True for the Hub's origin and Hugging Face's (None: the router), or when opted in."""
        return url is None or opted_in or self.is_hf_host(url)

    def inference_client(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        provider: str | None = None,
        timeout: float | None = None,
        send_token: bool = False,
    ) -> Any:
        """An `InferenceClient` that follows the token rule.

        The token goes to Hugging Face hosts (and this session's Hub) only. For any other URL it is
        withheld unless `send_token` is True: `InferenceClient` would otherwise send the stored
        token to whatever URL it is given, so an empty `authorization` header replaces it.

        Args:
            model: A Hub model id (Inference Providers) when `base_url` is None.
            base_url: A custom endpoint URL (TGI, vLLM, an Inference Endpoint, a local server).
            provider: "auto" or a provider name, for a Hub model id.
            timeout: Seconds to wait for an answer (None: forever).
            send_token: Send the token to a non-Hugging-Face `base_url` anyway (the user opted in).
        """
        from huggingface_hub import InferenceClient

        if not self.may_send_token(base_url, send_token):
            return InferenceClient(base_url=base_url, timeout=timeout, headers={"authorization": ""})
        token = self._token()
        if base_url:
            return InferenceClient(base_url=base_url, timeout=timeout, token=token)
        return InferenceClient(model=model, provider=provider or "auto", timeout=timeout, token=token)

    def url(self, repo_id: str, repo_type: str = "model") -> str:
        """The web URL of a repo on this session's Hub."""
        prefix = "" if repo_type == "model" else f"{repo_type}s/"
        return f"{self.endpoint}/{prefix}{repo_id}"

    def set_token(self, token: str | None) -> None:
        """Pin a token to this session (None: follow huggingface_hub's own resolution again)."""
        self.__token = token
        self.notify_changed()

    def whoami(self, refresh: bool = False) -> dict | None:
        """Who the current token belongs to (the Hub's whoami answer), cached per token; None if logged out.

        Blocking: call it from a worker (inside `submit`). Raises on a bad token or a network error.
        """
        token = self._token()
        if not token:
            return None
        key = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            cached = self._whoami_cache.get(key)
        if cached is not None and not refresh:
            return cached
        info = self.api.whoami(token=token)
        with self._lock:
            self._whoami_cache = {key: info}
        return info

    def namespaces(self) -> list[str]:
        """The user's name followed by their organisations' names ([] when logged out). Blocking."""
        info = self.whoami()
        if not info:
            return []
        return [info["name"], *[org["name"] for org in info.get("orgs", []) if org.get("name")]]

    # -- login state listeners ------------------------------------------------------------------

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call `callback()` after a login, logout or token switch: through any widget, or by another
        process (a notebook's kernel logging in changes the stored login the sidebar's kernel reads)."""
        self._listeners.append(callback)
        self._watch_stored_login()

    def _watch_stored_login(self) -> None:
        # A daemon thread compares the stored token files' stamps every few seconds: cheap (two stats),
        # off the kernel's main thread, and only for sessions that follow the stored login.
        with self._lock:
            if self.__token or self._login_watch is not None:
                return
            self._login_stamp = stored_login_stamp()
            self._login_identity = stored_login_identity()
            self._login_watch = threading.Event()
            stop = self._login_watch

        def watch() -> None:
            while not stop.wait(STORED_LOGIN_POLL_S):
                stamp = stored_login_stamp()
                if stamp == self._login_stamp:
                    continue
                identity = stored_login_identity()
                with self._lock:
                    self._login_stamp = stamp
                    renewed = identity is not None and identity[1] and identity == self._login_identity
                    self._login_identity = identity
                if not renewed:
                    self.notify_changed()
                # else: huggingface_hub renewed the same browser login in place (it does so when less
                # than a day of validity is left): the same account under the same name. Nothing shown
                # changes; the next call reads the new token. Redrawing would drop what views show.

        threading.Thread(target=watch, name="hub-widgets-login-watch", daemon=True).start()

    def off_change(self, callback: Callable[[], None]) -> None:
        """Stop calling `callback` (a closed widget stops listening)."""
        if callback in self._listeners:
            self._listeners.remove(callback)

    def notify_changed(self) -> None:
        with self._lock:
            self._whoami_cache = {}
            self._login_stamp = stored_login_stamp()  # our own change: the watcher need not repeat it
            self._login_identity = stored_login_identity()
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:  # a broken listener must not break the others
                logger.exception("hub_widgets session listener failed")

    # -- running work ---------------------------------------------------------------------------

    def submit(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_done: Callable[[], None] | None = None,
        key: str | None = None,
        lane: str = "quick",
        abortable: bool = False,
        **kwargs: Any,
    ) -> HubTask:
        """Run `fn(*args, **kwargs)` on a worker thread.

        Callbacks run on the worker once `fn` returns; they are skipped when the task was
        cancelled or superseded by a newer task with the same `key` (so a stale answer never
        overwrites a newer one). `on_done` runs in every case, last.

        Args:
            fn: The work; it may call `current_task()` to check for cancellation.
            on_result: Receives the return value.
            on_error: Receives the exception (`describe_error` turns it into a sentence).
            on_done: Runs after either, also when cancelled.
            key: Tasks sharing a key supersede each other: submitting one marks the previous stale.
            lane: "quick" for calls that answer in moments (login state, listings, repo info);
                "long" for work of unbounded length (inference, pushes, downloads, waiting for a
                browser login), so that it can never hold up the quick calls.
            abortable: `task.cancel()` also closes the task's HTTP connections (made through
                `huggingface_hub`), so a request that never gets an answer ends at once. For
                calls that change nothing on the Hub (inference, downloads), not for commits.

        Returns:
            The `HubTask`; `task.wait()` blocks until it and its callbacks have run.
        """
        if lane not in self._pools:
            raise ValueError(f"unknown lane {lane!r}: use one of {LANES}")
        task = HubTask(key=key, _connections=_abort.AbortScope() if abortable else None)
        with self._lock:
            if key is not None:
                previous = self._latest.get(key)
                if previous is not None:
                    previous._stale = True
                self._latest[key] = task
            self._active += 1

        # The submitter's language (a widget's `language=`) holds in the work and its callbacks too.
        language = scoped_language()

        def run() -> None:
            if language is not None:
                with use_language(language):
                    work()
            else:
                work()

        def work() -> None:
            token = _current_task.set(task)
            error: BaseException | None = None
            result: Any = None
            try:
                try:
                    task.raise_if_cancelled()
                    if task._connections is not None:
                        with task._connections:
                            result = fn(*args, **kwargs)
                    else:
                        result = fn(*args, **kwargs)
                except BaseException as exc:  # noqa: BLE001 - handed to the widget, never printed
                    error = exc
                    if task.cancelled and not isinstance(exc, CancelledError):
                        # A closed connection is how an abortable task stops: it was cancelled, not broken.
                        error = CancelledError(_("Cancelled."))
                        error.__cause__ = exc
                    if not (task.cancelled or task.stale) and on_error is not None:
                        _safely(on_error, exc)
                else:
                    if not (task.cancelled or task.stale) and on_result is not None:
                        _safely(on_result, result)
                if on_done is not None:
                    _safely(on_done)
                # Only now: whoever waits on the task sees every callback's effect.
                if error is not None:
                    task.future.set_exception(error)
                else:
                    task.future.set_result(result)
            finally:
                _current_task.reset(token)
                with self._lock:
                    if key is not None and self._latest.get(key) is task:
                        del self._latest[key]
                    self._active -= 1
                    self._idle.notify_all()

        try:
            self._pools[lane].submit(run)
        except RuntimeError:  # the session was closed: the task never runs
            with self._lock:
                self._active -= 1
                self._idle.notify_all()
            task._cancel.set()
            task.future.set_exception(CancelledError(_("Cancelled.")))
        return task

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn` synchronously on a worker and return its result (for scripts and tests)."""
        return self.submit(fn, *args, **kwargs).wait()

    def wait_idle(self, timeout: float | None = 60) -> bool:
        """Block until no task of this session is queued or running (tasks started meanwhile count too).

        Returns:
            False if work was still going on after `timeout` seconds.
        """
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)

    def scope(self) -> SessionScope:
        """A widget's own view of this session: `close()` on it drops its listeners and cancels its tasks."""
        return SessionScope(self)

    @property
    def root(self) -> HubSession:
        """The session itself (a `SessionScope` answers with the session it belongs to)."""
        return self

    def close(self) -> None:
        if self._login_watch is not None:
            self._login_watch.set()
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)

    # -- errors ---------------------------------------------------------------------------------

    def describe_error(self, exc: BaseException) -> str:
        """`describe_error` with this session's endpoint and token scrubbed from the text."""
        token = self._token()
        return describe_error(exc, endpoint=self.endpoint, secrets=[token] if token else [])

    def problem(self, exc: BaseException, **context: Any) -> Problem:
        """`problems.classify(exc, **context)` with this session's endpoint, its token scrubbed.

        Args:
            exc: What a call raised.
            context: More of `classify`'s arguments (`service`, `model`, `url`).
        """
        token = self._token()
        return problems.classify(exc, endpoint=self.endpoint, secrets=[token] if token else [], **context)


class SessionScope:
    """A widget's view of a `HubSession`: the session, plus what the widget subscribed to and started.

    Everything a session offers is available on the scope (it forwards), but `submit` and
    `on_change` are recorded, so that `close()` (the widget's `close()` calls it) unsubscribes the
    widget's listeners and cancels its queued and running tasks. A widget hosting another one hands
    it `self.session`: the inner widget's scope is a child of the outer one and closes with it.
    After `close()`, new work is cancelled before it runs.
    """

    def __init__(self, session: HubSession, parent: SessionScope | None = None) -> None:
        self._session = session
        self._parent = parent
        self._lock = threading.Lock()
        self._tasks: set[HubTask] = set()
        self._callbacks: list[Callable[[], None]] = []
        self._children: list[SessionScope] = []
        self.closed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    def __repr__(self) -> str:
        return f"SessionScope({self._session!r})"

    @property
    def root(self) -> HubSession:
        return self._session

    @property
    def pending(self) -> list[HubTask]:
        """This scope's tasks (and its children's) that have not finished."""
        with self._lock:
            tasks = [t for t in self._tasks if not t.done()]
            children = list(self._children)
        return tasks + [t for child in children for t in child.pending]

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> HubTask:
        """`HubSession.submit`, recorded so that `close()` cancels it."""
        task = self._session.submit(fn, *args, **kwargs)
        with self._lock:
            closed = self.closed
            if not closed:
                self._tasks.add(task)
        if closed:
            task.cancel()
        else:
            task.future.add_done_callback(lambda _f: self._forget(task))
        return task

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self.submit(fn, *args, **kwargs).wait()

    def _forget(self, task: HubTask) -> None:
        with self._lock:
            self._tasks.discard(task)

    def on_change(self, callback: Callable[[], None]) -> None:
        """`HubSession.on_change`, undone by `close()`."""
        with self._lock:
            if self.closed:
                return
            self._callbacks.append(callback)
        self._session.on_change(callback)

    def off_change(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)
        self._session.off_change(callback)

    def scope(self) -> SessionScope:
        """A child scope (for a widget hosted inside this one), closed with this one."""
        child = SessionScope(self._session, parent=self)
        with self._lock:
            closed = self.closed
            if not closed:
                self._children.append(child)
        if closed:
            child.close()
        return child

    def close(self) -> None:
        """Unsubscribe every listener and cancel every task of this scope and its children (idempotent)."""
        with self._lock:
            self.closed = True
            callbacks, self._callbacks = self._callbacks, []
            tasks, self._tasks = list(self._tasks), set()
            children, self._children = self._children, []
        for callback in callbacks:
            self._session.off_change(callback)
        for task in tasks:
            task.cancel()
        for child in children:
            child.close()
        if self._parent is not None:
            with self._parent._lock:
                if self in self._parent._children:
                    self._parent._children.remove(self)


def scoped(session: HubSession | SessionScope | None) -> SessionScope:
    """A new scope for a widget on `session` (default: the shared session); nested in a given scope."""
    return (session or get_session()).scope()


def _safely(callback: Callable[..., None], *args: Any) -> None:
    try:
        callback(*args)
    except Exception:
        logger.exception("hub_widgets callback failed")


_default_session: HubSession | None = None
_default_lock = threading.Lock()


def get_session() -> HubSession:
    """The session shared by every widget created without an explicit `session=`."""
    global _default_session
    with _default_lock:
        if _default_session is None:
            _default_session = HubSession()
        return _default_session


def set_session(session: HubSession | None) -> None:
    """Replace the shared default session (None: a fresh one is made on next use)."""
    global _default_session
    with _default_lock:
        _default_session = session


# -- describe_error ----------------------------------------------------------------------------


def describe_error(
    exc: BaseException, *, endpoint: str | None = None, secrets: list[str] | tuple[str, ...] = ()
) -> str:
    """Turn an exception from `huggingface_hub` (or the network) into one short, actionable sentence.

    The sentence never contains a token: `secrets` and anything shaped like a token are scrubbed.

    Args:
        exc: The exception a Hub call raised.
        endpoint: The Hub URL, named in connection errors.
        secrets: Strings to remove from the message (the session's token).

    Returns:
        One translated sentence for the widget's error line.
    """
    problem = problems.classify(exc, endpoint=endpoint, secrets=secrets)
    return scrub_secrets(problems.describe(problem), secrets)
