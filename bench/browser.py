"""F5: RepoBrowser on a big repo, and search over many repos, against a local SandboxHub.

- Files view: a repo with 20,000 small files (20 folders x 1000 files + a few top-level files, made
  in one commit). Measures the time from `RepoBrowser(repo_id=...)` to the first complete Files view
  (refs in the revision menu + the root folder in the tree), and the bytes of widget messages sent to
  the frontend for that view (every comm open + update, captured by a comm factory). Goals: <= 0.5 s
  and <= 256 KB.
- Search: 5,000 repos; time from `search()` to the results shown, for a few queries, next to the
  bare `list_models` call it makes (ratio = widget overhead).

Usage: python bench/browser.py [--small]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

_HOME = tempfile.mkdtemp(prefix="hubw-bench-home-")
os.environ.update(
    HF_HOME=_HOME,
    HF_HUB_DISABLE_TELEMETRY="1",
    HF_HUB_DISABLE_XET="1",
    HF_HUB_DISABLE_PROGRESS_BARS="1",
)
for _name in ("HF_TOKEN", "HF_ENDPOINT", "HF_HUB_OFFLINE"):
    os.environ.pop(_name, None)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import comm  # noqa: E402
from comm import DummyComm  # noqa: E402
from huggingface_hub import CommitOperationAdd, HfApi  # noqa: E402

TOKEN = "hf_bench_alice_write"
FILES_GOAL_S = 0.5
BYTES_GOAL = 256 * 1024


class CountingComm(DummyComm):
    """A comm that records the size of every message the kernel would send to the frontend."""

    sent_bytes = 0
    messages = 0

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        size = len(json.dumps({"msg_type": msg_type, "data": data, "metadata": metadata}, default=str))
        size += sum(len(b) for b in buffers or [])
        CountingComm.sent_bytes += size
        CountingComm.messages += 1


def install_counting_comm() -> None:
    comm.create_comm = lambda *args, **kwargs: CountingComm(*args, **kwargs)


def build_big_repo(api: HfApi, repo_id: str, folders: int, per_folder: int) -> float:
    api.create_repo(repo_id, exist_ok=True)
    ops = [CommitOperationAdd(f"top-{i}.txt", f"top {i}\n".encode()) for i in range(3)]
    ops.append(CommitOperationAdd("README.md", b"---\nlicense: mit\n---\n# Big repo\n"))
    for f in range(folders):
        for i in range(per_folder):
            ops.append(CommitOperationAdd(f"part-{f:02d}/file-{i:05d}.txt", f"{f}/{i}\n".encode()))
    start = time.perf_counter()
    api.create_commit(repo_id, ops, commit_message=f"{len(ops)} files")
    return time.perf_counter() - start


def build_many_repos(api: HfApi, count: int) -> float:
    def make(i: int) -> None:
        api.create_repo(f"alice/search-{i:05d}", exist_ok=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(make, range(count)))
    return time.perf_counter() - start


def files_view(session, repo_id: str) -> tuple[float, int, int, list]:
    from hub_widgets.browser.panel import RepoBrowser

    CountingComm.sent_bytes = CountingComm.messages = 0
    start = time.perf_counter()
    browser = RepoBrowser(repo_id=repo_id, session=session)
    browser.files.refs_task.wait(60)
    browser.files.tree_tasks[""].wait(60)
    elapsed = time.perf_counter() - start
    return elapsed, CountingComm.sent_bytes, CountingComm.messages, browser.files.tree.options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="1/10 of the sizes, for development")
    args = parser.parse_args()
    folders, per_folder = 20, (100 if args.small else 1000)
    n_repos = 500 if args.small else 5000

    from hub_widgets.sandbox import SandboxHub
    from hub_widgets.session import HubSession

    data = tempfile.mkdtemp(prefix="hubw-bench-sandbox-")
    with SandboxHub(data_dir=data, users={"alice": TOKEN}) as hub:
        api = HfApi(endpoint=hub.endpoint, token=TOKEN)
        session = HubSession(endpoint=hub.endpoint, token=TOKEN)
        install_counting_comm()

        n_files = folders * per_folder + 4
        repo_id = "alice/big-repo"
        seconds = build_big_repo(api, repo_id, folders, per_folder)
        print(f"created {repo_id}: {n_files} files in one commit in {seconds:.1f} s")
        top = list(api.list_repo_tree(repo_id))
        print(f"top level: {len(top)} entries ({sum(1 for e in top if hasattr(e, 'tree_id'))} folders)")

        runs = [files_view(session, repo_id) for _ in range(5)]
        times = [r[0] for r in runs]
        first_time, first_bytes, first_messages, options = runs[0]
        median = statistics.median(times)
        assert len(options) == len(top), (len(options), len(top))
        print("\nF5 Files view (RepoBrowser(repo_id=...) -> refs + root tree shown)")
        print(
            f"  first run {first_time:.3f} s; median of {len(times)} runs {median:.3f} s; goal <= {FILES_GOAL_S} s"
        )
        print(
            f"  ratio median / goal = {median / FILES_GOAL_S:.2f}: {'PASS' if median <= FILES_GOAL_S else 'MISS'}"
        )
        print(
            f"  widget messages for the view: {first_messages}, {first_bytes / 1024:.1f} KB; goal <= 256 KB"
        )
        print(
            f"  ratio bytes / goal = {first_bytes / BYTES_GOAL:.2f}: {'PASS' if first_bytes <= BYTES_GOAL else 'MISS'}"
        )

        start = time.perf_counter()
        everything = list(api.list_repo_tree(repo_id, recursive=True))
        naive = time.perf_counter() - start
        print(
            f"  for comparison, the whole recursive listing ({len(everything)} entries) alone takes {naive:.3f} s"
            f" ({naive / median:.1f}x the lazy view)"
        )

        # A folder of 1000 files: one more request and state for PAGE_SIZE rows.
        from hub_widgets.browser.panel import RepoBrowser

        browser = RepoBrowser(repo_id=repo_id, session=session)
        browser.files.tree_tasks[""].wait(60)
        CountingComm.sent_bytes = 0
        start = time.perf_counter()
        browser.files.open_folder("part-00").wait(60)
        print(
            f"  opening a folder of {per_folder} files: {time.perf_counter() - start:.3f} s, "
            f"{CountingComm.sent_bytes / 1024:.1f} KB sent"
        )

        seconds = build_many_repos(api, n_repos)
        print(f"\ncreated {n_repos} repos in {seconds:.1f} s")
        searches = {
            "no text, most downloads": {"text": ""},
            "one repo by name": {"text": f"search-{n_repos // 2:05d}"},
            "a tenth of the repos": {"text": "search-00"},
            "recently updated": {"text": "search", "sort": "updated"},
        }
        print(f"Search over {n_repos + 1} repos (first page of {20} rows)")
        print(f"  {'query':28} {'widget s':>9} {'list_models s':>14} {'ratio':>6}")
        browser = RepoBrowser(session=session)
        browser.search_task.wait(60)
        for name, spec in searches.items():
            widget_times, raw_times = [], []
            for _ in range(5):
                browser.search_text.value = spec["text"]
                browser.sort.value = spec.get("sort", "downloads")
                start = time.perf_counter()
                browser.search().wait(60)
                widget_times.append(time.perf_counter() - start)
                from hub_widgets.browser.search import build_list_kwargs

                start = time.perf_counter()
                list(islice(api.list_models(**build_list_kwargs(browser.query())), 21))
                raw_times.append(time.perf_counter() - start)
            w, r = statistics.median(widget_times), statistics.median(raw_times)
            print(f"  {name:28} {w:9.3f} {r:14.3f} {w / r:6.2f}")
        session.close()


if __name__ == "__main__":
    main()
