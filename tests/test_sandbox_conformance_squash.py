"""Conformance: `HfApi.super_squash_history` (and `CommitScheduler(squash_history=True)`'s call)."""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import HfHubHTTPError, RevisionNotFoundError

from tests.conftest import BOB


def test_super_squash_keeps_files_and_leaves_one_commit(api, repo_name):
    repo = api.create_repo(repo_name).repo_id
    for n in range(3):
        api.create_commit(repo, [CommitOperationAdd(f"f{n}.txt", f"{n}".encode())], commit_message=f"c{n}")
    api.create_tag(repo, tag="v1")  # a tag keeps the old history
    old_head = api.repo_info(repo).sha
    api.create_branch(repo, branch="dev")
    api.create_commit(repo, [CommitOperationAdd("dev.txt", b"d")], commit_message="dev", revision="dev")
    files_before = sorted(api.list_repo_files(repo))

    api.super_squash_history(repo, commit_message="All in one\n\nsquashed")
    commits = api.list_repo_commits(repo)
    assert [c.title for c in commits] == ["All in one"]
    assert commits[0].commit_id != old_head
    assert sorted(api.list_repo_files(repo)) == files_before
    assert Path(api.hf_hub_download(repo, "f2.txt")).read_text() == "2"
    assert len(api.list_repo_commits(repo, revision="dev")) == 5  # other branches are untouched
    assert api.list_repo_refs(repo).tags[0].target_commit == old_head

    api.super_squash_history(repo, branch="dev")
    dev = api.list_repo_commits(repo, revision="dev")
    assert [c.title for c in dev] == ["Super-squash branch 'dev' using huggingface_hub"]
    assert "dev.txt" in api.list_repo_files(repo, revision="dev")

    with pytest.raises(RevisionNotFoundError):
        api.super_squash_history(repo, branch="nope")
    with pytest.raises(HfHubHTTPError) as exc:
        HfApi(endpoint=api.endpoint, token=BOB).super_squash_history(repo)
    assert exc.value.response.status_code == 403
