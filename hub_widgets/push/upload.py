"""The push itself: access check, plan against the Hub, upload with progress and cancellation, commit.

No widgets here: `PushPanel` calls these functions on a session worker and shows what they report.
All Hub access goes through `huggingface_hub` (`HfApi` from the session).

Order of a push, so that nothing reaches the Hub until it is safe and decided:
access check -> local listing + secret scan -> create repo (if asked) -> plan (hashes vs remote)
-> LFS uploads (`preupload_lfs_files`) -> [last cancel point] -> create branch -> `create_commit`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub_widgets._i18n import _, ngettext
from hub_widgets.errors import CancelledError, HubWidgetsError, ValidationError
from hub_widgets.problems import classify
from hub_widgets.push.plan import (
    DEFAULT_EXCLUDES,
    LocalFile,
    Plan,
    ReadError,
    RemoteFile,
    Skipped,
    build_plan,
    hash_local_files,
    lfs_patterns_from_gitattributes,
    list_local_tree,
    remote_files_from_hub,
    same_content,
    unchanged_on_disk,
)
from hub_widgets.push.secrets import Finding
from hub_widgets.vocab import REPO_TYPES

# The LFS patterns of the .gitattributes the Hub writes into a new repo.
HUB_DEFAULT_LFS_PATTERNS = [
    "*.7z",
    "*.arrow",
    "*.bin",
    "*.bz2",
    "*.ckpt",
    "*.ftz",
    "*.gz",
    "*.h5",
    "*.joblib",
    "*.lfs.*",
    "*.mlmodel",
    "*.model",
    "*.msgpack",
    "*.npy",
    "*.npz",
    "*.onnx",
    "*.ot",
    "*.parquet",
    "*.pb",
    "*.pickle",
    "*.pkl",
    "*.pt",
    "*.pth",
    "*.rar",
    "*.safetensors",
    "saved_model/**/*",
    "*.tar.*",
    "*.tar",
    "*.tflite",
    "*.tgz",
    "*.wasm",
    "*.xz",
    "*.zip",
    "*.zst",
    "*tfevents*",
]
PATHS_INFO_CHUNK = 500


class AccessDenied(HubWidgetsError):
    """The token cannot push to this repo (read-only token, foreign namespace, no write permission)."""


class FileChanged(HubWidgetsError):
    """A file changed after the plan read (and scanned) it: its new bytes are not pushed."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            _("{path} changed after the plan: plan again to scan and hash it. Nothing was committed.").format(
                path=path
            )
        )


class SecretsFound(HubWidgetsError):
    """The files hold probable secrets and the user did not tick the override."""

    def __init__(self, findings: list[Finding], planned: PlanResult | None = None) -> None:
        self.findings = findings
        self.planned = planned  # the plan that found them: pushing it with the override reads nothing again
        super().__init__(
            ngettext(
                "Push blocked: {n} possible secret found. Remove it, exclude the file, or tick the override.",
                "Push blocked: {n} possible secrets found. Remove them, exclude the files, or tick the override.",
                len(findings),
            ).format(n=len(findings))
        )


@dataclass
class PushRequest:
    """Everything a push needs, as the user entered it.

    Args:
        source: Local file or folder to push.
        repo_id: `namespace/name`.
        repo_type: "model", "dataset" or "space".
        branch: Target branch ("" or None: the default branch); created from `main` if missing.
        create_repo: Create the repo if it does not exist.
        private: Visibility of a created repo.
        create_pr: Open a pull request instead of committing to the branch.
        path_in_repo: Folder in the repo.
        commit_message: Commit title (a default is used when empty).
        commit_description: Commit description.
        include: Only push files matching these patterns.
        exclude: Skip files matching these patterns.
        delete_patterns: Delete remote files under `path_in_repo` matching these.
        allow_secrets: Push even if the secret scan found something.
    """

    source: str
    repo_id: str
    repo_type: str = "model"
    branch: str | None = None
    create_repo: bool = False
    private: bool = False
    create_pr: bool = False
    path_in_repo: str = ""
    commit_message: str = ""
    commit_description: str = ""
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDES))
    delete_patterns: list[str] = field(default_factory=list)
    allow_secrets: bool = False

    @property
    def revision(self) -> str:
        return (self.branch or "").strip() or "main"

    def validate(self) -> None:
        """Raise `ValidationError` with a one-line message for bad input."""
        if not self.source or not os.path.exists(os.path.expanduser(self.source)):
            raise ValidationError(_("Source not found: {path}").format(path=self.source or "–"))
        if self.repo_type not in REPO_TYPES:
            raise ValidationError(_("Unknown repo type: {repo_type}").format(repo_type=self.repo_type))
        check_repo_id(self.repo_id)
        if ".." in self.path_in_repo.split("/"):
            raise ValidationError(_("The path in repo cannot contain '..'."))


def check_repo_id(repo_id: str) -> None:
    """Refuse anything but `namespace/name` with one line (`alice/x/extra` must not become `x/extra`).

    Raises:
        ValidationError: With the reason.
    """
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    namespace, _slash, name = (repo_id or "").partition("/")
    if repo_id.count("/") != 1 or not namespace or not name:
        raise ValidationError(
            _("Invalid repo id '{repo_id}': it must look like namespace/name.").format(repo_id=repo_id)
        )
    try:
        validate_repo_id(repo_id)
    except HFValidationError as exc:
        raise ValidationError(
            _("Invalid repo id '{repo_id}': {reason}").format(
                repo_id=repo_id, reason=str(exc).splitlines()[0]
            )
        ) from None


@dataclass
class PlanResult:
    """A plan and what was learnt about the remote while making it."""

    plan: Plan
    files: list[tuple[str, str]]
    repo_exists: bool
    branch_exists: bool
    base_revision: str  # the revision compared against (main when the branch is new)


@dataclass
class PushResult:
    plan: Plan
    commit_url: str | None = None
    pr_url: str | None = None
    oid: str | None = None
    created_repo: bool = False
    created_branch: bool = False

    @property
    def nothing_to_do(self) -> bool:
        return self.commit_url is None


# -- progress and cancellation ------------------------------------------------------------------


class TransferMeter:
    """Counts bytes and finished files across upload threads; calls `on_progress(bytes, files)`.

    Bytes are counted as the furthest offset read in each file, so retries (which seek back and
    read again) and the client's extra reads of small files are never counted twice.
    """

    def __init__(self, on_progress: Callable[[int, int], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._furthest: dict[str, int] = {}
        self._finished: set[str] = set()
        self.done_bytes = 0
        self._on_progress = on_progress

    @property
    def done_files(self) -> int:
        return len(self._finished)

    def reached(self, key: str, offset: int, size: int) -> None:
        with self._lock:
            previous = self._furthest.get(key, 0)
            if offset <= previous and not (offset >= size and key not in self._finished):
                return
            if offset > previous:
                self._furthest[key] = offset
                self.done_bytes += offset - previous
            if offset >= size:
                self._finished.add(key)
            done_bytes, done_files = self.done_bytes, len(self._finished)
        if self._on_progress is not None:
            self._on_progress(done_bytes, done_files)


class CountingFile(io.BufferedIOBase):
    """A read-only view of a local file that reports bytes read and stops when the push is cancelled.

    `huggingface_hub` reads it everywhere it reads an upload: whole (regular files, in the commit
    payload), streamed in 64 KiB reads (LFS single PUT), or by slices after `seek` (LFS multipart).
    The file is opened lazily and closed at end of file, so hundreds of operations don't hold
    hundreds of descriptors.

    Args:
        path: The local file.
        size: Its size.
        meter: Where to report progress.
        check: Called before each read; raises `CancelledError` to stop the upload.
    """

    def __init__(
        self,
        path: str,
        size: int,
        meter: TransferMeter,
        check: Callable[[], None] | None = None,
        sha256: str | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__()
        self._path, self._size, self._meter, self._check = path, size, meter, check
        self._pos = 0
        self._file: io.BufferedReader | None = None
        self._lock = threading.Lock()
        # What is sent must be what the plan hashed and scanned: hash the bytes as they go out (in
        # order, the first time) and refuse the last chunk if the whole differs.
        self._expected = sha256
        self._hasher = hashlib.sha256() if sha256 else None
        self._hashed = 0
        self._name = name or path

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def _raw(self) -> io.BufferedReader:
        if self._file is None:
            self._file = open(self._path, "rb")  # noqa: SIM115 - closed at EOF or by release()
            self._file.seek(self._pos)
        return self._file

    def read(self, size: int | None = -1) -> bytes:
        if self._check is not None:
            self._check()
        with self._lock:
            if self._pos >= self._size:
                self.release()
                return b""
            data = self._raw().read(-1 if size is None or size < 0 else size)
            if not data and size != 0:
                raise FileChanged(self._name)  # shorter than planned
            if self._hasher is not None and self._pos == self._hashed:
                self._hashed += len(data)
                if self._hashed > self._size:
                    raise FileChanged(self._name)
                self._hasher.update(data)
                if self._hashed == self._size and self._hasher.hexdigest() != self._expected:
                    self.release()
                    raise FileChanged(self._name)
            self._pos += len(data)
            if self._pos >= self._size:
                self.release()
            position = self._pos
        self._meter.reached(self._path, position, self._size)
        return data

    read1 = read

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        with self._lock:
            if whence == io.SEEK_SET:
                position = offset
            elif whence == io.SEEK_CUR:
                position = self._pos + offset
            elif whence == io.SEEK_END:
                position = self._size + offset
            else:
                raise ValueError(f"invalid whence ({whence})")
            self._pos = max(0, position)
            if self._file is not None:
                self._file.seek(self._pos)
            return self._pos

    def tell(self) -> int:
        return self._pos

    @property
    def verified(self) -> bool:
        """True once every byte was hashed in order as it was read, and matched the plan."""
        return self._hasher is not None and self._hashed == self._size

    def release(self) -> None:
        """Close the underlying file (reopened if read again)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def close(self) -> None:
        self.release()
        super().close()


def _unwrap(exc: BaseException) -> BaseException:
    # huggingface_hub wraps LFS upload errors in RuntimeError("Error while uploading ..."): show the cause.
    while isinstance(exc, RuntimeError) and exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


# -- access -----------------------------------------------------------------------------------------


def token_role(whoami: dict | None) -> str | None:
    """The role of the token that answered whoami: "read", "write", "fineGrained" (or None)."""
    auth = (whoami or {}).get("auth") or {}
    return (auth.get("accessToken") or {}).get("role")


def check_write_access(session: Any, request: PushRequest, repo_exists: bool) -> None:
    """Refuse before any upload when the token cannot push to `request.repo_id`.

    A read-only token is refused; so is a namespace that is neither the user nor one of their
    organizations (unless opening a pull request on an existing repo, which the Hub allows). For an
    existing repo the Hub's own write check (`auth_check`) has the last word.

    Raises:
        AccessDenied: With the reason, in one sentence.
    """
    info = session.whoami()
    if not info:
        raise AccessDenied(_("You are not logged in: log in with a write token to push."))
    if token_role(info) == "read":
        raise AccessDenied(
            _("Your token is read-only: nothing was uploaded. Log in with a token that has write access.")
        )
    namespace = request.repo_id.split("/", 1)[0]
    foreign = namespace not in session.namespaces()
    if foreign and not (request.create_pr and repo_exists):
        raise AccessDenied(
            _(
                "You cannot push to '{namespace}': it is neither your account nor one of your organizations. "
                "Nothing was uploaded."
            ).format(namespace=namespace)
        )
    if repo_exists and not request.create_pr:
        from huggingface_hub.errors import HfHubHTTPError

        try:
            session.api.auth_check(request.repo_id, repo_type=request.repo_type, write=True)
        except HfHubHTTPError as exc:
            # 401 and 403, whatever huggingface_hub named them (gated, disabled)
            if classify(exc).kind in ("invalid_token", "forbidden", "gated", "disabled"):
                raise AccessDenied(
                    _("Your token has no write access to {repo}: nothing was uploaded.").format(
                        repo=request.repo_id
                    )
                ) from None
            raise


# -- plan -------------------------------------------------------------------------------------------


def _remote_state(api: Any, request: PushRequest) -> tuple[bool, bool, str | None, str]:
    """(repo exists, branch exists, head commit compared against, base revision)."""
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    try:
        info = api.repo_info(request.repo_id, repo_type=request.repo_type, revision=request.revision)
        return True, True, info.sha, request.revision
    except RepositoryNotFoundError:
        return False, False, None, "main"
    except RevisionNotFoundError:
        info = api.repo_info(request.repo_id, repo_type=request.repo_type)
        return True, False, info.sha, "main"


def repo_exists(api: Any, request: PushRequest) -> bool:
    return _remote_state(api, request)[0]


def compute_plan(
    api: Any,
    request: PushRequest,
    *,
    files: list[tuple[str, str]] | None = None,
    skipped: list[Skipped] | None = None,
    cache: dict | None = None,
    on_bytes: Callable[[int], None] | None = None,
    check: Callable[[], None] | None = None,
    scan: bool = True,
    on_file: Callable[[LocalFile, RemoteFile | None], None] | None = None,
) -> PlanResult:
    """Compare the local files of `request` with the remote revision. Reads only; uploads nothing.

    Every file is read once (`hash_local_files`): its hashes and its secret findings come from the
    same read, and the upload later verifies it sends those very bytes. A missing repo counts as
    empty (when `create_repo` is set), a missing branch as a copy of `main`.

    Args:
        on_file: Receives each local file as soon as it is read, with the remote file at its path
            (the push uploads from there while the other files are still being read).

    Raises:
        ValidationError: If the repo is missing and `create_repo` is not set.
        ReadError: If a file cannot be read.
    """
    if files is None:
        files, skipped = list_local_tree(
            request.source,
            path_in_repo=request.path_in_repo,
            include=request.include,
            exclude=request.exclude,
        )
    exists, branch_exists, head, base = _remote_state(api, request)
    if not exists and not request.create_repo:
        raise ValidationError(
            _("Repository {repo} not found: tick 'Create if missing' to create it.").format(
                repo=request.repo_id
            )
        )
    remote: dict[str, RemoteFile] = {}
    deletable: list[str] = []
    if exists and head:
        paths = [path for path, _local in files]
        for start in range(0, len(paths), PATHS_INFO_CHUNK):
            chunk = paths[start : start + PATHS_INFO_CHUNK]
            remote.update(
                remote_files_from_hub(
                    api.get_paths_info(request.repo_id, chunk, repo_type=request.repo_type, revision=head)
                )
            )
        if request.delete_patterns:
            folder = request.path_in_repo.strip("/") or None
            from huggingface_hub.errors import EntryNotFoundError

            try:
                tree = remote_files_from_hub(
                    api.list_repo_tree(
                        request.repo_id,
                        path_in_repo=folder,
                        recursive=True,
                        repo_type=request.repo_type,
                        revision=head,
                    )
                )
            except EntryNotFoundError:
                tree = {}
            deletable = list(tree)
            remote.update(tree)
    # Which files the Hub routes to LFS by name: the default .gitattributes of a new repo, or the one
    # being pushed. (Remote files already stored as LFS are known from the tree; the Hub's preupload
    # answer decides at push time anyway.)
    lfs_patterns: list[str] = list(HUB_DEFAULT_LFS_PATTERNS)
    local_gitattributes = dict(files).get(".gitattributes")
    if local_gitattributes:
        with open(local_gitattributes, encoding="utf-8", errors="replace") as file:
            lfs_patterns = lfs_patterns_from_gitattributes(file.read())
    if check is not None:
        check()
    hashed = hash_local_files(
        files,
        remote=remote,
        lfs_patterns=lfs_patterns,
        cache=cache,
        on_bytes=on_bytes,
        check=check,
        scan=scan,
        on_file=None if on_file is None else (lambda local: on_file(local, remote.get(local.path_in_repo))),
    )
    plan = build_plan(
        hashed,
        remote,
        delete_patterns=request.delete_patterns,
        deletable=deletable,
        path_in_repo=request.path_in_repo,
        revision=request.revision,
        head=head,
        skipped=skipped or [],
    )
    return PlanResult(plan, files, exists, branch_exists, base)


_PLANNED_ADD: Any = None


def planned_add(path_in_repo: str, fileobj: CountingFile, local: LocalFile) -> Any:
    """A `CommitOperationAdd` of `fileobj` whose size, first bytes and sha256 come from the plan.

    `CommitOperationAdd` otherwise computes its `UploadInfo` itself (and, from a file object, reads
    and hashes the whole file again): here nothing is read.
    """
    global _PLANNED_ADD
    from huggingface_hub.lfs import UploadInfo

    if _PLANNED_ADD is None:
        from huggingface_hub import CommitOperationAdd

        class PlannedAdd(CommitOperationAdd):
            def __post_init__(self) -> None:
                if self.path_in_repo.startswith("/") or ".." in self.path_in_repo.split("/"):
                    raise ValueError(f"Invalid path_in_repo: {self.path_in_repo!r}")
                self.upload_info = self.path_or_fileobj.upload_info

        _PLANNED_ADD = PlannedAdd
    fileobj.upload_info = UploadInfo(
        size=local.size,
        sample=local.sample,
        sha256=bytes.fromhex(local.sha256) if local.sha256 else None,
        source_path=local.local_path,
    )
    return _PLANNED_ADD(path_in_repo=path_in_repo, path_or_fileobj=fileobj)


# -- push -------------------------------------------------------------------------------------------


class UploadFailed(HubWidgetsError):
    """The upload process stopped on an error (its one-line description, scrubbed of the token)."""


def _local_to_json(local: LocalFile) -> str:
    return json.dumps(
        {
            "path": local.path_in_repo,
            "local": local.local_path,
            "size": local.size,
            "sha256": local.sha256,
            "mtime_ns": local.mtime_ns,
            "sample": base64.b64encode(local.sample).decode(),
        }
    )


def upload_child_main() -> None:
    """Entry point of the upload process.

    stdin: one JSON line of settings (endpoint, token, repo), then one line per planned file, as the
    read pass finds them clean; stdout: progress, and per batch the upload mode the Hub chose for
    each file. Files are batched as they come into `preupload_lfs_files`, which sends the LFS
    contents (verified against the plan's sha256 as they are read) and nothing else: the commit is
    the kernel's.
    """
    from huggingface_hub import HfApi

    from hub_widgets.push.readpass import _lower_priority
    from hub_widgets.session import describe_error

    _lower_priority()
    out = sys.stdout.buffer
    write_lock = threading.Lock()

    def send(message: dict) -> None:
        with write_lock:
            out.write(json.dumps(message).encode() + b"\n")
            out.flush()

    settings = json.loads(sys.stdin.buffer.readline())
    token = settings.pop("token")
    api = HfApi(endpoint=settings["endpoint"], token=token, library_name="hub-widgets")
    last = [0.0]

    def progress(done_bytes: int, done_files: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.1:
            last[0] = now
            send({"bytes": done_bytes, "files": done_files})

    meter = TransferMeter(progress)
    incoming: queue.Queue = queue.Queue()

    def read_stdin() -> None:
        for line in sys.stdin.buffer:
            incoming.put(json.loads(line))
        incoming.put(None)

    threading.Thread(target=read_stdin, daemon=True).start()
    while (item := incoming.get()) is not None:
        batch = [item]
        while True:
            try:
                more = incoming.get_nowait()
            except queue.Empty:
                break
            if more is None:
                incoming.put(None)
                break
            batch.append(more)
        operations, locals_ = [], []
        for entry in batch:
            local = LocalFile(
                entry["path"],
                entry["local"],
                entry["size"],
                True,
                sha256=entry["sha256"],
                mtime_ns=entry["mtime_ns"],
                sample=base64.b64decode(entry["sample"]),
            )
            fileobj = CountingFile(
                local.local_path, local.size, meter, sha256=local.sha256, name=local.path_in_repo
            )
            operations.append(planned_add(local.path_in_repo, fileobj, local))
            locals_.append(local)
        try:
            api.preupload_lfs_files(
                settings["repo_id"],
                additions=operations,
                repo_type=settings["repo_type"],
                revision=settings["revision"],
                create_pr=settings["create_pr"],
                free_memory=False,
            )
            for operation, local in zip(operations, locals_, strict=True):
                # Read out of order (parts in parallel) the bytes could not be hashed as they left:
                # then the file must at least be as the plan read it.
                if (
                    operation._is_uploaded
                    and not operation.path_or_fileobj.verified
                    and not unchanged_on_disk(local)
                ):
                    raise FileChanged(operation.path_in_repo)
        except BaseException as exc:
            exc = _unwrap(exc)
            message = str(exc) if isinstance(exc, HubWidgetsError) else describe_error(exc, secrets=[token])
            send({"error": message})
            return
        finally:
            for operation in operations:
                operation.path_or_fileobj.release()
        send({"bytes": meter.done_bytes, "files": meter.done_files})
        send(
            {
                "done": [
                    {
                        "path": op.path_in_repo,
                        "mode": op._upload_mode,
                        "ignore": op._should_ignore,
                        "remote_oid": op._remote_oid,
                        "uploaded": op._is_uploaded,
                    }
                    for op in operations
                ]
            }
        )


class _Uploader:
    """Uploads files in a worker process while the read pass goes on: each file as soon as it is read clean.

    The LFS contents travel from the worker (`upload_child_main`), so sending a gigabyte never holds
    the kernel's GIL; regular files are only announced there and travel in the kernel's commit.
    The `CommitOperationAdd`s kept here carry the upload modes the worker reports, so the commit
    sends nothing twice. Nothing is committed here.
    """

    def __init__(
        self,
        api: Any,
        request: PushRequest,
        revision: str,
        meter: TransferMeter,
        check: Callable[[], None] | None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.meter, self._check, self._on_progress = meter, check, on_progress
        self.operations: dict[str, Any] = {}
        self.error: BaseException | None = None
        self.stopped = threading.Event()
        self._child_bytes = self._child_files = 0
        package_root = str(Path(__file__).resolve().parents[2])
        code = (
            f"import sys; sys.path.insert(0, {package_root!r}); "
            "import hub_widgets.push.upload as u; u.upload_child_main()"
        )
        self._process = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
        )
        settings = {
            "endpoint": api.endpoint,
            "token": api.token,  # through the pipe only: never in the command line or the environment
            "repo_id": request.repo_id,
            "repo_type": request.repo_type,
            "revision": revision,
            "create_pr": request.create_pr,
        }
        self._write(json.dumps(settings))
        self._reader = threading.Thread(target=self._read, daemon=True, name="hub-widgets-upload")
        self._reader.start()

    def _write(self, line: str) -> None:
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(line.encode() + b"\n")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # the worker stopped: its error (or the abort) says why

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            message = json.loads(line)
            if "bytes" in message:
                self._child_bytes, self._child_files = message["bytes"], message["files"]
                self._report()
            elif "done" in message:
                for done in message["done"]:
                    operation = self.operations[done["path"]]
                    operation._upload_mode = done["mode"]
                    operation._should_ignore = done["ignore"]
                    operation._remote_oid = done["remote_oid"]
                    operation._is_uploaded = done["uploaded"]
            elif "error" in message:
                self.error = UploadFailed(message["error"])
                self.stopped.set()

    def _report(self) -> None:
        if self._on_progress is not None:
            self._on_progress(
                self._child_bytes + self.meter.done_bytes, self._child_files + self.meter.done_files
            )

    def check(self) -> None:
        if self.stopped.is_set():
            raise CancelledError(_("Cancelled."))
        if self._check is not None:
            self._check()

    def add(self, local: LocalFile) -> None:
        """Queue `local` (read and scanned by the plan) for upload."""
        fileobj = CountingFile(
            local.local_path, local.size, self.meter, self.check, sha256=local.sha256, name=local.path_in_repo
        )
        self.operations[local.path_in_repo] = planned_add(local.path_in_repo, fileobj, local)
        self._write(_local_to_json(local))

    def finish(self) -> None:
        """Wait for every queued upload; raise the first error (or `CancelledError`)."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        while self._process.poll() is None:
            if self._check is not None:
                try:
                    self._check()
                except BaseException:
                    self.abort()
                    raise
            try:
                self._process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
        self._reader.join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        """Stop now: the worker is killed, whatever it was sending."""
        self.stopped.set()
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._reader.join(timeout=10)

    def release(self) -> None:
        for operation in self.operations.values():
            if isinstance(operation.path_or_fileobj, CountingFile):
                operation.path_or_fileobj.release()
        if self._process.poll() is None:
            self.abort()
        # The reader iterates stdout until EOF: closing the pipe under it raises in its thread.
        self._reader.join()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                pipe.close()


def _check_readable(files: list[tuple[str, str]]) -> None:
    # Before anything is created: a file that cannot even be opened would stop the push later.
    for path_in_repo, local in files:
        try:
            with open(local, "rb"):
                pass
        except OSError as exc:
            raise ValidationError(
                _("Cannot read {path}: {reason}. Nothing was uploaded.").format(
                    path=path_in_repo, reason=exc.strerror or type(exc).__name__
                )
            ) from None


def push(
    session: Any,
    request: PushRequest,
    *,
    planned: PlanResult | None = None,
    cache: dict | None = None,
    scan: bool = True,
    on_phase: Callable[[str], None] | None = None,
    on_start: Callable[[Plan], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_hash: Callable[[int], None] | None = None,
    on_hash_start: Callable[[int], None] | None = None,
    check: Callable[[], None] | None = None,
) -> PushResult:
    """Push `request` through `session`; blocking (run it on a worker).

    Nothing is created on the Hub until the push is known to be possible: access checked, every
    file listed, opened, read once (hashes + secret scan, in worker processes) and clean, so an
    empty folder, an unreadable file or a finding stop it with nothing created. Into an existing
    repo, each file is uploaded (not committed) as soon as it is read clean while the others are
    still being read; a finding stops the uploads and the push before the commit. Uploaded bytes
    are verified against the plan's hashes as they are sent; the LFS contents leave from a worker
    process, so the kernel's GIL stays free.

    Args:
        session: A `HubSession`.
        request: What to push where.
        planned: The plan the user saw (from `compute_plan`); its files must not have changed since.
            None: plan now.
        cache: A read cache shared with earlier plans (skips re-reading unchanged files).
        scan: Scan for secrets (off only for benchmarks: the override is `request.allow_secrets`).
        on_phase: Receives a short sentence for each phase.
        on_start: Receives the plan once it is complete (uploads may have started).
        on_progress: Receives `(bytes uploaded, files uploaded)`.
        on_hash_start: Receives the bytes to read before planning starts.
        on_hash: Receives bytes read while planning (increments).
        check: Raises `CancelledError` when the user cancelled; called often.

    Raises:
        ValidationError, AccessDenied, SecretsFound, FileChanged, CancelledError, or the client's errors.
    """
    from huggingface_hub import CommitOperationDelete

    def phase(text: str) -> None:
        if on_phase is not None:
            on_phase(text)

    def stop_if_cancelled() -> None:
        if check is not None:
            check()

    request.validate()
    api = session.api
    phase(_("Checking write access…"))
    exists, branch_exists, _head, base_revision = _remote_state(api, request)
    check_write_access(session, request, exists)
    stop_if_cancelled()

    if planned is None:
        files, skipped = list_local_tree(
            request.source,
            path_in_repo=request.path_in_repo,
            include=request.include,
            exclude=request.exclude,
        )
        _check_readable(files)
    else:
        files, skipped = planned.files, planned.plan.skipped
        plan = planned.plan
        if plan.findings and not request.allow_secrets:
            raise SecretsFound(plan.findings, planned)
        for entry in plan.to_upload:
            assert entry.local is not None
            if not unchanged_on_disk(entry.local):
                raise FileChanged(entry.path)
        if plan.is_empty and planned.repo_exists:
            return PushResult(plan=plan)
    if not exists:
        if not request.create_repo:
            raise ValidationError(
                _("Repository {repo} not found: tick 'Create if missing' to create it.").format(
                    repo=request.repo_id
                )
            )
        if not files:
            raise ValidationError(_("Nothing to push: there are no files to upload. Nothing was created."))
    stop_if_cancelled()

    meter = TransferMeter()
    uploader = _Uploader(api, request, base_revision, meter, check, on_progress)  # waits for files
    meter._on_progress = lambda _b, _f: uploader._report()
    created_repo = False
    try:
        try:
            if planned is None:
                blocked: list[LocalFile] = []

                def on_file(local: LocalFile, remote: RemoteFile | None) -> None:
                    # Into an existing repo, each file leaves as soon as it is read clean (nothing
                    # is committed before the whole plan is clean).
                    if remote is not None and same_content(local, remote):
                        return
                    if local.findings and not request.allow_secrets:
                        blocked.append(local)  # nothing more leaves: the push will stop
                    elif not blocked:
                        uploader.add(local)

                phase(_("Reading the files (hashes and secret scan)…"))
                if on_hash_start is not None:
                    on_hash_start(sum(os.path.getsize(local) for _path, local in files))
                try:
                    planned = compute_plan(
                        api,
                        request,
                        files=files,
                        skipped=skipped,
                        cache=cache,
                        on_bytes=on_hash,
                        check=check,
                        scan=scan,
                        on_file=on_file if exists else None,
                    )
                except ReadError as exc:
                    raise ValidationError(str(exc)) from None
                if planned.plan.findings and not request.allow_secrets:
                    raise SecretsFound(planned.plan.findings, planned)
            if not exists:  # only now is the upload known to be possible
                phase(_("Creating {repo}…").format(repo=request.repo_id))
                api.create_repo(
                    request.repo_id,
                    repo_type=request.repo_type,
                    private=request.private,
                    exist_ok=True,
                    space_sdk="static" if request.repo_type == "space" else None,
                )
                created_repo = True
            plan = planned.plan
            if on_start is not None:
                on_start(plan)
            for entry in plan.to_upload:
                if entry.path not in uploader.operations:
                    assert entry.local is not None
                    uploader.add(entry.local)
            phase(_("Uploading…"))
            uploader.finish()
            stop_if_cancelled()  # last point where cancelling leaves the repo as it was
            if plan.is_empty:
                return PushResult(plan=plan, created_repo=created_repo)

            created_branch = False
            if not branch_exists and request.revision != "main":
                api.create_branch(
                    request.repo_id,
                    branch=request.revision,
                    revision=plan.head,
                    repo_type=request.repo_type,
                    exist_ok=True,
                )
                created_branch = True
            phase(_("Creating the commit…"))
            deletions = [CommitOperationDelete(path_in_repo=e.path, is_folder=False) for e in plan.to_delete]
            info = api.create_commit(
                request.repo_id,
                operations=[*deletions, *(uploader.operations[e.path] for e in plan.to_upload)],
                commit_message=request.commit_message.strip() or _("Upload with hub-widgets"),
                commit_description=request.commit_description,
                repo_type=request.repo_type,
                revision=request.revision,
                create_pr=request.create_pr,
                parent_commit=plan.head if (plan.head and not request.create_pr) else None,
            )
        except (SecretsFound, ValidationError):
            raise
        except BaseException as exc:
            uploader.abort()
            if check is not None:
                try:
                    check()
                except CancelledError:
                    raise CancelledError(_("Cancelled.")) from None
            raise _unwrap(exc) from None
        finally:
            uploader.release()
    except BaseException:
        uploader.abort()
        if created_repo:  # created by this very push, holding nothing of the user's yet
            _delete_quietly(api, request)
        raise
    return PushResult(
        plan=plan,
        commit_url=info.commit_url,
        pr_url=info.pr_url,
        oid=info.oid,
        created_repo=created_repo,
        created_branch=created_branch,
    )


def _delete_quietly(api: Any, request: PushRequest) -> None:
    # The repo was created by this very push and holds nothing of the user's: cancelling removes it.
    try:
        api.delete_repo(request.repo_id, repo_type=request.repo_type, missing_ok=True)
    except Exception:
        pass
