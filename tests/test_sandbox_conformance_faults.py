"""Conformance under trouble: dropped uploads leave the repo untouched; data survives a restart.

These tests start their own SandboxHub (own data_dir): faults set here must never reach the shared
session `sandbox` used by every other test.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download, lfs
from huggingface_hub.errors import HfHubHTTPError

from tests.conftest import ALICE, BOB, write_tree


def make_hub(data_dir: Path, **kwargs):
    from hub_widgets.sandbox import SandboxHub

    return SandboxHub(data_dir=str(data_dir), **kwargs)


@pytest.fixture
def own_hub(tmp_path):
    """A private SandboxHub for one test: faults and restarts stay here."""
    hub = make_hub(tmp_path / "hub-data", users={"alice": ALICE, "bob": BOB}, orgs={"acme": ["alice", "bob"]})
    hub.start()
    yield hub
    hub.faults.clear()
    hub.stop()


def repo_state(api: HfApi, repo_id: str) -> tuple[str, set[str], int]:
    info = api.model_info(repo_id)
    return info.sha, {s.rfilename for s in info.siblings}, len(api.list_repo_commits(repo_id))


@pytest.fixture
def seeded_repo(own_hub):
    api = HfApi(endpoint=own_hub.endpoint, token=ALICE)
    repo_id = api.create_repo("atomic").repo_id
    api.upload_file(path_or_fileobj=b"v1\n", path_in_repo="base.txt", repo_id=repo_id)
    return api, repo_id


def test_dropped_commit_body_leaves_repo_at_old_commit(own_hub, seeded_repo, tmp_path):
    api, repo_id = seeded_repo
    before = repo_state(api, repo_id)
    # 40 regular files of 2 KB: the NDJSON commit body is ~110 KB; cut it after 20 KB.
    folder = write_tree(tmp_path / "src", {f"new/file{i:02d}.txt": (f"{i}-" * 700) for i in range(40)})
    folder.joinpath("base.txt").write_text("v2\n")
    own_hub.faults.set(drop_after=20_000, path_prefix=f"/api/models/{repo_id}/commit")
    with pytest.raises(Exception) as info:  # noqa: B017 - the client's transport error class is not part of the contract
        api.upload_folder(repo_id=repo_id, folder_path=folder, commit_message="interrupted")
    assert not isinstance(info.value, AssertionError)
    own_hub.faults.clear()
    # The cut happened inside the commit request itself (not earlier in preupload).
    assert any(e["method"] == "POST" and "/commit/" in e["path"] for e in own_hub.request_log)

    assert repo_state(api, repo_id) == before
    assert not api.file_exists(repo_id, "new/file00.txt")
    path = hf_hub_download(
        repo_id, "base.txt", endpoint=own_hub.endpoint, token=ALICE, cache_dir=tmp_path / "c"
    )
    assert Path(path).read_bytes() == b"v1\n"

    # Once the fault is gone the same push goes through whole.
    done = api.upload_folder(repo_id=repo_id, folder_path=folder, commit_message="retried")
    files = {s.rfilename for s in api.model_info(repo_id).siblings}
    assert {f"new/file{i:02d}.txt" for i in range(40)} <= files
    assert api.model_info(repo_id).sha == done.oid


def test_dropped_lfs_upload_leaves_repo_at_old_commit(own_hub, seeded_repo, tmp_path, monkeypatch):
    api, repo_id = seeded_repo
    # The client retries a dropped PUT 5 times with waits of 1..8 s; keep the retries, shorten the waits.
    monkeypatch.setattr(
        lfs, "http_backoff", functools.partial(lfs.http_backoff, base_wait_time=0.01, max_wait_time=0.02)
    )
    before = repo_state(api, repo_id)
    payload = os.urandom(600_000)
    folder = write_tree(tmp_path / "src", {"weights.bin": payload, "extra.txt": "extra\n"})
    # Cut every upload body after 100 KB: the LFS PUT never completes (the client's retries hit it too).
    own_hub.faults.set(drop_after=100_000)
    with pytest.raises(Exception) as info:  # noqa: B017 - transport errors vary
        api.upload_folder(repo_id=repo_id, folder_path=folder, commit_message="interrupted lfs")
    assert not isinstance(info.value, AssertionError)
    own_hub.faults.clear()
    log = list(own_hub.request_log)
    assert sum(1 for e in log if e["method"] == "PUT") >= 2, "the LFS PUT was tried (and retried)"
    assert not any("/commit/" in e["path"] for e in log[-10:]), "no commit after a failed LFS upload"

    assert repo_state(api, repo_id) == before
    assert not api.file_exists(repo_id, "weights.bin")
    assert not api.file_exists(repo_id, "extra.txt")

    api.upload_folder(repo_id=repo_id, folder_path=folder, commit_message="retried lfs")
    path = hf_hub_download(
        repo_id, "weights.bin", endpoint=own_hub.endpoint, token=ALICE, cache_dir=tmp_path / "c"
    )
    assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == hashlib.sha256(payload).hexdigest()


def test_injected_server_errors_surface_and_clear(own_hub, seeded_repo):
    api, repo_id = seeded_repo
    before = repo_state(api, repo_id)
    own_hub.faults.set(error_rate=1.0, error_codes=(500,), path_prefix=f"/api/models/{repo_id}/commit")
    with pytest.raises(HfHubHTTPError) as info:
        api.create_commit(repo_id, operations=[CommitOperationAdd("x.txt", b"x\n")], commit_message="x")
    assert info.value.response.status_code == 500
    own_hub.faults.clear()
    assert repo_state(api, repo_id) == before
    api.create_commit(repo_id, operations=[CommitOperationAdd("x.txt", b"x\n")], commit_message="x")
    assert api.file_exists(repo_id, "x.txt")


def test_everything_persists_across_restart(tmp_path):
    data = tmp_path / "persist"
    payload = os.urandom(300_000)
    hub = make_hub(data, users={"alice": ALICE}).start()
    try:
        api = HfApi(endpoint=hub.endpoint, token=ALICE)
        extra_token = hub.accounts.new_token("alice", role="write", name="extra")
        repo_id = api.create_repo("kept").repo_id
        private_id = api.create_repo("kept-private", repo_type="dataset", private=True).repo_id
        first = api.upload_file(
            path_or_fileobj=b"one\n", path_in_repo="one.txt", repo_id=repo_id, commit_message="one"
        )
        second = api.upload_file(
            path_or_fileobj=payload, path_in_repo="blob.bin", repo_id=repo_id, commit_message="two"
        )
        api.create_branch(repo_id, branch="dev", revision=first.oid)
        api.create_tag(repo_id, tag="v1", revision=first.oid)
        pr = api.upload_file(path_or_fileobj=b"pr\n", path_in_repo="pr.txt", repo_id=repo_id, create_pr=True)
    finally:
        hub.stop()

    # Restart on the same directory with no accounts passed in: everything comes from disk.
    hub = make_hub(data).start()
    try:
        api = HfApi(endpoint=hub.endpoint, token=ALICE)
        assert api.whoami()["name"] == "alice"
        assert HfApi(endpoint=hub.endpoint, token=extra_token).whoami()["name"] == "alice"
        info = api.model_info(repo_id)
        assert info.sha == second.oid
        assert {s.rfilename for s in info.siblings} >= {"one.txt", "blob.bin"}
        assert [c.title for c in api.list_repo_commits(repo_id)[:2]] == ["two", "one"]
        refs = api.list_repo_refs(repo_id)
        assert {b.name: b.target_commit for b in refs.branches}["dev"] == first.oid
        assert [(t.name, t.target_commit) for t in refs.tags] == [("v1", first.oid)]
        prs = api.list_repo_refs(repo_id, include_pull_requests=True).pull_requests
        assert [(r.ref, r.target_commit) for r in prs] == [(pr.pr_revision, pr.oid)]
        assert api.get_discussion_details(repo_id, pr.pr_num).status == "open"
        assert api.dataset_info(private_id).private is True
        with pytest.raises(HfHubHTTPError):
            HfApi(endpoint=hub.endpoint, token=False).dataset_info(private_id)
        path = hf_hub_download(
            repo_id, "blob.bin", endpoint=hub.endpoint, token=ALICE, cache_dir=tmp_path / "c"
        )
        assert Path(path).read_bytes() == payload
        # And it keeps accepting writes after the restart.
        api.upload_file(
            path_or_fileobj=b"three\n", path_in_repo="three.txt", repo_id=repo_id, parent_commit=second.oid
        )
        assert api.file_exists(repo_id, "three.txt")
    finally:
        hub.stop()


def test_second_instance_on_same_data_after_stop_sees_revoked_token(tmp_path):
    data = tmp_path / "persist"
    hub = make_hub(data, users={"alice": ALICE}).start()
    try:
        gone = hub.accounts.new_token("alice")
        assert HfApi(endpoint=hub.endpoint, token=gone).whoami()["name"] == "alice"
        hub.accounts.revoke(gone)
    finally:
        hub.stop()
    hub = make_hub(data).start()
    try:
        with pytest.raises(HfHubHTTPError) as info:
            HfApi(endpoint=hub.endpoint, token=gone).whoami()
        assert info.value.response.status_code == 401
    finally:
        hub.stop()
