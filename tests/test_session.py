"""HubSession: error mapping with the client's real exception classes, and the worker semantics."""

from __future__ import annotations

import socket
import threading

import httpx2
import pytest
from huggingface_hub.errors import DeviceCodeError, HFValidationError
from huggingface_hub.utils import hf_raise_for_status

from hub_widgets.errors import CancelledError
from hub_widgets.session import (
    HubSession,
    current_task,
    describe_error,
    get_session,
    scrub_secrets,
    set_session,
)
from tests.conftest import ALICE, BOB

SECRET = "hf_secretsecretsecret1234"


def raised_by(
    status: int,
    headers: dict[str, str] | None = None,
    message: str = "",
    url: str = "https://huggingface.co/api/whoami-v2",
) -> Exception:
    """The exception huggingface_hub itself raises for such an answer (its own mapping, no mock)."""
    response = httpx2.Response(
        status,
        headers=headers or {},
        json={"error": message} if message else {},
        request=httpx2.Request("GET", url),
    )
    try:
        hf_raise_for_status(response)
    except Exception as exc:  # noqa: BLE001 - the point is to capture it
        return exc
    raise AssertionError("hf_raise_for_status did not raise")


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (404, {"X-Error-Code": "RepoNotFound"}, "Repository not found"),
        (403, {"X-Error-Code": "GatedRepo"}, "gated"),
        (404, {"X-Error-Code": "RevisionNotFound"}, "branch, tag or commit does not exist"),
        (404, {"X-Error-Code": "EntryNotFound"}, "file or folder does not exist"),
        (401, {}, "log in again"),
        (403, {}, "Permission denied"),
        (409, {}, "already exists"),
        (412, {}, "refresh and try again"),
        (413, {}, "Too large"),
        (429, {"Retry-After": "17"}, "retry after 17 s"),
        (429, {"RateLimit": '"api";r=0;t=42'}, "retry after 42 s"),
        (402, {}, "credits"),
        (500, {}, "server error (500)"),
        (502, {}, "server error (502)"),
        (503, {}, "server error (503)"),
    ],
)
def test_http_errors_become_one_actionable_sentence(status, headers, expected):
    exc = raised_by(status, headers, message=f"detail with {SECRET}")
    text = describe_error(exc, secrets=[SECRET])
    assert expected in text
    assert "\n" not in text
    assert SECRET not in text and "Traceback" not in text


def test_401_on_a_repo_url_says_both_possible_causes():
    # The client maps a 401 on a repo URL to RepositoryNotFoundError: the user may have a bad token.
    exc = raised_by(401, url="https://huggingface.co/api/models/alice/x")
    assert "token is invalid or expired" in describe_error(exc)


def test_server_detail_is_kept_but_token_shaped_strings_are_scrubbed():
    shaped_like_a_token = "hf_" + "abcdefghijklmnopqrstuvwxyz0123456789"
    exc = raised_by(403, {}, message=f"token {shaped_like_a_token} is read-only")
    text = describe_error(exc)
    assert "read-only" in text
    assert "abcdefghijklmnop" not in text


def test_connection_refused_names_the_endpoint():
    # A real refused connection from the real client: bind a port, close it, call it.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    session = HubSession(endpoint=f"http://127.0.0.1:{port}", token=ALICE)
    with pytest.raises(Exception) as info:
        session.run(lambda: session.api.whoami())
    text = session.describe_error(info.value)
    assert f"127.0.0.1:{port}" in text and "Cannot reach" in text
    assert ALICE not in text
    session.close()


def test_timeout_and_misc_errors():
    assert "did not answer in time" in describe_error(httpx2.ReadTimeout("slow"), endpoint="http://hub")
    assert "broke off" in describe_error(
        httpx2.RemoteProtocolError("Server disconnected"), endpoint="http://hub"
    )
    assert "Browser login failed" in describe_error(DeviceCodeError("Device code expired: expired_token"))
    assert "Invalid repo id" in describe_error(HFValidationError("Repo id must be in the form 'repo_name'"))
    assert "nothing was changed" in describe_error(CancelledError("x"))
    assert "File or folder not found" in describe_error(FileNotFoundError(2, "No such file", "/tmp/nope"))


def test_scrub_secrets_removes_bearer_and_given_secrets():
    text = scrub_secrets(f"Authorization: Bearer {SECRET} and {ALICE}", [ALICE])
    assert SECRET not in text and ALICE not in text


def test_session_uses_stored_login_and_pinned_token(sandbox, hf_home):
    session = HubSession(endpoint=sandbox.endpoint)
    assert not session.has_token
    assert session.run(session.whoami) is None
    (hf_home / "token").write_text(BOB)  # a login made elsewhere is seen at the next call
    assert session.run(session.whoami)["name"] == "bob"
    assert not session.pinned
    changes = []
    session.on_change(lambda: changes.append(1))
    session.set_token(ALICE)
    assert session.pinned and changes == [1]
    assert session.run(session.whoami)["name"] == "alice"
    assert session.run(session.namespaces) == ["alice", "acme"]
    assert ALICE not in repr(session)
    session.close()


def test_submit_calls_back_off_the_main_thread(hub_session):
    seen = {}
    task = hub_session.submit(
        lambda: threading.current_thread().name, on_result=lambda name: seen.setdefault("name", name)
    )
    assert task.wait(10).startswith("hub-widgets")
    assert seen["name"].startswith("hub-widgets")


def test_newer_task_with_same_key_supersedes_stale_one(hub_session):
    release = threading.Event()
    results = []
    slow = hub_session.submit(lambda: release.wait(10) and "old", on_result=results.append, key="search")
    fast = hub_session.submit(lambda: "new", on_result=results.append, key="search")
    fast.wait(10)
    release.set()
    slow.wait(10)
    assert slow.stale and results == ["new"]


def test_cancel_stops_work_at_its_next_check(hub_session):
    started, errors = threading.Event(), []

    def work():
        started.set()
        while True:
            current_task().raise_if_cancelled()

    task = hub_session.submit(work, on_error=errors.append)
    started.wait(10)
    task.cancel()
    with pytest.raises(CancelledError):
        task.wait(10)
    assert errors == []  # the widget asked for it: no error line


def test_errors_reach_on_error_and_on_done_always_runs(hub_session):
    events = []
    task = hub_session.submit(
        lambda: hub_session.api.model_info("alice/does-not-exist"),
        on_result=lambda _: events.append("result"),
        on_error=lambda exc: events.append(hub_session.describe_error(exc)),
        on_done=lambda: events.append("done"),
    )
    with pytest.raises(Exception):  # noqa: B017 - the class is checked through the sentence below
        task.wait(20)
    assert events[0].startswith("Repository not found") and events[-1] == "done"


def test_default_session_is_shared():
    set_session(None)
    assert get_session() is get_session()
    set_session(None)
