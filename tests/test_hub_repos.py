"""hub.repos and hub.history against a real SandboxHub, without any widget."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd, CommitOperationDelete
from huggingface_hub.errors import RepositoryNotFoundError

from hub_widgets.errors import CancelledError
from hub_widgets.hub import history, repos
from hub_widgets.session import current_task

CARD = "---\nlicense: mit\npipeline_tag: fill-mask\n---\n# Hello\r\nbody\n"


def make_repo(api, repo_id: str, files: dict[str, bytes], **kw) -> str:
    api.create_repo(repo_id, **kw)
    api.create_commit(repo_id, [CommitOperationAdd(p, c) for p, c in files.items()], commit_message="add")
    return repo_id


def test_listings_summary_refs_and_tree_pages(api, hub_session, repo_name):
    repo_id = make_repo(
        api, f"alice/{repo_name}", {"README.md": CARD.encode(), "a/b.txt": b"b\n", "c.txt": b"c\n"}
    )
    api.create_branch(repo_id, branch="dev")
    found = [r.id for r in repos.list_repos(hub_session, "model", search=repo_name, limit=10)]
    assert found == [repo_id]
    with pytest.raises(ValueError):
        repos.list_repos(hub_session, "bucket")
    mine = repos.list_namespace_repos(hub_session, ["alice"], limit=1000)
    assert {"repo_id": repo_id, "repo_type": "model", "namespace": "alice", "private": False} in mine

    info, readme, gated = repos.repo_summary(hub_session, repo_id)
    assert info.id == repo_id and gated is None
    assert readme == CARD.replace("\r\n", "\n")  # read as text: universal newlines, as before

    refs = repos.repo_refs(hub_session, repo_id, include_pull_requests=True)
    assert {b.name for b in refs.branches} == {"main", "dev"}

    root = sorted(e.path for e in repos.list_tree(hub_session, repo_id))
    assert root == [".gitattributes", "README.md", "a", "c.txt"]
    assert [e.path for e in repos.list_tree(hub_session, repo_id, "a")] == ["a/b.txt"]
    assert len(list(repos.list_tree(hub_session, repo_id, recursive=True))) == 5


def test_summary_of_a_repo_without_card_and_of_a_gated_one(api, hub_session, endpoint, repo_name):
    from hub_widgets.session import HubSession
    from tests.conftest import BOB

    bare = make_repo(api, f"alice/{repo_name}-bare", {"x.txt": b"x"})
    assert repos.repo_summary(hub_session, bare)[1:] == (None, None)
    gated_id = make_repo(api, f"alice/{repo_name}-gated", {"README.md": CARD.encode()})
    api.update_repo_settings(gated_id, gated="auto")
    bob = HubSession(endpoint=endpoint, token=BOB)
    try:
        info, readme, gated = repos.repo_summary(bob, gated_id)
        assert info.id == gated_id and readme is None and gated is not None
    finally:
        bob.close()
    with pytest.raises(RepositoryNotFoundError):
        repos.repo_summary(hub_session, f"alice/{repo_name}-missing")


def test_read_bytes_text_and_head(api, hub_session, repo_name):
    lines = b"".join(b"line %d\n" % i for i in range(200))
    repo_id = make_repo(api, f"alice/{repo_name}", {"big.csv": lines, "crlf.md": "\ufeffa\r\nb\r\n".encode()})
    assert repos.read_bytes(hub_session, repo_id, "big.csv") == lines
    # The card editor's reading: no byte order mark, line ends kept.
    text = repos.read_text(hub_session, repo_id, "crlf.md", encoding="utf-8-sig", errors="strict", newline="")
    assert text == "a\r\nb\r\n"
    head = repos.read_head(hub_session, repo_id, "big.csv", 100)
    assert lines.startswith(head) and head.endswith(b"\n") and 0 < len(head) <= 100


def test_downloads_report_progress_and_cancel(api, hub_session, repo_name, tmp_path):
    files = {"w/a.bin": b"a" * 3000, "w/b.bin": b"b" * 2000, "notes.txt": b"n"}
    repo_id = make_repo(api, f"alice/{repo_name}", files)
    seen: list[int] = []
    path = repos.download_file(
        hub_session, repo_id, "notes.txt", local_dir=str(tmp_path / "one"), on_bytes=seen.append
    )
    assert Path(path).read_bytes() == b"n" and sum(seen) == 1

    started, done, chunks = [], [], []
    folder, count = repos.download_snapshot(
        hub_session,
        repo_id,
        patterns=["w/*"],
        local_dir=str(tmp_path / "all"),
        on_start=lambda size, n: started.append((size, n)),
        on_bytes=chunks.append,
        on_file=done.append,
    )
    assert (folder, count) == (str(tmp_path / "all"), 2)
    assert started == [(5000, 2)] and sorted(done) == [1, 2] and sum(chunks) == 5000
    assert sorted(os.listdir(tmp_path / "all" / "w")) == ["a.bin", "b.bin"]
    with pytest.raises(ValueError):
        repos.download_snapshot(hub_session, repo_id, patterns=["*.nothing"], local_dir=str(tmp_path / "x"))

    def cancelled_download() -> str:
        current_task().cancel()
        return repos.download_file(hub_session, repo_id, "w/a.bin", local_dir=str(tmp_path / "c"))

    with pytest.raises(CancelledError):
        hub_session.run(cancelled_download)
    assert not (tmp_path / "c" / "w" / "a.bin").exists()


def test_history_commits_and_compare(api, hub_session, repo_name):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.create_commit(
        repo_id,
        [
            CommitOperationAdd("edit.txt", b"line 1\nline 2\n"),
            CommitOperationAdd("gone/old.txt", b"bye\n"),
            CommitOperationAdd("pic.png", b"\x89PNG not text"),
        ],
        commit_message="add",
    )
    api.create_commit(
        repo_id,
        [
            CommitOperationAdd("edit.txt", b"line 1\nline TWO\n"),
            CommitOperationDelete("gone/old.txt"),
            CommitOperationAdd("pic.png", b"\x89PNG other"),
        ],
        commit_message="change",
    )
    commits = history.list_commits(hub_session, repo_id)
    assert [c.title for c in commits[:2]] == ["change", "add"]
    new, old = commits[0].commit_id, commits[1].commit_id
    diff, texts = history.compare(
        hub_session, repo_id, old, new, diff_text_of=lambda state: state is None or state.path != "pic.png"
    )
    assert sorted(c.path for c in diff.changed) == ["edit.txt", "pic.png"]
    assert [f.path for f in diff.removed] == ["gone/old.txt"]
    assert dict(texts).keys() == {"edit.txt", "gone/old.txt"}
    assert "+line TWO" in dict(texts)["edit.txt"]
    assert len(history.compare(hub_session, repo_id, old, new, max_text_diffs=1)[1]) == 1
