"""Repo cards on the Hub: load a README with the commit it belongs to, have the Hub check it, push it back.

Blocking functions taking a session (a `HubSession` or a widget's scope of it): run them in a worker.
Parsing, templates and the local checks are pure (`hub_widgets.card.document`, `.checks`).
"""

from __future__ import annotations

from typing import Any

from huggingface_hub.errors import HfHubHTTPError, RemoteEntryNotFoundError

from hub_widgets.card.checks import CardIssue, parse_hub_answer
from hub_widgets.hub import repos
from hub_widgets.problems import classify
from hub_widgets.session import current_task

README = "README.md"

__all__ = ["load", "push", "validate"]


def load(
    session: Any, repo_id: str, *, repo_type: str = "model", revision: str | None = None
) -> tuple[str | None, str | None]:
    """The commit `revision` points to and the README there (None when the repo has none).

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        repo_type: "model", "dataset" or "space".
        revision: A branch (None: the default one).

    Returns:
        `(commit sha, README text)`: read as written (a byte order mark dropped, line ends kept).
    """
    info = repos.repo_info(session, repo_id, repo_type=repo_type, revision=revision)
    task = current_task()
    if task is not None:
        task.raise_if_cancelled()
    try:
        text = repos.read_text(
            session, repo_id, README, repo_type=repo_type, revision=revision,
            encoding="utf-8-sig", errors="strict", newline="",
        )  # fmt: skip
    except RemoteEntryNotFoundError:
        # Only the Hub saying "no such file": LocalEntryNotFoundError (network down, nothing
        # cached) must not pass for a missing README, or a push would overwrite the real one.
        return info.sha, None
    return info.sha, text


def validate(session: Any, content: str, repo_type: str, metadata: dict[str, Any]) -> list[CardIssue]:
    """Ask the session's Hub to check a README (`/api/validate-yaml`, what `RepoCard.validate` calls).

    `RepoCard.validate` posts to `huggingface_hub.constants.ENDPOINT` (fixed at import time) and
    keeps only the error text; `HfApi._validate_yaml` targets the right endpoint but is private and
    flattens errors and warnings. This is the same request as the latter, made through the library's
    own HTTP session to the session's endpoint, keeping each message so it can go next to its field.
    No token is sent: the route needs none.

    Args:
        session: The `HubSession` (for its endpoint).
        content: The whole README text.
        repo_type: "model", "dataset" or "space".
        metadata: Its parsed front matter.

    Returns:
        The problems the Hub reported ([] when the card is valid).
    """
    from huggingface_hub.utils import get_session, hf_raise_for_status

    response = get_session().post(
        f"{session.endpoint}/api/validate-yaml", json={"content": content, "repoType": repo_type}
    )
    if response.status_code != 400:
        hf_raise_for_status(response)  # 5xx, 429, ...: a failure of the check, not a verdict on the card
    return parse_hub_answer(response.status_code, response.text, metadata)


def push(
    session: Any,
    repo_id: str,
    text: str,
    *,
    loaded_text: str,
    parent_commit: str | None,
    repo_type: str = "model",
    revision: str | None = None,
    commit_message: str,
    commit_description: str = "",
    create_pr: bool = False,
) -> Any:
    """Commit `text` as the README on `revision` (or open a pull request), on top of `parent_commit`.

    The 412 rule: when the branch moved since the card was loaded (a 412 on a direct commit), the
    commit is made on the new head only if the README there is still `loaded_text` (others pushed
    other files, nothing is lost); otherwise the 412 is raised.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        text: The new README.
        loaded_text: The README as it was loaded (what the user edited).
        parent_commit: The commit it was loaded from (None: no check).
        repo_type: "model", "dataset" or "space".
        revision: The branch to commit to.
        commit_message: The commit's (or the pull request's) title.
        commit_description: The commit's (or the pull request's) description.
        create_pr: Open a pull request instead of committing to the branch.

    Returns:
        The `CommitInfo` (`commit_url`, `pr_url`, `oid`).
    """

    def upload(parent: str | None) -> Any:
        return session.api.upload_file(
            path_or_fileobj=text.encode("utf-8"),
            path_in_repo=README,
            repo_id=repo_id,
            repo_type=repo_type,
            revision=revision,
            commit_message=commit_message,
            commit_description=commit_description or None,
            create_pr=create_pr,
            parent_commit=parent,
        )

    try:
        return upload(parent_commit)
    except HfHubHTTPError as exc:
        if create_pr or classify(exc).kind != "precondition_failed":
            raise
        head, remote = load(session, repo_id, repo_type=repo_type, revision=revision)
        if (remote or "") != loaded_text:
            raise
        return upload(head)
