"""Login state as `huggingface_hub` keeps it: where the token comes from, the stored tokens, saving a login.

Pure helpers for the login widget. Tokens pass through these functions but are never kept: what they
return holds names, masked values and metadata only.

`huggingface_hub.login()` validates with the module-level `whoami`, which always talks to
`constants.ENDPOINT`; a session may point elsewhere. So validation goes through the session's `HfApi`
and only the saving step reuses the client's own helpers (see `save_login`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from huggingface_hub import constants

from hub_widgets._i18n import _, format_date, ngettext
from hub_widgets.errors import ValidationError

# Where the active token comes from.
SOURCE_ENV = "env"
SOURCE_COLAB = "colab"
SOURCE_FILE = "file"
SOURCE_PINNED = "pinned"
SOURCE_NONE = "none"


def mask_token(token: str | None) -> str:
    """`hf_…ab12`: enough to tell tokens apart, never enough to use one."""
    if not token:
        return ""
    if len(token) <= 10:
        return "…"
    return f"{token[:3]}…{token[-4:]}"


def describe_role(role: str | None) -> str:
    """The token's permission as the Hub's settings page names it."""
    return {
        "read": _("read"),
        "write": _("write"),
        "fineGrained": _("fine-grained"),
    }.get(role or "", role or _("unknown"))


def describe_source(source: str) -> str:
    """Where the token comes from, in words."""
    return {
        SOURCE_ENV: _("HF_TOKEN environment variable"),
        SOURCE_COLAB: _("Colab secret HF_TOKEN"),
        SOURCE_FILE: _("stored token file"),
        SOURCE_PINNED: _("token given to this session in code"),
        SOURCE_NONE: _("none"),
    }[source]


def format_expiry(expires_at: int | None, now: float | None = None) -> str:
    """`2026-11-23 14:02 (in 8 h)`, `… (expired)`, or a note when no expiry is recorded."""
    if not expires_at:
        return _("no expiry recorded")
    now = time.time() if now is None else now
    date = format_date(datetime.fromtimestamp(expires_at), with_time=True)
    left = expires_at - now
    if left <= 0:
        return _("{date} (expired)").format(date=date)
    # Rounded to the nearest unit: an 8-hour token read a second later still expires "in 8 h".
    minutes = max(1, round(left / 60))
    if minutes < 60:
        return ngettext("{date} (in {n} min)", "{date} (in {n} min)", minutes).format(date=date, n=minutes)
    hours = round(left / 3600)
    if hours < 48:
        return ngettext("{date} (in {n} h)", "{date} (in {n} h)", hours).format(date=date, n=hours)
    days = round(left / 86400)
    return ngettext("{date} (in {n} day)", "{date} (in {n} days)", days).format(date=date, n=days)


def check_personal_token(token: str) -> None:
    """Refuse what cannot log in: an empty string or an organisation token (`api_org_…`).

    Args:
        token: The pasted token.

    Raises:
        ValidationError: with the sentence to show.
    """
    if not token:
        raise ValidationError(_("Paste an access token first."))
    if token.startswith("api_org"):
        raise ValidationError(
            _("This is an organisation token (api_org_…): log in with a personal access token instead.")
        )


@dataclass(frozen=True)
class StoredToken:
    """One entry of the stored tokens file, without its secret."""

    name: str
    masked: str
    active: bool
    expires_at: int | None = None
    refreshable: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} ({self.masked})"


@dataclass(frozen=True)
class TokenOrigin:
    """Where `huggingface_hub` finds the active token, and whether a stored login is shadowed."""

    source: str
    stored_name: str | None = None  # the stored entry holding the active stored login, if any
    env_overrides_stored: bool = False  # HF_TOKEN is set and differs from the stored active token
    stored: list[StoredToken] = field(default_factory=list)

    @property
    def active_entry(self) -> StoredToken | None:
        return next((t for t in self.stored if t.name == self.stored_name), None)


def env_token() -> str | None:
    """The token set in `HF_TOKEN` (or the older `HUGGING_FACE_HUB_TOKEN`), cleaned as the client does."""
    value = os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN") or ""
    return value.replace("\r", "").replace("\n", "").strip() or None


def file_token() -> str | None:
    """The active stored login (the `token` file in HF_HOME)."""
    try:
        with open(constants.HF_TOKEN_PATH, encoding="utf-8") as f:
            return f.read().strip() or None
    except OSError:
        return None


def token_origin(session_token: str | None) -> TokenOrigin:
    """Work out where `session_token` (what the session sends) comes from. Reads files: call on a worker.

    Args:
        session_token: The token the session resolved (`session.api.token`).

    Returns:
        The source, the stored entries (masked) and whether HF_TOKEN shadows the stored login.
    """
    from huggingface_hub import get_token

    active_file = file_token()
    stored = stored_tokens(active_file)
    stored_name = next((t.name for t in stored if t.active), None)
    from_env = env_token()
    if not session_token:
        source = SOURCE_NONE
    elif session_token != get_token():
        source = SOURCE_PINNED
    elif from_env and session_token == from_env:
        source = SOURCE_ENV
    elif active_file and session_token == active_file:
        source = SOURCE_FILE
    else:
        source = SOURCE_COLAB
    return TokenOrigin(
        source=source,
        stored_name=stored_name,
        env_overrides_stored=bool(from_env and active_file and from_env != active_file),
        stored=stored,
    )


# -- the only uses of huggingface_hub's private helpers -----------------------------------------------
# The public API covers switching (`auth_switch`) and logging out (`logout`), but has no way to read the
# stored tokens' metadata (expiry, refresh token), nor to save an already validated token without a
# second `whoami` against `constants.ENDPOINT` (wrong when the session talks to another endpoint).


def stored_tokens(active_token: str | None = None) -> list[StoredToken]:
    """The stored tokens file as names, masked values and expiry; `active_token` marks the active entry."""
    from huggingface_hub.utils._auth import _read_stored_tokens_full  # the only reader of expires_at

    entries = []
    for name, fields in _read_stored_tokens_full().items():
        token = fields.get("hf_token", "")
        try:
            expires_at = int(fields["expires_at"]) if fields.get("expires_at") else None
        except ValueError:
            expires_at = None
        entries.append(
            StoredToken(
                name=name,
                masked=mask_token(token),
                active=bool(active_token) and token == active_token,
                expires_at=expires_at,
                refreshable=bool(fields.get("refresh_token")),
            )
        )
    return entries


def save_login(
    token: str,
    token_name: str,
    *,
    refresh_token: str | None = None,
    expires_at: int | None = None,
    add_to_git_credential: bool = False,
) -> None:
    """Store `token` under `token_name` and make it the active login, exactly as `huggingface_hub.login` does.

    Writes the stored tokens file (with the OAuth refresh token and expiry, so that `get_token()`
    refreshes it later), the active `token` file and, if asked, the git credential.

    Args:
        token: The validated token.
        token_name: Its name in the stored tokens file.
        refresh_token: OAuth refresh token (browser login).
        expires_at: Unix time at which the access token expires (browser login).
        add_to_git_credential: Also store it in the configured git credential helpers.
    """
    from huggingface_hub._login import _set_active_token
    from huggingface_hub.utils._auth import _save_token

    _save_token(token=token, token_name=token_name, refresh_token=refresh_token, expires_at=expires_at)
    _set_active_token(token_name=token_name, add_to_git_credential=add_to_git_credential)


# -- logging in ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    """What a successful login shows: never the token itself."""

    token_name: str
    username: str
    role: str | None


def validate_and_save(
    api: Any,
    token: str,
    *,
    add_to_git_credential: bool = False,
    refresh_token: str | None = None,
    expires_at: int | None = None,
) -> LoginResult:
    """Check `token` with the Hub (whoami through `api`, a `HfApi` on the right endpoint), then save it.

    The stored name is the token's display name, or `oauth-<user>` for OAuth tokens, as the client does.

    Args:
        api: A `HfApi` bound to the session's endpoint.
        token: The token to check and store.
        add_to_git_credential: Also store it as a git credential.
        refresh_token: OAuth refresh token to store with it.
        expires_at: Its expiry (unix time) to store with it.

    Raises:
        ValidationError: an organisation token or an empty string.
        huggingface_hub errors: an invalid token (401) or an unreachable Hub.
    """
    check_personal_token(token)
    info = api.whoami(token=token)
    access = (info.get("auth") or {}).get("accessToken") or {}
    username = info["name"]
    token_name = access.get("displayName") or f"oauth-{username}"
    save_login(
        token,
        token_name,
        refresh_token=refresh_token,
        expires_at=expires_at,
        add_to_git_credential=add_to_git_credential,
    )
    return LoginResult(token_name=token_name, username=username, role=access.get("role"))


# -- device code flow (RFC 8628) against a given endpoint ---------------------------------------------
# `huggingface_hub.utils._oauth_device` builds its URLs from `constants.ENDPOINT`; these make the same
# requests against the session's endpoint, through the client's own HTTP session.


def request_device_code(endpoint: str) -> dict[str, Any]:
    """Start a browser login.

    Args:
        endpoint: The Hub URL.

    Returns:
        `{device_code, user_code, verification_uri, verification_uri_complete, interval, expires_in}`.
    """
    from huggingface_hub.utils import get_session, hf_raise_for_status

    response = get_session().post(
        f"{endpoint}/oauth/device",
        data={"client_id": constants.DEVICE_CODE_OAUTH_CLIENT_ID},
        timeout=constants.HF_HUB_DOWNLOAD_TIMEOUT,
    )
    hf_raise_for_status(response)
    info = response.json()
    info.setdefault("interval", 5)
    info.setdefault("expires_in", 900)
    if not info.get("verification_uri_complete"):
        info["verification_uri_complete"] = info["verification_uri"]
    return info


def poll_device_token_once(endpoint: str, device_code: str) -> dict[str, Any] | None:
    """One poll of the token endpoint.

    Args:
        endpoint: The Hub URL.
        device_code: From `request_device_code`.

    Returns:
        The JSON answer (a token, or an OAuth `error`), or None when inconclusive (5xx, network blip):
        as in `huggingface_hub`, those must not end the login.
    """
    from huggingface_hub.utils import get_session

    from hub_widgets.problems import http_error_kinds

    try:
        response = get_session().post(
            f"{endpoint}/oauth/token",
            data={
                "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                "device_code": device_code,
                "client_id": constants.DEVICE_CODE_OAUTH_CLIENT_ID,
            },
            timeout=constants.HF_HUB_DOWNLOAD_TIMEOUT,
        )
        if response.status_code >= 500:
            return None
        return response.json()
    except ValueError:
        return None
    except Exception as exc:
        if "HTTPError" in http_error_kinds(exc):
            return None
        raise
