"""Conformance: `/api/validate-yaml` as `huggingface_hub.repocard` calls it (`RepoCard.validate`, `push_to_hub`).

Front matter after a leading newline is read, a bad `model-index` is refused (so the client refuses to
upload the card), and the license error reads as the Hub's.
"""

from __future__ import annotations

import base64
import json

import httpx
import huggingface_hub.hf_api
import pytest
from huggingface_hub import RepoCard
from huggingface_hub.utils import EntryNotFoundError

from tests.conftest import ALICE


@pytest.fixture
def push_endpoint(endpoint, monkeypatch):
    """`RepoCard.push_to_hub` uploads through the client's module-level HfApi, whose endpoint is fixed at
    import: point it at the sandbox (no request may leave loopback)."""
    monkeypatch.setattr(huggingface_hub.hf_api.api, "endpoint", endpoint)
    return endpoint


GOOD_INDEX = """
---
license: mit
model-index:
- name: my-model
  results:
  - task:
      type: text-classification
    dataset:
      name: IMDB
      type: imdb
    metrics:
    - type: accuracy
      value: 0.9
---
# Card
"""


def test_leading_newline_front_matter_is_read(endpoint):
    bad = httpx.post(
        f"{endpoint}/api/validate-yaml",
        json={"content": "\n---\nlicense: nope\n---\n# x\n", "repoType": "model"},
    )
    assert bad.status_code == 400  # read (and refused): before, the front matter went unseen
    card = RepoCard(GOOD_INDEX)
    card.validate()  # no error
    answer = httpx.post(f"{endpoint}/api/validate-yaml", json={"content": GOOD_INDEX, "repoType": "model"})
    assert answer.status_code == 200 and answer.json()["errors"] == []
    assert not any("license" in w["message"] for w in answer.json()["warnings"])  # the license was read


def test_license_error_reads_as_the_hubs(endpoint):
    card = RepoCard("---\nlicense: not-a-license\n---\n# x\n")
    with pytest.raises(
        ValueError, match=r'- Error: "license" must be one of \[apache-2\.0, mit, openrail, '
    ) as exc:
        card.validate()
    assert str(exc.value).rstrip().endswith("unknown, other]")


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ("model-index: nope", '"model-index" must be an array'),
        ("model-index:\n- results: []", '"model-index[0].name" is required'),
        (
            "model-index:\n- name: m\n  results:\n  - task: {type: t}\n    dataset: {type: d}\n"
            "    metrics: [{type: acc, value: 1}]",
            '"model-index[0].results[0].dataset.name" is required',
        ),
        (
            "model-index:\n- name: m\n  results:\n  - task: {type: t}\n    dataset: {type: d, name: D}\n"
            "    metrics: [{type: acc}]",
            '"model-index[0].results[0].metrics[0].value" is required',
        ),
        (
            "model-index:\n- name: m\n  results:\n  - dataset: {type: d, name: D}\n    metrics: []",
            '"model-index[0].results[0].task" is required',
        ),
    ],
)
def test_bad_model_index_is_refused_and_not_uploaded(api, push_endpoint, repo_name, index, message):
    repo = api.create_repo(repo_name).repo_id
    card = RepoCard(f"---\nlicense: mit\n{index}\n---\n# Card\n")
    with pytest.raises(ValueError, match=f"- Error: {message}".replace("[", r"\[").replace(".", r"\.")):
        card.push_to_hub(repo, token=ALICE)
    # `upload_file` of that README: the client asks validate-yaml first and refuses too ...
    with pytest.raises(ValueError, match=r"Invalid metadata in README\.md\.\n- ") as exc:
        api.upload_file(path_or_fileobj=str(card).encode(), path_in_repo="README.md", repo_id=repo)
    assert message in str(exc.value)
    # ... and a commit that carries it anyway is refused by the Hub.
    lines = [
        {"key": "header", "value": {"summary": "bad card"}},
        {
            "key": "file",
            "value": {"path": "README.md", "content": base64.b64encode(str(card).encode()).decode()},
        },
    ]
    answer = httpx.post(
        f"{push_endpoint}/api/models/{repo}/commit/main",
        content="\n".join(json.dumps(line) for line in lines).encode(),
        headers={"Authorization": f"Bearer {ALICE}", "Content-Type": "application/x-ndjson"},
    )
    assert answer.status_code == 400 and message in answer.json()["error"]
    with pytest.raises(EntryNotFoundError):
        api.hf_hub_download(repo, "README.md")


def test_good_model_index_is_pushed(api, push_endpoint, repo_name):
    repo = api.create_repo(repo_name).repo_id
    RepoCard(GOOD_INDEX).push_to_hub(repo, token=ALICE)
    card_data = api.model_info(repo).card_data
    assert card_data.model_name == "my-model" and card_data.eval_results[0].metric_value == 0.9
