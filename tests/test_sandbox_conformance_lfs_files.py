"""Conformance: LFS file management (`list_lfs_files`, `permanently_delete_lfs_files`) through the real
client: each LFS object a repo's commits reference, with its size, a path, the date and ref of the commit
that brought it; deleting rewrites the history (or not) and never touches another repo's copy."""

from __future__ import annotations

import hashlib

import httpx2
import pytest
from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError, RevisionNotFoundError

from tests.conftest import ALICE, BOB


@pytest.fixture
def lfs_repo(api, repo_name) -> str:
    """main: a.bin, b.bin, t.txt; branch dev: c.bin; pull request 1: d.bin (`.bin` files are LFS)."""
    repo_id = api.create_repo(repo_name).repo_id
    api.upload_file(path_or_fileobj=b"LFS a", path_in_repo="a.bin", repo_id=repo_id)
    api.upload_file(path_or_fileobj=b"text", path_in_repo="t.txt", repo_id=repo_id)
    api.upload_file(path_or_fileobj=b"LFS b", path_in_repo="w/b.bin", repo_id=repo_id)
    api.create_branch(repo_id, branch="dev")
    api.upload_file(path_or_fileobj=b"LFS c", path_in_repo="c.bin", repo_id=repo_id, revision="dev")
    api.upload_file(path_or_fileobj=b"LFS d", path_in_repo="d.bin", repo_id=repo_id, create_pr=True)
    return repo_id


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_list_lfs_files(api, lfs_repo):
    files = {f.filename: f for f in api.list_lfs_files(lfs_repo)}
    assert set(files) == {"a.bin", "w/b.bin", "c.bin", "d.bin"}
    assert files["a.bin"].file_oid == _sha(b"LFS a")
    assert files["a.bin"].size == 5
    assert {name: f.ref for name, f in files.items()} == {
        "a.bin": "main",
        "w/b.bin": "main",
        "c.bin": "dev",
        "d.bin": "refs/pr/1",
    }
    commits = {c.commit_id: c.created_at for c in api.list_repo_commits(lfs_repo)}
    assert files["a.bin"].pushed_at in commits.values()


def test_list_lfs_files_pages(api, repo_name):
    repo_id = api.create_repo(repo_name).repo_id
    api.create_commit(
        repo_id,
        [CommitOperationAdd(f"f{i}.bin", f"LFS {i}".encode()) for i in range(5)],
        commit_message="five",
    )
    first = httpx2.get(
        f"{api.endpoint}/api/models/{repo_id}/lfs-files?limit=2", headers={"Authorization": f"Bearer {ALICE}"}
    )
    assert len(first.json()) == 2 and "next" in first.links
    assert len(list(api.list_lfs_files(repo_id))) == 5


def test_listing_and_deleting_need_write_access(endpoint, lfs_repo):
    bob = HfApi(endpoint=endpoint, token=BOB)
    with pytest.raises(HfHubHTTPError) as info:
        list(bob.list_lfs_files(lfs_repo))
    assert info.value.response.status_code == 403


def test_delete_with_history_rewrite(api, endpoint, lfs_repo, tmp_path):
    before = api.list_repo_commits(lfs_repo)
    on_main = [f for f in api.list_lfs_files(lfs_repo) if f.ref == "main"]
    api.permanently_delete_lfs_files(lfs_repo, on_main)
    assert {f.filename for f in api.list_lfs_files(lfs_repo)} == {"c.bin", "d.bin"}
    # History rewritten: no commit of main points to the deleted files any more; its ids changed.
    after = api.list_repo_commits(lfs_repo)
    assert len(after) == len(before)
    assert after[0].commit_id != before[0].commit_id
    assert sorted(api.list_repo_files(lfs_repo)) == [".gitattributes", "t.txt"]
    for commit in after:
        assert "a.bin" not in api.list_repo_files(lfs_repo, revision=commit.commit_id)
    with pytest.raises(RevisionNotFoundError):  # the replaced commits are gone
        api.list_repo_files(lfs_repo, revision=before[0].commit_id)
    # The other refs moved to their rewritten commits and keep their own objects.
    assert "c.bin" in api.list_repo_files(lfs_repo, revision="dev")
    assert "a.bin" not in api.list_repo_files(lfs_repo, revision="dev")
    assert sorted(api.list_repo_files(lfs_repo, revision="refs/pr/1")) == [".gitattributes", "d.bin", "t.txt"]
    path = hf_hub_download(
        lfs_repo, "c.bin", revision="dev", endpoint=endpoint, token=ALICE, cache_dir=tmp_path
    )
    with open(path, "rb") as f:
        assert f.read() == b"LFS c"


def test_delete_without_history_rewrite(api, endpoint, lfs_repo, tmp_path):
    head = api.repo_info(lfs_repo).sha
    target = [f for f in api.list_lfs_files(lfs_repo) if f.filename == "a.bin"]
    api.permanently_delete_lfs_files(lfs_repo, target, rewrite_history=False)
    assert "a.bin" not in {f.filename for f in api.list_lfs_files(lfs_repo)}
    assert api.repo_info(lfs_repo).sha == head  # the pointers stay
    assert "a.bin" in api.list_repo_files(lfs_repo)
    # Its content is gone: a download is a clean "entry not found", not a server error.
    with pytest.raises(EntryNotFoundError):
        hf_hub_download(lfs_repo, "a.bin", endpoint=endpoint, token=ALICE, cache_dir=tmp_path)


def test_delete_keeps_another_repos_copy(api, endpoint, lfs_repo, repo_name, tmp_path):
    other = api.create_repo(f"{repo_name}-other").repo_id
    api.upload_file(path_or_fileobj=b"LFS a", path_in_repo="same.bin", repo_id=other)
    api.permanently_delete_lfs_files(
        lfs_repo, [f for f in api.list_lfs_files(lfs_repo) if f.filename == "a.bin"]
    )
    assert [f.filename for f in api.list_lfs_files(other)] == ["same.bin"]
    path = hf_hub_download(other, "same.bin", endpoint=endpoint, token=ALICE, cache_dir=tmp_path)
    with open(path, "rb") as f:
        assert f.read() == b"LFS a"
    # An object of another repo is not deleted through this one.
    objects = list(api.list_lfs_files(other))
    api.permanently_delete_lfs_files(lfs_repo, objects)
    assert [f.filename for f in api.list_lfs_files(other)] == ["same.bin"]
