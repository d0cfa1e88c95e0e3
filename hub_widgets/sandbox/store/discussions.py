"""Discussions and pull requests of the sandbox store (their events included). Mixed into `Store`."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any

from .model import Repo, now_iso


class DiscussionRows:
    """Mixed into `Store`: the `discussions` table (a pull request's ref lives in `refs`)."""

    db: sqlite3.Connection
    lock: threading.RLock
    query: Callable[..., list[sqlite3.Row]]
    execute: Callable[..., None]

    # -- discussions / pull requests ---------------------------------------------------------------

    def create_discussion(
        self, repo: Repo, title: str, description: str, author: str, is_pr: bool, base: str = "main"
    ) -> int:
        with self.lock:
            row = self.db.execute(
                "SELECT COALESCE(MAX(num), 0) + 1 AS n FROM discussions WHERE repo=?", (repo.rowid,)
            )
            num = row.fetchone()["n"]
            events = [
                _event("comment", author, {"edited": False, "hidden": False, "latest": {"raw": description}})
            ]
            self.db.execute(
                "INSERT INTO discussions VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    repo.rowid,
                    num,
                    title,
                    description,
                    author,
                    int(is_pr),
                    "open",
                    time.time(),
                    base,
                    None,
                    json.dumps(events),
                ),
            )
            if is_pr:
                head = self.query(
                    "SELECT target FROM refs WHERE repo=? AND kind='branch' AND name=?", (repo.rowid, base)
                )
                self.db.execute(
                    "INSERT OR REPLACE INTO refs VALUES (?,?,?,?)",
                    (repo.rowid, "pr", str(num), head[0]["target"]),
                )
            return num

    def discussion(self, repo: Repo, num: int) -> sqlite3.Row | None:
        rows = self.query("SELECT * FROM discussions WHERE repo=? AND num=?", (repo.rowid, num))
        return rows[0] if rows else None

    def discussions(self, repo: Repo) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM discussions WHERE repo=? ORDER BY num DESC", (repo.rowid,))

    def delete_discussion(self, repo: Repo, num: int) -> None:
        """Remove discussion `num` and, for a pull request, its ref."""
        with self.lock:
            self.db.execute("DELETE FROM discussions WHERE repo=? AND num=?", (repo.rowid, num))
            self.db.execute("DELETE FROM refs WHERE repo=? AND kind='pr' AND name=?", (repo.rowid, str(num)))

    def rename_discussion(self, repo: Repo, num: int, title: str) -> None:
        self.execute("UPDATE discussions SET title=? WHERE repo=? AND num=?", (title, repo.rowid, num))

    def add_event(self, repo: Repo, num: int, kind: str, author: str, data: dict[str, Any]) -> None:
        with self.lock:
            row = self.discussion(repo, num)
            if row is None:
                return
            events = json.loads(row["events"]) + [_event(kind, author, data)]
            self.db.execute(
                "UPDATE discussions SET events=? WHERE repo=? AND num=?",
                (json.dumps(events), repo.rowid, num),
            )

    def update_comment(
        self, repo: Repo, num: int, event_id: str, change: Callable[[dict[str, Any]], None]
    ) -> dict[str, Any] | None:
        """Apply `change` to the comment event `event_id` of discussion `num` (atomically); returns the
        changed event, or None if the discussion has no such comment."""
        with self.lock:
            row = self.discussion(repo, num)
            if row is None:
                return None
            events = json.loads(row["events"])
            event = next((e for e in events if e["id"] == event_id and e["type"] == "comment"), None)
            if event is None:
                return None
            change(event)
            self.db.execute(
                "UPDATE discussions SET events=? WHERE repo=? AND num=?",
                (json.dumps(events), repo.rowid, num),
            )
            return event

    def set_discussion_status(
        self, repo: Repo, num: int, status: str, author: str, merge_commit: str | None = None
    ):
        with self.lock:
            self.db.execute(
                "UPDATE discussions SET status=?, merge_commit=COALESCE(?, merge_commit) WHERE repo=? AND num=?",
                (status, merge_commit, repo.rowid, num),
            )
            self.add_event(repo, num, "status-change", author, {"status": status})


def _event(kind: str, author: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": hashlib.sha1(f"{time.monotonic_ns()}{kind}".encode()).hexdigest()[:24],
        "type": kind,
        "createdAt": now_iso(),
        "author": {"name": author, "type": "user"},
        "data": data,
    }
