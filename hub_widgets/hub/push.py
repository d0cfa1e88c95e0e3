"""Pushing to the Hub: plan (compare local files with a revision, read only) and push a folder or objects.

The push service itself is `hub_widgets.push.upload` (hashing and scanning in worker processes,
uploads that verify the bytes they send, the commit); this is its face for the views, next to the
other Hub services: blocking functions taking a session, run in a worker (the `long` lane).
The pure part (which files, which patterns, the plan) is `hub_widgets.push.plan`.
"""

from __future__ import annotations

from typing import Any

from hub_widgets.push.upload import (
    AccessDenied,
    FileChanged,
    PlanResult,
    PushRequest,
    PushResult,
    SecretsFound,
    UploadFailed,
    check_repo_id,
    compute_plan,
    push,
)

__all__ = [
    "AccessDenied",
    "FileChanged",
    "PlanResult",
    "PushRequest",
    "PushResult",
    "SecretsFound",
    "UploadFailed",
    "branches",
    "check_repo_id",
    "plan",
    "push",
]


def branches(session: Any, repo_id: str, *, repo_type: str = "model") -> list[str]:
    """The names of a repo's branches.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        repo_type: "model", "dataset" or "space".
    """
    return [b.name for b in session.api.list_repo_refs(repo_id, repo_type=repo_type).branches]


def plan(session: Any, request: PushRequest, **options: Any) -> PlanResult:
    """What a push of `request` would do, without uploading anything (`push.upload.compute_plan`).

    Args:
        session: The `HubSession` (or a widget's scope of it) whose client reads the remote revision.
        request: What to push where.
        **options: `cache` (hashes of files read before), `check` (raises on Cancel), `scan`,
            `on_bytes`, `on_file`, `files`, `skipped` as `compute_plan` takes them.
    """
    return compute_plan(session.api, request, **options)
