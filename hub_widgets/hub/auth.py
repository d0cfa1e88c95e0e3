"""Who the token is; logging in with a pasted token or the browser (device code); switching; logging out.

Blocking functions taking a session: run them in a worker (`session.submit`). Tokens are saved exactly
where `huggingface_hub` keeps them (see `hub_widgets.auth_state`), so every other tool sees the login.
"""

from __future__ import annotations

import time
from typing import Any

from hub_widgets.auth_state import (
    SOURCE_NONE,
    LoginResult,
    TokenOrigin,
    poll_device_token_once,
    request_device_code,
    token_origin,
    validate_and_save,
)

__all__ = [
    "finish_device_login",
    "login_with_token",
    "logout",
    "namespaces",
    "poll_device_token",
    "read_state",
    "start_device_login",
    "switch",
    "text_login",
    "whoami",
]


def whoami(session: Any, refresh: bool = False) -> dict | None:
    """The Hub's whoami answer for the session's token (cached per token), or None when logged out.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        refresh: Ask the Hub again instead of using the cached answer.

    Raises:
        huggingface_hub errors: an invalid token (401) or an unreachable Hub.
    """
    return session.whoami(refresh=refresh) if session.has_token else None


def namespaces(session: Any) -> list[str]:
    """The user's name followed by their organisations' names ([] when logged out).

    Args:
        session: The `HubSession` (or a widget's scope of it).
    """
    return session.namespaces()


def read_state(session: Any) -> tuple[TokenOrigin, dict | None]:
    """Where the session's token comes from, and who it belongs to (asked afresh).

    Args:
        session: The `HubSession` (or a widget's scope of it).

    Returns:
        `(origin, whoami)`; `whoami` is None when there is no token.
    """
    origin = token_origin(session.api.token)
    info = session.whoami(refresh=True) if origin.source != SOURCE_NONE else None
    return origin, info


def login_with_token(session: Any, token: str, *, add_to_git_credential: bool = False) -> LoginResult:
    """Check a pasted token with the session's Hub, then save it as the active login.

    Args:
        session: The `HubSession` whose endpoint checks the token.
        token: A personal access token.
        add_to_git_credential: Also store it in the configured git credential helpers.

    Raises:
        ValidationError: an organisation token or an empty string.
        huggingface_hub errors: an invalid token (401) or an unreachable Hub.
    """
    return validate_and_save(session.api, token, add_to_git_credential=add_to_git_credential)


def start_device_login(session: Any) -> dict[str, Any]:
    """Ask the session's Hub for a browser login code (OAuth device flow, RFC 8628).

    Args:
        session: The `HubSession` whose endpoint issues the code.

    Returns:
        `{device_code, user_code, verification_uri, verification_uri_complete, interval, expires_in}`.
    """
    return request_device_code(session.endpoint)


def poll_device_token(session: Any, device_code: str) -> dict[str, Any] | None:
    """One poll for the browser approval.

    Args:
        session: The `HubSession` that issued the code.
        device_code: From `start_device_login`.

    Returns:
        The token answer, an OAuth `error`, or None when inconclusive (a 5xx, a network blip).
    """
    return poll_device_token_once(session.endpoint, device_code)


def finish_device_login(session: Any, answer: dict[str, Any]) -> LoginResult:
    """Check and save the token an approved browser login returned (with its refresh token and expiry).

    Args:
        session: The `HubSession` that issued the code.
        answer: The poll's answer holding `access_token` (and maybe `refresh_token`, `expires_in`).
    """
    expires_in = answer.get("expires_in")
    return validate_and_save(
        session.api,
        answer["access_token"],
        refresh_token=answer.get("refresh_token"),
        expires_at=int(time.time()) + int(expires_in) if expires_in else None,
    )


def switch(token_name: str) -> None:
    """Make the stored token `token_name` the active login (`huggingface_hub.auth_switch`).

    Args:
        token_name: A name in the stored tokens file.
    """
    from huggingface_hub import auth_switch

    auth_switch(token_name)


def logout(token_name: str | None) -> bool:
    """Remove one stored login, or all of them (`huggingface_hub.logout`).

    Args:
        token_name: The stored token to remove; None removes every stored token.

    Returns:
        False when the stored logins are gone but the HF_TOKEN variable or a Colab secret still logs in.
    """
    from huggingface_hub import logout as hf_logout

    try:
        hf_logout(token_name=token_name)
    except OSError:  # huggingface_hub removed the stored tokens but cannot unset an environment token
        return False
    return True


def text_login() -> None:
    """Log in from a terminal: `huggingface_hub.interpreter_login` (asks for a token on stdin)."""
    from huggingface_hub import interpreter_login

    interpreter_login()
