"""Routes of likes: like / unlike a repo, its likers, the repos a user liked (`HfApi.like`, ...)."""

from __future__ import annotations

from ..http.base import REPO, BaseHandler, Route, T, ts
from ..store import StoreError
from .nonamespace import no_such_repo
from .repos import RepoInfoHandler


class LikeHandler(RepoInfoHandler):
    """POST / DELETE `/api/{type}s/{id}/like`.

    The pattern also takes `/api/{type}s/{name}/like` (a namespace-less id, which names no repo here):
    a GET there is the repo info of a repo called `{name}/like`, as the repo info route would answer.
    """

    def do_get(self, kind: str, namespace: str | None, name: str, revision: str | None = None) -> None:
        if namespace is None:
            return super().do_get(kind, name, "like")
        raise StoreError(405, f"Method GET not allowed on {self.request.path}.")

    def _like(self, kind: str, namespace: str | None, name: str, liked: bool) -> None:
        if namespace is None:
            raise no_such_repo(self.accounts, self.ident, name)
        self.require_token("like a repo")
        repo = self.readable(kind, namespace, name)
        self.store.set_like(self.ident.user or "", repo, liked)
        self.send_json({})

    def do_post(self, kind: str, namespace: str | None, name: str) -> None:
        self._like(kind, namespace, name, True)

    def do_delete(self, kind: str, namespace: str | None, name: str) -> None:
        self._like(kind, namespace, name, False)


class LikersHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str) -> None:
        repo = self.readable(kind, namespace, name)
        self.send_json(
            [
                {"type": "user", "user": row["user"], "fullname": row["fullname"], "avatarUrl": ""}
                for row in self.store.likers(repo)
            ]
        )


class UserLikesHandler(BaseHandler):
    def do_get(self, user: str) -> None:
        if not self.accounts.user_exists(user):
            raise StoreError(404, f"User {user} not found.")
        items = []
        for rowid, created in self.store.liked_by(user):
            repo = self.store.get_repo_by_rowid(rowid)
            if repo is None or not self.accounts.can_read(self.ident, repo):
                continue  # a private repo stays unseen by those who cannot read it
            items.append({"createdAt": ts(created), "repo": {"name": repo.id, "type": repo.type}})
        self.send_json(items)


ROUTES: list[Route] = [
    (rf"/api/{T}/(?:([^/]+)/)?([^/]+)/like", LikeHandler),
    (rf"{REPO}/likers", LikersHandler),
    (r"/api/users/([^/]+)/likes", UserLikesHandler),
]
