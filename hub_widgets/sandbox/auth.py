"""Accounts of the sandbox Hub: users, organisations, access tokens (with a role) and access checks.

Everything is kept in the store's sqlite database, so the same data folder gives back the same users
and tokens after a restart. Of a token or a password the database keeps only a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from .store import Repo, Store, StoreError, secret_hash

ROLES = ("read", "write")  # weakest first
_PBKDF2_ROUNDS = 100_000


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
        # Users whose write tokens may drive the fault switches over HTTP; given at each start, not stored.
        self.admins: set[str] = set()

    # -- management --------------------------------------------------------------------------------

    def add_user(self, name: str, fullname: str | None = None) -> None:
        """Create (or update) a user account."""
        self.store.add_user(name, fullname, is_org=False)

    def add_token(
        self, user: str, token: str, role: str = "write", name: str | None = None, source: str = "created"
    ) -> str:
        """Register `token` for `user` (created if missing) with `role` ('write' or 'read').

        Args:
            user: The owner.
            token: The secret; only its sha256 is stored.
            role: "write" or "read".
            name: The display name `whoami` reports.
            source: "given" (listed at start), "created" or "device" (see `sync_given`).
        """
        if role not in ROLES:
            raise ValueError(f"role must be 'write' or 'read', not {role!r}")
        if not self.user_exists(user):
            self.add_user(user)
        self.store.execute(
            "INSERT OR REPLACE INTO tokens(hash, user, role, name, created, source) VALUES (?,?,?,?,?,?)",
            (secret_hash(token), user, role, name or f"{user}-{role}", time.time(), source),
        )
        return token

    def new_token(
        self, user: str, role: str = "write", name: str | None = None, source: str = "created"
    ) -> str:
        """Create a fresh random token for `user` and return it (the only time it can be seen)."""
        return self.add_token(user, self.random_token(), role, name, source)

    @staticmethod
    def random_token() -> str:
        """A new random token value (registered nowhere)."""
        return "hf_" + secrets.token_hex(17)

    def revoke(self, token: str) -> None:
        """Make `token` unusable from now on (and the refresh token issued with it)."""
        self.revoke_tokens(token)

    def revoke_tokens(
        self, token: str | None = None, *, token_id: str | None = None, user: str | None = None
    ) -> int:
        """Revoke one token (by value or by the id `tokens()` lists) or every token of `user`.

        Args:
            token: The token itself.
            token_id: The start of its hash, as listed by `tokens()` (at least 8 hex digits).
            user: Revoke all tokens (and refresh tokens) of this user.

        Returns:
            How many access tokens were revoked.
        """
        if sum(x is not None for x in (token, token_id, user)) != 1:
            raise ValueError("Give exactly one of token, token_id or user.")
        with self.store.lock:
            if token is not None:
                where, arg = "hash=?", secret_hash(token)
            elif token_id is not None:
                if len(token_id) < 8 or any(c not in "0123456789abcdef" for c in token_id.lower()):
                    raise ValueError("A token id is at least 8 hex digits (see `tokens list`).")
                rows = self.store.query(
                    "SELECT hash FROM tokens WHERE substr(hash, 1, ?)=?", (len(token_id), token_id.lower())
                )
                if len(rows) > 1:
                    raise ValueError(f"Token id {token_id} is ambiguous: give more digits.")
                where, arg = "hash=?", rows[0]["hash"] if rows else ""
            else:
                where, arg = "user=?", user
                self.store.execute("DELETE FROM refresh_tokens WHERE user=?", (user,))
            doomed = [r["hash"] for r in self.store.query(f"SELECT hash FROM tokens WHERE {where}", (arg,))]
            for digest in doomed:
                # A device login's refresh token would mint the revoked token's successor: it goes too.
                self.store.execute("DELETE FROM refresh_tokens WHERE access=?", (digest,))
                self.store.execute("DELETE FROM tokens WHERE hash=?", (digest,))
            return len(doomed)

    def tokens(self, user: str | None = None) -> list[dict[str, object]]:
        """The stored tokens (never their value): id, user, role, name, source, created."""
        sql = "SELECT hash, user, role, name, source, created FROM tokens"
        rows = self.store.query(
            sql + (" WHERE user=?" if user else "") + " ORDER BY user, created", (user,) if user else ()
        )
        return [
            {
                "id": r["hash"][:12],
                "user": r["user"],
                "role": r["role"],
                "name": r["name"],
                "source": r["source"],
                "created": r["created"],
            }
            for r in rows
        ]

    def sync_given(
        self, tokens: dict[str, tuple[str, str]] | None, passwords: dict[str, str] | None
    ) -> list[str]:
        """Apply the tokens and passwords given at this start; returns one line per thing that changed.

        A given list (even empty) replaces the earlier one: tokens given at an earlier start and not given
        now are revoked, and so are passwords. None keeps what is stored (reopening a data folder as is).
        Users always stay (with their repos), and so do tokens from logins and from `new_token`.

        Args:
            tokens: `{token: (user, role)}` given at this start, or None.
            passwords: `{user: password}` given at this start, or None.
        """
        notes = []
        with self.store.lock:
            earlier = self.store.query("SELECT hash, user FROM tokens WHERE source='given'")
            if tokens is None:
                if earlier:
                    who = ", ".join(sorted({r["user"] for r in earlier}))
                    notes.append(
                        f"Kept {len(earlier)} token(s) given at an earlier start ({who}): give users to "
                        "replace them, or revoke them with `tokens revoke`."
                    )
            else:
                wanted = {secret_hash(t) for t in tokens}
                stale = [r for r in earlier if r["hash"] not in wanted]
                for row in stale:
                    self.store.execute("DELETE FROM tokens WHERE hash=?", (row["hash"],))
                for token, (user, role) in tokens.items():
                    self.add_token(user, token, role, source="given")
                if stale:
                    who = ", ".join(sorted({r["user"] for r in stale}))
                    notes.append(
                        f"Revoked {len(stale)} token(s) given at an earlier start and not given now ({who}); "
                        "the users and their tokens from logins are kept (`tokens revoke --user NAME`)."
                    )
            if passwords is not None:
                stored = {r["user"] for r in self.store.query("SELECT user FROM passwords")}
                self.store.execute("DELETE FROM passwords")
                for user, password in passwords.items():
                    self.set_password(user, password)
                if stored - set(passwords):
                    who = ", ".join(sorted(stored - set(passwords)))
                    notes.append(f"Removed the password of {who} (not given at this start).")
        return notes

    def set_password(self, user: str, password: str) -> None:
        """Let `user` sign in on the device approval page with `password` (stored as a salted PBKDF2 hash)."""
        if not self.user_exists(user):
            self.add_user(user)
        salt = secrets.token_hex(16)
        self.store.execute(
            "INSERT OR REPLACE INTO passwords(user, salt, hash) VALUES (?,?,?)",
            (user, salt, _password_hash(password, salt)),
        )

    def check_password(self, user: str, password: str) -> bool:
        rows = self.store.query("SELECT salt, hash FROM passwords WHERE user=?", (user,))
        if not rows or not password:
            _password_hash(password or "-", "0" * 32)  # same work either way: no timing hint
            return False
        return hmac.compare_digest(_password_hash(password, rows[0]["salt"]), rows[0]["hash"])

    def is_admin(self, ident: Identity) -> bool:
        """May `ident` use the admin routes (the fault switches)? An admin user's write token."""
        return not ident.anonymous and ident.user in self.admins and ident.role == "write"

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
        rows = self.store.query("SELECT user, role, name FROM tokens WHERE hash=?", (secret_hash(token),))
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


def _password_hash(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), _PBKDF2_ROUNDS).hex()
