"""Conformance: revisions as the Hub reads them, through the real client.

Short commit ids (7+ hex digits) name a commit wherever a revision is accepted (repo info, downloads,
listings, tag creation); an ambiguous prefix names none. A pull request cannot start from a commit id
(404 RevisionNotFound), and tag creation checks the revision before the tag name.
"""

from __future__ import annotations

import httpx2
import pytest
from huggingface_hub import CommitOperationAdd, hf_hub_download
from huggingface_hub.errors import BadRequestError, RevisionNotFoundError

from tests.conftest import ALICE


@pytest.fixture
def two_commits(api, repo_name) -> tuple[str, str, str]:
    """(repo id, first commit, second commit): a.txt changes between them."""
    repo_id = api.create_repo(repo_name).repo_id
    first = api.upload_file(path_or_fileobj=b"one\n", path_in_repo="a.txt", repo_id=repo_id).oid
    second = api.upload_file(path_or_fileobj=b"two\n", path_in_repo="a.txt", repo_id=repo_id).oid
    return repo_id, first, second


def test_short_sha_resolves_in_repo_info_listings_and_downloads(api, endpoint, two_commits, tmp_path):
    repo_id, first, _ = two_commits
    short = first[:7]
    assert api.repo_info(repo_id, revision=short).sha == first
    assert api.revision_exists(repo_id, short)
    assert [c.commit_id for c in api.list_repo_commits(repo_id, revision=short)][0] == first
    assert "a.txt" in api.list_repo_files(repo_id, revision=first[:10])
    path = hf_hub_download(
        repo_id, "a.txt", revision=short, endpoint=endpoint, token=ALICE, cache_dir=tmp_path
    )
    with open(path, "rb") as f:
        assert f.read() == b"one\n"
    # The resolve answer names the full commit (the client caches under it).
    head = httpx2.head(
        f"{endpoint}/{repo_id}/resolve/{short}/a.txt", headers={"Authorization": f"Bearer {ALICE}"}
    )
    assert head.status_code == 200
    assert head.headers["X-Repo-Commit"] == first
    # Too short (git's shortest abbreviation is 7) or another repo's commit: no such revision.
    with pytest.raises(RevisionNotFoundError):
        api.repo_info(repo_id, revision=first[:6])
    other = api.create_repo(f"{repo_id}-other").repo_id
    with pytest.raises(RevisionNotFoundError):
        api.repo_info(other, revision=first[:8])


def test_ambiguous_short_sha_is_not_found(api, sandbox, two_commits):
    repo_id, first, _ = two_commits
    # Two commits sharing 7 leading digits would take ~16,000 commits to happen by chance: a second
    # commit row with the same 7-digit prefix is written into the store directly (its content is the
    # first commit's, only the id differs after the prefix).
    twin = first[:7] + ("0" if first[7] != "0" else "1") + first[8:]
    sandbox.store.execute(
        "INSERT INTO commits SELECT ?, repo, parent, tree, title, message, author, date, card "
        "FROM commits WHERE oid=?",
        (twin, first),
    )
    with pytest.raises(RevisionNotFoundError):
        api.repo_info(repo_id, revision=first[:7])
    assert api.repo_info(repo_id, revision=first[:8]).sha == first
    assert api.repo_info(repo_id, revision=twin[:8]).sha == twin


def test_tag_from_short_sha(api, two_commits):
    repo_id, first, _ = two_commits
    api.create_tag(repo_id, tag="v-short", revision=first[:7])
    tags = {t.name: t.target_commit for t in api.list_repo_refs(repo_id).tags}
    assert tags["v-short"] == first


def test_tag_checks_revision_before_tag_name(api, two_commits):
    repo_id, first, _ = two_commits
    api.create_tag(repo_id, tag="v1", revision=first)
    # An unknown revision is a 404 even with a tag name that already exists or is invalid.
    with pytest.raises(RevisionNotFoundError):
        api.create_tag(repo_id, tag="v1", revision="no-such-branch")
    with pytest.raises(RevisionNotFoundError):
        api.create_tag(repo_id, tag="bad..name", revision="no-such-branch")
    with pytest.raises(BadRequestError):
        api.create_tag(repo_id, tag="bad..name", revision="main")


def test_pull_request_against_a_commit_sha_is_revision_not_found(api, two_commits):
    repo_id, first, _ = two_commits
    with pytest.raises(RevisionNotFoundError):
        api.create_commit(
            repo_id,
            [CommitOperationAdd("b.txt", b"b\n")],
            commit_message="PR on a sha",
            revision=first,
            create_pr=True,
        )
    assert api.get_repo_discussions(repo_id) is not None
    assert not list(api.get_repo_discussions(repo_id))  # no pull request was opened
