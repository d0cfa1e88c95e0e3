"""Conformance: `GET /api/settings/repositories` (`HfApi.list_user_repos`, `hf repos ls`): the caller's
repos (or an organisation's) with the storage each one uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from tests.conftest import ALICE, BOB, CAROL


def test_list_user_repos(api, repo_name):
    model = api.create_repo(f"{repo_name}-m").repo_id
    api.upload_file(path_or_fileobj=b"x" * 1000, path_in_repo="w.bin", repo_id=model)
    dataset = api.create_repo(f"{repo_name}-d", repo_type="dataset", private=True).repo_id
    repos = {r.id: r for r in api.list_user_repos()}
    assert {model, dataset} <= set(repos)
    assert all(r.id.startswith("alice/") for r in repos.values())
    assert repos[model].type == "model" and repos[model].visibility == "public"
    assert repos[dataset].type == "dataset" and repos[dataset].visibility == "private"
    gitattributes = api.get_paths_info(model, [".gitattributes"])[0].size
    assert repos[model].storage == 1000 + gitattributes
    assert repos[model].storage > repos[dataset].storage > 0
    assert 0 < repos[model].storage_percent <= 100
    assert repos[model].updated_at is not None


def test_org_repos_for_members_only(api, endpoint, repo_name):
    repo_id = api.create_repo(f"acme/{repo_name}").repo_id
    assert repo_id in {r.id for r in HfApi(endpoint=endpoint, token=BOB).list_user_repos(namespace="acme")}
    with pytest.raises(HfHubHTTPError) as info:
        list(HfApi(endpoint=endpoint, token=CAROL).list_user_repos(namespace="acme"))
    assert info.value.response.status_code == 403
    with pytest.raises(HfHubHTTPError) as info:
        list(HfApi(endpoint=endpoint, token=False).list_user_repos())
    assert info.value.response.status_code == 401


def test_hf_repos_ls(api, endpoint, repo_name, tmp_path):
    repo_id = api.create_repo(f"{repo_name}-cli").repo_id
    env = {**os.environ, "HF_ENDPOINT": endpoint, "HF_TOKEN": ALICE, "HF_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "huggingface_hub.cli.hf", "repos", "ls", "--limit", "0", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert repo_id in {row["id"] for row in rows}
