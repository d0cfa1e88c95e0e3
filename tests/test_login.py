"""LoginWidget against a real SandboxHub, driven like a user: type, click, wait, read what is shown.

The sessions here are NOT pinned to a token and their endpoint differs from `constants.ENDPOINT`
(the `endpoint` fixture is deliberately not used): the widget must resolve the token as
`huggingface_hub` does (stored files, HF_TOKEN) and talk only to the session's endpoint.
"""

from __future__ import annotations

import configparser
import json
import re
import socket
import time

import pytest
from huggingface_hub import constants
from ipywidgets.widgets.widget import _instances as live_widgets

from hub_widgets.auth_state import mask_token, save_login
from hub_widgets.login import LoginWidget
from hub_widgets.session import HubSession
from tests.conftest import ALICE, ALICE_READ, BOB, CAROL, approve_on_page, wait_for
from tests.xss_payloads import dangerous

TIMEOUT = 60


def settle(widget: LoginWidget, timeout: float = TIMEOUT) -> None:
    """Wait for the widget's latest task, and for the check an action starts when it succeeds."""
    widget.wait(timeout)


def token_file() -> str | None:
    try:
        with open(constants.HF_TOKEN_PATH) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


def stored_sections() -> dict[str, dict[str, str]]:
    config = configparser.ConfigParser(interpolation=None)
    config.read(constants.HF_STORED_TOKENS_PATH)
    return {name: dict(config.items(name)) for name in config.sections()}


def assert_no_secret_in_widgets(*secrets: str) -> None:
    """No live widget's state (what would be sent to the browser or saved in a notebook) holds a token."""
    for widget in list(live_widgets.values()):
        state = json.dumps(widget.get_state(), default=str)
        for secret in secrets:
            assert secret not in state, f"token found in the state of {type(widget).__name__}"


@pytest.fixture
def session(sandbox):
    s = HubSession(endpoint=sandbox.endpoint)
    yield s
    s.close()


def make(session, **kwargs) -> LoginWidget:
    widget = LoginWidget(session=session, **kwargs)
    settle(widget)
    return widget


# -- logged out and paste a token -------------------------------------------------------------------


def test_logged_out_then_paste_token_logs_in_and_saves_like_huggingface_hub(session):
    widget = make(session)
    assert widget.state == "logged_out"
    assert widget.status.text == "Not logged in."
    assert widget.logged_out_box.layout.display == ""

    widget.token_input.value = ALICE
    widget.login_button.click()
    assert widget.token_input.value == ""  # cleared before anything else
    settle(widget)

    assert widget.state == "logged_in"
    assert "alice" in widget.info_view.value
    assert "acme" in widget.info_view.value  # orgs
    assert "role: write" in widget.info_view.value
    assert "stored token file" in widget.info_view.value
    assert widget.status.kind == "success"
    # Saved where huggingface_hub keeps it: the active token file and the stored tokens file.
    assert token_file() == ALICE
    assert [s["hf_token"] for s in stored_sections().values()] == [ALICE]
    assert session.whoami()["name"] == "alice"
    assert_no_secret_in_widgets(ALICE)


def test_enter_in_the_token_field_logs_in(session):
    widget = make(session)
    assert widget.token_input.continuous_update is False  # the frontend syncs the value on Enter
    widget.token_input.value = ALICE  # what the frontend sends when Enter is pressed: no click
    assert widget.token_input.value == ""
    settle(widget)
    assert widget.state == "logged_in", widget.status.text
    assert widget.status.kind == "success" and token_file() == ALICE
    assert_no_secret_in_widgets(ALICE)


def test_a_click_after_the_field_submitted_on_blur_logs_in_once(session):
    widget = make(session)
    widget.token_input.value = "api_org_abcdefghijklmnopqrstuvwxyz"  # synced as the focus leaves...
    widget.login_button.click()  # ...for the click on "Log in"
    assert "organisation token" in widget.status.text  # that login's answer, not "empty token"
    widget.login_button.click()  # a second click on the empty field says so
    assert widget.status.kind == "error" and "organisation token" not in widget.status.text


def test_organisation_token_is_refused_with_a_clear_message(session):
    widget = make(session)
    widget.token_input.value = "api_org_abcdefghijklmnopqrstuvwxyz"
    widget.login_button.click()
    assert widget.token_input.value == ""
    assert widget.status.kind == "error"
    assert "organisation token" in widget.status.text
    assert token_file() is None
    assert_no_secret_in_widgets("api_org_abcdefghijklmnopqrstuvwxyz")


def test_wrong_token_is_one_clear_line_and_nothing_is_saved(session):
    bad = "hf_this_token_does_not_exist_0000"
    widget = make(session)
    widget.token_input.value = bad
    widget.login_button.click()
    settle(widget)
    assert widget.state == "logged_out"
    assert widget.status.kind == "error"
    assert "invalid" in widget.status.text
    assert "\n" not in widget.status.text and "Traceback" not in widget.status.text
    assert bad not in widget.status.value
    assert token_file() is None
    assert_no_secret_in_widgets(bad)


def test_read_token_is_shown_as_read(session):
    widget = make(session)
    widget.token_input.value = ALICE_READ
    widget.login_button.click()
    settle(widget)
    assert widget.state == "logged_in"
    assert "role: read" in widget.info_view.value
    assert "read token" in widget.status.text
    assert "Logged in as alice (read)" in widget.compact_label.value


def test_revoked_stored_token_shows_logged_out_with_the_reason(sandbox, session):
    doomed = sandbox.accounts.new_token("carol", name="soon-revoked")
    save_login(doomed, "soon-revoked")
    sandbox.accounts.revoke(doomed)
    widget = make(session)
    assert widget.state == "logged_out"
    assert widget.status.kind == "error"
    assert "invalid or revoked" in widget.status.text
    assert_no_secret_in_widgets(doomed)


# -- browser (device code) -------------------------------------------------------------------------


def start_device(widget: LoginWidget) -> str:
    widget.browser_button.click()
    wait_for(lambda: widget.user_code)
    assert widget.state == "device_pending"
    assert widget.user_code in widget.device_code_view.value
    assert "clipboard" in widget.device_code_view.value  # the copy button
    assert widget.verification_uri in widget.device_link.value
    # Issue 15 §4: in an HTML widget the link must look like a link and the copy button like a button.
    assert "text-decoration:underline" in widget.device_link.value
    assert re.search(r'<button class="hubw-copy" style="[^"]*border:', widget.device_code_view.value)
    # The copy button copies the escaped text beside it with the package's constant handler: the code the
    # server sent never enters a script.
    assert f'<span class="hubw-copy-text" hidden>{widget.user_code}</span>' in widget.device_code_view.value
    assert dangerous(widget.device_code_view.value) == []
    wait_for(lambda: "valid for" in widget.countdown.value)
    return widget.user_code


def answer_on_approval_page(widget: LoginWidget, action: str, token: str = BOB) -> None:
    """What the user does in the browser: sign in on the sandbox's approval page, then approve or deny."""
    response = approve_on_page(widget.verification_uri, widget.user_code, action, token=token)
    assert response.status_code == 200, response.text


def test_device_login_approved_in_the_browser_saves_token_refresh_token_and_expiry(session):
    widget = make(session)
    start_device(widget)
    answer_on_approval_page(widget, "approve", token=BOB)
    settle(widget)

    assert widget.state == "logged_in", widget.status.text
    assert "<b>bob</b>" in widget.info_view.value
    assert "stored token file" in widget.info_view.value
    assert "(in 30 days)" in widget.info_view.value  # a 30-day token, read a moment later: not "in 29 days"
    sections = stored_sections()
    assert len(sections) == 1
    (fields,) = sections.values()
    assert fields["hf_token"] == token_file()
    assert fields["refresh_token"].startswith("hf_oauth_rt_")
    assert int(fields["expires_at"]) > time.time()
    assert session.whoami()["name"] == "bob"
    assert widget.device_box.layout.display == "none"
    assert_no_secret_in_widgets(fields["hf_token"], fields["refresh_token"])


def test_a_browser_login_renewed_in_place_redraws_nothing(session, endpoint):
    # huggingface_hub renews a browser login when less than a day of validity is left: the same account
    # under the same name. Sessions watching the token files must not take it for a new login (their
    # views would drop what they show, a push's result among them); a real change still reaches them.
    from huggingface_hub import get_token, logout
    from huggingface_hub.utils import _auth

    from hub_widgets.session import STORED_LOGIN_POLL_S

    widget = make(session)
    start_device(widget)
    answer_on_approval_page(widget, "approve", token=BOB)
    settle(widget)
    assert widget.state == "logged_in", widget.status.text
    before, (name,) = token_file(), stored_sections()
    # 29 days later: an hour of validity left (what the client reads to decide).
    config = configparser.ConfigParser(interpolation=None)
    config.read(constants.HF_STORED_TOKENS_PATH)
    config[name]["expires_at"] = str(int(time.time()) + 3600)
    with open(constants.HF_STORED_TOKENS_PATH, "w") as f:
        config.write(f)
    time.sleep(3 * STORED_LOGIN_POLL_S)
    notified: list[int] = []
    session.on_change(lambda: notified.append(1))

    _auth._OAUTH_REFRESH_CACHE = None  # this process has not read the token yet
    renewed = get_token()
    assert renewed != before and token_file() == renewed and list(stored_sections()) == [name]
    time.sleep(3 * STORED_LOGIN_POLL_S)
    assert notified == []
    assert widget.state == "logged_in" and "<b>bob</b>" in widget.info_view.value
    assert session.whoami()["name"] == "bob"  # the renewed token is the one used now

    logout()
    wait_for(lambda: notified, TIMEOUT, "a logout noticed")
    settle(widget)
    assert widget.state == "logged_out"


def test_device_login_denied_shows_why(session):
    widget = make(session)
    start_device(widget)
    answer_on_approval_page(widget, "deny")
    settle(widget)
    assert widget.state == "logged_out"
    assert widget.status.kind == "error"
    assert "denied" in widget.status.text
    assert token_file() is None


def test_device_code_expired_shows_why(sandbox, session):
    widget = make(session)
    code = start_device(widget)
    sandbox.device.expire(code)
    settle(widget)
    assert widget.state == "logged_out"
    assert "expired" in widget.status.text
    assert token_file() is None


def test_cancel_stops_polling_and_saves_nothing(sandbox, session):
    widget = make(session)
    code = start_device(widget)
    task = widget.device_task
    widget.cancel_button.click()
    assert widget.state == "logged_out"
    assert "cancelled" in widget.status.text
    with pytest.raises(Exception, match="Cancelled"):
        task.wait(TIMEOUT)
    sandbox.device.approve(code, "alice")  # too late: nobody polls any more
    assert token_file() is None
    assert widget.browser_button.disabled is False


def test_kernel_stays_free_while_waiting_for_approval(session):
    widget = make(session)
    start_device(widget)
    # The click returned and the poll runs on a worker: the main thread is not blocked.
    assert not widget.device_task.done()
    widget.cancel_button.click()


# -- logged in: switch, log out, env override ------------------------------------------------------


def test_switch_between_two_stored_tokens_shows_masked_names(session):
    save_login(BOB, "bob-token")
    save_login(ALICE, "alice-token")
    widget = make(session)
    assert "<b>alice</b>" in widget.info_view.value
    assert widget.switch_dropdown.options == ((f"bob-token ({mask_token(BOB)})", "bob-token"),)
    assert mask_token(BOB) == "hf_…rite"

    widget.switch_dropdown.value = "bob-token"
    widget.switch_button.click()
    settle(widget)
    assert "<b>bob</b>" in widget.info_view.value
    assert token_file() == BOB
    assert session.whoami()["name"] == "bob"
    assert [label for label, _ in widget.switch_dropdown.options] == [f"alice-token ({mask_token(ALICE)})"]
    assert_no_secret_in_widgets(ALICE, BOB)


def test_logout_this_token_keeps_the_others(session):
    save_login(BOB, "bob-token")
    save_login(ALICE, "alice-token")
    widget = make(session)
    widget.logout_button.click()
    settle(widget)
    assert widget.state == "logged_out"
    assert token_file() is None
    assert list(stored_sections()) == ["bob-token"]


def test_logout_all(session):
    save_login(BOB, "bob-token")
    save_login(ALICE, "alice-token")
    widget = make(session)
    widget.logout_all_button.click()
    settle(widget)
    assert widget.state == "logged_out"
    assert token_file() is None
    assert stored_sections() == {}


def test_env_variable_overriding_the_stored_login_is_a_visible_warning(session, monkeypatch):
    save_login(ALICE, "alice-token")
    monkeypatch.setenv("HF_TOKEN", CAROL)
    widget = make(session)
    assert widget.state == "logged_in"
    assert "<b>carol</b>" in widget.info_view.value
    assert "HF_TOKEN environment variable" in widget.info_view.value
    assert "overrides your stored login" in widget.override_warning.value
    assert widget.status.kind == "warning"
    assert widget.logout_button.disabled  # an env token cannot be logged out of here
    assert_no_secret_in_widgets(ALICE, CAROL)


def test_add_another_account_keeps_the_first_stored(session):
    save_login(ALICE, "alice-token")
    widget = make(session)
    widget.add_account_button.click()
    assert widget.logged_out_box.layout.display == ""
    widget.token_input.value = BOB
    widget.login_button.click()
    settle(widget)
    assert "<b>bob</b>" in widget.info_view.value
    assert len(stored_sections()) == 2
    assert [label for label, _ in widget.switch_dropdown.options] == [f"alice-token ({mask_token(ALICE)})"]


def test_other_widgets_follow_a_login_through_notify_changed(session):
    first, second = make(session), make(session, compact=True)
    assert second.state == "logged_out"
    first.token_input.value = ALICE
    first.login_button.click()
    settle(first)
    settle(second)
    assert first.state == second.state == "logged_in"
    assert "<b>alice</b>" in first.info_view.value
    assert "Logged in as alice (write)" in second.compact_label.value


# -- compact ---------------------------------------------------------------------------------------


def test_compact_mode_is_one_line_with_a_menu(session):
    save_login(ALICE, "alice-token")
    widget = make(session, compact=True)
    assert "Logged in as alice (write)" in widget.compact_label.value
    assert widget.details.layout.display == "none"
    actions = dict((value, label) for label, value in widget.menu.options)
    assert {"refresh", "add", "logout", "logout-all"} <= set(actions)
    widget.menu.value = "logout"
    settle(widget)
    assert widget.state == "logged_out"
    assert "Not logged in" in widget.compact_label.value
    assert token_file() is None
    widget.menu.value = "paste"
    assert widget.details.layout.display == ""


def test_compact_logged_out_shows_the_login_form_not_only_a_menu(session):
    widget = make(session, compact=True)
    assert widget.state == "logged_out"
    # The way in is visible at once: the browser login, the token field and its button.
    assert widget.details.layout.display == "" and widget.logged_out_box.layout.display == ""
    assert widget.menu.layout.display == "none"
    widget.token_input.value = ALICE  # Enter in the field submits
    settle(widget)
    assert widget.state == "logged_in"
    assert widget.details.layout.display == "none"  # logged in: one line and the menu
    assert widget.menu.layout.display == ""


# -- errors ----------------------------------------------------------------------------------------


def closed_port_endpoint() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_network_down_is_one_line_and_retry(monkeypatch):
    save_login(ALICE, "alice-token")
    down = HubSession(endpoint=closed_port_endpoint())
    try:
        widget = make(down)
        assert widget.state == "unreachable"
        assert widget.status.kind == "error"
        assert "Cannot reach" in widget.status.text
        assert widget.refresh_button.description == "Retry"
        widget.browser_button.click()  # the device login fails the same way, in one line
        settle(widget)
        assert "Cannot reach" in widget.status.text
        assert_no_secret_in_widgets(ALICE)
    finally:
        down.close()


def test_hub_server_error_is_one_line(sandbox, session):
    save_login(ALICE, "alice-token")
    sandbox.faults.set(error_rate=1.0, error_codes=(503,), path_prefix="/api/whoami")
    try:
        widget = make(session)
    finally:
        sandbox.faults.clear()
    assert widget.state == "unreachable"
    assert "server error (503)" in widget.status.text
    widget.refresh_button.click()
    settle(widget)
    assert widget.state == "logged_in"


def test_login_outside_a_notebook_falls_back_to_the_text_flow(session):
    """In a terminal, `login()` is huggingface_hub's `interpreter_login` (already logged in: returns at once)."""
    from hub_widgets.login import login

    save_login(ALICE, "alice-token")
    before = sum(isinstance(w, LoginWidget) for w in list(live_widgets.values()))
    assert login(session) is None
    assert sum(isinstance(w, LoginWidget) for w in list(live_widgets.values())) == before


def test_a_closed_widget_stops_listening(session):
    widget = make(session)
    assert widget.state == "logged_out"
    widget.close()
    save_login(ALICE, "alice-token")
    session.notify_changed()
    assert widget.state == "logged_out"  # no check was started for it
