"""Conformance: a new Space gets the README.md the Hub writes (its configuration front matter)."""

from __future__ import annotations

import httpx2
import pytest
from huggingface_hub import hf_hub_download
from huggingface_hub.errors import HfHubHTTPError

from tests.conftest import ALICE


@pytest.mark.parametrize("sdk", ["gradio", "static", "docker"])
def test_new_space_has_a_readme(api, endpoint, repo_name, tmp_path, sdk):
    repo_id = api.create_repo(repo_name, repo_type="space", space_sdk=sdk).repo_id
    assert sorted(api.list_repo_files(repo_id, repo_type="space")) == [".gitattributes", "README.md"]
    path = hf_hub_download(
        repo_id, "README.md", repo_type="space", endpoint=endpoint, token=ALICE, cache_dir=tmp_path
    )
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("---\n")
    info = api.space_info(repo_id)
    assert info.sdk == sdk
    assert info.card_data["title"] == repo_name
    assert info.card_data["sdk"] == sdk
    assert info.card_data["pinned"] is False
    assert {"emoji", "colorFrom", "colorTo"} <= set(info.card_data.to_dict())
    assert len(api.list_repo_commits(repo_id, repo_type="space")) == 1
    # Models and datasets start with .gitattributes only.
    assert api.list_repo_files(api.create_repo(repo_name).repo_id) == [".gitattributes"]


def test_space_needs_a_known_sdk(api, endpoint, repo_name):
    answer = httpx2.post(
        f"{endpoint}/api/repos/create",
        json={"name": repo_name, "type": "space", "sdk": "nonsense"},
        headers={"Authorization": f"Bearer {ALICE}"},
    )
    assert answer.status_code == 400
    with pytest.raises(HfHubHTTPError):
        api.repo_info(f"alice/{repo_name}", repo_type="space")
