"""Shared pieces of the sandbox benchmarks: an isolated client environment and a sandbox subprocess.

The sandbox runs as `python -m hub_widgets.sandbox` in its own process so that its memory can be sampled
apart from the client's.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TOKEN = "hf_sandbox_bench_write"
USER = "bench"


def isolate_client_env() -> str:
    """Point the client at a throwaway HF_HOME and off Xet/telemetry. Call before importing huggingface_hub."""
    if "huggingface_hub" in sys.modules:
        raise RuntimeError("isolate_client_env() must run before huggingface_hub is imported")
    home = tempfile.mkdtemp(prefix="hubw-bench-home-")
    atexit.register(shutil.rmtree, home, True)
    os.environ["HF_HOME"] = home
    os.environ["HF_HUB_DISABLE_XET"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "HF_ENDPOINT"):
        os.environ.pop(name, None)
    return home


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SandboxProcess:
    """`python -m hub_widgets.sandbox` in a subprocess, with an RSS sampler (process + children).

    Args:
        data_dir: Where the sandbox keeps its data.
        sample_interval: Seconds between RSS samples.
    """

    def __init__(self, data_dir: str | Path, sample_interval: float = 0.02):
        self.data_dir = str(data_dir)
        self.sample_interval = sample_interval
        self.endpoint = ""
        self.proc: subprocess.Popen | None = None
        self._peak = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sampler: threading.Thread | None = None

    def start(self, timeout: float = 60.0) -> SandboxProcess:
        port = free_port()
        cmd = [sys.executable, "-m", "hub_widgets.sandbox", "--host", "127.0.0.1", "--port", str(port)]
        # The bench user may also set the inference fault switches (token delay) over HTTP.
        cmd += ["--data", self.data_dir, "--user", f"{USER}={TOKEN}", "--admin", USER]
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                if self.proc.poll() is not None:
                    raise RuntimeError("sandbox exited early:\n" + "".join(seen))
                continue
            seen.append(line)
            match = re.search(r"Sandbox Hub running at (http://\S+)", line)
            if match:
                self.endpoint = match.group(1).rstrip("/")
                break
        else:
            self.stop()
            raise RuntimeError("sandbox did not report ready:\n" + "".join(seen))
        # Keep draining its output so a chatty server never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        return self

    def _drain(self) -> None:
        for _line in self.proc.stdout:
            pass

    def rss(self) -> int:
        """Current resident memory of the sandbox process and its children, in bytes."""
        import psutil

        try:
            root = psutil.Process(self.proc.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            value = self.rss()
            with self._lock:
                self._peak = max(self._peak, value)
            self._stop.wait(self.sample_interval)

    def reset_peak(self) -> int:
        """Start a new measuring window; returns the current RSS."""
        value = self.rss()
        with self._lock:
            self._peak = value
        return value

    @property
    def peak(self) -> int:
        with self._lock:
            return max(self._peak, self.rss())

    def stop(self) -> None:
        self._stop.set()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> SandboxProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def write_random_file(path: Path, size: int, block: bytes | None = None) -> str:
    """Write `size` pseudo-random bytes to `path` and return their sha256 (hex).

    Args:
        path: File to create.
        size: Number of bytes.
        block: Random block repeated to fill big files quickly (content need not be unique, only binary).
    """
    import hashlib

    digest = hashlib.sha256()
    chunk = block or os.urandom(min(size, 8 << 20) or 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        left = size
        while left > 0:
            piece = chunk[:left] if left < len(chunk) else chunk
            fh.write(piece)
            digest.update(piece)
            left -= len(piece)
    return digest.hexdigest()


def mb(nbytes: float) -> str:
    return f"{nbytes / (1 << 20):.1f} MiB"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"
