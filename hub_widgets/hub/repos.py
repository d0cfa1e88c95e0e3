"""Repos on the Hub: listings, a repo's summary and card, refs, tree pages, reading and downloading files.

Blocking functions taking a session (a `HubSession` or a widget's scope of it): run them in a worker.
Every download-then-read of the package is here (`read_bytes`, `read_text`); the views show the result.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from huggingface_hub.errors import EntryNotFoundError, GatedRepoError

from hub_widgets._i18n import _
from hub_widgets.session import HubTask, current_task
from hub_widgets.vocab import REPO_TYPES

__all__ = [
    "bytes_progress_class",
    "download_file",
    "download_snapshot",
    "list_namespace_repos",
    "list_repos",
    "list_tree",
    "read_bytes",
    "read_head",
    "read_text",
    "repo_info",
    "repo_refs",
    "repo_summary",
]


def list_repos(session: Any, repo_type: str, **list_kwargs: Any) -> Iterator[Any]:
    """The repos of `repo_type` matching a search, lazily (`HfApi.list_models/list_datasets/list_spaces`).

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_type: "model", "dataset" or "space".
        **list_kwargs: The listing's filters (`search`, `author`, `sort`, `limit`, `expand`, ...).
    """
    if repo_type not in REPO_TYPES:
        raise ValueError(_("Unknown repo type: {repo_type}").format(repo_type=repo_type))
    return iter(getattr(session.api, f"list_{repo_type}s")(**list_kwargs))


def list_namespace_repos(session: Any, namespaces: list[str], limit: int = 50) -> list[dict]:
    """The repos of each namespace, models then datasets then spaces.

    Args:
        session: The session whose `api` lists the repos.
        namespaces: Users and organisations to list (e.g. `session.namespaces()`).
        limit: At most this many repos of each type per namespace.

    Returns:
        Dicts with `repo_id`, `repo_type`, `namespace` and `private`.
    """
    api = session.api
    listers = {"model": api.list_models, "dataset": api.list_datasets, "space": api.list_spaces}
    repos: list[dict] = []
    for namespace in namespaces:
        for repo_type in REPO_TYPES:
            for info in listers[repo_type](author=namespace, limit=limit):
                repos.append(
                    {
                        "repo_id": info.id,
                        "repo_type": repo_type,
                        "namespace": namespace,
                        "private": bool(getattr(info, "private", False)),
                    }
                )
    return repos


def repo_info(
    session: Any, repo_id: str, *, repo_type: str = "model", revision: str | None = None, expand: Any = None
) -> Any:
    """`HfApi.repo_info` on the session's Hub.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit (None: the default branch).
        expand: The fields to ask for (`HfApi.repo_info(expand=...)`).
    """
    return session.api.repo_info(repo_id, repo_type=repo_type, revision=revision, expand=expand)


def repo_summary(
    session: Any, repo_id: str, *, repo_type: str = "model", revision: str | None = None, expand: Any = None
) -> tuple[Any, str | None, GatedRepoError | None]:
    """A repo's info and its README (the card) at the same commit.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit (None: the default branch).
        expand: The info fields to ask for.

    Returns:
        `(info, readme, gated)`: `readme` is None when the repo has none or it is gated; `gated` is
        the error of a gated repo (its header is public, its files are not).
    """
    info = repo_info(session, repo_id, repo_type=repo_type, revision=revision, expand=expand)
    try:
        readme = read_text(session, repo_id, "README.md", repo_type=repo_type, revision=info.sha or revision)
    except EntryNotFoundError:
        return info, None, None
    except GatedRepoError as exc:
        return info, None, exc
    return info, readme, None


def repo_refs(
    session: Any, repo_id: str, *, repo_type: str = "model", include_pull_requests: bool = False
) -> Any:
    """The branches, tags (and pull requests) of a repo (`HfApi.list_repo_refs`).

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        repo_type: "model", "dataset" or "space".
        include_pull_requests: Also list the `refs/pr/N` refs.
    """
    return session.api.list_repo_refs(
        repo_id, repo_type=repo_type, include_pull_requests=include_pull_requests
    )


def list_tree(
    session: Any,
    repo_id: str,
    path: str = "",
    *,
    repo_type: str = "model",
    revision: str | None = None,
    recursive: bool = False,
) -> Iterator[Any]:
    """The entries of folder `path` at `revision`, lazily, a page of the Hub at a time (`HfApi.list_repo_tree`).

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        path: The folder ("" for the root).
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit.
        recursive: Also list what is below the subfolders.
    """
    return iter(
        session.api.list_repo_tree(
            repo_id, path_in_repo=path or None, recursive=recursive, revision=revision, repo_type=repo_type
        )
    )


def read_bytes(
    session: Any, repo_id: str, path: str, *, repo_type: str = "model", revision: str | None = None
) -> bytes:
    """The content of a repo file (downloaded through the cache).

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        path: The file's path in the repo.
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit.
    """
    local = session.api.hf_hub_download(
        repo_id, path, repo_type=repo_type, revision=revision, tqdm_class=bytes_progress_class(_ignore)
    )
    with open(local, "rb") as f:
        return f.read()


def read_text(
    session: Any,
    repo_id: str,
    path: str,
    *,
    repo_type: str = "model",
    revision: str | None = None,
    encoding: str = "utf-8",
    errors: str = "replace",
    newline: str | None = None,
) -> str:
    """The text of a repo file (downloaded through the cache), read as `open(encoding, errors, newline)` reads.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        path: The file's path in the repo.
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit.
        encoding: "utf-8-sig" drops a byte order mark.
        errors: "replace" shows undecodable bytes; "strict" raises.
        newline: None turns CRLF into LF; "" keeps the line ends as they are.
    """
    local = session.api.hf_hub_download(
        repo_id, path, repo_type=repo_type, revision=revision, tqdm_class=bytes_progress_class(_ignore)
    )
    with open(local, encoding=encoding, errors=errors, newline=newline) as f:
        return f.read()


def read_head(
    session: Any,
    repo_id: str,
    path: str,
    head_bytes: int,
    *,
    repo_type: str = "model",
    revision: str = "main",
) -> bytes:
    """The first whole lines within `head_bytes` of a big text file: one range request, nothing cached.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        path: The file's path in the repo.
        head_bytes: At most this many bytes.
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit.
    """
    from huggingface_hub import HfFileSystem

    fs = HfFileSystem(endpoint=session.endpoint, token=session.api.token, skip_instance_cache=True)
    prefix = "" if repo_type == "model" else f"{repo_type}s/"
    with fs.open(
        f"{prefix}{repo_id}@{revision.replace('/', '%2F')}/{path}", "rb", block_size=head_bytes
    ) as f:
        data = f.read(head_bytes)
    return data[: data.rfind(b"\n") + 1] or data  # whole lines only


# -- downloads -----------------------------------------------------------------------------------


class _BytesProgress:
    """A stand-in for `tqdm` that forwards a download's byte counts to a callback.

    `huggingface_hub` builds it as `tqdm_class(**kwargs)` and calls `update(n)`; it also checks the
    running task for cancellation, so Cancel stops a download between chunks.
    """

    def __init__(
        self, on_bytes: Callable[[int], Any], task: HubTask | None, *args: Any, **kwargs: Any
    ) -> None:
        self._on_bytes = on_bytes
        self._task = task or current_task()
        self.n = kwargs.get("initial", 0) or 0
        self.total = kwargs.get("total")
        if self.n:
            on_bytes(self.n)

    def update(self, n: int | float | None = 1) -> None:
        if self._task is not None:
            self._task.raise_if_cancelled()
        n = int(n or 0)
        self.n += n
        self._on_bytes(n)

    def __enter__(self) -> _BytesProgress:
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Any:  # refresh, close, set_description, ...: nothing to draw
        return lambda *a, **k: None


def _ignore(_n: int) -> None:
    """Byte counts nobody shows (the call still gets no tqdm bar of huggingface_hub's)."""


def bytes_progress_class(on_bytes: Callable[[int], Any], task: HubTask | None = None) -> type:
    """A `tqdm_class` for `huggingface_hub` downloads that reports bytes to `on_bytes` and stops on Cancel.

    Args:
        on_bytes: Receives the number of bytes of each chunk.
        task: The task whose cancellation stops the download (default: the calling one).
    """

    class BytesProgress(_BytesProgress):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(on_bytes, task, *args, **kwargs)

    return BytesProgress


def download_file(
    session: Any,
    repo_id: str,
    path: str,
    *,
    repo_type: str = "model",
    revision: str | None = None,
    local_dir: str | None = None,
    on_bytes: Callable[[int], Any] | None = None,
) -> str:
    """Download one file to `local_dir` (or the cache) and return its local path.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        path: The file's path in the repo.
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit.
        local_dir: A folder (`~` expanded); None: the Hugging Face cache.
        on_bytes: Receives the byte count of each chunk (a progress bar); Cancel stops between chunks.
    """
    return session.api.hf_hub_download(
        repo_id,
        path,
        repo_type=repo_type,
        revision=revision,
        local_dir=os.path.expanduser(local_dir) if local_dir else None,
        tqdm_class=bytes_progress_class(on_bytes or _ignore),
    )


def download_snapshot(
    session: Any,
    repo_id: str,
    *,
    repo_type: str = "model",
    revision: str = "main",
    patterns: list[str] | None = None,
    local_dir: str | None = None,
    on_start: Callable[[int, int], Any] | None = None,
    on_bytes: Callable[[int], Any] | None = None,
    on_file: Callable[[int], Any] | None = None,
) -> tuple[str, int]:
    """Download the files matching `patterns` at one commit of `revision`, four at a time.

    Args:
        session: The `HubSession` (or a widget's scope of it).
        repo_id: `namespace/name`.
        repo_type: "model", "dataset" or "space".
        revision: A branch, tag or commit: resolved to one commit first.
        patterns: `allow_patterns` (None: every file).
        local_dir: A folder (`~` expanded); None: the Hugging Face cache.
        on_start: Receives `(total_bytes, file_count)` once the files are known.
        on_bytes: Receives the byte count of each chunk.
        on_file: Receives how many files are complete, after each one.

    Returns:
        `(folder, file_count)`: the local folder (or the cache's snapshot folder).

    Raises:
        ValueError: no file matches the patterns.
    """
    api = session.api
    local_dir = os.path.expanduser(local_dir) if local_dir else None
    # A dry run resolves the revision to a commit and sizes every matching file: the totals.
    plan = api.snapshot_download(
        repo_id,
        repo_type=repo_type,
        revision=revision,
        allow_patterns=patterns,
        local_dir=local_dir,
        dry_run=True,
        tqdm_class=bytes_progress_class(_ignore),
    )
    if not plan:
        raise ValueError(_("No file matches these patterns at this revision."))
    commit = plan[0].commit_hash
    if on_start is not None:
        on_start(sum(f.file_size or 0 for f in plan), len(plan))
    files_done = [0]
    lock = threading.Lock()
    task = current_task()

    def fetch(info: Any, rev: str) -> str:
        if task is not None:
            task.raise_if_cancelled()
        path = api.hf_hub_download(
            repo_id,
            info.filename,
            repo_type=repo_type,
            revision=rev,
            local_dir=local_dir,
            tqdm_class=bytes_progress_class(on_bytes or _ignore, task),
        )
        with lock:
            files_done[0] += 1
            if on_file is not None:
                on_file(files_done[0])
        return path

    # The first file by revision name records the branch -> commit ref in the cache; the others
    # by commit, so a push during the download cannot mix two versions.
    first = fetch(plan[0], revision)
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="hub-widgets-download") as pool:
        list(pool.map(lambda info: fetch(info, commit), plan[1:]))
    if local_dir:
        return local_dir, len(plan)
    return first[: -len(plan[0].filename)].rstrip("/\\"), len(plan)
