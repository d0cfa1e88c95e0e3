"""PushPanel throughput, secret-scan cost and kernel responsiveness, against sandboxes in subprocesses.

The data: 1 GiB (100 files + one 512 MiB file) of random bytes, scanned whole like any push.

F10 push with the full secret scan / the same push with scanning off (`upload.push(scan=False)`),
    into an existing (empty) repo; also printed: into a new repo                                  goal <= 1.1
F1  PushPanel push / HfApi.upload_folder of the same folder, into an existing (empty) repo        goal <= 1.0
    (also printed: the same into a new repo, created inside the timed push in both cases)
F2  PushPanel push / (2 x sha256 of the same data, timed in this run: one for the plan's read,
    one for the Hub's check of what it receives)                                                 goal <= 1.2
F4  kernel round-trip p95 (execute_request via jupyter_client) during a push / idle p95           goal <= 2.0
F3  (with --memory) kernel peak memory growth pushing one 2 GiB file                            goal <= 150 MB

Every timed push goes to a fresh sandbox (new data folder), so no run benefits from objects an
earlier run stored. Usage: `python bench/push.py [--runs N] [--memory]`; the size is
`HUB_WIDGETS_BENCH_PUSH_MB` (default 1024; e.g. 128 for a quick run; `--small` = 1/16).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "hf_bench_user_write_token"
USER = "bench"
MiB = 1024 * 1024

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ENV = {
    **os.environ,
    "HF_HOME": tempfile.mkdtemp(prefix="bench-push-home-"),
    "HF_HUB_DISABLE_XET": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
}
for name in ("HF_TOKEN", "HF_ENDPOINT", "HF_HUB_OFFLINE"):
    ENV.pop(name, None)
    os.environ.pop(name, None)
os.environ.update({k: v for k, v in ENV.items() if k.startswith("HF_")})

SANDBOX_SCRIPT = textwrap.dedent(
    f"""
    import os, sys, time
    os.nice(10)  # it stands for the remote Hub: its CPU is not the kernel's to compete with
    from hub_widgets.sandbox import SandboxHub
    hub = SandboxHub(data_dir=sys.argv[1], users={{"{USER}": "{TOKEN}"}}).start()
    print(hub.endpoint, flush=True)
    sys.stdin.read()
    hub.stop()
    """
)


class Sandbox:
    """A SandboxHub in its own process (its CPU and memory are not the pusher's)."""

    def __enter__(self) -> Sandbox:
        self.data = tempfile.mkdtemp(prefix="bench-sandbox-")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SANDBOX_SCRIPT, self.data],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=ENV,
            text=True,
        )
        self.endpoint = self.proc.stdout.readline().strip()
        if not self.endpoint.startswith("http"):
            raise RuntimeError("sandbox did not start")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except Exception:
            self.proc.kill()
        shutil.rmtree(self.data, ignore_errors=True)


def make_folder(root: Path, total: int, big: int, n_small: int = 100) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    small = (total - big) // n_small
    for i in range(n_small):
        (root / f"shard-{i:03d}.bin").write_bytes(os.urandom(small))
    with open(root / "big.bin", "wb") as file:
        for _ in range(big // (16 * MiB)):
            file.write(os.urandom(16 * MiB))
        file.write(os.urandom(big % (16 * MiB)))
    return root


def time_upload_folder(folder: Path, new_repo: bool) -> float:
    """`HfApi.upload_folder` (with `create_repo` in the time for a new repo)."""
    from huggingface_hub import HfApi

    with Sandbox() as sandbox:
        api = HfApi(endpoint=sandbox.endpoint, token=TOKEN)
        if not new_repo:
            api.create_repo(f"{USER}/plain")
        start = time.perf_counter()
        if new_repo:
            api.create_repo(f"{USER}/plain")
        api.upload_folder(repo_id=f"{USER}/plain", folder_path=folder)
        return time.perf_counter() - start


def time_panel(folder: Path, new_repo: bool) -> float:
    """A click on PushPanel's Push (no plan first), into a new repo (created by the push) or an empty one."""
    from huggingface_hub import HfApi

    from hub_widgets.push.panel import PushPanel
    from hub_widgets.session import HubSession

    with Sandbox() as sandbox:
        if not new_repo:
            HfApi(endpoint=sandbox.endpoint, token=TOKEN).create_repo(f"{USER}/panel")
        session = HubSession(endpoint=sandbox.endpoint, token=TOKEN)
        panel = PushPanel(source=str(folder), repo_id=f"{USER}/panel", session=session)
        time.sleep(0.2)  # let the namespace menu load, as it would before a user clicks
        start = time.perf_counter()
        panel.push_button.click()
        panel.wait()
        elapsed = time.perf_counter() - start
        if panel.status.kind != "success":
            raise RuntimeError(f"panel push failed: {panel.status.text}")
        session.close()
        return elapsed


def time_push(folder: Path, scan: bool, new_repo: bool) -> float:
    """`upload.push` itself (what PushPanel runs on its worker), with or without the secret scan."""
    from huggingface_hub import HfApi

    from hub_widgets.push.upload import PushRequest, push
    from hub_widgets.session import HubSession

    with Sandbox() as sandbox:
        repo_id = f"{USER}/scan-{int(scan)}"
        if not new_repo:
            HfApi(endpoint=sandbox.endpoint, token=TOKEN).create_repo(repo_id)
        session = HubSession(endpoint=sandbox.endpoint, token=TOKEN)
        request = PushRequest(source=str(folder), repo_id=repo_id, create_repo=True)
        start = time.perf_counter()
        result = push(session, request, scan=scan)
        elapsed = time.perf_counter() - start
        session.close()
        if result.commit_url is None:
            raise RuntimeError("push did nothing")
        return elapsed


def time_sha256(folder: Path) -> float:
    """sha256 of every file of the folder, read from the page cache, one after the other."""
    import hashlib

    start = time.perf_counter()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256()
            with open(path, "rb") as file:
                while chunk := file.read(8 * MiB):
                    digest.update(chunk)
    return time.perf_counter() - start


def time_cp(folder: Path) -> float:
    target = folder.parent / "copy"
    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(["cp", "-r", str(folder), str(target)], check=True)
    elapsed = time.perf_counter() - start
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


KERNEL_MEMORY_SCRIPT = textwrap.dedent(
    """
    import sys, threading, time, psutil
    from hub_widgets.push.panel import PushPanel
    from hub_widgets.session import HubSession
    endpoint, token, path, repo = sys.argv[1:5]
    process = psutil.Process()
    session = HubSession(endpoint=endpoint, token=token)
    panel = PushPanel(source=path, repo_id=repo, session=session)
    time.sleep(0.3)
    base = process.memory_info().rss
    peak = base
    done = threading.Event()
    def sample():
        global peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.02)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    panel.push_button.click()
    panel.wait()
    done.set(); sampler.join()
    print(peak - base, panel.status.kind, flush=True)
    """
)


def kernel_memory_growth(size: int, workdir: Path) -> int:
    path = workdir / "huge.bin"
    with open(path, "wb") as file:
        for _ in range(size // (16 * MiB)):
            file.write(os.urandom(16 * MiB))
    try:
        with Sandbox() as sandbox:
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    KERNEL_MEMORY_SCRIPT,
                    sandbox.endpoint,
                    TOKEN,
                    str(path),
                    f"{USER}/huge",
                ],
                capture_output=True,
                text=True,
                env=ENV,
                check=True,
            ).stdout.split()
        if out[1] != "success":
            raise RuntimeError("push in the memory probe failed")
        return int(out[0])
    finally:
        path.unlink(missing_ok=True)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def kernel_latency(folder: Path, samples: int = 60) -> tuple[float, float, int]:
    from jupyter_client.manager import start_new_kernel

    with Sandbox() as sandbox:
        env = {**ENV, "HF_ENDPOINT": sandbox.endpoint, "HF_TOKEN": TOKEN}
        km, kc = start_new_kernel(kernel_name="python3", env=env)
        try:

            def roundtrip(code: str = "pass") -> float:
                start = time.perf_counter()
                kc.execute_interactive(code, timeout=60, output_hook=lambda msg: None)
                return time.perf_counter() - start

            roundtrip(
                "from hub_widgets.push.panel import PushPanel\n"
                f"panel = PushPanel(source={str(folder)!r}, repo_id='{USER}/latency')\n"
                "import time; time.sleep(0.3)"
            )
            idle = []
            for _ in range(samples):
                idle.append(roundtrip())
                time.sleep(0.02)
            roundtrip("panel.push_button.click()")
            busy = []
            while True:
                busy.append(roundtrip())
                time.sleep(0.02)
                if len(busy) % 10 == 0:
                    reply = kc.execute_interactive(
                        "print(panel.task.done())", timeout=60, output_hook=_collect_stdout
                    )
                    if reply and _LAST_STDOUT and _LAST_STDOUT[-1].strip() == "True":
                        break
            roundtrip("assert panel.status.kind == 'success', panel.status.text")
            return p95(idle), p95(busy), len(busy)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


_LAST_STDOUT: list[str] = []


def _collect_stdout(msg: dict) -> None:
    if msg.get("msg_type") == "stream":
        _LAST_STDOUT.append(msg["content"]["text"])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", action="store_true", help="1/16 of the sizes (development)")
    parser.add_argument("--runs", type=int, default=2, help="timed runs of each push (median)")
    parser.add_argument("--memory", action="store_true", help="also F3 (pushes a 2x bigger file)")
    parser.add_argument("--only-f4", action="store_true", help="only F4 (development)")
    args = parser.parse_args()
    size_mb = int(os.environ.get("HUB_WIDGETS_BENCH_PUSH_MB", "1024")) // (16 if args.small else 1)
    total, big, huge = size_mb * MiB, size_mb * MiB // 2, 2 * size_mb * MiB

    work = Path(tempfile.mkdtemp(prefix="bench-push-"))
    try:
        folder = make_folder(work / "data", total, big)
        times: dict[str, list[float]] = {
            name: []
            for name in (
                *("plain", "panel", "plain_new", "panel_new"),
                *("scan", "noscan", "scan_new", "noscan_new", "sha256"),
            )
        }
        time_cp(folder)  # warm the page cache for everyone
        load = os.getloadavg()
        for _ in range(0 if args.only_f4 else args.runs):  # interleaved so that machine noise hits all alike
            times["plain"].append(time_upload_folder(folder, new_repo=False))
            times["panel"].append(time_panel(folder, new_repo=False))
            times["plain_new"].append(time_upload_folder(folder, new_repo=True))
            times["panel_new"].append(time_panel(folder, new_repo=True))
            times["scan"].append(time_push(folder, scan=True, new_repo=False))
            times["noscan"].append(time_push(folder, scan=False, new_repo=False))
            times["scan_new"].append(time_push(folder, scan=True, new_repo=True))
            times["noscan_new"].append(time_push(folder, scan=False, new_repo=True))
            times["sha256"].append(time_sha256(folder))
        med = {name: statistics.median(values or [1.0]) for name, values in times.items()}
        results = {
            "F10": med["scan"] / med["noscan"],
            "F10_new_repo": med["scan_new"] / med["noscan_new"],
            "F1": med["panel"] / med["plain"],
            "F1_new_repo": med["panel_new"] / med["plain_new"],
            "F2": med["panel"] / (2 * med["sha256"]),
        }
        print(
            f"data: {total / MiB:.0f} MiB in 101 files (largest {big / MiB:.0f} MiB); {args.runs} runs each; "
            f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
        )
        print(
            f"into an existing repo: upload_folder {med['plain']:.2f} s, PushPanel {med['panel']:.2f} s; "
            f"new repo: upload_folder {med['plain_new']:.2f} s, PushPanel {med['panel_new']:.2f} s"
        )
        print(
            f"upload.push scan on / off: existing repo {med['scan']:.2f} / {med['noscan']:.2f} s, "
            f"new repo {med['scan_new']:.2f} / {med['noscan_new']:.2f} s; sha256 of the data {med['sha256']:.2f} s"
        )
        print(
            f"F10 push scan on / off          = {results['F10']:.3f} (goal <= 1.1): {verdict(results['F10'] <= 1.1)}"
        )
        print(
            f"F1  PushPanel / upload_folder    = {results['F1']:.3f} (goal <= 1.0): {verdict(results['F1'] <= 1.0)}"
        )
        print(
            f"F2  PushPanel / (2 x sha256)     = {results['F2']:.3f} (goal <= 1.2): {verdict(results['F2'] <= 1.2)}"
        )

        idle, busy, n = kernel_latency(folder)
        results["F4"] = busy / idle
        print(
            f"F4  kernel round-trip p95 during push / idle = {busy * 1000:.1f} ms / {idle * 1000:.1f} ms = "
            f"{results['F4']:.2f} over {n} samples (goal <= 2.0): {verdict(results['F4'] <= 2.0)}"
        )
        if args.memory:
            growth = kernel_memory_growth(huge, work)
            results["F3_MB"] = growth / 1e6
            print(
                f"F3  peak memory growth pushing {huge / MiB:.0f} MiB = {growth / 1e6:.1f} MB (goal <= 150 MB): "
                f"{verdict(growth <= 150e6)}"
            )
        print(json.dumps(results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
