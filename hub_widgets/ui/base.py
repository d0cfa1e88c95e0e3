"""HubWidget: what every hub-widgets view shares: its session scope, its work, quiet updates, debounce, close().

A view works through its own `SessionScope` (`self.session = scoped(session)`), which records the
listeners it registers and the tasks it submits; `close()` closes that scope (unsubscribes, cancels),
the hub widgets it hosts, its debounce timers, and finally the widget itself. A view hosting another
one passes it `self.session`, so the inner view's scope is a child of the outer one and is cancelled
with it even if never closed. Views submit the blocking functions of `hub_widgets.hub` through
`self.submit(...)` and never call the Hub themselves.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from hub_widgets._i18n import language_in_use, scoped_language, use_language
from hub_widgets.session import HubTask, SessionScope

__all__ = ["ClosesItsWork", "Debounce", "HubWidget"]


class Debounce:
    """Call `fn` once, `delay` seconds after the last `trigger()` (when typing pauses).

    Args:
        fn: What to run (on a timer thread, like a session worker's callback).
        delay: Seconds of quiet to wait for.
    """

    def __init__(self, fn: Callable[[], Any], delay: float) -> None:
        self.fn = fn
        self.delay = delay
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._language = scoped_language()  # the view's language holds on the timer thread too

    def _run(self) -> None:
        if self._language is None:
            self.fn()
        else:
            with use_language(self._language):
                self.fn()

    def trigger(self, delay: float | None = None) -> None:
        """(Re)start the wait: `fn` runs after `delay` seconds (default: `self.delay`) without a new trigger."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay if delay is None else delay, self._run)
            self._timer.daemon = True
            self._timer.start()

    def cancel(self) -> None:
        """Drop a pending call (the view runs it now itself, or is closed)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None


class HubWidget:
    """Mixin for ipywidgets views (`class MyView(HubWidget, W.VBox)`).

    - `self.submit(fn, *args, **kwargs)`: run `fn` (a `hub_widgets.hub` function) on the session's
      workers (`lane`, `abortable`, `key` and the callbacks as in `HubSession.submit`).
    - `wait(timeout)`: block until the latest submitted task and any task started by its callbacks
      are over; failures are shown in the widget, not raised. Returns False on a timeout. (Views
      whose work outlives one task, a retry countdown, override it.)
    - `with self.quiet():` — the view fills its own controls; `self.is_quiet` tells observers to
      ignore the changes (instead of a re-entrancy flag per view).
    - `self.debounced(fn, delay)`: a `Debounce` closed with the view.
    - `close()`: unsubscribes from the session and cancels the view's tasks. Subclasses with more to
      stop (secrets in fields) override it and call `super()`. Hosted hub widgets listed by
      `_hosted()` are closed too.
    - `language=` (a keyword every view takes, e.g. `LoginWidget(language="ja")`): the view's messages
      in that language, whatever `hub_widgets.set_language` says. Without it, the language in use when
      the view is built (`hub_widgets._i18n`) stays the view's. It holds while the view builds, in its
      submitted work and callbacks, its debounce timers and the handlers of its controls' events from
      the browser (each control's comm handler is wrapped).
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is not None and not getattr(init, "_hubw_language", False):
            cls.__init__ = _speaking(init)  # type: ignore[method-assign]

    @property
    def widget_language(self) -> str:
        """The catalog this view speaks (``"zh_CN"``, ``"ja_JP"``, ``"de_DE"`` or ``"en"``)."""
        return self.__dict__.get("_hubw_language") or language_in_use()

    def _adopt_language(self) -> None:
        """Wrap the comm handler of every control below this view, so browser events run in its language."""
        language = self.widget_language
        root = weakref.ref(self)
        for widget in [self, *_descendants(self)]:
            comm = getattr(widget, "comm", None)
            if comm is None or "_hubw_language_bound" in widget.__dict__:
                continue
            widget.__dict__["_hubw_language_bound"] = language
            comm.on_msg(functools.partial(_handle_in_language, widget._handle_msg, language, root))

    # -- work ------------------------------------------------------------------------------------

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> HubTask:
        """Run `fn(*args, **kwargs)` on a session worker; see `HubSession.submit` for the keywords."""
        on_done = kwargs.get("on_done")

        def done() -> None:
            if on_done is not None:
                on_done()
            self._adopt_language()  # controls the callbacks built

        kwargs["on_done"] = done
        with use_language(self.widget_language):
            task = self.session.submit(fn, *args, **kwargs)  # type: ignore[attr-defined]
        self.__dict__["_latest_task"] = task
        return task

    def wait(self, timeout: float | None = 60) -> bool:
        """Block until the latest task and the ones its callbacks started have finished.

        For scripts, tests and notebooks run unattended: failures are shown in the widget, not raised.

        Args:
            timeout: Seconds to wait for each task (None: as long as it takes).

        Returns:
            False if a task was still running after `timeout` seconds.
        """
        while True:
            task = self.__dict__.get("_latest_task")
            if task is None:
                return True
            try:
                task.wait(timeout)
            except TimeoutError:
                return False
            except Exception:  # noqa: BLE001 - already shown in the widget
                pass
            if self.__dict__.get("_latest_task") is task:
                return True

    # -- quiet updates ---------------------------------------------------------------------------

    @property
    def is_quiet(self) -> bool:
        """True while the view fills its own controls (`with self.quiet():`) on this thread."""
        return getattr(self._quiet_state(), "depth", 0) > 0

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Changes made inside are the view's own: observers check `self.is_quiet` and ignore them.

        Per thread: a worker redrawing a list must not swallow the user's click arriving meanwhile.
        """
        state = self._quiet_state()
        state.depth = getattr(state, "depth", 0) + 1
        try:
            yield
        finally:
            state.depth -= 1

    def _quiet_state(self) -> threading.local:
        return self.__dict__.setdefault("_quiet_local", threading.local())

    def debounced(self, fn: Callable[[], Any], delay: float) -> Debounce:
        """A `Debounce` of `fn` that is cancelled when the view is closed."""
        debounced = Debounce(fn, delay)
        self.__dict__.setdefault("_debounces", []).append(debounced)
        return debounced

    # -- closing ---------------------------------------------------------------------------------

    def _hosted(self) -> list[Any]:
        """The widgets this view built, shown or not (closed with it; a plain box with its controls)."""
        return []

    def close(self) -> None:
        session = self.__dict__.get("session")
        if isinstance(session, SessionScope):
            session.close()
        for debounced in self.__dict__.get("_debounces", ()):
            debounced.cancel()
        for widget in self._safe_hosted():
            if widget is not None and widget is not self:
                if not isinstance(widget, HubWidget):  # a hub widget closes what it holds itself
                    for child in _descendants(widget):
                        child.close()
                widget.close()
        # Then every control below: a live box holding a closed child could not even report its state.
        for widget in _descendants(self):
            widget.close()
        super().close()  # type: ignore[misc]

    def _safe_hosted(self) -> list[Any]:
        try:
            return list(self._hosted())
        except AttributeError:  # closed while half-built (close() also runs from __del__)
            return []


def _speaking(init: Callable[..., None]) -> Callable[..., None]:
    """`init` run in the view's language (its `language=` keyword, else the one in use)."""

    @functools.wraps(init)
    def __init__(self: HubWidget, *args: Any, language: str | None = None, **kwargs: Any) -> None:
        if "_hubw_language" in self.__dict__:  # a subclass's __init__ chose already
            init(self, *args, **kwargs)
            return
        with use_language(language) as chosen:
            self.__dict__["_hubw_language"] = chosen
            init(self, *args, **kwargs)
        self._adopt_language()

    __init__._hubw_language = True  # type: ignore[attr-defined]
    # help() and the notebook's Shift+Tab show `language=` with the view's own parameters.
    __init__.__signature__ = _with_language(inspect.signature(init))  # type: ignore[attr-defined]
    return __init__


def _with_language(signature: inspect.Signature) -> inspect.Signature:
    """`signature` with a keyword-only `language: str | None = None` (before any `**kwargs`)."""
    if "language" in signature.parameters:
        return signature
    params = list(signature.parameters.values())
    language = inspect.Parameter(
        "language", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="str | None"
    )
    at = len(params) - 1 if params and params[-1].kind is inspect.Parameter.VAR_KEYWORD else len(params)
    return signature.replace(parameters=[*params[:at], language, *params[at:]])


def _handle_in_language(handle: Callable[[Any], None], language: str, root: Any, msg: Any) -> None:
    """A control's comm message handled in its view's language; controls built meanwhile adopt it."""
    with use_language(language):
        handle(msg)
    view = root()
    if view is not None:
        view._adopt_language()


# The name the views used before the base grew (kept for code that imports it).
ClosesItsWork = HubWidget


def _descendants(root: Any) -> list[Any]:
    """The widgets below `root` (through `children`), deepest first."""
    found: list[Any] = []
    stack = list(root.__dict__.get("_trait_values", {}).get("children", ()) or ())
    seen = {id(root)}
    while stack:
        widget = stack.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        found.append(widget)
        stack.extend(getattr(widget, "children", ()) or ())
    return found[::-1]
