"""Concurrent load on the sandbox Hub: 8 `upload_folder` pushes to different repos and 50 downloads at once.

Every pushed file is read back and compared by sha256, every download is checked against the file it
should be. Prints the error count (goal: 0), the integrity check and timings.

Usage (from the repo root):
    .venv/bin/python bench/sandbox_load.py            # 8 x 24 files (~6 MiB per push), 50 downloads
    .venv/bin/python bench/sandbox_load.py --small    # 8 x 6 files, 50 downloads of small files
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sandbox_common import TOKEN, SandboxProcess, isolate_client_env, mb, verdict  # noqa: E402

PUSHES = 8
DOWNLOADS = 50


def make_push_folder(root: Path, index: int, files: int, lfs_size: int) -> dict[str, str]:
    """A folder of text files (regular uploads) and binary files (LFS); returns {path: sha256}."""
    hashes = {}
    for i in range(files):
        if i % 3 == 0:
            rel, data = f"bin/w{i:02d}.bin", os.urandom(lfs_size)
        else:
            rel, data = f"text/t{i:02d}.txt", (f"push {index} file {i}\n" * (200 + i)).encode()
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        hashes[rel] = hashlib.sha256(data).hexdigest()
    return hashes


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", action="store_true", help="quick run with fewer, smaller files")
    args = parser.parse_args()

    isolate_client_env()
    from huggingface_hub import HfApi, hf_hub_download, snapshot_download

    files, lfs_size = (6, 64 << 10) if args.small else (24, 700 << 10)
    work = Path(tempfile.mkdtemp(prefix="hubw-bench-load-"))
    errors: list[str] = []
    errors_lock = threading.Lock()

    def record(kind: str, exc: BaseException) -> None:
        with errors_lock:
            errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            if len(errors) <= 3:
                traceback.print_exception(exc)

    try:
        with SandboxProcess(work / "data") as server:
            api = HfApi(endpoint=server.endpoint, token=TOKEN)

            # Content for the downloads, pushed before the storm starts.
            source_repo = api.create_repo("load-source").repo_id
            source_dir = work / "source"
            source_hashes = make_push_folder(source_dir, 99, max(files, 10), lfs_size)
            api.upload_folder(repo_id=source_repo, folder_path=source_dir)
            source_files = sorted(source_hashes)

            push_dirs = {}
            push_hashes = {}
            for i in range(PUSHES):
                push_dirs[i] = work / f"push{i}"
                push_hashes[i] = make_push_folder(push_dirs[i], i, files, lfs_size)
            total_bytes = sum(
                p.stat().st_size for d in push_dirs.values() for p in d.rglob("*") if p.is_file()
            )
            repos = {i: api.create_repo(f"load-{i}").repo_id for i in range(PUSHES)}

            def push(i: int) -> float:
                start = time.perf_counter()
                api.upload_folder(repo_id=repos[i], folder_path=push_dirs[i], commit_message=f"push {i}")
                return time.perf_counter() - start

            def download(n: int) -> float:
                rel = source_files[n % len(source_files)]
                start = time.perf_counter()
                path = hf_hub_download(
                    source_repo, rel, endpoint=server.endpoint, token=TOKEN, cache_dir=work / f"cache{n}"
                )
                if sha256_file(path) != source_hashes[rel]:
                    raise ValueError(f"download {n} of {rel} is corrupt")
                return time.perf_counter() - start

            server.reset_peak()
            start = time.perf_counter()
            push_times: list[float] = []
            download_times: list[float] = []
            with ThreadPoolExecutor(max_workers=PUSHES + DOWNLOADS) as pool:
                push_futures = [pool.submit(push, i) for i in range(PUSHES)]
                download_futures = [pool.submit(download, n) for n in range(DOWNLOADS)]
                for future in push_futures:
                    try:
                        push_times.append(future.result())
                    except Exception as exc:
                        record("push", exc)
                for future in download_futures:
                    try:
                        download_times.append(future.result())
                    except Exception as exc:
                        record("download", exc)
            wall = time.perf_counter() - start
            peak = server.peak

            # Read every pushed file back and compare.
            intact_files = 0
            expected_files = sum(len(h) for h in push_hashes.values())
            for i, repo_id in repos.items():
                try:
                    folder = Path(
                        snapshot_download(
                            repo_id, endpoint=server.endpoint, token=TOKEN, cache_dir=work / "verify"
                        )
                    )
                    for rel, digest in push_hashes[i].items():
                        if (folder / rel).is_file() and sha256_file(folder / rel) == digest:
                            intact_files += 1
                        else:
                            errors.append(f"verify: {repo_id}/{rel} missing or corrupt")
                    if len(api.list_repo_commits(repo_id)) < 1:
                        errors.append(f"verify: {repo_id} has no commit")
                except Exception as exc:
                    record("verify", exc)

        print()
        print("=" * 72)
        print(f"sandbox load benchmark ({'small' if args.small else 'full'} size)")
        print(f"  concurrent pushes                {PUSHES} x {files} files ({mb(total_bytes)} in total)")
        print(f"  concurrent downloads             {DOWNLOADS}")
        print(f"  wall time                        {wall:.2f} s")
        if push_times:
            print(f"  push time min/max                {min(push_times):.2f} / {max(push_times):.2f} s")
        if download_times:
            ordered = sorted(download_times)
            print(
                f"  download time median/max         {ordered[len(ordered) // 2]:.3f} / {ordered[-1]:.3f} s"
            )
        print(f"  server peak RSS                  {mb(peak)}")
        print(f"  files verified intact            {intact_files}/{expected_files}")
        print(f"  errors                           {len(errors)}   goal 0   {verdict(not errors)}")
        for line in errors[:10]:
            print(f"    - {line[:200]}")
        print("=" * 72)
        return 0 if not errors and intact_files == expected_files else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
