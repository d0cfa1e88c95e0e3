"""The account rows of the store: users, organisation members, tokens, refresh tokens, passwords.

Only hashes of secrets reach these tables (see `schema.secret_hash`). The rules (roles, what a given
list replaces, who may read what) live in `sandbox.auth`; here are the statements.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable


class AccountRows:
    """Mixed into `Store`: the SQL of the account tables (uses the store's `db`, `lock`, `query`)."""

    db: sqlite3.Connection
    lock: threading.RLock
    query: Callable[..., list[sqlite3.Row]]
    execute: Callable[..., None]

    # -- users and organisations --------------------------------------------------------------------

    def add_user(self, name: str, fullname: str | None = None, is_org: bool = False) -> None:
        self.execute(
            "INSERT INTO users(name, fullname, is_org) VALUES (?,?,?) ON CONFLICT(name) DO UPDATE SET "
            "fullname=excluded.fullname",
            (name, fullname or name.title(), int(is_org)),
        )

    def set_fullname(self, name: str, fullname: str) -> bool:
        """Set an account's display name; False if there is no such account."""
        with self.lock:
            cur = self.db.execute("UPDATE users SET fullname=? WHERE name=?", (fullname, name))
            return cur.rowcount > 0

    def account_exists(self, name: str, is_org: bool) -> bool:
        return bool(self.query("SELECT 1 FROM users WHERE name=? AND is_org=?", (name, int(is_org))))

    def user_names(self) -> list[str]:
        return [r["name"] for r in self.query("SELECT name FROM users WHERE is_org=0 ORDER BY name")]

    def fullname(self, name: str, default: str) -> str:
        rows = self.query("SELECT fullname FROM users WHERE name=?", (name,))
        return rows[0]["fullname"] if rows else default

    def add_member(self, org: str, user: str) -> None:
        self.execute("INSERT OR IGNORE INTO members(org, user) VALUES (?,?)", (org, user))

    def orgs_of(self, user: str) -> list[str]:
        return [r["org"] for r in self.query("SELECT org FROM members WHERE user=? ORDER BY org", (user,))]

    # -- access tokens ------------------------------------------------------------------------------

    def put_token(self, digest: str, user: str, role: str, name: str, source: str) -> None:
        self.execute(
            "INSERT OR REPLACE INTO tokens(hash, user, role, name, created, source) VALUES (?,?,?,?,?,?)",
            (digest, user, role, name, time.time(), source),
        )

    def token(self, digest: str) -> sqlite3.Row | None:
        """(user, role, name) of the token with hash `digest`, or None."""
        rows = self.query("SELECT user, role, name FROM tokens WHERE hash=?", (digest,))
        return rows[0] if rows else None

    def token_hashes(
        self, *, prefix: str | None = None, user: str | None = None, source: str | None = None
    ) -> list[sqlite3.Row]:
        """(hash, user) of the tokens whose hash starts with `prefix`, of `user` or of `source`."""
        if prefix is not None:
            return self.query(
                "SELECT hash, user FROM tokens WHERE substr(hash, 1, ?)=?", (len(prefix), prefix)
            )
        if user is not None:
            return self.query("SELECT hash, user FROM tokens WHERE user=?", (user,))
        return self.query("SELECT hash, user FROM tokens WHERE source=?", (source,))

    def token_rows(self, user: str | None = None) -> list[sqlite3.Row]:
        """Every stored token (hash, user, role, name, source, created), by user then age."""
        sql = "SELECT hash, user, role, name, source, created FROM tokens"
        if user:
            return self.query(sql + " WHERE user=? ORDER BY user, created", (user,))
        return self.query(sql + " ORDER BY user, created")

    def delete_token(self, digest: str) -> None:
        """Forget an access token and the refresh tokens issued with it (they would mint its successor)."""
        with self.lock:
            self.db.execute("DELETE FROM refresh_tokens WHERE access=?", (digest,))
            self.db.execute("DELETE FROM tokens WHERE hash=?", (digest,))

    # -- refresh tokens (device logins) -------------------------------------------------------------

    def put_refresh_token(self, digest: str, user: str, role: str, access_digest: str) -> None:
        self.execute(
            "INSERT INTO refresh_tokens(hash, user, role, created, access) VALUES (?,?,?,?,?)",
            (digest, user, role, time.time(), access_digest),
        )

    def take_refresh_token(self, digest: str) -> sqlite3.Row | None:
        """(user, role) of a refresh token, which is used up by this call; None if unknown."""
        with self.lock:
            row = self.db.execute("SELECT user, role FROM refresh_tokens WHERE hash=?", (digest,)).fetchone()
            if row is not None:
                self.db.execute("DELETE FROM refresh_tokens WHERE hash=?", (digest,))
            return row

    def delete_refresh_tokens_of(self, user: str) -> None:
        self.execute("DELETE FROM refresh_tokens WHERE user=?", (user,))

    # -- passwords ----------------------------------------------------------------------------------

    def put_password(self, user: str, salt: str, digest: str) -> None:
        self.execute(
            "INSERT OR REPLACE INTO passwords(user, salt, hash) VALUES (?,?,?)", (user, salt, digest)
        )

    def password(self, user: str) -> sqlite3.Row | None:
        """(salt, hash) of `user`'s password, or None."""
        rows = self.query("SELECT salt, hash FROM passwords WHERE user=?", (user,))
        return rows[0] if rows else None

    def clear_passwords(self) -> set[str]:
        """Remove every password; returns the users who had one."""
        with self.lock:
            users = {r["user"] for r in self.db.execute("SELECT user FROM passwords").fetchall()}
            self.db.execute("DELETE FROM passwords")
            return users
