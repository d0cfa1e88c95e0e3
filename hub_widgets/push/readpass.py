"""The plan's single read pass: each file is read once, hashed and scanned for secrets from the same bytes.

Runs in worker processes (spawned): pattern matching holds the GIL, and in the kernel's process it
would stall the kernel for the length of the pass. A worker reads a file in chunks, hashes each chunk
on a thread (hashlib releases the GIL) while its main thread scans the same chunk, and reports
progress and one `ReadResult` per file through a queue. Files are shared between the workers
largest first; cancelling terminates them.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import queue
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from hub_widgets.push.secrets import CHUNK, FileScanner, Finding

SAMPLE_SIZE = 512
#: Worker processes; the pass is CPU-bound (hash + scan), so more than the cores would only contend.
MAX_PROCESSES = 2
PROGRESS_EVERY = 16 * 1024 * 1024


@dataclass(frozen=True)
class ReadJob:
    """One file to read: where it goes, where it is, and which hashes the plan needs."""

    index: int
    path_in_repo: str
    local_path: str
    sha1: bool = False
    sha256: bool = True
    scan: bool = True


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


def _worker(jobs: multiprocessing.Queue, results: multiprocessing.Queue) -> None:
    unreported = 0

    def progress(n: int) -> None:
        nonlocal unreported
        unreported += n
        if unreported >= PROGRESS_EVERY:
            results.put(("bytes", unreported))
            unreported = 0

    while (job := jobs.get()) is not None:
        try:
            result = read_file(job, progress)
        except Exception as exc:  # a scanner bug must not hang the pass: report it as a read error
            result = ReadResult(job.index, error=type(exc).__name__)
        if unreported:
            results.put(("bytes", unreported))
            unreported = 0
        results.put(("file", result))
    if unreported:
        results.put(("bytes", unreported))
    results.put(("exit", None))


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

    Args:
        jobs: The files.
        processes: Worker processes (default: up to `MAX_PROCESSES`, at most one a file).
        on_bytes: Progress (bytes read), called from the calling thread.
        on_result: Receives each file's result as soon as it is read (in completion order).
        check: Called while waiting; may raise (cancellation) — the workers are then terminated.
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
    context = multiprocessing.get_context("spawn")
    job_queue = context.Queue()
    result_queue = context.Queue()
    for job in sorted(jobs, key=lambda j: -_size(j.local_path)):  # largest first: the workers end together
        job_queue.put(job)
    for _ in range(count):
        job_queue.put(None)
    workers = [
        context.Process(target=_worker, args=(job_queue, result_queue), daemon=True, name="hub-widgets-read")
        for _ in range(count)
    ]
    for worker in workers:
        worker.start()
    by_index: dict[int, ReadResult] = {}
    exited = 0
    try:
        while exited < count:
            if check is not None:
                check()
            try:
                kind, value = result_queue.get(timeout=0.2)
            except queue.Empty:
                if not any(w.is_alive() for w in workers):
                    raise RuntimeError("the read pass stopped unexpectedly") from None
                continue
            if kind == "bytes" and on_bytes is not None:
                on_bytes(value)
            elif kind == "file":
                by_index[value.index] = value
                if on_result is not None:
                    on_result(value)
            elif kind == "exit":
                exited += 1
    finally:
        for worker in workers:
            if worker.is_alive() and exited < count:
                worker.terminate()
        for worker in workers:
            worker.join(timeout=5)
        for q in (job_queue, result_queue):
            q.close()
            q.cancel_join_thread()
    return [by_index.get(job.index) or ReadResult(job.index, error="no result") for job in jobs]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
