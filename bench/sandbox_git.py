"""git push / git clone against the sandbox Hub, compared with upload_folder / snapshot_download.

Content of the same shape (1,000 small text files + one 200 MB LFS file; fresh bytes for each side, as
the store dedupes) is pushed with `git push` (git-lfs
uploads the big file through the LFS batch API) and with `upload_folder` to a second repo; then each
repo is fetched back, with `git clone` and with `snapshot_download`. The sandbox runs in a subprocess
whose RSS is sampled every 20 ms: its peak while receiving the git push must stay under 200 MB.

Usage (from the repo root; needs git and git-lfs):
    .venv/bin/python bench/sandbox_git.py            # full size
    .venv/bin/python bench/sandbox_git.py --small    # 100 small files, 20 MB LFS file
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sandbox_common import (  # noqa: E402
    TOKEN,
    USER,
    SandboxProcess,
    isolate_client_env,
    mb,
    verdict,
    write_random_file,
)

RSS_GOAL = 200 * 1000 * 1000  # "under 200 MB"


def make_content(root: Path, small_files: int, big: int) -> None:
    for i in range(small_files):
        path = root / "data" / f"{i // 100:02d}" / f"file-{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"small file {i}\n" + os.urandom(256).hex() + "\n")
    write_random_file(root / "model.bin", big)  # *.bin is LFS-tracked by a new repo's .gitattributes


def git_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_AUTHOR_NAME=USER,
        GIT_AUTHOR_EMAIL=f"{USER}@example.invalid",
        GIT_COMMITTER_NAME=USER,
        GIT_COMMITTER_EMAIL=f"{USER}@example.invalid",
    )
    return env


def run(env: dict[str, str], *args: str, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True, timeout=1800)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="100 small files and a 20 MB LFS file")
    args = parser.parse_args()
    small_files, big = (100, 20_000_000) if args.small else (1000, 200_000_000)
    if shutil.which("git-lfs") is None:
        print("git-lfs is missing: apt-get install -y git-lfs")
        return 2
    isolate_client_env()
    from huggingface_hub import HfApi, snapshot_download

    work = Path(tempfile.mkdtemp(prefix="hubw-bench-git-"))
    try:
        # Two contents of the same shape: the store dedupes objects, so the second push must not find the
        # first one's objects stored already.
        content, other = work / "content", work / "content-api"
        make_content(content, small_files, big)
        make_content(other, small_files, big)
        home = work / "home"
        home.mkdir()
        env = git_env(home)
        run(env, "git", "lfs", "install")
        with SandboxProcess(work / "data") as server:
            api = HfApi(endpoint=server.endpoint, token=TOKEN)
            api.create_repo(f"{USER}/via-git")
            api.create_repo(f"{USER}/via-api")
            auth_url = server.endpoint.replace("http://", f"http://{USER}:{TOKEN}@")

            clone = work / "push-clone"
            run(env, "git", "clone", f"{auth_url}/{USER}/via-git", str(clone))
            shutil.copytree(content, clone, dirs_exist_ok=True)
            add = run(env, "git", "add", "-A", cwd=clone)
            add += run(env, "git", "commit", "-q", "-m", "Add the content", cwd=clone)
            server.reset_peak()
            push = run(env, "git", "push", "-q", cwd=clone)
            push_rss = server.peak

            start = time.perf_counter()
            api.upload_folder(repo_id=f"{USER}/via-api", folder_path=other)
            upload = time.perf_counter() - start

            clone_time = run(env, "git", "clone", "-q", f"{auth_url}/{USER}/via-git", str(work / "clone"))
            start = time.perf_counter()
            snapshot_download(
                f"{USER}/via-api", cache_dir=work / "cache", token=TOKEN, endpoint=server.endpoint
            )
            download = time.perf_counter() - start
            got = (work / "clone" / "model.bin").stat().st_size
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"content: {small_files} small files + one {mb(big)} LFS file")
    print(f"git add + commit (client only): {add:6.2f} s")
    print(
        f"git push:                       {push:6.2f} s   upload_folder: {upload:6.2f} s   ratio {push / upload:.2f}"
    )
    print(
        f"git clone:                      {clone_time:6.2f} s   snapshot_download: {download:6.2f} s   "
        f"ratio {clone_time / download:.2f}"
    )
    print(f"cloned LFS file: {mb(got)} (expected {mb(big)})")
    ok = push_rss < RSS_GOAL
    print(f"sandbox peak RSS during git push: {mb(push_rss)} (goal < 200 MB) {verdict(ok)}")
    return 0 if ok and got == big else 1


if __name__ == "__main__":
    raise SystemExit(main())
