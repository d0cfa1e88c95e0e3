"""Accounts of the sandbox Hub: users, organisations, access tokens (with a role) and access checks.

Everything is kept in the store's sqlite database, so the same data folder gives back the same users
and tokens after a restart. Of a token or a password the database keeps only a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

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
        self.store.put_token(secret_hash(token), user, role, name or f"{user}-{role}", source)
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
                doomed = [secret_hash(token)] if self.store.token(secret_hash(token)) is not None else []
            elif token_id is not None:
                if len(token_id) < 8 or any(c not in "0123456789abcdef" for c in token_id.lower()):
                    raise ValueError("A token id is at least 8 hex digits (see `tokens list`).")
                rows = self.store.token_hashes(prefix=token_id.lower())
                if len(rows) > 1:
                    raise ValueError(f"Token id {token_id} is ambiguous: give more digits.")
                doomed = [r["hash"] for r in rows]
            else:
                self.store.delete_refresh_tokens_of(user)  # type: ignore[arg-type]
                doomed = [r["hash"] for r in self.store.token_hashes(user=user)]
            for digest in doomed:
                # A device login's refresh token would mint the revoked token's successor: it goes too.
                self.store.delete_token(digest)
            return len(doomed)

    def tokens(self, user: str | None = None) -> list[dict[str, object]]:
        """The stored tokens (never their value): id, user, role, name, source, created."""
        rows = self.store.token_rows(user)
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
            earlier = self.store.token_hashes(source="given")
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
                    self.store.delete_token(row["hash"])
                for token, (user, role) in tokens.items():
                    self.add_token(user, token, role, source="given")
                if stale:
                    who = ", ".join(sorted({r["user"] for r in stale}))
                    notes.append(
                        f"Revoked {len(stale)} token(s) given at an earlier start and not given now ({who}); "
                        "the users and their tokens from logins are kept (`tokens revoke --user NAME`)."
                    )
            if passwords is not None:
                stored = self.store.clear_passwords()
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
        self.store.put_password(user, salt, _password_hash(password, salt))

    def check_password(self, user: str, password: str) -> bool:
        row = self.store.password(user)
        if row is None or not password:
            _password_hash(password or "-", "0" * 32)  # same work either way: no timing hint
            return False
        return hmac.compare_digest(_password_hash(password, row["salt"]), row["hash"])

    def is_admin(self, ident: Identity) -> bool:
        """May `ident` use the admin routes (the fault switches)? An admin user's write token."""
        return not ident.anonymous and ident.user in self.admins and ident.role == "write"

    def add_org(
        self, org: str, members: list[str] | tuple[str, ...] = (), fullname: str | None = None
    ) -> None:
        """Create organisation `org` (if missing) and add `members` to it (users are created if missing).

        Args:
            org: Its name.
            members: User names.
            fullname: Its display name (`whoami` shows it); an existing org keeps its own if None.
        """
        if not (self.is_org(org) or self.user_exists(org)):
            self.store.add_user(org, fullname or org, is_org=True)
        elif fullname:
            self.set_fullname(org, fullname)
        for member in members:
            if not self.user_exists(member):
                self.add_user(member)
            self.store.add_member(org, member)

    def set_fullname(self, name: str, fullname: str) -> None:
        """Set the display name of user or organisation `name` (what `whoami` and likers show).

        Raises:
            ValueError: There is no such account, or the name is empty.
        """
        if not fullname.strip():
            raise ValueError(f"The full name of {name} is empty.")
        if not self.store.set_fullname(name, fullname.strip()):
            raise ValueError(f"No user or organisation called {name!r}.")

    # -- queries -----------------------------------------------------------------------------------

    def user_exists(self, name: str) -> bool:
        return self.store.account_exists(name, is_org=False)

    def is_org(self, name: str) -> bool:
        return self.store.account_exists(name, is_org=True)

    def users(self) -> list[str]:
        return self.store.user_names()

    def fullname(self, name: str) -> str:
        return self.store.fullname(name, default=name)

    def orgs_of(self, user: str) -> list[str]:
        return self.store.orgs_of(user)

    def identify(self, token: str | None) -> Identity | None:
        """The identity behind `token`; ANONYMOUS for no token, None for an unknown token."""
        if not token:
            return ANONYMOUS
        row = self.store.token(secret_hash(token))
        if row is None:
            return None
        return Identity(row["user"], row["role"], row["name"])

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

    def is_writer(self, ident: Identity, repo: Repo) -> bool:
        """Whether `ident` may write to `repo`."""
        try:
            self.check_write(ident, repo, repo.id)
        except StoreError:
            return False
        return True

    def check_contribute(self, ident: Identity, repo: Repo | None, repo_id: str) -> Repo:
        """The repo if `ident` may open a pull request on it: any write token that can read it."""
        return self._check_write_token(
            ident,
            self.check_read(ident, repo, repo_id),
            "You must be authenticated to open a pull request.",
            "This token has the 'read' role: it cannot write. Use a token with the 'write' role.",
        )

    def check_discuss(self, ident: Identity, repo: Repo | None, repo_id: str, opening: bool = True) -> Repo:
        """The repo if `ident` may open a discussion on it (`opening`) or act on one: a write token
        that can read it; 404 if it may not see it, 401/403 otherwise."""
        repo = self.check_read(ident, repo, repo_id)
        if not opening:
            return self._check_write_token(ident, repo, *["A write token is needed for this."] * 2)
        return self._check_write_token(
            ident,
            repo,
            "You must be authenticated to open a discussion.",
            "This token has the 'read' role: it cannot open discussions or pull requests.",
        )

    @staticmethod
    def _check_write_token(ident: Identity, repo: Repo, anonymous: str, read_only: str) -> Repo:
        """`repo` if `ident` holds a write token: 401 (`anonymous`) without a token, 403 (`read_only`)
        with a read token."""
        if ident.anonymous:
            raise StoreError(401, anonymous)
        if ident.role != "write":
            raise StoreError(403, read_only)
        return repo

    def can_read_files(self, ident: Identity, repo: Repo) -> bool:
        """Whether `ident` may download the files of `repo` (read access; owners only for a gated repo)."""
        if not self.can_read(ident, repo):
            return False
        return not repo.gated or repo.namespace in self.namespaces(ident)

    def check_gate(self, ident: Identity, repo: Repo, repo_url: str | None = None) -> None:
        """Files of a gated repo are for its owners only here (the sandbox has no access requests).

        As on the Hub: 401 with the log-in message for anonymous callers, 403 "not in the authorized
        list" (pointing at the repo page, `repo_url`) for a token without access; both GatedRepo.
        """
        if not repo.gated or repo.namespace in self.namespaces(ident):
            return
        if ident.anonymous:
            raise StoreError(
                401,
                f"Access to {repo.type} {repo.id} is restricted. You must have access to it and be "
                "authenticated to access it. Please log in.",
                "GatedRepo",
            )
        visit = f" Visit {repo_url} to ask for access." if repo_url else ""
        raise StoreError(
            403,
            f"Access to {repo.type} {repo.id} is restricted and you are not in the authorized list.{visit}",
            "GatedRepo",
        )

    def check_pr_push(self, ident: Identity, repo: Repo, revision: str) -> None:
        """A commit onto an existing pull request's ref: its author or a repo writer only, as on the Hub."""
        match = re.fullmatch(r"refs/pr/(\d+)", revision)
        if not match:
            return
        num = int(match.group(1))
        row = self.store.discussion(repo, num)
        if row is None or row["author"] == ident.user or self.is_writer(ident, repo):
            return  # an unknown ref gets the commit's own 404
        raise StoreError(
            403,
            f"Only the author of pull request #{num} or a user with write access to {repo.id} "
            f"can push to refs/pr/{num}.",
        )

    def check_discussion_edit(self, ident: Identity, repo: Repo, row: Any, what: str) -> None:
        """Only a discussion's author or a repo writer may change its `what` (title, status)."""
        if row["author"] != ident.user and not self.is_writer(ident, repo):
            raise StoreError(
                403,
                f"Only the author of discussion #{row['num']} or a user with write access to {repo.id} "
                f"can change its {what}.",
            )

    def check_comment_change(self, ident: Identity, repo: Repo, comment: dict[str, Any], action: str) -> None:
        """As on the Hub: only a comment's author may edit it; its author or a repo writer may hide it."""
        author = (comment.get("author") or {}).get("name")
        if author == ident.user or (action == "hide" and self.is_writer(ident, repo)):
            return
        who = "its author" if action == "edit" else "its author or a user with write access to " + repo.id
        raise StoreError(403, f"Only {who} can {action} this comment.")


def _password_hash(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), _PBKDF2_ROUNDS).hex()
