"""hub.auth against a real SandboxHub, without any widget: whoami, token login, browser login, switch, logout."""

from __future__ import annotations

import pytest
from huggingface_hub import constants
from huggingface_hub.errors import HfHubHTTPError

from hub_widgets.auth_state import SOURCE_FILE, SOURCE_NONE, save_login
from hub_widgets.hub import auth
from hub_widgets.session import HubSession
from tests.conftest import ALICE, BOB, approve_on_page


@pytest.fixture
def session(sandbox):
    s = HubSession(endpoint=sandbox.endpoint)
    yield s
    s.close()


def active_token() -> str | None:
    try:
        with open(constants.HF_TOKEN_PATH) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


def test_logged_out_state_and_whoami(session):
    origin, info = auth.read_state(session)
    assert origin.source == SOURCE_NONE and info is None
    assert auth.whoami(session) is None
    assert auth.namespaces(session) == []


def test_login_with_token_saves_it_and_whoami_follows(session):
    result = auth.login_with_token(session, ALICE)
    assert result.username == "alice"
    assert active_token() == ALICE
    origin, info = auth.read_state(session)
    assert origin.source == SOURCE_FILE and info["name"] == "alice"
    assert auth.whoami(session)["name"] == "alice"
    assert auth.namespaces(session)[0] == "alice"


def test_login_with_a_bad_token_raises_and_saves_nothing(session):
    with pytest.raises(HfHubHTTPError) as raised:
        auth.login_with_token(session, "hf_sandbox_nobody")
    assert raised.value.response.status_code == 401
    assert active_token() is None


def test_switch_and_logout(session):
    save_login(ALICE, "alice-token")
    save_login(BOB, "bob-token")
    assert active_token() == BOB
    auth.switch("alice-token")
    assert active_token() == ALICE
    assert auth.logout("alice-token") is True
    assert active_token() is None
    assert auth.logout(None) is True  # every stored token
    assert auth.read_state(session)[1] is None


def test_logout_reports_an_environment_token_that_still_logs_in(session, monkeypatch):
    save_login(ALICE, "alice-token")
    monkeypatch.setenv("HF_TOKEN", BOB)
    assert auth.logout(None) is False


def test_browser_login_start_poll_approve_finish(session):
    code = auth.start_device_login(session)
    assert auth.poll_device_token(session, code["device_code"])["error"] == "authorization_pending"
    page = approve_on_page(code["verification_uri"], code["user_code"], token=ALICE)
    assert page.status_code == 200
    answer = auth.poll_device_token(session, code["device_code"])
    assert "access_token" in answer
    result = auth.finish_device_login(session, answer)
    assert result.username == "alice"
    assert active_token() == answer["access_token"]
