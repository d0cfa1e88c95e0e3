"""Device-code login (RFC 8628) of the sandbox Hub, with a small HTML approval page.

The client POSTs `/oauth/device`, shows the user code and `verification_uri`, and polls `/oauth/token`.
The user approves (or denies) on the page at `verification_uri` after signing in there with their own
token or password, or a test calls `hub.device.approve`. An approval issues a NEW token for the
approving user, with at most the role of the credential that signed in (a read token approves a read
token), plus a refresh token. Only hashes of both are stored.

The page keeps a server-side session (cookie HttpOnly, SameSite=Lax) with a CSRF token that every form
carries; it shows only the code being approved and the client asking. Failed sign-ins are limited per
session, per code (the code is then denied) and per client address.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .auth import ROLES, Accounts
from .store import secret_hash

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REFRESH_GRANT = "refresh_token"
# As the Hub's browser logins: access tokens for 30 days, renewed with the refresh token. huggingface_hub
# renews one when less than a day is left; a shorter lifetime makes every process renew it every 5 min.
ACCESS_TOKEN_LIFETIME = 30 * 86400
_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
SESSION_COOKIE = "sandbox_device_session"
SESSION_LIFETIME = 12 * 3600
MAX_SESSIONS = 1000
MAX_REQUESTS = 10_000  # live device codes; anyone may ask for one
LOGIN_LINK_LIFETIME = 24 * 3600
MAX_SESSION_FAILURES = 5  # failed sign-ins or unknown codes, then the session is refused
MAX_CODE_FAILURES = 5  # failed sign-ins naming one code, then that code is denied
MAX_ADDRESS_FAILURES = 20  # failed attempts from one client address ...
ADDRESS_WINDOW = 600  # ... within this many seconds


@dataclass
class DeviceRequest:
    device_code: str
    user_code: str
    client_id: str
    expires_at: float
    interval: int
    status: str = "pending"  # pending | approved | denied | expired | consumed
    user: str | None = None
    role: str = "write"
    last_poll: float = 0.0
    failures: int = 0


@dataclass
class PageSession:
    """A browser on the approval page: signed in (user + role of its credential) or not."""

    id: str
    csrf: str
    created: float
    user: str | None = None
    role: str | None = None
    token_hash: str | None = None  # when signed in with a token: revoking it ends the session
    failures: int = 0


class DeviceFlow:
    """Pending device-code requests, the approval page's sessions and the refresh tokens handed out.

    Args:
        accounts: Where approved logins get their new token.
        interval: Polling interval (seconds) told to the client.
        expires_in: Lifetime (seconds) of a device code.
    """

    def __init__(self, accounts: Accounts, interval: int = 1, expires_in: int = 600) -> None:
        self.accounts = accounts
        self.interval, self.expires_in = interval, expires_in
        self._requests: dict[str, DeviceRequest] = {}
        self._sessions: OrderedDict[str, PageSession] = OrderedDict()
        self._login_links: dict[str, tuple[str, float]] = {}
        self._failures: dict[str, deque] = {}  # client address -> times of its recent failures
        self._lock = threading.Lock()

    # -- client side -------------------------------------------------------------------------------

    def start(self, client_id: str) -> DeviceRequest:
        now = time.time()
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        req = DeviceRequest(
            device_code=secrets.token_urlsafe(32),
            user_code=f"{code[:4]}-{code[4:]}",
            client_id=client_id,
            expires_at=now + self.expires_in,
            interval=self.interval,
        )
        with self._lock:
            # Forget codes long expired: anyone may ask for codes, the table must not grow forever.
            for stale in [k for k, r in self._requests.items() if now > r.expires_at + self.expires_in]:
                del self._requests[stale]
            if len(self._requests) >= MAX_REQUESTS:
                raise OverflowError("Too many device codes are waiting: try again in a few minutes.")
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
            user, role = req.user or "", req.role
        return 200, self._issue(user, role)

    def refresh(self, refresh_token: str) -> tuple[int, dict[str, Any]]:
        digest = secret_hash(refresh_token)
        row = self.accounts.store.take_refresh_token(digest)
        if row is None:
            return 400, {"error": "invalid_grant", "error_description": "Unknown or revoked refresh token."}
        return 200, self._issue(row["user"], row["role"] or "read")

    def _issue(self, user: str, role: str) -> dict[str, Any]:
        access = self.accounts.new_token(
            user, role, name=f"device-login-{time.strftime('%Y%m%d-%H%M%S')}", source="device"
        )
        refresh = "hf_oauth_rt_" + secrets.token_hex(20)
        self.accounts.store.put_refresh_token(secret_hash(refresh), user, role, secret_hash(access))
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "refresh_token": refresh,
            "scope": "openid profile " + ("write-repos" if role == "write" else "read-repos"),
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

    def approve(self, user_code: str, user: str, role: str = "write") -> None:
        """Approve the request shown as `user_code`, logging in as sandbox user `user` with `role`."""
        if not self.accounts.user_exists(user):
            raise KeyError(f"Unknown sandbox user {user!r}")
        if role not in ROLES:
            raise ValueError(f"role must be 'write' or 'read', not {role!r}")
        req = self.find(user_code)
        with self._lock:
            if req.status != "pending" or time.time() > req.expires_at:
                raise ValueError(f"Request {req.user_code} is {req.status}, not pending")
            req.status, req.user, req.role = "approved", user, role

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

    # -- the approval page's sessions --------------------------------------------------------------

    def session(self, session_id: str | None) -> PageSession:
        """The live session `session_id`, or a new one (signed out)."""
        now = time.time()
        with self._lock:
            found = self._sessions.get(session_id or "")
            if found is not None and now - found.created < SESSION_LIFETIME:
                return found
            return self._new_session(now)

    def existing_session(self, session_id: str | None) -> PageSession | None:
        """The live session `session_id`, or None: a page that only reads creates no session (anonymous
        visitors must not push signed-in sessions out of the bounded table)."""
        with self._lock:
            found = self._sessions.get(session_id or "")
            return found if found is not None and time.time() - found.created < SESSION_LIFETIME else None

    def check_credentials(self, token: str, username: str, password: str) -> tuple[str, str] | None:
        """(user, role) for a valid token (its role) or user name + password (write); None otherwise."""
        if token:
            ident = self.accounts.identify(token)
            if ident is not None and not ident.anonymous:
                return ident.user or "", ident.role or "read"
        elif username and password and self.accounts.check_password(username, password):
            return username, "write"
        return None

    def _new_session(self, now: float) -> PageSession:
        while len(self._sessions) >= MAX_SESSIONS:
            self._sessions.popitem(last=False)  # the oldest goes first
        fresh = PageSession(id=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), created=now)
        self._sessions[fresh.id] = fresh
        return fresh

    def sign_in(self, session: PageSession, user: str, role: str, token: str | None = None) -> PageSession:
        """A new session (new id and CSRF token: no fixation) signed in as `user`; the old one ends."""
        with self._lock:
            self._sessions.pop(session.id, None)
            fresh = self._new_session(time.time())
            fresh.user, fresh.role = user, role
            fresh.token_hash = secret_hash(token) if token else None
            return fresh

    def still_signed_in(self, session: PageSession) -> bool:
        """The session's user still exists and the token it signed in with is not revoked."""
        if session.user is None or not self.accounts.user_exists(session.user):
            return False
        if session.token_hash is None:
            return True
        return self.accounts.store.token(session.token_hash) is not None

    def sign_out(self, session: PageSession) -> PageSession:
        with self._lock:
            self._sessions.pop(session.id, None)
            return self._new_session(time.time())

    def login_link(self, user: str) -> str:
        """The path of a single-use link that signs a browser in as `user` (write) on the approval page."""
        if not self.accounts.user_exists(user):
            raise KeyError(f"Unknown sandbox user {user!r}")
        nonce = secrets.token_urlsafe(32)
        with self._lock:
            self._login_links[secret_hash(nonce)] = (user, time.time() + LOGIN_LINK_LIFETIME)
        return f"/oauth/device/verify?login={quote(nonce)}"

    def use_login_link(self, session: PageSession, nonce: str) -> PageSession | None:
        """Sign `session` in with a login link (consumed); None if it is unknown, used or expired."""
        with self._lock:
            entry = self._login_links.pop(secret_hash(nonce), None)
        if entry is None or time.time() > entry[1] or not self.accounts.user_exists(entry[0]):
            return None
        return self.sign_in(session, entry[0], "write")

    def blocked(self, session: PageSession, address: str) -> bool:
        """Too many failures from this session or this client address: refuse without checking."""
        with self._lock:
            times = self._failures.get(address)
            now = time.time()
            while times and now - times[0] > ADDRESS_WINDOW:
                times.popleft()
            return session.failures >= MAX_SESSION_FAILURES or len(times or ()) >= MAX_ADDRESS_FAILURES

    def failed(self, session: PageSession, address: str, req: DeviceRequest | None = None) -> None:
        """Count a failed attempt against the session, the address and (a sign-in naming it) the code."""
        with self._lock:
            session.failures += 1
            if len(self._failures) > MAX_SESSIONS:
                self._failures.clear()
            times = self._failures.setdefault(address, deque(maxlen=MAX_ADDRESS_FAILURES))
            times.append(time.time())
            if req is not None and req.status == "pending":
                req.failures += 1
                if req.failures >= MAX_CODE_FAILURES:
                    req.status = "denied"  # the device is told access_denied and starts again
