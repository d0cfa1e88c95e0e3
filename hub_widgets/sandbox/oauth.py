"""Device-code login (RFC 8628) of the sandbox Hub, with a small HTML approval page.

The client POSTs `/oauth/device`, shows the user code and `verification_uri`, and polls `/oauth/token`.
The user approves (or denies) on the page at `verification_uri`, or a test calls `hub.device.approve`.
An approval issues a NEW write token for the approving user, plus a refresh token.
"""

from __future__ import annotations

import html
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from .auth import Accounts
from .store import StoreError

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REFRESH_GRANT = "refresh_token"
ACCESS_TOKEN_LIFETIME = 8 * 3600
_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"


@dataclass
class DeviceRequest:
    device_code: str
    user_code: str
    client_id: str
    expires_at: float
    interval: int
    status: str = "pending"  # pending | approved | denied | expired | consumed
    user: str | None = None
    last_poll: float = 0.0


class DeviceFlow:
    """Pending device-code requests and the refresh tokens handed out.

    Args:
        accounts: Where approved logins get their new token.
        interval: Polling interval (seconds) told to the client.
        expires_in: Lifetime (seconds) of a device code.
    """

    def __init__(self, accounts: Accounts, interval: int = 1, expires_in: int = 600) -> None:
        self.accounts = accounts
        self.interval, self.expires_in = interval, expires_in
        self._requests: dict[str, DeviceRequest] = {}
        self._lock = threading.Lock()
        accounts.store.execute(
            "CREATE TABLE IF NOT EXISTS refresh_tokens (token TEXT PRIMARY KEY, user TEXT, access TEXT, created REAL)"
        )

    # -- client side -------------------------------------------------------------------------------

    def start(self, client_id: str) -> DeviceRequest:
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        req = DeviceRequest(
            device_code=secrets.token_urlsafe(32),
            user_code=f"{code[:4]}-{code[4:]}",
            client_id=client_id,
            expires_at=time.time() + self.expires_in,
            interval=self.interval,
        )
        with self._lock:
            self._requests[req.device_code] = req
        return req

    def poll(self, device_code: str) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON) answer to a token poll."""
        with self._lock:
            req = self._requests.get(device_code)
            if req is None:
                return 400, {"error": "invalid_grant", "error_description": "Unknown device code."}
            now = time.time()
            if req.status == "pending" and now > req.expires_at:
                req.status = "expired"
            if req.status == "expired":
                return 400, {"error": "expired_token", "error_description": "The device code has expired."}
            if req.status == "denied":
                return 400, {"error": "access_denied", "error_description": "The user denied the request."}
            if req.status == "consumed":
                return 400, {
                    "error": "invalid_grant",
                    "error_description": "This device code was already used.",
                }
            if req.status == "pending":
                too_fast = req.last_poll and now - req.last_poll < req.interval * 0.5
                req.last_poll = now
                if too_fast:
                    return 400, {"error": "slow_down", "error_description": "Polling too fast."}
                return 400, {"error": "authorization_pending", "error_description": "Waiting for the user."}
            req.status = "consumed"
            user = req.user or ""
        return 200, self._issue(user)

    def refresh(self, refresh_token: str) -> tuple[int, dict[str, Any]]:
        rows = self.accounts.store.query(
            "SELECT user, access FROM refresh_tokens WHERE token=?", (refresh_token,)
        )
        if not rows:
            return 400, {"error": "invalid_grant", "error_description": "Unknown or revoked refresh token."}
        self.accounts.store.execute("DELETE FROM refresh_tokens WHERE token=?", (refresh_token,))
        return 200, self._issue(rows[0]["user"])

    def _issue(self, user: str) -> dict[str, Any]:
        access = self.accounts.new_token(user, "write", name=f"device-login-{time.strftime('%Y%m%d-%H%M%S')}")
        refresh = "hf_oauth_rt_" + secrets.token_hex(20)
        self.accounts.store.execute(
            "INSERT INTO refresh_tokens(token, user, access, created) VALUES (?,?,?,?)",
            (refresh, user, access, time.time()),
        )
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "refresh_token": refresh,
            "scope": "openid profile write-repos",
        }

    # -- user side (also used by the approval page) ------------------------------------------------

    def find(self, user_code: str) -> DeviceRequest:
        wanted = user_code.strip().upper().replace(" ", "")
        if len(wanted) == 8 and "-" not in wanted:
            wanted = f"{wanted[:4]}-{wanted[4:]}"
        with self._lock:
            for req in self._requests.values():
                if req.user_code == wanted:
                    return req
        raise KeyError(f"Unknown user code {user_code!r}")

    def pending(self) -> list[DeviceRequest]:
        now = time.time()
        with self._lock:
            return [r for r in self._requests.values() if r.status == "pending" and r.expires_at > now]

    def approve(self, user_code: str, user: str) -> None:
        """Approve the request shown as `user_code`, logging in as sandbox user `user`."""
        if not self.accounts.user_exists(user):
            raise KeyError(f"Unknown sandbox user {user!r}")
        req = self.find(user_code)
        with self._lock:
            if req.status != "pending":
                raise ValueError(f"Request {user_code} is {req.status}, not pending")
            req.status, req.user = "approved", user

    def deny(self, user_code: str) -> None:
        """Deny the request shown as `user_code`."""
        req = self.find(user_code)
        with self._lock:
            req.status = "denied"

    def expire(self, user_code: str) -> None:
        """Make the request shown as `user_code` expire now."""
        req = self.find(user_code)
        with self._lock:
            req.status = "expired"


_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Sandbox Hub - device login</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}} .msg{{padding:.5em;background:#eef}}
code{{font-size:1.3em}}</style></head><body><h1>Sandbox Hub: connect a device</h1>{message}{body}</body></html>"""


def oauth_routes(state: Any, base: type) -> list[tuple]:
    """Tornado routes of the device flow; `base` is the server's BaseHandler."""
    flow: DeviceFlow = state.oauth

    class OAuthBase(base):  # type: ignore[misc, valid-type]
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
                self.send_oauth(
                    400, {"error": "invalid_request", "error_description": "client_id is required."}
                )
                return
            req = flow.start(client_id)
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
                status, data = flow.poll(form.get("device_code", ""))
            elif grant == REFRESH_GRANT:
                status, data = flow.refresh(form.get("refresh_token", ""))
            else:
                status, data = (
                    400,
                    {"error": "unsupported_grant_type", "error_description": f"Unsupported {grant!r}."},
                )
            self.send_oauth(status, data)

    class VerifyHandler(OAuthBase):
        def do_get(self) -> None:
            self.page(self.arg("user_code") or "")

        def do_post(self) -> None:
            form = self.form()
            code = form.get("user_code", "")
            action = form.get("action", "")
            try:
                if action == "deny":
                    flow.deny(code)
                    message = "Denied: the device was not connected."
                elif action == "approve":
                    user = form.get("user", "")
                    token = form.get("token", "").strip()
                    if token:
                        ident = flow.accounts.identify(token)
                        if ident is None or ident.anonymous:
                            raise StoreError(403, "That token is not valid on this sandbox.")
                        user = ident.user or ""
                    flow.approve(code, user)
                    message = f"Approved: the device is now logged in as {user}. You can close this page."
                else:
                    raise StoreError(400, "Choose Approve or Deny.")
            except (KeyError, ValueError) as exc:
                self.set_status(400)
                self.page(code, f"Could not do that: {exc.args[0] if exc.args else exc}")
                return
            except StoreError as exc:
                self.set_status(exc.status)
                self.page(code, exc.message)
                return
            self.page(code, message, done=True)

        def page(self, code: str, message: str = "", done: bool = False) -> None:
            body = ""
            if not done:
                users = "".join(
                    f'<option value="{html.escape(u)}">{html.escape(u)}</option>'
                    for u in flow.accounts.users()
                )
                pending = "".join(f"<li><code>{html.escape(r.user_code)}</code></li>" for r in flow.pending())
                body = (
                    f"<p>Pending requests:</p><ul>{pending or '<li>none</li>'}</ul>"
                    '<form method="post" action="/oauth/device/verify">'
                    f'<p><label>Code shown by the device: <input name="user_code" value="{html.escape(code)}"></label></p>'
                    f'<p><label>Log in as: <select name="user">{users}</select></label> '
                    '<label>or with a token: <input name="token" type="password" autocomplete="off"></label></p>'
                    '<p><button name="action" value="approve">Approve</button> '
                    '<button name="action" value="deny">Deny</button></p></form>'
                )
            msg = f'<p class="msg">{html.escape(message)}</p>' if message else ""
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(_PAGE.format(message=msg, body=body))

    kw = {"state": state}
    return [
        (r"/oauth/device", DeviceHandler, kw),
        (r"/oauth/token", TokenHandler, kw),
        (r"/oauth/device/verify", VerifyHandler, kw),
        (r"/device", VerifyHandler, kw),
    ]
