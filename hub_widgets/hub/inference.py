"""Inference from the playground: what the Hub says about a model, its example files, running a call.

Blocking functions taking a session (a `HubSession` or a widget's scope of it): run them in a worker
(the `long` lane, abortable: Stop closes the request). Which call a task makes, and how its result is
shown, is the task registry's business (`hub_widgets.playground.tasks`); this only runs it, with an
`InferenceClient` that follows the token rule (`HubSession.inference_client`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from typing import Any, Protocol

from huggingface_hub import constants

from hub_widgets.hub import repos

__all__ = [
    "client",
    "example_file",
    "model_info",
    "recent_models",
    "remember_model",
    "run",
    "suggested_models",
]

# The playground's recently used models: a small file of ours in HF_HOME, one list per Hub endpoint.
RECENT_FILE = os.path.join("hub_widgets", "recent_models.json")
MAX_RECENT = 8


class _Call(Protocol):
    """A playground call (`hub_widgets.playground.tasks.Call`): one `InferenceClient` method call."""

    def run(self, client: Any) -> Any: ...


def model_info(session: Any, model_id: str, expand: list[str] | None = None) -> Any:
    """`HfApi.model_info` on the session's Hub: the task, widget examples, providers of a model.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        model_id: `namespace/name`.
        expand: The fields to ask for (`pipeline_tag`, `widgetData`, `inferenceProviderMapping`, ...).
    """
    return session.api.model_info(model_id, expand=expand)


def example_file(
    session: Any, repo_id: str, path: str, *, repo_type: str = "model", revision: str | None = None
) -> bytes:
    """The content of an example input a model card points to (an image, a sound).

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: The repo holding the file.
        path: Its path in the repo.
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit.
    """
    return repos.read_bytes(session, repo_id, path, repo_type=repo_type, revision=revision)


def client(session: Any, **options: Any) -> Any:
    """An `InferenceClient` for a backend, sending the token only where the token rule allows.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        **options: `model`, `base_url`, `provider`, `timeout`, `send_token` (`HubSession.inference_client`).
    """
    return session.inference_client(**options)


def run(session: Any, call: _Call, **options: Any) -> Any:
    """Make one playground call: its result, or for a streaming task the iterator of chunks.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        call: What to call (`Call.run(client)`), built by the task registry from the form's values.
        **options: The backend's client options (`hub_widgets.playground.backend.client_kwargs`).
    """
    inference_client = client(session, **options)
    result = call.run(inference_client)
    if isinstance(result, Iterator):
        return _streaming(result, inference_client)
    return result


def _streaming(chunks: Iterator[Any], owner: Any) -> Iterator[Any]:
    """`chunks`, holding on to the client they come from: a client closes its connections when collected."""
    try:
        yield from chunks
    finally:
        del owner


def suggested_models(
    session: Any, pipeline_tag: str, tags: list[str] | None = None, limit: int = 8
) -> list[tuple[str, int]]:
    """The most downloaded models of a task on the session's Hub, for the playground's model picker.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        pipeline_tag: The task's pipeline tag (`text-classification`, ...).
        tags: Tags the models must also carry (`conversational` for chat).
        limit: At most this many models.

    Returns:
        (model id, downloads) pairs, most downloaded first; gated models are left out (most users
        would get "access restricted"), and on the Hub only models some Inference Provider serves.
    """
    found = repos.list_repos(
        session,
        "model",
        pipeline_tag=pipeline_tag,
        filter=list(tags or []) or None,
        gated=False,
        inference_provider="all",
        sort="downloads",
        limit=limit,
        expand=["downloads", "gated"],
    )
    # Checked here too: a Hub-compatible server may not filter on `gated`.
    return [
        (info.id, int(getattr(info, "downloads", None) or 0))
        for info in found
        if not getattr(info, "gated", False)
    ]


def _recent_path() -> str:
    return os.path.join(constants.HF_HOME, RECENT_FILE)


def recent_models(endpoint: str) -> list[dict[str, str]]:
    """The models last opened in a playground against `endpoint`, newest first.

    Args:
        endpoint: The Hub the models live on (`HubSession.endpoint`): each Hub has its own list.

    Returns:
        Dicts with `model` and `task` (the playground task they opened, "" if none).
    """
    try:
        with open(_recent_path(), encoding="utf-8") as f:
            data = json.load(f)
        entries = data.get(endpoint.rstrip("/"), []) if isinstance(data, dict) else []
    except (OSError, ValueError):
        return []  # no file yet, or one we cannot read: no recent models, not an error
    return [
        {"model": str(e["model"]), "task": str(e.get("task") or "")}
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("model"), str)
    ][:MAX_RECENT]


def remember_model(endpoint: str, model_id: str, task: str | None) -> None:
    """Put `model_id` first in the recent models of `endpoint` (at most MAX_RECENT are kept).

    Args:
        endpoint: The Hub the model lives on.
        model_id: `namespace/name`.
        task: The playground task it opened.
    """
    path = _recent_path()
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    key = endpoint.rstrip("/")
    entries = [e for e in recent_models(endpoint) if e["model"] != model_id]
    data[key] = [{"model": model_id, "task": task or ""}, *entries][:MAX_RECENT]
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # Written aside then renamed: two kernels saving at once leave one whole file, never half of each.
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".recent-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: the list is a convenience, the playground works without it
