"""Conformance: likes through the real client (`like`, `unlike`, `list_liked_repos`, `list_repo_likers`)."""

from __future__ import annotations

import httpx
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from tests.conftest import ALICE, BOB, CAROL


def like(endpoint: str, token: str | None, repo_id: str, repo_type: str = "model") -> httpx.Response:
    """POST .../like, as the Hub's website does (huggingface_hub 2.4 has `unlike` but no `like`)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{endpoint}/api/{repo_type}s/{repo_id}/like", headers=headers)


def test_like_unlike_likers_and_counter(api, endpoint, repo_name):
    repo = api.create_repo(repo_name).repo_id
    dataset = api.create_repo(f"{repo_name}-data", repo_type="dataset").repo_id
    bob = HfApi(endpoint=endpoint, token=BOB)
    assert api.model_info(repo).likes == 0
    for token, repo_id, repo_type in [
        (BOB, repo, "model"),
        (BOB, repo, "model"),  # liking twice counts once
        (CAROL, repo, "model"),
        (BOB, dataset, "dataset"),
    ]:
        assert like(endpoint, token, repo_id, repo_type).status_code == 200
    assert api.model_info(repo).likes == 2
    assert api.dataset_info(dataset).likes == 1
    assert [(u.username, u.fullname) for u in api.list_repo_likers(repo)] == [
        ("bob", "Bob"),
        ("carol", "Carol"),
    ]
    liked = bob.list_liked_repos()  # the user from whoami
    assert liked.user == "bob" and repo in liked.models and dataset in liked.datasets
    assert repo in api.list_liked_repos("carol").models
    bob.unlike(repo)
    assert api.model_info(repo).likes == 1
    assert [u.username for u in api.list_repo_likers(repo)] == ["carol"]
    assert repo not in bob.list_liked_repos().models
    assert like(endpoint, None, repo).status_code == 401
    with pytest.raises(HfHubHTTPError) as exc:
        HfApi(endpoint=endpoint, token=False).unlike(repo)
    assert exc.value.response.status_code == 401


def test_private_repo_likes_stay_private(api, endpoint, repo_name):
    repo = api.create_repo(repo_name, private=True).repo_id
    assert like(endpoint, ALICE, repo).status_code == 200
    assert repo in api.list_liked_repos("alice").models
    bob = HfApi(endpoint=endpoint, token=BOB)
    assert repo not in bob.list_liked_repos("alice").models
    assert like(endpoint, BOB, repo).headers["X-Error-Code"] == "RepoNotFound"
    with pytest.raises(RepositoryNotFoundError):
        bob.unlike(repo)
    with pytest.raises(RepositoryNotFoundError):
        list(bob.list_repo_likers(repo))
