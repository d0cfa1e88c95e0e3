"""Conformance: the error texts, codes and headers the real client shows, as the Hub sends them.

Each answer is read through `huggingface_hub` (its `hf_raise_for_status` builds the message users see
from X-Error-Code, X-Error-Message, the JSON `error` and X-Request-Id).
"""

from __future__ import annotations

import json

import httpx
import pytest
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, hf_hub_download
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    RepositoryNotFoundError,
)

from tests.conftest import ALICE, BOB


@pytest.fixture
def repo(api, repo_name) -> str:
    repo_id = api.create_repo(repo_name).repo_id
    api.upload_file(path_or_fileobj=b"hello\n", path_in_repo="a.txt", repo_id=repo_id)
    return repo_id


def test_move_onto_an_existing_repo_names_it(api, repo, repo_name):
    other = api.create_repo(f"{repo_name}-2").repo_id
    with pytest.raises(HfHubHTTPError) as exc:
        api.move_repo(repo, other)
    assert exc.value.response.status_code == 409
    assert f"A model repository called {other} already exists" in str(exc.value)
    assert exc.value.server_message.startswith(f"A model repository called {other} already exists")


def test_existing_branch_and_deleting_main(api, repo):
    api.create_branch(repo, branch="dev")
    with pytest.raises(HfHubHTTPError) as exc:
        api.create_branch(repo, branch="dev")
    assert exc.value.response.status_code == 409
    assert "Reference refs/heads/dev already exists" in str(exc.value)
    with pytest.raises(HfHubHTTPError) as exc:
        api.delete_branch(repo, branch="main")
    assert exc.value.response.status_code == 403
    assert "Cannot delete refs/heads/main" in str(exc.value)


def test_stale_parent_commit(api, repo):
    first = api.list_repo_commits(repo)[-1].commit_id  # the initial commit, no longer the head
    with pytest.raises(HfHubHTTPError) as exc:
        api.create_commit(
            repo,
            [CommitOperationAdd("b.txt", b"b")],
            commit_message="late",
            parent_commit=first,
        )
    assert exc.value.response.status_code == 412
    assert "The branch was updated since you opened this page. Please refresh and try again." in str(
        exc.value
    )


def test_gated_repo_anonymous_and_without_access(api, repo, endpoint, tmp_path):
    api.update_repo_settings(repo, gated="auto")
    with pytest.raises(GatedRepoError) as anonymous:
        hf_hub_download(repo, "a.txt", endpoint=endpoint, token=False, cache_dir=tmp_path / "a")
    assert anonymous.value.response.status_code == 401
    assert (
        f"Access to model {repo} is restricted. You must have access to it and be authenticated to access it. "
        "Please log in." in str(anonymous.value)
    )
    with pytest.raises(GatedRepoError) as bob:
        hf_hub_download(repo, "a.txt", endpoint=endpoint, token=BOB, cache_dir=tmp_path / "b")
    assert bob.value.response.status_code == 403
    assert (
        f"Access to model {repo} is restricted and you are not in the authorized list. "
        f"Visit {endpoint}/{repo} to ask for access." in str(bob.value)
    )
    assert hf_hub_download(repo, "a.txt", endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "c")


@pytest.mark.parametrize("token", [ALICE, False], ids=["token", "anonymous"])
def test_namespace_less_ids_are_repo_not_found(endpoint, token):
    api = HfApi(endpoint=endpoint, token=token)
    status = 404 if token else 401
    # As on the Hub: these answer False for a repo that does not exist (a route 404 would raise).
    assert api.file_exists("gpt2", "config.json") is False
    assert api.revision_exists("gpt2", "main") is False
    assert api.repo_exists("gpt2") is False
    assert api.revision_exists("squad", "main", repo_type="dataset") is False
    for call in (
        lambda: api.model_info("gpt2"),
        lambda: api.list_repo_commits("gpt2"),
        lambda: api.dataset_info("squad"),
        lambda: list(api.list_repo_tree("gpt2")),
    ):
        with pytest.raises(RepositoryNotFoundError) as exc:
            call()
        assert exc.value.response.status_code == status
        assert exc.value.response.headers["X-Error-Code"] == "RepoNotFound"
    for method, path in [
        ("HEAD", "/gpt2/resolve/main/config.json"),
        ("GET", "/api/models/gpt2/revision/main"),
        ("GET", "/api/models/gpt2/commits/main"),
        ("DELETE", "/api/models/gpt2/like"),
        ("POST", "/api/models/gpt2/like"),
    ]:
        headers = {"Authorization": f"Bearer {ALICE}"} if token else {}
        answer = httpx.request(method, endpoint + path, headers=headers)
        assert (answer.status_code, answer.headers.get("X-Error-Code")) == (status, "RepoNotFound"), path


def test_every_answer_has_a_request_id_and_errors_quote_it(api, repo, endpoint):
    ok = httpx.get(f"{endpoint}/api/models/{repo}")
    missing = httpx.get(f"{endpoint}/api/no-such-route")
    ids = {ok.headers["X-Request-Id"], missing.headers["X-Request-Id"]}
    assert len(ids) == 2 and all(ids)  # one id per request
    with pytest.raises(RepositoryNotFoundError) as exc:
        api.model_info(repo + "-nope")
    request_id = exc.value.request_id
    assert request_id and f"(Request ID: {request_id})" in str(exc.value)


@pytest.mark.parametrize("path", ["dir\\file.txt", "a/./b.txt"])
def test_backslash_and_dot_paths_are_422_through_the_client(api, repo, path):
    with pytest.raises(HfHubHTTPError) as exc:
        api.create_commit(repo, [CommitOperationAdd(path, b"x")], commit_message="bad path")
    assert exc.value.response.status_code == 422
    assert path.replace("./", "") not in api.list_repo_files(repo)


@pytest.mark.parametrize("path", ["../up.txt", "a/../../b.txt", "a\\..\\b.txt"])
def test_dot_dot_paths_are_422_over_http(repo, endpoint, path):
    # The client refuses '..' itself, so these go as plain HTTP: preupload and the NDJSON commit.
    auth = {"Authorization": f"Bearer {ALICE}"}
    preupload = httpx.post(
        f"{endpoint}/api/models/{repo}/preupload/main",
        json={"files": [{"path": path, "sample": "", "size": 1}]},
        headers=auth,
    )
    assert preupload.status_code == 422, preupload.text
    lines = [
        {"key": "header", "value": {"summary": "bad path"}},
        {"key": "file", "value": {"path": path, "content": "eA==", "encoding": "base64"}},
    ]
    commit = httpx.post(
        f"{endpoint}/api/models/{repo}/commit/main",
        content="\n".join(json.dumps(line) for line in lines).encode(),
        headers={**auth, "Content-Type": "application/x-ndjson"},
    )
    assert commit.status_code == 422, commit.text
    assert sorted(HfApi(endpoint=endpoint, token=ALICE).list_repo_files(repo)) == [".gitattributes", "a.txt"]


def test_deleting_a_folder_without_trailing_slash(api, repo):
    api.create_commit(
        repo,
        [CommitOperationAdd("dir/x.txt", b"x"), CommitOperationAdd("dir/sub/y.txt", b"y")],
        commit_message="a folder",
    )
    api.create_commit(repo, [CommitOperationDelete(path_in_repo="dir")], commit_message="drop dir")
    assert sorted(api.list_repo_files(repo)) == [".gitattributes", "a.txt"]
    api.create_commit(repo, [CommitOperationAdd("dir2/x.txt", b"x")], commit_message="again")
    api.delete_folder("dir2", repo_id=repo)
    assert sorted(api.list_repo_files(repo)) == [".gitattributes", "a.txt"]
    with pytest.raises(HfHubHTTPError) as exc:
        api.create_commit(repo, [CommitOperationDelete(path_in_repo="nothing")], commit_message="none")
    assert exc.value.response.status_code == 404
