"""Pure helpers behind the login widget: masking, roles, expiry, token checks, token origin."""

from __future__ import annotations

import pytest

from hub_widgets.auth_state import (
    SOURCE_ENV,
    SOURCE_FILE,
    SOURCE_NONE,
    SOURCE_PINNED,
    check_personal_token,
    describe_role,
    format_expiry,
    mask_token,
    save_login,
    stored_tokens,
    token_origin,
)
from hub_widgets.errors import ValidationError
from tests.conftest import ALICE, BOB


def test_mask_token_shows_prefix_and_last_four_only():
    assert mask_token("hf_abcdefghijklmnopqrstuvwxyzAB12") == "hf_…AB12"
    assert mask_token("short") == "…"
    assert mask_token(None) == ""


def test_roles_are_named_as_on_the_hub():
    assert describe_role("read") == "read"
    assert describe_role("write") == "write"
    assert describe_role("fineGrained") == "fine-grained"
    assert describe_role(None) == "unknown"


def test_format_expiry():
    now = 1_800_000_000
    assert "(in 8 h)" in format_expiry(now + 8 * 3600 + 5, now=now)
    assert "(in 8 h)" in format_expiry(now + 8 * 3600 - 1, now=now)  # read a second after login
    assert "(in 1 h)" in format_expiry(now + 3599, now=now)
    assert "(in 1 day)" not in format_expiry(now + 47 * 3600, now=now)
    assert "(in 2 days)" in format_expiry(now + 2 * 86400 - 60, now=now)
    assert "(in 5 min)" in format_expiry(now + 300, now=now)
    assert "(in 30 days)" in format_expiry(now + 30 * 86400, now=now)
    assert "(expired)" in format_expiry(now - 1, now=now)
    assert format_expiry(None) == "no expiry recorded"


@pytest.mark.parametrize("token, words", [("", "Paste"), ("api_org_abcdef", "organisation token")])
def test_check_personal_token_refuses(token, words):
    with pytest.raises(ValidationError, match=words):
        check_personal_token(token)


def test_token_origin(monkeypatch):
    assert token_origin(None).source == SOURCE_NONE
    save_login(BOB, "bob-token", expires_at=1_900_000_000, refresh_token="rt")
    save_login(ALICE, "alice-token")
    origin = token_origin(ALICE)
    assert origin.source == SOURCE_FILE
    assert origin.stored_name == "alice-token"
    assert not origin.env_overrides_stored
    bob = next(t for t in stored_tokens() if t.name == "bob-token")
    assert (bob.expires_at, bob.refreshable, bob.masked) == (1_900_000_000, True, mask_token(BOB))
    assert token_origin(BOB).source == SOURCE_PINNED  # not what huggingface_hub would pick
    monkeypatch.setenv("HF_TOKEN", BOB)
    origin = token_origin(BOB)
    assert origin.source == SOURCE_ENV and origin.env_overrides_stored
    # Nothing returned holds a token.
    assert ALICE not in repr(origin) and BOB not in repr(origin)
