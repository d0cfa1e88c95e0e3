"""Accounts of the sandbox Hub: users, organisations, access tokens (with a role) and access checks.

Everything is kept in the store's sqlite database, so the same data folder gives back the same users
and tokens after a restart.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from .store import Repo, Store, StoreError


@dataclass(frozen=True)
class Identity:
    """Who is calling: a user name and the role + display name of the token used (or anonymous)."""

    user: str | None
    role: str | None = None
    token_name: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.user is None


ANONYMOUS = Identity(None)


class Accounts:
    """Users, organisations and tokens.

    Args:
        store: The store whose sqlite database holds the accounts.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- management --------------------------------------------------------------------------------

    def add_user(self, name: str, fullname: str | None = None) -> None:
        """Create (or update) a user account."""
        self.store.add_user(name, fullname, is_org=False)

    def add_token(self, user: str, token: str, role: str = "write", name: str | None = None) -> str:
        """Register `token` for `user` (created if missing) with `role` ('write' or 'read')."""
        if role not in ("write", "read"):
            raise ValueError(f"role must be 'write' or 'read', not {role!r}")
        if not self.user_exists(user):
            self.add_user(user)
        self.store.execute(
            "INSERT OR REPLACE INTO tokens(token, user, role, name, created) VALUES (?,?,?,?,?)",
            (token, user, role, name or f"{user}-{role}", time.time()),
        )
        return token

    def new_token(self, user: str, role: str = "write", name: str | None = None) -> str:
        """Create a fresh random token for `user` and return it."""
        return self.add_token(user, "hf_" + secrets.token_hex(17), role, name)

    def revoke(self, token: str) -> None:
        """Make `token` unusable from now on."""
        self.store.execute("DELETE FROM tokens WHERE token=?", (token,))

    def add_org(self, org: str, members: list[str] | tuple[str, ...] = ()) -> None:
        """Create organisation `org` (if missing) and add `members` to it (users are created if missing)."""
        self.store.add_user(org, org, is_org=True)
        for member in members:
            if not self.user_exists(member):
                self.add_user(member)
            self.store.execute("INSERT OR IGNORE INTO members(org, user) VALUES (?,?)", (org, member))

    # -- queries -----------------------------------------------------------------------------------

    def user_exists(self, name: str) -> bool:
        return bool(self.store.query("SELECT 1 FROM users WHERE name=? AND is_org=0", (name,)))

    def is_org(self, name: str) -> bool:
        return bool(self.store.query("SELECT 1 FROM users WHERE name=? AND is_org=1", (name,)))

    def users(self) -> list[str]:
        return [r["name"] for r in self.store.query("SELECT name FROM users WHERE is_org=0 ORDER BY name")]

    def fullname(self, name: str) -> str:
        rows = self.store.query("SELECT fullname FROM users WHERE name=?", (name,))
        return rows[0]["fullname"] if rows else name

    def orgs_of(self, user: str) -> list[str]:
        return [
            r["org"] for r in self.store.query("SELECT org FROM members WHERE user=? ORDER BY org", (user,))
        ]

    def identify(self, token: str | None) -> Identity | None:
        """The identity behind `token`; ANONYMOUS for no token, None for an unknown token."""
        if not token:
            return ANONYMOUS
        rows = self.store.query("SELECT user, role, name FROM tokens WHERE token=?", (token,))
        if not rows:
            return None
        return Identity(rows[0]["user"], rows[0]["role"], rows[0]["name"])

    def namespaces(self, ident: Identity) -> set[str]:
        """Namespaces whose private repos `ident` may see: the user and their organisations."""
        if ident.anonymous:
            return set()
        return {ident.user, *self.orgs_of(ident.user)}  # type: ignore[arg-type]

    # -- access checks -----------------------------------------------------------------------------

    def can_read(self, ident: Identity, repo: Repo) -> bool:
        return not repo.private or repo.namespace in self.namespaces(ident)

    def check_read(self, ident: Identity, repo: Repo | None, repo_id: str) -> Repo:
        """The repo if `ident` may read it; a 404 RepoNotFound otherwise (never revealing a private repo)."""
        if repo is None or not self.can_read(ident, repo):
            raise StoreError(
                404,
                f"Repository Not Found for {repo_id}. If the repo is private, make sure you are authenticated.",
                "RepoNotFound",
            )
        return repo

    def check_write_namespace(self, ident: Identity, namespace: str) -> None:
        """Raise unless `ident` may write in `namespace` (its own name or one of its orgs, with a write token)."""
        if ident.anonymous:
            raise StoreError(401, "You must be authenticated to do this: pass a token with write access.")
        if namespace not in self.namespaces(ident):
            raise StoreError(403, f"You don't have the rights to write in the namespace {namespace!r}.")
        if ident.role != "write":
            raise StoreError(
                403,
                "This token has the 'read' role: it cannot write. Use a token with the 'write' role.",
            )

    def check_write(self, ident: Identity, repo: Repo | None, repo_id: str) -> Repo:
        """The repo if `ident` may write to it; 404 if it may not even see it, 401/403 otherwise."""
        repo = self.check_read(ident, repo, repo_id)
        self.check_write_namespace(ident, repo.namespace)
        return repo
