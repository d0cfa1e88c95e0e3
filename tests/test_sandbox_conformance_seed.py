"""Conformance: the `--seed demo` content, as the real client sees it (the demo notebooks rely on it)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import RepositoryNotFoundError


@pytest.fixture(scope="module")
def demo_hub(tmp_path_factory):
    from hub_widgets.sandbox import SandboxHub

    hub = SandboxHub(data_dir=str(tmp_path_factory.mktemp("seeded")), seed="demo").start()
    yield hub
    hub.stop()


@pytest.fixture(scope="module")
def demo_api(demo_hub) -> HfApi:
    return HfApi(endpoint=demo_hub.endpoint, token=demo_hub.accounts.new_token("demo", name="conformance"))


def test_seed_has_models_with_cards(demo_api):
    models = list(demo_api.list_models(author="demo", cardData=True))
    assert len(models) >= 5
    for model in models:
        assert model.card_data is not None and model.card_data.get("license"), model.id
    assert sum(1 for m in models if m.pipeline_tag) >= 5
    downloads = [m.downloads for m in demo_api.list_models(author="demo", sort="downloads")]
    assert downloads == sorted(downloads, reverse=True)
    assert any(d > 0 for d in downloads)


def test_seed_showcase_model_history_refs_and_pr(demo_api, demo_hub, tmp_path):
    repo_id = "demo/tiny-sentiment"
    tree = {e.path: e for e in demo_api.list_repo_tree(repo_id, recursive=True)}
    assert tree["model.safetensors"].lfs is not None
    assert len(demo_api.list_repo_commits(repo_id)) >= 3
    refs = demo_api.list_repo_refs(repo_id, include_pull_requests=True)
    assert "dev" in {b.name for b in refs.branches}
    assert "v1.0" in {t.name for t in refs.tags}
    assert refs.pull_requests
    prs = [d for d in demo_api.get_repo_discussions(repo_id) if d.is_pull_request and d.status == "open"]
    assert prs and prs[0].author == "ada"
    path = hf_hub_download(
        repo_id, "model.safetensors", endpoint=demo_hub.endpoint, token=False, cache_dir=tmp_path
    )
    assert Path(path).stat().st_size == tree["model.safetensors"].size


def test_seed_dataset_space_and_private_repo(demo_api, demo_hub, tmp_path):
    csv_path = hf_hub_download(
        "demo/reviews",
        "reviews.csv",
        repo_type="dataset",
        endpoint=demo_hub.endpoint,
        token=False,
        cache_dir=tmp_path,
    )
    rows = list(csv.reader(io.StringIO(Path(csv_path).read_text())))
    assert len(rows) >= 3
    assert demo_api.space_info("demo/hello-space").id == "demo/hello-space"
    assert [s.id for s in demo_api.list_spaces(author="demo")] == ["demo/hello-space"]
    assert demo_api.model_info("demo/private-notes").private is True
    with pytest.raises(RepositoryNotFoundError):
        HfApi(endpoint=demo_hub.endpoint, token=False).model_info("demo/private-notes")
    anonymous = {m.id for m in HfApi(endpoint=demo_hub.endpoint, token=False).list_models(author="demo")}
    assert "demo/private-notes" not in anonymous and "demo/tiny-sentiment" in anonymous
