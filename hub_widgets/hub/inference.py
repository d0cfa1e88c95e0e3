"""Inference from the playground: what the Hub says about a model, its example files, running a call.

Blocking functions taking a session (a `HubSession` or a widget's scope of it): run them in a worker
(the `long` lane, abortable: Stop closes the request). Which call a task makes, and how its result is
shown, is the task registry's business (`hub_widgets.playground.tasks`); this only runs it, with an
`InferenceClient` that follows the token rule (`HubSession.inference_client`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from hub_widgets.hub import repos

__all__ = ["client", "example_file", "model_info", "run"]


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
