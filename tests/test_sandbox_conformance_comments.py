"""Conformance: editing and hiding discussion comments (`edit_discussion_comment`,
`hide_discussion_comment`), with the Hub's rules: only a comment's author edits it; its author or a
repo writer hides it; `get_discussion_details` shows the edited and hidden flags."""

from __future__ import annotations

import warnings

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from tests.conftest import BOB, CAROL


@pytest.fixture
def discussion(api, endpoint, repo_name):
    """(repo id, discussion number, bob's comment id) on a public repo of alice's."""
    repo_id = api.create_repo(repo_name).repo_id
    bob = HfApi(endpoint=endpoint, token=BOB)
    num = bob.create_discussion(repo_id, title="A question", description="first words").num
    comment = bob.comment_discussion(repo_id, num, "a typo hre")
    return repo_id, num, comment.id


def _comment(api: HfApi, repo_id: str, num: int, comment_id: str):
    details = api.get_discussion_details(repo_id, num)
    return next(e for e in details.events if e.id == comment_id)


def test_author_edits_comment(api, endpoint, discussion):
    repo_id, num, comment_id = discussion
    bob = HfApi(endpoint=endpoint, token=BOB)
    edited = bob.edit_discussion_comment(repo_id, num, comment_id, "a typo here")
    assert edited.id == comment_id
    assert edited.content == "a typo here"
    assert edited.edited is True and edited.hidden is False
    shown = _comment(api, repo_id, num, comment_id)
    assert shown.content == "a typo here"
    assert shown.edited is True
    assert shown.author == "bob"
    with pytest.raises(HfHubHTTPError) as info:
        bob.edit_discussion_comment(repo_id, num, "0123456789abcdef01234567", "no such comment")
    assert info.value.response.status_code == 404


def test_only_the_author_edits(api, endpoint, discussion):
    repo_id, num, comment_id = discussion
    for other in (api, HfApi(endpoint=endpoint, token=CAROL)):  # the repo owner and a stranger
        with pytest.raises(HfHubHTTPError) as info:
            other.edit_discussion_comment(repo_id, num, comment_id, "not mine")
        assert info.value.response.status_code == 403
    assert _comment(api, repo_id, num, comment_id).content == "a typo hre"


def test_author_or_writer_hides(api, endpoint, discussion):
    repo_id, num, comment_id = discussion
    carol = HfApi(endpoint=endpoint, token=CAROL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the client warns that hiding is irreversible
        with pytest.raises(HfHubHTTPError) as info:
            carol.hide_discussion_comment(repo_id, num, comment_id)
        assert info.value.response.status_code == 403
        hidden = api.hide_discussion_comment(repo_id, num, comment_id)  # alice owns the repo
        assert hidden.hidden is True
        assert hidden.content == ""
        shown = _comment(api, repo_id, num, comment_id)
        assert shown.hidden is True and shown.content == ""
        # A hidden comment cannot be edited back.
        bob = HfApi(endpoint=endpoint, token=BOB)
        with pytest.raises(HfHubHTTPError) as info:
            bob.edit_discussion_comment(repo_id, num, comment_id, "again")
        assert info.value.response.status_code == 403
        # Its author may hide their own comment too (here the first one).
        first = api.get_discussion_details(repo_id, num).events[0]
        assert bob.hide_discussion_comment(repo_id, num, first.id).hidden is True


def test_hide_answers_put_too(api, endpoint, discussion):
    """The client POSTs; the Hub's route also answers PUT."""
    import httpx2

    repo_id, num, comment_id = discussion
    answer = httpx2.put(
        f"{endpoint}/api/models/{repo_id}/discussions/{num}/comment/{comment_id}/hide",
        headers={"Authorization": f"Bearer {BOB}"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["updatedComment"]["data"]["hidden"] is True
    assert _comment(api, repo_id, num, comment_id).hidden is True
