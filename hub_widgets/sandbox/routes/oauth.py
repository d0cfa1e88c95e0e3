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
from ..pages.render import Translated, html_lang

_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}} .msg{{padding:.5em;background:#eef}}
.code{{font-size:1.6em;font-family:monospace;letter-spacing:.1em}} label{{display:block;margin:.4em 0}}</style>
</head><body><h1>{heading}</h1>{message}{body}</body></html>"""

# The page needs no script, no frame and no other origin; forms post to this page only.
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


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


class SessionPage(Translated, OAuthBase):
    """A page with a sign-in session (cookie): the device approval page, the tokens page."""

    sess: PageSession

    def too_many(self) -> str:
        return self._("Too many failed attempts. Wait a few minutes, then start again from the device.")

    def bad_credentials(self) -> str:
        return self._("That token, or that user name and password, is not valid on this sandbox.")

    def form_expired(self) -> str:
        return self._("This form has expired or was not sent from this page: try again.")

    def role_name(self, role: str | None) -> str:
        """A token role as shown on a page."""
        return {"read": self._("read"), "write": self._("write")}.get(role or "", role or "")

    def credential_fields(self) -> str:
        """The sign-in form's fields: a token, or a user name and password."""
        _ = self._
        return (
            f'<label>{_("Your token:")} <input name="token" type="password" autocomplete="off"></label>'
            f"<p>{_('or')}</p>"
            f'<label>{_("User name:")} <input name="username" autocomplete="username"></label>'
            f'<label>{_("Password:")} <input name="password" type="password" '
            'autocomplete="current-password"></label>'
        )

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
                self.page(message=self._("This login link was already used or has expired."))
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
            self.page(code, self.form_expired())
            return
        address = self.request.remote_ip or ""
        action = form.get("action", "")
        if action == "signout":
            self.sess = self.flow.sign_out(sess)
            self.keep_session()
            self.page(message=self._("Signed out."))
            return
        if self.flow.blocked(sess, address):
            self.set_status(429)
            self.page(message=self.too_many(), form=False)
            return
        if action == "signin":
            self.sign_in(sess, form, code, address)
            return
        if sess.user is not None and not self.flow.still_signed_in(sess):
            self.sess = sess = self.flow.sign_out(sess)
            self.keep_session()
        if sess.user is None:
            self.set_status(401)
            self.page(code, self._("Sign in first."))
            return
        req = self.pending_request(code)
        if req is None:
            self.flow.failed(sess, address)
            self.set_status(400)
            self.page(code, self.no_request())
            return
        if action == "continue":
            self.page(code)
        elif action == "approve":
            try:
                self.flow.approve(req.user_code, sess.user, sess.role or "read")
            except (KeyError, ValueError) as exc:
                self.set_status(400)
                reason = exc.args[0] if exc.args else exc
                self.page(code, self._("Could not approve: {reason}").format(reason=reason))
                return
            self.page(
                message=self._(
                    "Approved: the device is now logged in as {user} ({role}). You can close this page."
                ).format(user=sess.user, role=self.role_name(sess.role)),
                form=False,
            )
        elif action == "deny":
            self.flow.deny(req.user_code)
            self.page(message=self._("Denied: the device was not connected."), form=False)
        else:
            self.set_status(400)
            self.page(code, self._("Choose Approve or Deny."))

    def no_request(self) -> str:
        return self._("No pending request has that code: check it, or start again from the device.")

    def sign_in(self, sess: PageSession, form: dict[str, str], code: str, address: str) -> None:
        token = form.get("token", "").strip()
        found = self.flow.check_credentials(token, form.get("username", "").strip(), form.get("password", ""))
        if found is None:
            self.flow.failed(sess, address, self.known_request(code))
            self.set_status(403)
            self.page(code, self.bad_credentials())
            return
        self.sess = self.flow.sign_in(sess, *found, token or None)
        self.keep_session()
        if code and self.pending_request(code) is None:
            self.flow.failed(self.sess, address)
            self.set_status(400)
            self.page(code, self.no_request())
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
        _ = self._
        code_input = (
            f'<label>{_("Code shown by the device:")} <input name="user_code" autocomplete="off" '
            f'value="{html.escape(code)}"></label>'
        )
        if not form:
            pass
        elif sess.user is None:
            intro = _(
                "Sign in to approve the device: with one of your tokens, or with your user name and "
                "password. The device gets a token with the role of what you sign in with."
            )
            body = (
                f'<p>{intro}</p><form method="post" action="/oauth/device/verify">{csrf}{code_input}'
                f'{self.credential_fields()}<p><button name="action" value="signin">{_("Sign in")}</button></p></form>'
            )
        elif req is None:
            body = (
                f'<form method="post" action="/oauth/device/verify">{csrf}{code_input}'
                f'<p><button name="action" value="continue">{_("Continue")}</button></p></form>'
            )
        else:
            asks = _(
                "The application {client} asks to use this sandbox as {user} with a {role} token."
            ).format(
                client=f"<b>{html.escape(req.client_id)}</b>",
                user=f"<b>{html.escape(sess.user)}</b>",
                role=f"<b>{html.escape(self.role_name(sess.role))}</b>",
            )
            check = _("Check that your device shows this code: {code}").format(
                code=f'<span class="code">{html.escape(req.user_code)}</span>'
            )
            body = (
                f'<p>{asks}</p><p>{check}</p><form method="post" action="/oauth/device/verify">{csrf}{code_field}'
                f'<p><button name="action" value="approve">{_("Approve")}</button> '
                f'<button name="action" value="deny">{_("Deny")}</button></p></form>'
            )
        if sess.user is not None:
            signed = _("Signed in as {user} ({role}).").format(
                user=html.escape(sess.user), role=html.escape(self.role_name(sess.role))
            )
            body += (
                f'<p>{signed}</p><form method="post" action="/oauth/device/verify">{csrf}'
                f'<button name="action" value="signout">{_("Sign out")}</button></form>'
            )
        msg = f'<p class="msg">{html.escape(message)}</p>' if message else ""
        for name, value in _PAGE_HEADERS.items():
            self.set_header(name, value)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            _PAGE.format(
                lang=html_lang(self.page_language),
                title=html.escape(_("Sandbox Hub - device login")),
                heading=html.escape(_("Sandbox Hub: connect a device")),
                message=msg,
                body=body,
            )
        )


ROUTES: list[Route] = [
    (r"/oauth/device", DeviceHandler),
    (r"/oauth/token", TokenHandler),
    (r"/oauth/device/verify", VerifyHandler),
    (r"/device", VerifyHandler),
]
