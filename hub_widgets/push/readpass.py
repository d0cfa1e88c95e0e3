"""The plan's single read pass: each file is read once, hashed and scanned for secrets from the same bytes.

Runs in worker processes: pattern matching holds the GIL, and in the kernel's process it would stall
the kernel for the length of the pass. A worker reads a file in chunks, hashes each chunk on a thread
(hashlib releases the GIL) while its main thread scans the same chunk, and reports progress and one
`ReadResult` per file as JSON lines on its stdout. Files are shared between the workers largest
first; cancelling kills them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hub_widgets.push.plan import is_lfs
from hub_widgets.push.secrets import CHUNK, FileScanner, Finding

SAMPLE_SIZE = 512
#: Worker processes; the pass is CPU-bound (hash + scan), so more than the cores would only contend.
MAX_PROCESSES = 2
PROGRESS_EVERY = 16 * 1024 * 1024
WORKER_NICE = 10


@dataclass(frozen=True)
class ReadJob:
    """One file to read: where it goes, where it is, and which hashes the plan needs."""

    index: int
    path_in_repo: str
    local_path: str
    sha1: bool | None = (
        False  # None: only if the Hub will store it as a regular file (decided on its first bytes)
    )
    sha256: bool = True
    scan: bool = True
    lfs_patterns: tuple[str, ...] | list[str] = ()


@dataclass
class ReadResult:
    """What one read of a file produced; `error` is set (one line) when it could not be read."""

    index: int
    size: int = 0
    mtime_ns: int = 0
    sample: bytes = b""
    sha1: str | None = None
    sha256: str | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None


class FileChanged(Exception):
    """The file changed while it was being read."""


def read_file(job: ReadJob, on_bytes: Callable[[int], None] | None = None) -> ReadResult:
    """Read `job.local_path` once: sample, git blob sha1 and/or sha256, and secret findings.

    Args:
        job: The file and what to compute.
        on_bytes: Called with the number of bytes read after each chunk.
    """
    result = ReadResult(job.index)
    try:
        with open(job.local_path, "rb") as file:
            stat = os.fstat(file.fileno())
            result.size, result.mtime_ns = stat.st_size, stat.st_mtime_ns
            h1 = hashlib.sha1(b"blob %d\0" % stat.st_size, usedforsecurity=False) if job.sha1 else None
            h256 = hashlib.sha256() if job.sha256 else None
            auto_sha1 = job.sha1 is None
            scanner = FileScanner(job.path_in_repo) if job.scan else None

            def digest(chunk: bytes) -> None:
                if h1 is not None:
                    h1.update(chunk)
                if h256 is not None:
                    h256.update(chunk)

            total = 0
            with ThreadPoolExecutor(1, thread_name_prefix="hub-widgets-hash") as hasher:
                pending = None
                while chunk := file.read(CHUNK):
                    if not total:
                        result.sample = chunk[:SAMPLE_SIZE]
                        if auto_sha1 and not is_lfs(
                            job.path_in_repo, stat.st_size, result.sample, job.lfs_patterns
                        ):
                            h1 = hashlib.sha1(b"blob %d\0" % stat.st_size, usedforsecurity=False)
                    if pending is not None:
                        pending.result()
                    pending = hasher.submit(digest, chunk)  # hashes while this thread scans
                    if scanner is not None:
                        scanner.feed(chunk)
                    total += len(chunk)
                    if on_bytes is not None:
                        on_bytes(len(chunk))
                if pending is not None:
                    pending.result()
            after = os.fstat(file.fileno())
            if total != stat.st_size or (after.st_size, after.st_mtime_ns) != (
                stat.st_size,
                stat.st_mtime_ns,
            ):
                raise FileChanged(job.local_path)
            result.sha1 = h1.hexdigest() if h1 is not None else None
            result.sha256 = h256.hexdigest() if h256 is not None else None
            if scanner is not None:
                result.findings = scanner.close()
    except FileChanged:
        result.error = "changed"
    except OSError as exc:
        result.error = exc.strerror or type(exc).__name__
    return result


def _to_json(result: ReadResult) -> str:
    data = asdict(result)
    data["sample"] = base64.b64encode(result.sample).decode()
    return json.dumps(data)


def _from_json(line: bytes) -> ReadResult:
    data = json.loads(line)
    data["sample"] = base64.b64decode(data["sample"])
    data["findings"] = [Finding(**f) for f in data["findings"]]
    return ReadResult(**data)


def child_main() -> None:
    """Entry point of a worker process: jobs as JSON on stdin, one JSON message a line on stdout."""
    _lower_priority()
    out = sys.stdout.buffer
    jobs = [ReadJob(**job) for job in json.loads(sys.stdin.buffer.read())]
    unreported = 0

    def progress(n: int) -> None:
        nonlocal unreported
        unreported += n
        if unreported >= PROGRESS_EVERY:
            out.write(b'{"bytes": %d}\n' % unreported)
            out.flush()
            unreported = 0

    for job in jobs:
        try:
            result = read_file(job, progress)
        except Exception as exc:  # a scanner bug must not hang the pass: report it as a read error
            result = ReadResult(job.index, error=type(exc).__name__)
        if unreported:
            out.write(b'{"bytes": %d}\n' % unreported)
            unreported = 0
        out.write(b'{"file": %s}\n' % _to_json(result).encode())
        out.flush()


def _lower_priority() -> None:
    """Workers yield the CPU to the kernel: its round trips stay quick while they hash, scan and send."""
    try:
        os.nice(WORKER_NICE)
    except (AttributeError, OSError):
        pass


def _share(jobs: Sequence[ReadJob], count: int) -> list[list[ReadJob]]:
    """Jobs split between `count` workers, largest first to the least loaded, so they end together."""
    shares: list[list[ReadJob]] = [[] for _ in range(count)]
    loads = [0] * count
    for job in sorted(jobs, key=lambda j: -_size(j.local_path)):
        least = loads.index(min(loads))
        shares[least].append(job)
        loads[least] += _size(job.local_path) + 1
    return [share for share in shares if share]


def run_read_pass(
    jobs: Sequence[ReadJob],
    *,
    processes: int | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_result: Callable[[ReadResult], None] | None = None,
    check: Callable[[], None] | None = None,
    in_process: bool = False,
) -> list[ReadResult]:
    """Read every job's file once (hash + scan), in worker processes; results in `jobs` order.

    The workers are plain `python` processes running `child_main` (not multiprocessing's spawn,
    which would re-import the user's main script in each of them).

    Args:
        jobs: The files.
        processes: Worker processes (default: up to `MAX_PROCESSES`, at most one a file).
        on_bytes: Progress (bytes read), called from the calling thread.
        on_result: Receives each file's result as soon as it is read (in completion order).
        check: Called while waiting; may raise (cancellation) — the workers are then killed.
        in_process: Read here instead (tiny jobs: starting a process would cost more than the pass).
    """
    if not jobs:
        return []
    if in_process:
        results = []
        for job in jobs:
            if check is not None:
                check()
            results.append(read_file(job, on_bytes))
            if on_result is not None:
                on_result(results[-1])
        return results
    count = max(1, min(processes or MAX_PROCESSES, len(jobs), os.cpu_count() or 1))
    package_root = str(Path(__file__).resolve().parents[2])
    code = f"import sys; sys.path.insert(0, {package_root!r}); import hub_widgets.push.readpass as r; r.child_main()"
    workers = []
    by_index: dict[int, ReadResult] = {}
    try:
        for share in _share(jobs, count):
            worker = subprocess.Popen(
                [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True
            )
            workers.append(worker)
            assert worker.stdin is not None
            worker.stdin.write(json.dumps([asdict(job) for job in share]).encode())
            worker.stdin.close()
        # One reader thread a worker (select() does not take pipes everywhere); lines come here.
        lines: queue.Queue = queue.Queue()

        def pump(pipe: Any) -> None:
            for line in pipe:
                lines.put(line)
            lines.put(None)

        for worker in workers:
            threading.Thread(target=pump, args=(worker.stdout,), daemon=True, name="hub-widgets-read").start()
        running = len(workers)
        while running:
            if check is not None:
                check()
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                running -= 1
            elif line.startswith(b'{"bytes"'):
                if on_bytes is not None:
                    on_bytes(json.loads(line)["bytes"])
            else:
                result = _from_json(line[len(b'{"file": ') : -2])
                by_index[result.index] = result
                if on_result is not None:
                    on_result(result)
    finally:
        for worker in workers:
            if worker.poll() is None and len(by_index) < len(jobs):
                worker.kill()
        for worker in workers:
            worker.wait(timeout=10)
            if worker.stdout is not None:
                worker.stdout.close()
    return [by_index.get(job.index) or ReadResult(job.index, error="no result") for job in jobs]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
