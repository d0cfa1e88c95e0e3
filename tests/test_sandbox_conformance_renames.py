"""Conformance: repo ids as the Hub matches them, through the real client.

Lookups ignore case (the stored case is what answers show); a repo moved with `move_repo` keeps its old
id working: the API and resolve URLs answer 307 with the new URL, which the client follows.
"""

from __future__ import annotations

import httpx2
import pytest
from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from tests.conftest import ALICE, BOB


def test_repo_ids_ignore_case(api, endpoint, repo_name, tmp_path):
    stored = f"alice/{repo_name}-MixedCase"
    api.create_repo(stored)
    api.upload_file(path_or_fileobj=b"hi\n", path_in_repo="f.txt", repo_id=stored)
    lower = stored.lower()
    assert api.repo_info(lower).id == stored  # the stored case in the answer
    assert api.repo_info(stored.upper()).id == stored
    assert api.file_exists(lower, "f.txt")
    assert [m.id for m in api.list_models(author="ALICE", search=repo_name)] == [stored]
    path = hf_hub_download(lower, "f.txt", endpoint=endpoint, token=ALICE, cache_dir=tmp_path)
    with open(path, "rb") as f:
        assert f.read() == b"hi\n"
    api.upload_file(path_or_fileobj=b"again\n", path_in_repo="g.txt", repo_id=lower)
    assert sorted(api.list_repo_files(stored)) == [".gitattributes", "f.txt", "g.txt"]
    # Another repo whose id differs only by case is the same repo: it exists already.
    assert api.create_repo(lower, exist_ok=True).repo_id == stored
    with pytest.raises(HfHubHTTPError) as info:
        api.create_repo(lower)
    assert info.value.response.status_code == 409
    # A move that changes only the case renames it.
    api.move_repo(stored, lower)
    assert api.repo_info(stored).id == lower


def test_moved_repo_redirects_api_and_resolve(api, endpoint, repo_name, tmp_path):
    old = api.create_repo(f"{repo_name}-old").repo_id
    commit = api.upload_file(path_or_fileobj=b"content\n", path_in_repo="f.txt", repo_id=old).oid
    new = f"alice/{repo_name}-new"
    api.move_repo(old, new)

    # What the Hub answers on the wire: 307 to the same route under the new id.
    auth = {"Authorization": f"Bearer {ALICE}"}
    info = httpx2.get(f"{endpoint}/api/models/{old}?blobs=true", headers=auth)
    assert info.status_code == 307
    assert info.headers["Location"] == f"/api/models/{new}?blobs=true"
    head = httpx2.head(f"{endpoint}/{old}/resolve/main/f.txt", headers=auth)
    assert head.status_code == 307
    assert head.headers["Location"] == f"/{new}/resolve/main/f.txt"

    lfs = httpx2.post(
        f"{endpoint}/{old}.git/info/lfs/objects/batch",
        json={"operation": "download", "objects": []},
        headers={**auth, "Content-Type": "application/vnd.git-lfs+json"},
    )
    assert lfs.status_code == 307
    assert lfs.headers["Location"] == f"/{new}.git/info/lfs/objects/batch"

    # The client follows them.
    assert api.repo_info(old).id == new
    assert api.list_repo_files(old) == [".gitattributes", "f.txt"]
    path = hf_hub_download(old, "f.txt", endpoint=endpoint, token=ALICE, cache_dir=tmp_path)
    with open(path, "rb") as f:
        assert f.read() == b"content\n"
    assert api.list_repo_commits(old)[0].commit_id == commit
    api.upload_file(path_or_fileobj=b"more\n", path_in_repo="g.txt", repo_id=old)
    api.upload_file(path_or_fileobj=b"weights", path_in_repo="w.bin", repo_id=old)  # through LFS
    assert {"g.txt", "w.bin"} <= set(api.list_repo_files(new))
    # A new repo created under the old id takes it back; deleting the moved one leaves it alone.
    api.create_repo(old)
    assert api.repo_info(old).id == old
    api.delete_repo(new)
    assert api.repo_info(old).id == old


def test_moved_private_repo_does_not_redirect_strangers(api, endpoint, repo_name):
    old = api.create_repo(f"{repo_name}-old", private=True).repo_id
    new = f"alice/{repo_name}-new"
    api.move_repo(old, new)
    bob = HfApi(endpoint=endpoint, token=BOB)
    with pytest.raises(RepositoryNotFoundError):
        bob.repo_info(old)
    answer = httpx2.get(f"{endpoint}/api/models/{old}", headers={"Authorization": f"Bearer {BOB}"})
    assert answer.status_code == 404 and "Location" not in answer.headers
    assert api.repo_info(old).id == new
