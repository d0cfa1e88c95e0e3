"""Commits of the sandbox Hub: a parsed commit applied to a branch or a pull request, or opening one."""

from __future__ import annotations

from dataclasses import dataclass

from .store import Operation, Repo, Store, StoreError


@dataclass
class CommitPayload:
    """A parsed NDJSON commit: header fields and operations (blobs already stored)."""

    summary: str
    description: str
    parent: str | None
    ops: list[Operation]


def push(
    store: Store, repo: Repo, revision: str, payload: CommitPayload, author: str, create_pr: bool
) -> tuple[str, int | None]:
    """Apply `payload` onto the branch or pull request `revision` names; returns (commit, PR number).

    With `create_pr` onto a branch, a pull request is opened for the commit (starting at the payload's
    parent commit when given, else at the branch head), all or nothing: if the commit fails, no empty
    pull request is left behind. A commit onto a pull request is recorded in its events.

    Args:
        store: Where the repo lives.
        repo: The repo (access already checked).
        revision: A branch, `refs/heads/...` or `refs/pr/N`.
        payload: The parsed commit.
        author: The committer's user name.
        create_pr: Whether the client asked for a pull request.
    """
    summary, description, parent, ops = payload.summary, payload.description, payload.parent, payload.ops
    kind_ref, ref_name, head = store.writable_ref(repo, revision, create_pr)
    pr_num = None
    opened_here = False  # only a pull request this commit opened is rolled back when it fails
    if create_pr and kind_ref == "branch":
        # The pull request starts at parentCommit when given (an older commit is fine), else at the head.
        start = head
        if parent:
            start, _ = store.resolve(repo, parent)
        pr_num = store.create_discussion(repo, summary, description, author, True, base=ref_name)
        store.set_ref(repo, "pr", str(pr_num), start)
        kind_ref, ref_name, parent = "pr", str(pr_num), None
        opened_here = True
    elif kind_ref == "pr":
        pr_num = int(ref_name)
    try:
        commit = store.apply_commit(
            repo, ref_name, ops, summary, description, author, parent_commit=parent, kind=kind_ref
        )
    except StoreError:
        if opened_here:  # all or nothing: no empty pull request is left behind
            store.delete_discussion(repo, pr_num)
        raise
    if kind_ref == "pr" and pr_num is not None:
        store.add_event(repo, pr_num, "commit", author, {"subject": summary, "oid": commit})
    return commit, pr_num
