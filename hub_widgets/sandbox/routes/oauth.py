"""Routes of the device-code login (RFC 8628): start, poll / refresh, and the HTML approval page.

The rules (codes, sessions, CSRF, failure limits, tokens issued) live in `sandbox.oauth.DeviceFlow`.
"""

from __future__ import annotations

import hmac
import html
import time
from typing import Any
from urllib.parse import quote

from ..http.base import BaseHandler, Route, not_found
from ..oauth import (
    DEVICE_GRANT,
    REFRESH_GRANT,
    SESSION_COOKIE,
    SESSION_LIFETIME,
    DeviceFlow,
    DeviceRequest,
    PageSession,
)

_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Sandbox Hub - device login</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}} .msg{{padding:.5em;background:#eef}}
.code{{font-size:1.6em;font-family:monospace;letter-spacing:.1em}} label{{display:block;margin:.4em 0}}</style>
</head><body><h1>Sandbox Hub: connect a device</h1>{message}{body}</body></html>"""

# The page needs no script, no frame and no other origin; forms post to this page only.
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
TOO_MANY = "Too many failed attempts. Wait a few minutes, then start again from the device."


class OAuthBase(BaseHandler):
    """The device flow's routes take no bearer token; answers are never cached."""

    @property
    def flow(self) -> DeviceFlow:
        return self.state.oauth  # type: ignore[no-any-return]

    def prepare(self) -> None:
        super().prepare()
        if self.state.oauth is None and self._pending_error is None:  # a sandbox without device login
            self._pending_error = not_found(self.request)

    def uses_token(self) -> bool:
        return False

    def send_oauth(self, status: int, data: dict[str, Any]) -> None:
        self.set_header("Cache-Control", "no-store")
        self.send_json(data, status=status)

    def form(self) -> dict[str, str]:
        return dict(self.form_body())


class DeviceHandler(OAuthBase):
    def do_post(self) -> None:
        client_id = self.form().get("client_id") or self.arg("client_id") or ""
        if not client_id:
            self.send_oauth(400, {"error": "invalid_request", "error_description": "client_id is required."})
            return
        try:
            req = self.flow.start(client_id)
        except OverflowError as exc:
            self.send_oauth(429, {"error": "slow_down", "error_description": str(exc)})
            return
        uri = f"{self.base_url()}/oauth/device/verify"
        self.send_oauth(
            200,
            {
                "device_code": req.device_code,
                "user_code": req.user_code,
                "verification_uri": uri,
                "verification_uri_complete": f"{uri}?user_code={req.user_code}",
                "interval": req.interval,
                "expires_in": int(req.expires_at - time.time()),
            },
        )


class TokenHandler(OAuthBase):
    def do_post(self) -> None:
        form = self.form()
        grant = form.get("grant_type", "")
        if grant == DEVICE_GRANT:
            status, data = self.flow.poll(form.get("device_code", ""))
        elif grant == REFRESH_GRANT:
            status, data = self.flow.refresh(form.get("refresh_token", ""))
        else:
            status, data = (
                400,
                {"error": "unsupported_grant_type", "error_description": f"Unsupported {grant!r}."},
            )
        self.send_oauth(status, data)


class SessionPage(OAuthBase):
    """A page with a sign-in session (cookie): the device approval page, the tokens page."""

    sess: PageSession

    def load_session(self) -> PageSession:
        self.sess = self.flow.session(self.get_cookie(SESSION_COOKIE))
        self.keep_session()
        return self.sess

    def keep_session(self) -> None:
        self.set_cookie(
            SESSION_COOKIE,
            self.sess.id,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=self.request.protocol == "https",
            max_age=SESSION_LIFETIME,
        )


class VerifyHandler(SessionPage):
    """The approval page: sign in (token, or user name + password), check the code, approve or deny."""

    def pending_request(self, code: str) -> DeviceRequest | None:
        if not code.strip():
            return None
        try:
            req = self.flow.find(code)
        except KeyError:
            return None
        return req if req.status == "pending" and req.expires_at > time.time() else None

    def do_get(self) -> None:
        sess = self.load_session()
        code = self.arg("user_code") or ""
        nonce = self.arg("login")
        if nonce is not None:
            signed = self.flow.use_login_link(sess, nonce)
            if signed is None:
                self.set_status(403)
                self.page(message="This login link was already used or has expired.")
                return
            self.sess = signed
            self.keep_session()
            # Drop the secret from the address bar (and from the history).
            self.redirect("/oauth/device/verify" + (f"?user_code={quote(code)}" if code else ""))
            return
        self.page(code)

    def do_post(self) -> None:
        sess = self.load_session()
        form = self.form()
        code = form.get("user_code", "").strip()
        if not hmac.compare_digest(form.get("csrf", ""), sess.csrf):
            # Nothing is done: the form did not come from this browser's copy of the page.
            self.set_status(403)
            self.page(code, "This form has expired or was not sent from this page: try again.")
            return
        address = self.request.remote_ip or ""
        action = form.get("action", "")
        if action == "signout":
            self.sess = self.flow.sign_out(sess)
            self.keep_session()
            self.page(message="Signed out.")
            return
        if self.flow.blocked(sess, address):
            self.set_status(429)
            self.page(message=TOO_MANY, form=False)
            return
        if action == "signin":
            self.sign_in(sess, form, code, address)
            return
        if sess.user is not None and not self.flow.still_signed_in(sess):
            self.sess = sess = self.flow.sign_out(sess)
            self.keep_session()
        if sess.user is None:
            self.set_status(401)
            self.page(code, "Sign in first.")
            return
        req = self.pending_request(code)
        if req is None:
            self.flow.failed(sess, address)
            self.set_status(400)
            self.page(code, "No pending request has that code: check it, or start again from the device.")
            return
        if action == "continue":
            self.page(code)
        elif action == "approve":
            try:
                self.flow.approve(req.user_code, sess.user, sess.role or "read")
            except (KeyError, ValueError) as exc:
                self.set_status(400)
                self.page(code, f"Could not approve: {exc.args[0] if exc.args else exc}")
                return
            self.page(
                message=f"Approved: the device is now logged in as {sess.user} ({sess.role}). "
                "You can close this page.",
                form=False,
            )
        elif action == "deny":
            self.flow.deny(req.user_code)
            self.page(message="Denied: the device was not connected.", form=False)
        else:
            self.set_status(400)
            self.page(code, "Choose Approve or Deny.")

    def sign_in(self, sess: PageSession, form: dict[str, str], code: str, address: str) -> None:
        token = form.get("token", "").strip()
        found = self.flow.check_credentials(token, form.get("username", "").strip(), form.get("password", ""))
        if found is None:
            self.flow.failed(sess, address, self.known_request(code))
            self.set_status(403)
            self.page(code, "That token, or that user name and password, is not valid on this sandbox.")
            return
        self.sess = self.flow.sign_in(sess, *found, token or None)
        self.keep_session()
        if code and self.pending_request(code) is None:
            self.flow.failed(self.sess, address)
            self.set_status(400)
            self.page(code, "No pending request has that code: check it, or start again from the device.")
            return
        self.page(code)

    def known_request(self, code: str) -> DeviceRequest | None:
        try:
            return self.flow.find(code) if code else None
        except KeyError:
            return None

    def page(self, code: str = "", message: str = "", form: bool = True) -> None:
        sess = self.sess
        csrf = f'<input type="hidden" name="csrf" value="{html.escape(sess.csrf)}">'
        code_field = f'<input type="hidden" name="user_code" value="{html.escape(code)}">'
        body = ""
        req = self.pending_request(code) if sess.user is not None else None
        if not form:
            pass
        elif sess.user is None:
            body = (
                "<p>Sign in to approve the device: with one of your tokens, or with your user name and "
                "password. The device gets a token with the role of what you sign in with.</p>"
                '<form method="post" action="/oauth/device/verify">'
                + csrf
                + '<label>Code shown by the device: <input name="user_code" autocomplete="off" '
                f'value="{html.escape(code)}"></label>'
                '<label>Your token: <input name="token" type="password" autocomplete="off"></label>'
                "<p>or</p>"
                '<label>User name: <input name="username" autocomplete="username"></label>'
                '<label>Password: <input name="password" type="password" '
                'autocomplete="current-password"></label>'
                '<p><button name="action" value="signin">Sign in</button></p></form>'
            )
        elif req is None:
            body = (
                '<form method="post" action="/oauth/device/verify">'
                + csrf
                + '<label>Code shown by the device: <input name="user_code" autocomplete="off" '
                f'value="{html.escape(code)}"></label>'
                '<p><button name="action" value="continue">Continue</button></p></form>'
            )
        else:
            body = (
                f"<p>The application <b>{html.escape(req.client_id)}</b> asks to use this sandbox "
                f"as <b>{html.escape(sess.user)}</b> with a <b>{html.escape(sess.role or '')}</b> token.</p>"
                f'<p>Check that your device shows this code: <span class="code">'
                f"{html.escape(req.user_code)}</span></p>"
                '<form method="post" action="/oauth/device/verify">'
                + csrf
                + code_field
                + '<p><button name="action" value="approve">Approve</button> '
                '<button name="action" value="deny">Deny</button></p></form>'
            )
        if sess.user is not None:
            body += (
                f"<p>Signed in as {html.escape(sess.user)} ({html.escape(sess.role or '')}).</p>"
                '<form method="post" action="/oauth/device/verify">'
                + csrf
                + '<button name="action" value="signout">Sign out</button></form>'
            )
        msg = f'<p class="msg">{html.escape(message)}</p>' if message else ""
        for name, value in _PAGE_HEADERS.items():
            self.set_header(name, value)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(_PAGE.format(message=msg, body=body))


ROUTES: list[Route] = [
    (r"/oauth/device", DeviceHandler),
    (r"/oauth/token", TokenHandler),
    (r"/oauth/device/verify", VerifyHandler),
    (r"/device", VerifyHandler),
]
