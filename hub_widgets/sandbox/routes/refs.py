"""Routes of refs: the refs listing, branches and tags."""

from __future__ import annotations

from typing import Any

from .. import validation
from ..http.base import REPO, SEG, BaseHandler, Route, truthy
from ..store import StoreError
from ..validation import Invalid


class RefsHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str) -> None:
        repo = self.readable(kind, namespace, name)
        data: dict[str, Any] = {"branches": [], "tags": [], "converts": []}
        prs = []
        for row in self.store.refs(repo):
            if row["kind"] == "branch":
                data["branches"].append(
                    {"name": row["name"], "ref": f"refs/heads/{row['name']}", "targetCommit": row["target"]}
                )
            elif row["kind"] == "tag":
                data["tags"].append(
                    {"name": row["name"], "ref": f"refs/tags/{row['name']}", "targetCommit": row["target"]}
                )
            elif row["kind"] == "pr":
                prs.append(
                    {
                        "name": f"refs/pr/{row['name']}",
                        "ref": f"refs/pr/{row['name']}",
                        "targetCommit": row["target"],
                    }
                )
        if truthy(self.arg("include_prs")):
            data["pullRequests"] = sorted(prs, key=lambda p: int(p["name"].rsplit("/", 1)[1]))
        self.send_json(data)


def _ref_name(name: Any, what: str) -> str:
    try:
        return validation.check_ref_name(name, what)
    except Invalid as exc:
        raise StoreError(400, str(exc)) from None


class BranchHandler(BaseHandler):
    def precheck(self) -> None:
        self.writable(*self.path_args[:3])

    def do_post(self, kind: str, namespace: str, name: str, branch: str) -> None:
        repo = self.writable(kind, namespace, name)
        _ref_name(branch, "branch")
        body = self.json_body()
        starting_point = body.get("startingPoint") or "main"
        if not isinstance(starting_point, str):
            raise StoreError(400, "Invalid startingPoint: expected a revision (string).")
        start, _ = self.store.resolve(repo, starting_point)
        if not self.store.create_ref(repo, "branch", branch, start):
            raise StoreError(409, f"Reference refs/heads/{branch} already exists")
        self.send_json({})

    def do_delete(self, kind: str, namespace: str, name: str, branch: str) -> None:
        repo = self.writable(kind, namespace, name)
        if branch == "main":
            raise StoreError(403, "Cannot delete refs/heads/main")
        if not self.store.delete_ref(repo, "branch", branch):
            raise StoreError(404, f"Invalid rev id: {branch}", "RevisionNotFound")
        self.send_json({})


class TagHandler(BaseHandler):
    def precheck(self) -> None:
        self.writable(*self.path_args[:3])

    def do_post(self, kind: str, namespace: str, name: str, revision: str) -> None:
        repo = self.writable(kind, namespace, name)
        body = self.json_body()
        # The revision is checked first, as on the Hub: an unknown one is a 404 whatever the tag name.
        commit, _ = self.store.resolve(repo, revision)
        tag = _ref_name(body.get("tag"), "tag")
        if not self.store.create_ref(repo, "tag", tag, commit):
            raise StoreError(409, f"Tag {tag!r} already exists.")
        self.send_json({})

    def do_delete(self, kind: str, namespace: str, name: str, tag: str) -> None:
        repo = self.writable(kind, namespace, name)
        if not self.store.delete_ref(repo, "tag", tag):
            raise StoreError(404, f"Invalid rev id: {tag}", "RevisionNotFound")
        self.send_json({})


class SuperSquashHandler(BaseHandler):
    """`HfApi.super_squash_history`: the branch's history becomes one commit with the same files."""

    def precheck(self) -> None:
        self.writable(*self.path_args[:3])

    def do_post(self, kind: str, namespace: str, name: str, branch: str) -> None:
        repo = self.writable(kind, namespace, name)
        body = self.json_body()
        try:
            message = validation.check_text(
                body.get("message") or f"Super-squash branch '{branch}'",
                "message",
                validation.MAX_MESSAGE_LENGTH,
            ).strip()
        except Invalid as exc:
            raise StoreError(400, str(exc)) from None
        ref = branch[len("refs/heads/") :] if branch.startswith("refs/heads/") else branch
        commit = self.store.squash(repo, ref, message or "Super-squash", self.ident.user or "")
        self.send_json({"commitId": commit})


ROUTES: list[Route] = [
    (rf"{REPO}/super-squash/{SEG}", SuperSquashHandler),
    (rf"{REPO}/refs", RefsHandler),
    (rf"{REPO}/branch/{SEG}", BranchHandler),
    (rf"{REPO}/tag/{SEG}", TagHandler),
]
