"""LoginWidget: log in to the Hub from a notebook, see who you are and what your token may do.

A drop-in for `huggingface_hub.notebook_login()`: the browser (device code) login polls in the
background so the kernel stays free, and the token is saved exactly where `huggingface_hub` keeps it,
so every other tool sees the login. The token never sits in a widget trait.

States (`LoginWidget.state`):
- "checking": resolving the current token with the Hub (busy line).
- "logged_out": two ways in: "Log in with browser" and a password field + "Log in".
- "device_pending": the verification link, the user code (large, with a copy button), a countdown, Cancel.
- "logging_in": a pasted token or an approved device code is being checked and saved.
- "logged_in": user, full name, orgs, token name + role, token source, expiry, an override warning
  when HF_TOKEN shadows the stored login; Log out (this / all), Switch, Add another account, Refresh.
- "unreachable": the Hub could not be asked (network down, 5xx): the error line and Retry.
"""

from __future__ import annotations

import html
import time
import weakref
from collections.abc import Callable
from typing import Any

import ipywidgets as W
from traitlets import Unicode

from hub_widgets._i18n import _
from hub_widgets.auth_state import (
    SOURCE_ENV,
    SOURCE_FILE,
    SOURCE_PINNED,
    TokenOrigin,
    check_personal_token,
    describe_role,
    describe_source,
    format_expiry,
)
from hub_widgets.errors import HubWidgetsError, ValidationError
from hub_widgets.hub import auth
from hub_widgets.problems import classify
from hub_widgets.session import HubSession, HubTask, current_task, scoped, scrub_secrets
from hub_widgets.ui import StatusLine, fa_icon, fit_button, link, row
from hub_widgets.ui.base import HubWidget
from hub_widgets.ui.html import copy_button
from hub_widgets.ui.style import style_root

_MENU_PLACEHOLDER = ""


class DeviceLoginError(HubWidgetsError):
    """The browser login ended without a token: denied, expired, or refused by the Hub."""


class LoginWidget(HubWidget, W.VBox):
    """Log in, see who you are, switch or log out.

    Args:
        session: The `HubSession` to use (default: the shared one). Its endpoint is where tokens are
            checked and device codes requested.
        compact: One line (status + an actions menu) for a narrow sidebar.
    """

    state = Unicode("checking")

    def __init__(self, session: HubSession | None = None, compact: bool = False, **kwargs: Any) -> None:
        self.session = scoped(session)
        self.compact = compact
        self.task: HubTask | None = None  # the latest check or action (tests wait on it)
        self.device_task: HubTask | None = None
        self.user_code = ""  # the device code shown to the user (not a secret)
        self.verification_uri = ""
        self._origin: TokenOrigin | None = None
        self._whoami: dict | None = None
        # Task keys are per widget: two widgets on one session must not supersede each other's checks.
        self._key = id(self)

        # Compact: the one-line label already says who you are; the status line only shows news.
        self.status = _QuietStatusLine() if compact else StatusLine()

        # -- logged out: browser login
        self.browser_button = fit_button(
            W.Button(description=_("Log in with browser"), icon="globe", button_style="primary")
        )
        self.device_link = W.HTML()
        self.device_code_view = W.HTML()
        self.countdown = W.HTML()
        self.cancel_button = fit_button(W.Button(description=_("Cancel"), icon="times"))
        self.device_box = W.VBox(
            [self.device_link, self.device_code_view, self.countdown, self.cancel_button]
        )
        # -- logged out: paste a token
        # Synced on Enter (or leaving the field), not per keystroke: Enter submits (ipywidgets 8's
        # replacement for the deprecated on_submit), and the secret is not sent character by character.
        self.token_input = W.Password(
            placeholder="hf_…",
            description=_("Token"),
            continuous_update=False,
            # Grows to the row, wraps under its label when narrow: no fixed width to overflow a sidebar.
            layout=W.Layout(width="auto", flex="1 1 14em", min_width="10em", max_width="32em"),
            style={"description_width": "initial"},
        )
        self._token_submitted = False
        self.git_checkbox = W.Checkbox(
            value=False,
            description=_("also save as git credential"),
            indent=False,
            layout=W.Layout(width="auto", max_width="100%"),
        )
        self.login_button = fit_button(W.Button(description=_("Log in"), icon="sign-in"))
        self.paste_box = W.VBox(
            [
                W.HTML(html.escape(_("Or paste an access token from your Hub settings:"))),
                # Bottom-aligned: with the label above the field (narrow), the button sits by the field.
                row([self.token_input, self.login_button], align_items="flex-end"),
                self.git_checkbox,
            ]
        )
        self.logged_out_box = W.VBox([row([self.browser_button]), self.device_box, self.paste_box])

        # -- logged in
        self.info_view = W.HTML()
        self.override_warning = W.HTML()
        self.switch_dropdown = W.Dropdown(
            description=_("Switch to"),
            options=[],
            layout=W.Layout(width="auto", flex="1 1 14em", min_width="10em", max_width="32em"),
            style={"description_width": "initial"},
        )
        self.switch_button = fit_button(W.Button(description=_("Switch"), icon="exchange"))
        self.switch_box = row([self.switch_dropdown, self.switch_button])
        self.logout_button = fit_button(W.Button(description=_("Log out"), icon="sign-out"))
        self.logout_all_button = fit_button(W.Button(description=_("Log out of all"), icon="sign-out"))
        self.add_account_button = fit_button(W.Button(description=_("Add another account"), icon="user-plus"))
        self.refresh_button = fit_button(W.Button(description=_("Refresh"), icon="refresh"))
        self.logged_in_box = W.VBox(
            [
                self.info_view,
                self.override_warning,
                self.switch_box,
                row([self.logout_button, self.logout_all_button, self.add_account_button]),
            ]
        )
        self.retry_box = row([self.refresh_button])

        # -- compact: one line
        self.compact_label = W.HTML()
        self.menu = W.Dropdown(
            options=[(_("Actions…"), _MENU_PLACEHOLDER)],
            layout=W.Layout(width="auto", flex="0 1 auto", max_width="100%"),
        )

        self.browser_button.on_click(lambda _b: self.start_device_login())
        self.cancel_button.on_click(lambda _b: self.cancel_device_login())
        self.login_button.on_click(lambda _b: self._on_login_click())
        self.token_input.observe(self._on_token_entered, names="value")
        self.switch_button.on_click(lambda _b: self.switch(self.switch_dropdown.value))
        self.logout_button.on_click(lambda _b: self.logout(all_tokens=False))
        self.logout_all_button.on_click(lambda _b: self.logout(all_tokens=True))
        self.add_account_button.on_click(lambda _b: self._show_add_account())
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.menu.observe(self._on_menu, names="value")
        self.observe(self._on_state, names="state")

        if compact:
            self.details = W.VBox([self.logged_out_box, self.logged_in_box, self.retry_box])
            children = [
                row([self.compact_label, self.menu], align_items="center"),
                self.status,
                self.details,
            ]
        else:
            title = W.HTML("<b>" + html.escape(_("Hugging Face Hub login")) + "</b>")
            children = [title, self.status, self.logged_out_box, self.logged_in_box, self.retry_box]
        super().__init__(children, **kwargs)
        style_root(self)
        self.add_class("hubw-login")
        self._show_only()
        self.session.on_change(_weak_listener(self))
        self.refresh()

    def _on_state(self, change: dict) -> None:
        # A token typed but not submitted must not linger in the field's synced value (nor in the
        # widget state a notebook saves) once the form it was typed into is gone.
        if change["new"] not in ("logged_out", "device_pending"):
            self._forget_typed_token()

    def _forget_typed_token(self) -> None:
        if self.token_input.value:
            self.token_input.value = ""

    def close(self) -> None:
        """Forget a typed token, stop listening to the session, cancel pending checks and close."""
        token_input = self.__dict__.get("token_input")  # absent when closed half-built (from __del__)
        if token_input is not None:
            if token_input.value:
                token_input.value = ""  # synced before the field goes: the frontend drops it too
            token_input.close()
        super().close()

    # -- reading the state -------------------------------------------------------------------------

    def refresh(self) -> HubTask:
        """Ask the Hub who the current token belongs to and redraw (off the main thread)."""
        self.state = "checking"
        self.status.busy(_("Checking your login on {endpoint}…").format(endpoint=self.session.endpoint))
        self.task = self.submit(
            auth.read_state,
            self.session,
            on_result=self._show_state,
            on_error=self._show_check_error,
            key=f"login-check-{self._key}",
        )
        return self.task

    def _show_state(self, result: tuple[TokenOrigin, dict | None]) -> None:
        origin, info = result
        self._origin, self._whoami = origin, info
        self._fill_switch(origin)
        if info is None:
            self._show_logged_out()
            self.status.info(_("Not logged in."))
            return
        self.state = "logged_in"
        access = (info.get("auth") or {}).get("accessToken") or {}
        entry = origin.active_entry if origin.source == SOURCE_FILE else None
        orgs = ", ".join(o["name"] for o in info.get("orgs", []) if o.get("name")) or _("none")
        rows = [
            (
                _("User"),
                f"<b>{html.escape(info.get('name', ''))}</b> ({html.escape(info.get('fullname') or '')})",
            ),
            (_("Organisations"), html.escape(orgs)),
            (
                _("Token"),
                self._token_label(access.get("displayName"), entry.name if entry else None)
                + " · "
                + html.escape(_("role: {role}").format(role=describe_role(access.get("role")))),
            ),
            (_("Source"), html.escape(describe_source(origin.source))),
            (_("Expires"), html.escape(format_expiry(entry.expires_at) if entry else _("not recorded"))),
        ]
        self.info_view.value = (
            "<table class='hubw-login-info'>"
            + "".join(
                f"<tr><td style='padding-right:1em'>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in rows
            )
            + "</table>"
        )
        warning = self._override_text(origin)
        self.override_warning.value = (
            f'<div class="hubw-warning" style="color:#9a6700">{fa_icon("exclamation-triangle")} '
            f"{html.escape(warning)}</div>"
            if warning
            else ""
        )
        self.compact_label.value = html.escape(
            _("Logged in as {user} ({role})").format(
                user=info.get("name", ""), role=describe_role(access.get("role"))
            )
        )
        self.logout_button.disabled = origin.source != SOURCE_FILE
        self._fill_menu()
        self._show_only(self.logged_in_box)
        if warning:
            self.status.warning(warning)
        elif access.get("role") == "read":
            self.status.info(_("Logged in with a read token: you can download but not push."))
        else:
            self.status.success(_("Logged in as {user}.").format(user=info.get("name", "")))

    @staticmethod
    def _token_label(display_name: str | None, stored_name: str | None) -> str:
        """The token's name on the Hub, and its name in the stored tokens file when that differs."""
        label = f"<code>{html.escape(display_name or stored_name or '?')}</code>"
        if stored_name and display_name and stored_name != display_name:
            label += " " + html.escape(_("(stored as {name})").format(name=stored_name))
        return label

    @staticmethod
    def _override_text(origin: TokenOrigin) -> str:
        if origin.source == SOURCE_ENV and origin.env_overrides_stored:
            stored = f" ({origin.stored_name})" if origin.stored_name else ""
            return _(
                "The HF_TOKEN environment variable overrides your stored login{stored}: unset it to use the "
                "stored token."
            ).format(stored=stored)
        if origin.source == SOURCE_ENV:
            return _(
                "The token comes from the HF_TOKEN environment variable: logging out will not remove it."
            )
        if origin.source == SOURCE_PINNED:
            return _("This session uses a token given to it in code: stored logins do not change it.")
        return ""

    def _show_check_error(self, exc: BaseException) -> None:
        if classify(exc).kind == "invalid_token":
            self._whoami = None
            self._show_logged_out()
            self.status.error(
                _("The active token is invalid or revoked: log in again ({source}).").format(
                    source=describe_source(self._origin.source if self._origin else SOURCE_FILE)
                )
            )
            return
        self.state = "unreachable"
        self.compact_label.value = html.escape(_("Hub unreachable"))
        self._show_only(self.retry_box)
        self.refresh_button.description = _("Retry")
        self._fill_menu()
        self.status.error(self.session.describe_error(exc))

    def _show_logged_out(self) -> None:
        self.state = "logged_out"
        self.compact_label.value = html.escape(_("Not logged in"))
        self.device_box.layout.display = "none"
        self.browser_button.disabled = False
        self._fill_menu()
        self._show_only(self.logged_out_box)

    def _show_only(self, box: W.Widget | None = None) -> None:
        for candidate in (self.logged_out_box, self.logged_in_box, self.retry_box):
            candidate.layout.display = "" if candidate is box else "none"
        if box is not self.retry_box:
            self.refresh_button.description = _("Refresh")
        if self.compact:
            # Logged out, the forms are the way in (a sidebar must show it, not hide it in a menu);
            # logged in, one line until the user asks for a form from the menu.
            logged_out = box is self.logged_out_box
            self.details.layout.display = "" if self._details_open or logged_out else "none"

    _details_open = False

    def _fill_switch(self, origin: TokenOrigin) -> None:
        others = [(t.label, t.name) for t in origin.stored if not t.active]
        self.switch_dropdown.options = others
        self.switch_box.layout.display = "" if others else "none"

    def _fill_menu(self) -> None:
        options: list[tuple[str, str]] = [(_("Actions…"), _MENU_PLACEHOLDER)]
        if self.state == "logged_in":
            options += [(_("Refresh"), "refresh"), (_("Add another account"), "add")]
            if self._origin is not None:
                options += [
                    (_("Switch to {label}").format(label=t.label), f"switch:{t.name}")
                    for t in self._origin.stored
                    if not t.active
                ]
                if self._origin.source == SOURCE_FILE:
                    options.append((_("Log out"), "logout"))
                if self._origin.stored or self._origin.source == SOURCE_FILE:
                    options.append((_("Log out of all"), "logout-all"))
        elif self.state == "logged_out":
            options += [(_("Log in with browser"), "browser"), (_("Paste a token"), "paste")]
        else:
            options += [(_("Retry"), "refresh")]
        # Logged out with nobody to go back to, the forms shown are all there is: no menu besides.
        self.menu.layout.display = "none" if self.state == "logged_out" and self._whoami is None else ""
        self.menu.unobserve(self._on_menu, names="value")
        self.menu.options = options
        self.menu.value = _MENU_PLACEHOLDER
        self.menu.observe(self._on_menu, names="value")

    def _on_menu(self, change: dict) -> None:
        action = change["new"]
        if not action:
            return
        self.menu.value = _MENU_PLACEHOLDER
        if action == "refresh":
            self.refresh()
        elif action == "add":
            self._show_add_account()
        elif action == "browser":
            self._open_details()
            self.start_device_login()
        elif action == "paste":
            self._open_details()
        elif action == "logout":
            self.logout(all_tokens=False)
        elif action == "logout-all":
            self.logout(all_tokens=True)
        elif action.startswith("switch:"):
            self.switch(action.split(":", 1)[1])

    def _open_details(self) -> None:
        self._details_open = True
        if self.compact:
            self.details.layout.display = ""

    def _show_add_account(self) -> None:
        """Show the login forms below the current account (the new login becomes the active one)."""
        self._details_open = True
        self.state = "logged_out"
        self.device_box.layout.display = "none"
        self._show_only(self.logged_out_box)
        self.status.info(
            _("Log in with another account: it becomes the active login, the others stay stored.")
        )

    # -- paste a token -----------------------------------------------------------------------------

    def _on_token_entered(self, change: dict) -> None:
        if change["new"]:  # "" is the widget clearing the field itself
            self.login_with_pasted_token()

    def _on_login_click(self) -> None:
        # Clicking "Log in" first moves the focus out of the field, which submits it: that login is
        # under way (or its error shown), and the click that follows finds the field empty.
        if not self.token_input.value and self._token_submitted:
            self._token_submitted = False
            return
        self.login_with_pasted_token()

    def login_with_pasted_token(self) -> HubTask | None:
        """Read the password field (and clear it at once), check the token with the Hub, save it."""
        token = self.token_input.value.strip()
        self._token_submitted = bool(token)
        self.token_input.value = ""  # the secret leaves the widget before anything else happens
        try:
            check_personal_token(token)
        except ValidationError as exc:
            self.status.error(str(exc))
            return None
        self.state = "logging_in"
        self.status.busy(_("Checking the token with the Hub…"))
        add_git = self.git_checkbox.value

        def on_error(exc: BaseException) -> None:
            self._login_failed(exc, secret=token)

        self.task = self.submit(
            auth.login_with_token,
            self.session,
            token,
            add_to_git_credential=add_git,
            on_result=self._logged_in,
            on_error=on_error,
            key=f"login-action-{self._key}",
        )
        return self.task

    def _logged_in(self, result: Any) -> None:
        self._details_open = False
        self.status.success(
            _("Logged in as {user} (token {name}, {role}).").format(
                user=result.username, name=result.token_name, role=describe_role(result.role)
            )
        )
        # Last: the check this starts redraws this widget (it listens) and every other one, and its
        # message (e.g. the read-token warning) must land after the one above, never before.
        self.session.notify_changed()

    def _login_failed(self, exc: BaseException, secret: str | None = None) -> None:
        self.state = "logged_out"
        if classify(exc).kind == "invalid_token":
            message = _("This token is invalid, expired or revoked: check it on your Hub settings page.")
        else:
            message = self.session.describe_error(exc)
        self.status.error(scrub_secrets(message, [secret] if secret else []))
        self._show_only(self.logged_out_box)
        self.device_box.layout.display = "none"
        self.browser_button.disabled = False

    # -- browser (device code) ---------------------------------------------------------------------

    def start_device_login(self) -> HubTask:
        """Request a device code, show it, and poll for the approval in the background."""
        if self.device_task is not None and not self.device_task.done():
            self.device_task.cancel()
        self.state = "device_pending"
        self.user_code = ""
        self.browser_button.disabled = True
        self.device_link.value = ""
        self.device_code_view.value = ""
        self.countdown.value = ""
        self.device_box.layout.display = ""
        self.status.busy(_("Asking the Hub for a login code…"))
        self.device_task = self.submit(
            self._device_flow,
            on_result=self._logged_in,
            on_error=self._login_failed,
            on_done=self._device_done,
            lane="long",  # waits minutes for the approval: must not hold a quick worker
        )
        self.task = self.device_task
        return self.device_task

    def cancel_device_login(self) -> None:
        """Stop waiting for the browser approval (nothing is saved)."""
        if self.device_task is not None:
            self.device_task.cancel()
        self.device_box.layout.display = "none"
        self.browser_button.disabled = False
        self.state = "logged_out"
        self.status.info(_("Browser login cancelled."))

    def _device_done(self) -> None:
        task = current_task()
        if task is not None and task.cancelled:
            return
        self.device_box.layout.display = "none"
        self.browser_button.disabled = False

    def _device_flow(self) -> Any:
        task = current_task()
        info = auth.start_device_login(self.session)
        self.user_code = info["user_code"]
        self.verification_uri = info["verification_uri"]
        self._show_device_code(info)
        interval = float(info["interval"])
        deadline = time.monotonic() + float(info["expires_in"])
        while True:
            if task is not None:
                task.raise_if_cancelled()
            left = deadline - time.monotonic()
            if left <= 0:
                raise DeviceLoginError(_("The login code expired before it was approved: start again."))
            self.countdown.value = html.escape(
                _("Waiting for approval… code valid for {time}").format(time=_mmss(left))
            )
            data = auth.poll_device_token(self.session, info["device_code"])
            if task is not None:
                task.raise_if_cancelled()
            error = (data or {}).get("error")
            if data and "access_token" in data:
                break
            if error == "slow_down":
                interval += 5
            elif error == "expired_token":
                raise DeviceLoginError(_("The login code expired before it was approved: start again."))
            elif error == "access_denied":
                raise DeviceLoginError(_("The login was denied in the browser."))
            elif error and error != "authorization_pending":
                raise DeviceLoginError(_("The Hub refused the browser login ({error}).").format(error=error))
            self._sleep(interval, deadline, task)
        self.state = "logging_in"
        self.status.busy(_("Approved: saving the login…"))
        return auth.finish_device_login(self.session, data)

    def _sleep(self, interval: float, deadline: float, task: HubTask | None) -> None:
        """Wait `interval` seconds, updating the countdown and waking up early on Cancel."""
        until = time.monotonic() + interval
        while (now := time.monotonic()) < until:
            if task is not None and task.cancelled:
                return
            self.countdown.value = html.escape(
                _("Waiting for approval… code valid for {time}").format(time=_mmss(deadline - now))
            )
            time.sleep(min(0.25, until - now))

    def _show_device_code(self, info: dict) -> None:
        code = html.escape(info["user_code"])
        self.device_link.value = (
            html.escape(_("Open this page and enter the code:"))
            + " "
            + link(info["verification_uri_complete"], info["verification_uri"])
        )
        # The copy button is plain HTML inside the value (no custom widget): the package's constant click
        # handler copies the escaped text beside it, so what the server sent never enters a script.
        self.device_code_view.value = (
            '<span class="hubw-user-code" style="font-size:1.8em;letter-spacing:0.2em;font-family:monospace;'
            f'font-weight:bold;user-select:all">{code}</span> '
            + copy_button(
                info["user_code"], _("Copy"), _("Copied"), _("Could not copy"), hint=_("Copy the code")
            )
        )
        self.status.busy(_("Approve the login in your browser; this notebook stays usable meanwhile."))

    # -- switch and log out ------------------------------------------------------------------------

    def switch(self, token_name: str | None) -> HubTask | None:
        """Make the stored token `token_name` the active login."""
        if not token_name:
            self.status.error(_("No other stored token to switch to."))
            return None
        self.status.busy(_("Switching to {name}…").format(name=token_name))
        self.task = self.submit(
            auth.switch,
            token_name,
            on_result=lambda _r: self._changed((_("Switched to {name}.").format(name=token_name), "success")),
            on_error=lambda exc: self.status.error(self.session.describe_error(exc)),
            key=f"login-action-{self._key}",
        )
        return self.task

    def logout(self, all_tokens: bool = False) -> HubTask:
        """Log out of the active stored token, or of all stored tokens."""
        name = self._origin.stored_name if self._origin else None
        if not all_tokens and not name and self._origin is not None and not self._origin.stored:
            # An active token file with no stored tokens (an older login): "this one" is all there is.
            all_tokens = True

        def run() -> tuple[str, str]:
            if not all_tokens and not name:
                raise ValidationError(
                    _("The active token is not a stored login: there is nothing to log out of.")
                )
            if not auth.logout(None if all_tokens else name):
                # The stored tokens are gone but HF_TOKEN / a Colab secret still logs in.
                return (
                    _("Stored logins removed, but the HF_TOKEN variable or Colab secret still logs you in."),
                    "warning",
                )
            if all_tokens:
                return _("Logged out of all stored tokens."), "success"
            return _("Logged out of {name}.").format(name=name), "success"

        self.status.busy(_("Logging out…"))
        self.task = self.submit(
            run,
            on_result=self._changed,
            on_error=lambda exc: self.status.error(self.session.describe_error(exc)),
            key=f"login-action-{self._key}",
        )
        return self.task

    def _changed(self, outcome: tuple[str, str]) -> None:
        self.session.notify_changed()  # starts a fresh check; its result replaces this line
        self.status.show(*outcome)


def _weak_listener(widget: LoginWidget) -> Callable[[], None]:
    """A session listener that does not keep a closed widget alive (sessions outlive widgets)."""
    ref = weakref.ref(widget)

    def listener() -> None:
        alive = ref()
        if alive is not None and alive.comm is not None:  # closed widgets have no comm
            alive.refresh()

    return listener


class _QuietStatusLine(StatusLine):
    """A status line that hides itself for plain info and success (compact mode)."""

    def show(self, text: str, kind: str = "info") -> None:
        super().show(text, kind)
        self.layout.display = "" if text and kind in ("busy", "warning", "error") else "none"


def _mmss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _has_widget_frontend() -> bool:
    from huggingface_hub.utils import is_notebook

    return is_notebook()


def login(session: HubSession | None = None) -> None:
    """Show the login widget: a drop-in for `huggingface_hub.notebook_login()`.

    Outside a notebook (a terminal, a plain script) it runs `huggingface_hub`'s text login instead.

    Args:
        session: The `HubSession` to log in with (default: the shared one).
    """
    if not _has_widget_frontend():
        auth.text_login()
        return
    from IPython.display import display

    display(LoginWidget(session=session))


__all__ = ["LoginWidget", "login"]
