"""Routes of discussions and pull requests: list, open, read, delete, comment, rename, close, merge."""

from __future__ import annotations

import json
from typing import Any

from ..http.base import REPO, BaseHandler, Route, ts
from ..store import Repo, StoreError, now_iso


def discussion_json(handler: BaseHandler, repo: Repo, row: Any) -> dict[str, Any]:
    return {
        "num": row["num"],
        "title": row["title"],
        "status": row["status"],
        "createdAt": ts(row["created_at"]),
        "author": {"name": row["author"], "type": "user"},
        "repo": {"name": repo.id, "type": repo.type},
        "isPullRequest": bool(row["is_pr"]),
        "numComments": sum(1 for e in json.loads(row["events"]) if e["type"] == "comment"),
        "pinned": False,
        "topReactions": [],
    }


class DiscussionsHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str) -> None:
        repo = self.readable(kind, namespace, name)
        rows = self.store.discussions(repo)
        kind_filter, status, author = self.arg("type"), self.arg("status"), self.arg("author")
        if kind_filter in ("pull_request", "discussion"):
            rows = [r for r in rows if bool(r["is_pr"]) == (kind_filter == "pull_request")]
        if status in ("open", "closed", "merged", "draft"):
            rows = [r for r in rows if r["status"] == status]
        if author:
            rows = [r for r in rows if r["author"] == author]
        page = int(self.arg("p") or 0)
        size = 50
        items = [discussion_json(self, repo, r) for r in rows[page * size : (page + 1) * size]]
        closed = sum(1 for r in rows if r["status"] != "open")
        self.send_json(
            {"discussions": items, "count": len(rows), "start": page * size, "numClosedDiscussions": closed}
        )

    def do_post(self, kind: str, namespace: str, name: str) -> None:
        repo = self.accounts.check_discuss(self.ident, *self.lookup(kind, namespace, name))
        body = self.json_body()
        title = str(body.get("title") or "").strip()
        if not title:
            raise StoreError(400, "A discussion needs a title.")
        is_pr = bool(body.get("pullRequest"))
        num = self.store.create_discussion(
            repo, title, str(body.get("description") or ""), self.ident.user or "", is_pr
        )
        self.send_json({"num": num, "url": f"{self.repo_url(repo)}/discussions/{num}", "pullRequest": is_pr})


class DiscussionHandler(BaseHandler):
    def do_get(self, kind: str, namespace: str, name: str, num: str) -> None:
        repo = self.readable(kind, namespace, name)
        row = self.store.discussion(repo, int(num))
        if row is None:
            raise StoreError(404, f"Discussion {num} not found.")
        data = discussion_json(self, repo, row)
        data["events"] = json.loads(row["events"])
        if row["is_pr"]:
            changes: dict[str, Any] = {"base": f"refs/heads/{row['base']}"}
            if row["merge_commit"]:
                changes["mergeCommitId"] = row["merge_commit"]
            data["changes"] = changes
            data["filesWithConflicts"] = []
            data["diff"] = ""
        self.send_json(data)

    def do_delete(self, kind: str, namespace: str, name: str, num: str) -> None:
        repo = self.writable(kind, namespace, name)
        self.store.delete_discussion(repo, int(num))
        self.send_json({})


class DiscussionActionHandler(BaseHandler):
    def do_post(self, kind: str, namespace: str, name: str, num: str, action: str) -> None:
        repo, repo_id = self.lookup(kind, namespace, name)
        repo = self.accounts.check_discuss(self.ident, repo, repo_id, opening=False)
        number = int(num)
        row = self.store.discussion(repo, number)
        if row is None:
            raise StoreError(404, f"Discussion {num} not found.")
        body = self.json_body()
        user = self.ident.user or ""
        if action == "comment":
            text = str(body.get("comment") or "")
            self.store.add_event(
                repo, number, "comment", user, {"edited": False, "hidden": False, "latest": {"raw": text}}
            )
            events = json.loads(self.store.discussion(repo, number)["events"])
            self.send_json({"newMessage": events[-1]})
            return
        if action in ("title", "status"):
            self.accounts.check_discussion_edit(self.ident, repo, row, action)
        if action == "title":
            title = body.get("title")
            if not isinstance(title, str) or not title.strip():
                raise StoreError(400, "Expected {'title': str}: a discussion needs a title.")
            title = title.strip()
            self.store.rename_discussion(repo, number, title)
            self.store.add_event(repo, number, "title-change", user, {"from": row["title"], "to": title})
            events = json.loads(self.store.discussion(repo, number)["events"])
            self.send_json({"newTitle": events[-1]})
            return
        self.accounts.check_write(self.ident, repo, repo_id) if action == "merge" else None
        if action == "status":
            status = body.get("status")
            if status not in ("open", "closed"):
                raise StoreError(400, "status must be 'open' or 'closed'.")
            self.store.set_discussion_status(repo, number, status, user)
        elif action == "merge":
            if not row["is_pr"] or row["status"] != "open":
                raise StoreError(400, "Only an open pull request can be merged.")
            merge = self.store.merge_pr(repo, number, user)
            self.store.set_discussion_status(repo, number, "merged", user, merge_commit=merge)
        else:
            raise StoreError(404, f"Unknown discussion action {action!r}.")
        events = json.loads(self.store.discussion(repo, number)["events"])
        self.send_json({"newStatus": events[-1]})


class CommentHandler(BaseHandler):
    """Edit (`edit_discussion_comment`) or hide (`hide_discussion_comment`) one comment."""

    def do_post(self, kind: str, namespace: str, name: str, num: str, comment_id: str, action: str) -> None:
        repo, repo_id = self.lookup(kind, namespace, name)
        repo = self.accounts.check_discuss(self.ident, repo, repo_id, opening=False)
        number = int(num)
        if self.store.discussion(repo, number) is None:
            raise StoreError(404, f"Discussion {num} not found.")
        content = None
        if action == "edit":
            content = self.json_body().get("content")
            if not isinstance(content, str) or not content.strip():
                raise StoreError(400, "Expected {'content': str}: a comment cannot be empty.")
        user = self.ident.user or ""
        refused: list[StoreError] = []

        def change(event: dict[str, Any]) -> None:
            try:
                self.accounts.check_comment_change(self.ident, repo, event, action)
            except StoreError as exc:
                refused.append(exc)
                return
            data = event["data"]
            if data.get("hidden"):
                refused.append(StoreError(403, "This comment is hidden: it cannot be changed any more."))
                return
            latest = {"raw": content if action == "edit" else "", "updatedAt": now_iso(), "author": user}
            if action == "edit":
                data["edited"] = True
                data["numEdits"] = int(data.get("numEdits") or 0) + 1
            else:
                data["hidden"] = True
                data["hiddenBy"] = user  # the content is gone for good, as on the Hub
            data["latest"] = latest

        event = self.store.update_comment(repo, number, comment_id.lower(), change)
        if event is None:
            raise StoreError(404, f"Comment {comment_id} not found in discussion {num}.")
        if refused:
            raise refused[0]
        self.send_json({"updatedComment": event})

    do_put = do_post


ROUTES: list[Route] = [
    (rf"{REPO}/discussions", DiscussionsHandler),
    (rf"{REPO}/discussions/(\d+)", DiscussionHandler),
    (rf"{REPO}/discussions/(\d+)/(comment|status|merge|title)", DiscussionActionHandler),
    (rf"{REPO}/discussions/(\d+)/comment/([0-9A-Fa-f]+)/(edit|hide)", CommentHandler),
]
