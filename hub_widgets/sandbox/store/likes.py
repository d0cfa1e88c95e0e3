"""Likes of the sandbox store: who liked which repo, and the repo's `likes` counter. Mixed into `Store`."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

from .model import Repo


class LikeRows:
    """Mixed into `Store`: the `likes` table; `repos.likes` moves with it (a seeded count stays a base)."""

    db: sqlite3.Connection
    lock: threading.RLock
    query: Callable[..., list[sqlite3.Row]]

    def set_like(self, user: str, repo: Repo, liked: bool) -> bool:
        """Like (or unlike) `repo` as `user`; True if that changed anything (liking twice counts once)."""
        with self.lock:
            if liked:
                cur = self.db.execute(
                    "INSERT OR IGNORE INTO likes(user, repo, created) VALUES (?,?,?)",
                    (user, repo.rowid, time.time()),
                )
                delta = 1
            else:
                cur = self.db.execute("DELETE FROM likes WHERE user=? AND repo=?", (user, repo.rowid))
                delta = -1
            if cur.rowcount > 0:
                self.db.execute("UPDATE repos SET likes=MAX(0, likes+?) WHERE rowid=?", (delta, repo.rowid))
            return cur.rowcount > 0

    def likers(self, repo: Repo) -> list[sqlite3.Row]:
        """(user, fullname, created) of the users who liked `repo`, oldest like first."""
        return self.query(
            "SELECT l.user, COALESCE(u.fullname, l.user) AS fullname, l.created FROM likes l "
            "LEFT JOIN users u ON u.name=l.user WHERE l.repo=? ORDER BY l.created, l.user",
            (repo.rowid,),
        )

    def liked_by(self, user: str) -> list[tuple[int, float]]:
        """(repo rowid, time of the like) of the repos `user` liked, newest first."""
        rows = self.query("SELECT repo, created FROM likes WHERE user=? ORDER BY created DESC", (user,))
        return [(r["repo"], r["created"]) for r in rows]
