"""The HubWidget base: submit + wait, quiet(), debounce, close() that unsubscribes and cancels."""

from __future__ import annotations

import threading

import ipywidgets as W

from hub_widgets.errors import CancelledError
from hub_widgets.session import HubSession, scoped
from hub_widgets.ui.base import Debounce, HubWidget
from tests.conftest import wait_for


class View(HubWidget, W.VBox):
    def __init__(self, session: HubSession) -> None:
        self.session = scoped(session)
        self.box = W.Text()
        self.seen: list[str] = []
        super().__init__([self.box])
        self.box.observe(self._typed, "value")

    def _typed(self, change: dict) -> None:
        if not self.is_quiet:
            self.seen.append(change["new"])


def test_submit_then_wait_sees_the_callbacks_and_a_failure_is_not_raised():
    session = HubSession(endpoint="http://127.0.0.1:9")
    view = View(session)
    shown = []
    view.submit(lambda: 41 + 1, on_result=shown.append)
    assert view.wait(10) is True
    assert shown == [42]

    def boom() -> None:
        raise RuntimeError("shown in the widget")

    view.submit(boom, on_error=lambda exc: shown.append(str(exc)))
    assert view.wait(10) is True
    assert shown[-1] == "shown in the widget"
    view.close()
    session.close()


def test_quiet_changes_are_ignored_by_observers_and_nest():
    session = HubSession(endpoint="http://127.0.0.1:9")
    view = View(session)
    with view.quiet():
        view.box.value = "filled"
        with view.quiet():
            view.box.value = "filled again"
        view.box.value = "still quiet"
    assert not view.is_quiet
    view.box.value = "typed"
    assert view.seen == ["typed"]
    view.close()
    session.close()


def test_debounce_runs_once_after_the_last_trigger_and_close_cancels_a_pending_one():
    calls = []
    debounced = Debounce(lambda: calls.append("run"), 0.05)
    for _ in range(5):
        debounced.trigger()
    wait_for(lambda: calls == ["run"], what="one debounced call")

    session = HubSession(endpoint="http://127.0.0.1:9")
    view = View(session)
    ran = threading.Event()
    pending = view.debounced(ran.set, 30)
    pending.trigger()
    view.close()
    assert pending._timer is None and not ran.is_set()
    session.close()


def test_close_unsubscribes_and_cancels_the_views_tasks():
    session = HubSession(endpoint="http://127.0.0.1:9")
    view = View(session)
    heard = []
    view.session.on_change(lambda: heard.append("change"))
    release = threading.Event()
    task = view.submit(release.wait, 30)
    view.close()
    assert task.cancelled
    release.set()
    try:
        task.wait(10)
    except CancelledError:
        pass
    session.notify_changed()
    assert heard == []
    assert view.comm is None
    session.close()
