"""Stop closes the request, and long work cannot starve the quick Hub calls every widget needs."""

from __future__ import annotations

import threading

from huggingface_hub import get_session
from huggingface_hub.utils import _http

from hub_widgets.browser.panel import RepoBrowser
from hub_widgets.login import LoginWidget
from hub_widgets.playground.panel import InferencePlayground
from tests.conftest import wait_for
from tests.loopback import HangingServer

TIMEOUT = 60


def test_ten_stopped_calls_to_a_silent_endpoint_leave_the_widgets_working(hub_session, api, repo_name):
    repo_id = api.create_repo(f"alice/{repo_name}").repo_id
    with HangingServer() as silent:
        # No timeout: only Stop can end these calls.
        playground = InferencePlayground(
            task="text-classification", endpoint=silent.url, session=hub_session, timeout=0
        )
        for n in range(1, 11):
            playground.run_button.click()
            wait_for(lambda n=n: silent.count("requests") == n, TIMEOUT, f"call {n} reaching the endpoint")
            playground.stop_button.click()
            assert playground.status.text == "Stopped."
            assert not playground.run_button.disabled
        # Each Stop really closed its request: the server saw every connection go.
        wait_for(lambda: silent.count("closed") == 10, TIMEOUT, "the stopped connections closing")
        assert silent.count("accepted") == 10

        login = LoginWidget(session=hub_session)
        wait_for(lambda: login.state == "logged_in", TIMEOUT, "the login check")
        browser = RepoBrowser(query=repo_name, session=hub_session)
        wait_for(lambda: repo_id in browser.result_ids, TIMEOUT, "the search listing")
        assert hub_session.run(hub_session.namespaces) == ["alice", "acme"]
        assert hub_session.wait_idle(TIMEOUT)
    # The abortable client huggingface_hub now uses kept the library's own hooks (offline mode, request ids).
    client = get_session()
    assert _http.hf_request_event_hook in client.event_hooks["request"] and client.follow_redirects


def test_stop_ends_a_stream_that_stalled_midway_and_keeps_what_came(hub_session):
    with HangingServer(stream=("Once ", "upon ", "a ")) as stalling:
        playground = InferencePlayground(task="chat", endpoint=stalling.url, session=hub_session, timeout=0)
        playground.form().controls["message"].value = "Tell me a story."
        playground.run_button.click()
        lane = playground.lanes[0]
        wait_for(lambda: lane.stats.chunks == 3, TIMEOUT, "the first words")
        playground.stop_button.click()
        wait_for(lambda: lane.stats.finished is not None, TIMEOUT, "the stream to end")
        wait_for(lambda: stalling.count("closed") == 1, TIMEOUT, "the connection closing")
        assert lane.history[-1] == {"role": "assistant", "content": "Once upon a "}
        assert "stopped" in lane.latency.value
        assert playground.status.text == "Stopped."
        assert hub_session.wait_idle(TIMEOUT)


def test_long_work_does_not_block_quick_calls(hub_session):
    release = threading.Event()
    try:
        # More long tasks than the long lane has workers: all of it waits, none of it blocks.
        for _ in range(12):
            hub_session.submit(lambda **_kw: release.wait(TIMEOUT), lane="long")
        assert hub_session.submit(hub_session.whoami).wait(TIMEOUT)["name"] == "alice"
    finally:
        release.set()
    assert hub_session.wait_idle(TIMEOUT)
