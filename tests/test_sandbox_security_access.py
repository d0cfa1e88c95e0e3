"""Security: access to content follows repo access (issue 13, section 2).

LFS objects are stored once by sha256 but belong to repos, as on the Hub: they are served only through a
repo that references them (resolve, or a download URL the batch endpoint signs for one repo), a commit may
point only to objects uploaded for its repo or referenced by a repo the committer can read, and the batch
endpoint tells nothing about objects outside the repos the caller may use. Discussions and pull requests:
the author or a repo writer changes status and title and pushes to a pull request's ref.

Driven with the real `huggingface_hub` client (alice, bob, carol of tests/conftest.py) and plain HTTP on
loopback for what an attacker would send by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import httpx2
import pytest
from huggingface_hub import CommitOperationAdd, HfApi, HfFileSystem, hf_hub_download, snapshot_download
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError

from hub_widgets.sandbox.store import Operation, Store, git_blob_sha1, lfs_pointer
from tests.conftest import ALICE, ALICE_READ, BOB, CAROL

LFS_JSON = "application/vnd.git-lfs+json"


def binary(tag: str, size: int = 4096) -> bytes:
    """Distinct content with a NUL in its sample, so the sandbox stores it as LFS."""
    return b"\0" + tag.encode() + os.urandom(size)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def headers(token: str | None, content_type: str = "application/json") -> dict[str, str]:
    out = {"Content-Type": content_type, "Accept": LFS_JSON}
    if token:
        out["Authorization"] = f"Bearer {token}"
    return out


def batch(endpoint: str, repo_id: str, token: str | None, operation: str, objects: list[dict]):
    """POST the LFS batch endpoint of a model repo as a git-lfs client would."""
    body = {"operation": operation, "transfers": ["basic"], "objects": objects, "hash_algo": "sha256"}
    return httpx2.post(
        f"{endpoint}/{repo_id}.git/info/lfs/objects/batch",
        content=json.dumps(body),
        headers=headers(token, LFS_JSON),
    )


def raw_lfs_commit(endpoint: str, repo_id: str, token: str, path: str, oid: str, size: int):
    """A commit that only points to an LFS object (what an attacker sends without having the content)."""
    lines = [
        {"key": "header", "value": {"summary": "pointer only"}},
        {"key": "lfsFile", "value": {"path": path, "algo": "sha256", "oid": oid, "size": size}},
    ]
    return httpx2.post(
        f"{endpoint}/api/models/{repo_id}/commit/main",
        content="\n".join(json.dumps(line) for line in lines).encode(),
        headers=headers(token, "application/x-ndjson"),
    )


@pytest.fixture
def alice_secret(api, repo_name):
    """A private repo of alice holding one LFS object: (repo_id, content)."""
    repo_id = api.create_repo(f"{repo_name}-secret", private=True).repo_id
    content = binary("alice private weights")
    api.upload_file(path_or_fileobj=content, path_in_repo="weights.bin", repo_id=repo_id)
    assert api.get_paths_info(repo_id, ["weights.bin"])[0].lfs.sha256 == sha256(content)
    return repo_id, content


# -- LFS objects ---------------------------------------------------------------------------------------


def test_lfs_object_is_not_served_by_sha256_alone(alice_secret, endpoint):
    _, content = alice_secret
    url = f"{endpoint}/lfs-objects/{sha256(content)}"
    for auth in ({}, {"Authorization": f"Bearer {BOB}"}, {"Authorization": f"Bearer {ALICE}"}):
        response = httpx2.get(url, headers=auth)
        assert response.status_code == 403, response.status_code
        assert content not in response.content
        assert "invalid or expired" in response.json()["error"]
    # A made-up signature or expiry does not help either.
    forged = httpx2.get(url, params={"repo": "1", "expires": str(int(time.time()) + 60), "sig": "0" * 64})
    assert forged.status_code == 403 and content not in forged.content
    for odd in (
        {"repo": "1", "expires": "9" * 12, "sig": "é" * 64},
        {"repo": "²", "expires": "²", "sig": ""},
    ):
        assert httpx2.get(url, params=odd).status_code == 403


def test_commit_pointing_to_another_users_private_object_is_refused(alice_secret, endpoint, repo_name):
    _, content = alice_secret
    oid, size = sha256(content), len(content)
    bob = HfApi(endpoint=endpoint, token=BOB)
    bob_repo = bob.create_repo(f"{repo_name}-bob").repo_id
    head = bob.model_info(bob_repo).sha

    response = raw_lfs_commit(endpoint, bob_repo, BOB, "stolen.bin", oid, size)
    assert response.status_code == 400
    message = response.json()["error"]
    assert "stolen.bin" in message and oid in message and "LFS pointer" in message
    # Nothing landed: the repo is at its old commit and the file cannot be downloaded.
    assert bob.model_info(bob_repo).sha == head
    with pytest.raises(EntryNotFoundError):
        hf_hub_download(bob_repo, "stolen.bin", endpoint=endpoint, token=BOB)
    # The same object cannot be claimed through the verify step either.
    verify = httpx2.post(
        f"{endpoint}/{bob_repo}.git/info/lfs/objects/verify",
        content=json.dumps({"oid": oid, "size": size}),
        headers=headers(BOB, LFS_JSON),
    )
    assert verify.status_code == 404


def test_pointer_to_an_object_of_a_readable_repo_is_accepted_unless_gated(api, endpoint, repo_name):
    bob = HfApi(endpoint=endpoint, token=BOB)
    bob_repo = bob.create_repo(f"{repo_name}-bob").repo_id
    gated = api.create_repo(f"{repo_name}-gated").repo_id
    content = binary("gated weights")
    api.upload_file(path_or_fileobj=content, path_in_repo="w.bin", repo_id=gated)
    api.update_repo_settings(gated, gated="manual")
    # Bob sees the gated repo's page, not its files: he may not reuse its objects either.
    refused = raw_lfs_commit(endpoint, bob_repo, BOB, "w.bin", sha256(content), len(content))
    assert refused.status_code == 400 and sha256(content) in refused.json()["error"]
    # Public content is readable anyway: pointing to it is plain deduplication.
    api.update_repo_settings(gated, gated=False)
    accepted = raw_lfs_commit(endpoint, bob_repo, BOB, "w.bin", sha256(content), len(content))
    assert accepted.status_code == 200, accepted.text
    path = hf_hub_download(bob_repo, "w.bin", endpoint=endpoint, token=False)
    assert Path(path).read_bytes() == content


def test_lfs_batch_reveals_nothing_outside_the_callers_repos(alice_secret, endpoint, repo_name):
    private_repo, content = alice_secret
    oid, size = sha256(content), len(content)
    # The private repo itself: bob and anonymous get the repo-access answer, not a list of objects.
    for token in (BOB, None):
        for operation in ("download", "upload"):
            response = batch(endpoint, private_repo, token, operation, [{"oid": oid, "size": size}])
            assert response.status_code == 404, (token, operation)
            assert response.headers["x-error-code"] == "RepoNotFound"
            assert "objects" not in response.json()
    # Alice's read token may download but not upload.
    assert (
        batch(endpoint, private_repo, ALICE_READ, "upload", [{"oid": oid, "size": size}]).status_code == 403
    )
    # Bob's own repo answers for alice's object exactly as for an object that was never stored.
    bob_repo = HfApi(endpoint=endpoint, token=BOB).create_repo(f"{repo_name}-bob").repo_id
    unknown = sha256(b"never stored anywhere " + os.urandom(8))
    for operation in ("download", "upload"):
        answer = batch(
            endpoint, bob_repo, BOB, operation, [{"oid": oid, "size": size}, {"oid": unknown, "size": size}]
        )
        assert answer.status_code == 200
        stolen, never = answer.json()["objects"]
        if operation == "download":
            assert stolen["error"] == never["error"] == {"code": 404, "message": "Object does not exist."}
            assert "actions" not in stolen
        else:  # an upload is asked for: only the content proves the caller has it
            assert set(stolen["actions"]) == set(never["actions"]) == {"upload"}
    # Alice's own repo: her object downloads through a URL signed for that repo, which works once followed.
    answer = batch(endpoint, private_repo, ALICE, "download", [{"oid": oid, "size": size}])
    href = answer.json()["objects"][0]["actions"]["download"]["href"]
    assert httpx2.get(href).content == content
    assert httpx2.get(href.replace(oid, unknown)).status_code == 403  # the signature covers the object


def test_lfs_upload_download_and_dedupe_still_work(api, endpoint, sandbox, repo_name, tmp_path):
    content = binary("legitimate", 200_000)
    first = api.create_repo(f"{repo_name}-a", private=True).repo_id
    api.upload_file(path_or_fileobj=content, path_in_repo="model.bin", repo_id=first)

    path = hf_hub_download(first, "model.bin", endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "c1")
    assert Path(path).read_bytes() == content
    snapshot = snapshot_download(first, endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "c2")
    assert (Path(snapshot) / "model.bin").read_bytes() == content
    fs = HfFileSystem(endpoint=endpoint, token=ALICE, skip_instance_cache=True)
    assert fs.cat_file(f"{first}/model.bin") == content
    with fs.open(f"{first}/model.bin", "rb", block_size=1 << 16) as handle:
        handle.seek(100_000)
        assert handle.read(1000) == content[100_000:101_000]

    # The same content into another repo of the same user: deduplicated (no upload), and it works.
    since = time.time()
    second = api.create_repo(f"{repo_name}-b", private=True).repo_id
    api.upload_file(path_or_fileobj=content, path_in_repo="copy.bin", repo_id=second)
    assert not [e for e in sandbox.request_log if e["time"] >= since and e["path"].startswith("/lfs-upload/")]
    copy = hf_hub_download(second, "copy.bin", endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "c3")
    assert Path(copy).read_bytes() == content

    # Bob has the same content but cannot read alice's private repos: he uploads it himself, and it works.
    since = time.time()
    bob = HfApi(endpoint=endpoint, token=BOB)
    bob_repo = bob.create_repo(f"{repo_name}-bob", private=True).repo_id
    bob.upload_file(path_or_fileobj=content, path_in_repo="mine.bin", repo_id=bob_repo)
    assert [e for e in sandbox.request_log if e["time"] >= since and e["path"].startswith("/lfs-upload/")]
    mine = hf_hub_download(bob_repo, "mine.bin", endpoint=endpoint, token=BOB, cache_dir=tmp_path / "c4")
    assert Path(mine).read_bytes() == content


def test_pull_request_with_lfs_from_a_non_member(api, endpoint, repo_name):
    repo_id = api.create_repo(f"{repo_name}-pub").repo_id
    carol = HfApi(endpoint=endpoint, token=CAROL)
    content = binary("carol's contribution")
    pr = carol.upload_file(path_or_fileobj=content, path_in_repo="w.bin", repo_id=repo_id, create_pr=True)
    entry = api.get_paths_info(repo_id, ["w.bin"], revision=pr.pr_revision)[0]
    assert entry.lfs.sha256 == sha256(content)
    api.merge_pull_request(repo_id, pr.pr_num)
    assert hf_hub_download(repo_id, "w.bin", endpoint=endpoint, token=False) and api.file_exists(
        repo_id, "w.bin"
    )


def test_data_folder_from_before_learns_which_repo_references_which_object(tmp_path):
    """A data folder written before repos owned their objects: reopening it records what commits reference."""
    store = Store(tmp_path)
    repo = store.create_repo("model", "alice", "old", True, "alice")
    content = binary("old weights")
    writer = store.lfs_writer(sha256(content), len(content))
    writer.write(content)
    writer.finish()
    oid = git_blob_sha1(lfs_pointer(sha256(content), len(content)))
    op = Operation("lfsFile", "deep/" * 50 + "w.bin", oid=oid, size=len(content), lfs=sha256(content))
    store.apply_commit(repo, "main", [op], "add", "", "alice")
    store.execute("DROP TABLE lfs_repo_objects")
    store.close()
    again = Store(tmp_path)
    repo = again.get_repo("model", "alice", "old")
    assert again.lfs_in_repo(repo, sha256(content), committed=True)
    assert [r.id for r in again.repos_referencing_lfs(sha256(content))] == ["alice/old"]
    again.close()


# -- discussions and pull requests ----------------------------------------------------------------------


def test_discussion_status_and_title_need_the_author_or_a_writer(api, endpoint, repo_name):
    repo_id = api.create_repo(f"{repo_name}-pub").repo_id
    carol = HfApi(endpoint=endpoint, token=CAROL)
    bob = HfApi(endpoint=endpoint, token=BOB)
    num = carol.create_discussion(repo_id, title="Question", description="how?").num

    with pytest.raises(HfHubHTTPError) as info:
        bob.change_discussion_status(repo_id, num, "closed")
    assert info.value.response.status_code == 403 and "author" in info.value.server_message
    with pytest.raises(HfHubHTTPError) as info:
        bob.rename_discussion(repo_id, num, "Hijacked")
    assert info.value.response.status_code == 403 and "author" in info.value.server_message
    details = api.get_discussion_details(repo_id, num)
    assert (details.status, details.title) == ("open", "Question")
    bob.comment_discussion(repo_id, num, "a reader may still comment")  # as before

    carol.rename_discussion(repo_id, num, "Question (renamed by its author)")
    carol.change_discussion_status(repo_id, num, "closed")
    details = api.get_discussion_details(repo_id, num)
    assert (details.status, details.title) == ("closed", "Question (renamed by its author)")
    api.change_discussion_status(repo_id, num, "open")  # alice owns the repo
    api.rename_discussion(repo_id, num, "Question (renamed by the owner)")
    details = api.get_discussion_details(repo_id, num)
    assert (details.status, details.title) == ("open", "Question (renamed by the owner)")

    # A discussion of the owner: carol, who may comment, may not close it.
    own = api.create_discussion(repo_id, title="Roadmap").num
    with pytest.raises(HfHubHTTPError) as info:
        carol.change_discussion_status(repo_id, own, "closed")
    assert info.value.response.status_code == 403
    assert api.get_discussion_details(repo_id, own).status == "open"


def test_pull_request_ref_takes_commits_from_its_author_or_a_writer(api, endpoint, repo_name):
    repo_id = api.create_repo(f"{repo_name}-pub").repo_id
    carol = HfApi(endpoint=endpoint, token=CAROL)
    bob = HfApi(endpoint=endpoint, token=BOB)
    pr = carol.create_commit(
        repo_id, [CommitOperationAdd("idea.txt", b"v1\n")], commit_message="Idea", create_pr=True
    )
    ref = pr.pr_revision
    head = api.list_repo_refs(repo_id, include_pull_requests=True).pull_requests[0].target_commit

    with pytest.raises(HfHubHTTPError) as info:
        bob.create_commit(
            repo_id, [CommitOperationAdd("idea.txt", b"bob\n")], commit_message="x", revision=ref
        )
    assert info.value.response.status_code == 403 and f"refs/pr/{pr.pr_num}" in info.value.server_message
    # The commit endpoint itself refuses too (a client that skips the preupload step).
    line = {"key": "file", "value": {"path": "idea.txt", "content": "Ym9iCg==", "encoding": "base64"}}
    raw = httpx2.post(
        f"{endpoint}/api/models/{repo_id}/commit/refs%2Fpr%2F{pr.pr_num}",
        content=json.dumps({"key": "header", "value": {"summary": "x"}}) + "\n" + json.dumps(line),
        headers=headers(BOB, "application/x-ndjson"),
    )
    assert raw.status_code == 403
    assert api.list_repo_refs(repo_id, include_pull_requests=True).pull_requests[0].target_commit == head

    carol.create_commit(repo_id, [CommitOperationAdd("idea.txt", b"v2\n")], commit_message="v2", revision=ref)
    api.create_commit(repo_id, [CommitOperationAdd("review.txt", b"ok\n")], commit_message="r", revision=ref)
    assert set(api.list_repo_files(repo_id, revision=ref)) >= {"idea.txt", "review.txt"}
    path = hf_hub_download(repo_id, "idea.txt", revision=ref, endpoint=endpoint, token=False)
    assert Path(path).read_bytes() == b"v2\n"
