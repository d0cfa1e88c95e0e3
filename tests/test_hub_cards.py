"""hub.cards against a real SandboxHub, without any widget: load, validate, push (with the 412 rule)."""

from __future__ import annotations

import pytest
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from hub_widgets.hub import cards, repos

CARD = "\ufeff---\r\nlicense: mit\r\n---\r\n# Card\r\n"


def make_repo(api, repo_id: str, card: str | None = CARD) -> str:
    api.create_repo(repo_id)
    if card is not None:
        api.upload_file(path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=repo_id)
    return repo_id


def test_load_gives_the_commit_and_the_text_as_written(api, hub_session, repo_name):
    repo_id = make_repo(api, f"alice/{repo_name}")
    sha, text = cards.load(hub_session, repo_id)
    assert sha == api.repo_info(repo_id).sha
    assert text == CARD.removeprefix("\ufeff")  # no byte order mark, CRLF kept
    bare = make_repo(api, f"alice/{repo_name}-bare", card=None)
    assert cards.load(hub_session, bare) == (api.repo_info(bare).sha, None)
    with pytest.raises(RepositoryNotFoundError):
        cards.load(hub_session, f"alice/{repo_name}-missing")


def test_validate_asks_the_hub(hub_session):
    assert cards.validate(hub_session, "---\nlicense: mit\n---\n", "model", {"license": "mit"}) == []
    problems = cards.validate(hub_session, "---\nlicense: not-a-license\n---\n", "model", {"license": "x"})
    assert problems and problems[0].key == "license" and problems[0].source == "hub"


def test_push_commits_or_opens_a_pull_request(api, hub_session, repo_name):
    repo_id = make_repo(api, f"alice/{repo_name}")
    sha, text = cards.load(hub_session, repo_id)
    info = cards.push(
        hub_session, repo_id, "# new\n", loaded_text=text, parent_commit=sha, commit_message="edit"
    )
    assert repos.read_bytes(hub_session, repo_id, "README.md") == b"# new\n"
    assert api.repo_info(repo_id).sha == info.oid
    pr = cards.push(
        hub_session, repo_id, "# proposal\n", loaded_text="# new\n", parent_commit=None,
        commit_message="propose", create_pr=True,
    )  # fmt: skip
    assert pr.pr_url and "/discussions/" in pr.pr_url
    assert repos.read_bytes(hub_session, repo_id, "README.md") == b"# new\n"


def test_the_412_rule(api, hub_session, repo_name):
    repo_id = make_repo(api, f"alice/{repo_name}")
    sha, text = cards.load(hub_session, repo_id)
    # Someone pushes another file: the README is the one loaded, so the push lands on the new head.
    api.upload_file(path_or_fileobj=b"x", path_in_repo="other.txt", repo_id=repo_id)
    cards.push(hub_session, repo_id, "# mine\n", loaded_text=text, parent_commit=sha, commit_message="mine")
    assert repos.read_bytes(hub_session, repo_id, "README.md") == b"# mine\n"
    # Someone changes the README itself: refused with the 412, nothing overwritten.
    sha, text = cards.load(hub_session, repo_id)
    api.upload_file(path_or_fileobj=b"# theirs\n", path_in_repo="README.md", repo_id=repo_id)
    with pytest.raises(HfHubHTTPError) as raised:
        cards.push(hub_session, repo_id, "# again\n", loaded_text=text, parent_commit=sha, commit_message="x")
    assert raised.value.response.status_code == 412
    assert repos.read_bytes(hub_session, repo_id, "README.md") == b"# theirs\n"
