"""Routes of repo ids without a namespace ('gpt2', 'squad'): answered as the Hub answers an unknown repo.

On huggingface.co such ids name a few legacy repos; here every repo id is 'namespace/name', so no such
repo exists. Any call on one still gets the Hub's answer for a repo the caller cannot see (404
RepoNotFound, 401 for an anonymous caller, both with X-Error-Code), not a route 404: the client then
raises `RepositoryNotFoundError`, and `file_exists` / `revision_exists` raise instead of saying False.
"""

from __future__ import annotations

from ..auth import Accounts, Identity
from ..http.base import PREFIXED, BaseHandler, Route, T
from ..store import StoreError


def no_such_repo(accounts: Accounts, ident: Identity, name: str) -> StoreError:
    """The Hub's answer to a call on the namespace-less id `name`: 401 anonymous, 404 otherwise.

    Args:
        accounts: The sandbox's accounts.
        ident: The caller.
        name: The id as given.
    """
    if ident.anonymous:
        return StoreError(401, "Repository not found", "RepoNotFound")
    try:
        accounts.check_read(ident, None, name)
    except StoreError as exc:
        return exc
    raise AssertionError("unreachable: no repo was given")


class NoNamespaceHandler(BaseHandler):
    """Any method on `/api/{type}s/{name}[/...]` or `/{name}/resolve/...`."""

    def do_any(self, kind: str | None, name: str) -> None:
        raise no_such_repo(self.accounts, self.ident, name)

    do_get = do_head = do_post = do_put = do_delete = do_patch = do_any


ROUTES: list[Route] = [
    (rf"/api/{T}/([^/]+)(?:/.*)?", NoNamespaceHandler),
    (rf"/{PREFIXED}([^/]+)/resolve/.*", NoNamespaceHandler),
]
