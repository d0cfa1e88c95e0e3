"""Conformance: who may see and change what, as the real `huggingface_hub` client experiences it.

Matrix: private repos are a 404 (`RepositoryNotFoundError`) to anyone but the owner and, for org repos,
the org members; writes need the owner or an org member with a `write` token; a `read` token gets a
403 carrying a message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd, HfApi, HfFileSystem, hf_hub_download
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from tests.conftest import ALICE, ALICE_READ, BOB, CAROL


@pytest.fixture
def as_user(endpoint):
    """HfApi factory: as_user(BOB), as_user(False) for anonymous."""
    return lambda token: HfApi(endpoint=endpoint, token=token)


@pytest.fixture
def private_repo(api, repo_name) -> str:
    repo_id = api.create_repo(repo_name, private=True).repo_id
    api.upload_file(path_or_fileobj=b"secret\n", path_in_repo="secret.txt", repo_id=repo_id)
    return repo_id


@pytest.fixture
def public_repo(api, repo_name) -> str:
    repo_id = api.create_repo(f"{repo_name}-pub").repo_id
    api.upload_file(path_or_fileobj=b"open\n", path_in_repo="open.txt", repo_id=repo_id)
    return repo_id


def assert_403_with_message(exc: HfHubHTTPError) -> None:
    assert exc.response.status_code == 403
    assert exc.server_message, "a 403 must explain itself in the body"


def test_private_repo_visible_to_owner_only(private_repo, api, as_user):
    assert api.repo_info(private_repo).private is True
    assert api.file_exists(private_repo, "secret.txt")
    assert as_user(ALICE_READ).repo_info(private_repo).id == private_repo  # reading with a read token is fine
    for token in (BOB, CAROL, False):
        with pytest.raises(RepositoryNotFoundError):
            as_user(token).repo_info(private_repo)
        with pytest.raises(RepositoryNotFoundError):
            list(as_user(token).list_repo_tree(private_repo))
        with pytest.raises(RepositoryNotFoundError):
            as_user(token).auth_check(private_repo)


def test_private_repo_file_download_is_404(private_repo, endpoint, tmp_path):
    path = hf_hub_download(
        private_repo, "secret.txt", endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "a"
    )
    assert Path(path).read_bytes() == b"secret\n"
    for token in (BOB, False):
        with pytest.raises(RepositoryNotFoundError):
            hf_hub_download(
                private_repo, "secret.txt", endpoint=endpoint, token=token, cache_dir=tmp_path / "b"
            )


def test_private_repo_hidden_from_listings(private_repo, api, as_user, repo_name):
    assert private_repo in [m.id for m in api.list_models(search=repo_name)]
    assert private_repo not in [m.id for m in as_user(BOB).list_models(search=repo_name)]
    assert private_repo not in [m.id for m in as_user(False).list_models(search=repo_name)]
    assert private_repo not in [m.id for m in as_user(False).list_models(author="alice")]


def test_anonymous_reads_public_repo(public_repo, as_user, endpoint, tmp_path):
    anon = as_user(False)
    assert anon.repo_info(public_repo).id == public_repo
    assert "open.txt" in [e.path for e in anon.list_repo_tree(public_repo)]
    path = hf_hub_download(public_repo, "open.txt", endpoint=endpoint, token=False, cache_dir=tmp_path)
    assert Path(path).read_bytes() == b"open\n"
    fs = HfFileSystem(endpoint=endpoint, token=False, skip_instance_cache=True)
    assert fs.read_text(f"{public_repo}/open.txt") == "open\n"


def test_org_private_repo_visible_to_members_only(api, as_user, repo_name):
    repo_id = api.create_repo(f"acme/{repo_name}", private=True).repo_id
    api.upload_file(path_or_fileobj=b"org\n", path_in_repo="org.txt", repo_id=repo_id)
    bob = as_user(BOB)
    assert bob.repo_info(repo_id).private is True
    assert bob.file_exists(repo_id, "org.txt")
    # bob is a member: he may write too.
    bob.upload_file(path_or_fileobj=b"from bob\n", path_in_repo="bob.txt", repo_id=repo_id)
    assert api.file_exists(repo_id, "bob.txt")
    assert repo_id in [m.id for m in bob.list_models(author="acme", search=repo_name)]
    for token in (CAROL, False):
        with pytest.raises(RepositoryNotFoundError):
            as_user(token).repo_info(repo_id)
    with pytest.raises((RepositoryNotFoundError, HfHubHTTPError)):
        as_user(CAROL).upload_file(path_or_fileobj=b"x\n", path_in_repo="carol.txt", repo_id=repo_id)
    assert not api.file_exists(repo_id, "carol.txt")


def test_non_member_cannot_create_in_org(as_user, repo_name):
    with pytest.raises(HfHubHTTPError) as info:
        as_user(CAROL).create_repo(f"acme/{repo_name}")
    assert info.value.response.status_code in (401, 403)


def test_foreign_user_cannot_write_public_repo(public_repo, api, as_user):
    bob = as_user(BOB)
    with pytest.raises(HfHubHTTPError) as info:
        bob.upload_file(path_or_fileobj=b"x\n", path_in_repo="bob.txt", repo_id=public_repo)
    assert info.value.response.status_code == 403
    with pytest.raises(HfHubHTTPError) as info:
        bob.create_commit(public_repo, operations=[CommitOperationAdd("bob.txt", b"x\n")], commit_message="x")
    assert info.value.response.status_code == 403
    with pytest.raises(HfHubHTTPError) as info:
        bob.delete_repo(public_repo)
    assert info.value.response.status_code == 403
    with pytest.raises(HfHubHTTPError) as info:
        bob.create_branch(public_repo, branch="bob")
    assert info.value.response.status_code == 403
    with pytest.raises(HfHubHTTPError) as info:
        bob.auth_check(public_repo, write=True)
    assert info.value.response.status_code == 403
    bob.auth_check(public_repo)  # reading is fine
    assert api.repo_exists(public_repo)
    assert not api.file_exists(public_repo, "bob.txt")
    assert [b.name for b in api.list_repo_refs(public_repo).branches] == ["main"]


def test_bob_cannot_see_or_write_alice_private_repo(private_repo, api, as_user):
    with pytest.raises(RepositoryNotFoundError):
        as_user(BOB).upload_file(path_or_fileobj=b"x\n", path_in_repo="bob.txt", repo_id=private_repo)
    assert not api.file_exists(private_repo, "bob.txt")


def test_read_token_cannot_write(public_repo, api, as_user, repo_name):
    reader = as_user(ALICE_READ)
    with pytest.raises(HfHubHTTPError) as info:
        reader.upload_file(path_or_fileobj=b"x\n", path_in_repo="r.txt", repo_id=public_repo)
    assert_403_with_message(info.value)
    with pytest.raises(HfHubHTTPError) as info:
        reader.create_repo(f"{repo_name}-by-reader")
    assert_403_with_message(info.value)
    with pytest.raises(HfHubHTTPError) as info:
        reader.delete_repo(public_repo)
    assert_403_with_message(info.value)
    with pytest.raises(HfHubHTTPError) as info:
        reader.update_repo_settings(public_repo, private=True)
    assert_403_with_message(info.value)
    with pytest.raises(HfHubHTTPError) as info:
        reader.auth_check(public_repo, write=True)
    assert info.value.response.status_code == 403
    reader.auth_check(public_repo)
    assert api.repo_info(public_repo).private is False
    assert not api.file_exists(public_repo, "r.txt")
    assert not api.repo_exists(f"alice/{repo_name}-by-reader")


def test_anonymous_cannot_write(public_repo, as_user):
    with pytest.raises(HfHubHTTPError) as info:
        as_user(False).create_commit(
            public_repo, operations=[CommitOperationAdd("anon.txt", b"x\n")], commit_message="x"
        )
    assert info.value.response.status_code in (401, 403)


def test_bad_token_on_repo_route_is_401_not_repo_not_found(public_repo, as_user):
    with pytest.raises(HfHubHTTPError) as info:
        as_user("hf_sandbox_wrong_token").repo_info(public_repo)
    assert info.value.response.status_code == 401
    assert not isinstance(info.value, RepositoryNotFoundError)


def test_device_code_login_approve_deny_and_refresh(sandbox, endpoint, as_user):
    from huggingface_hub.errors import DeviceCodeError
    from huggingface_hub.utils._oauth_device import (
        poll_device_token,
        refresh_access_token,
        request_device_code,
    )

    info = request_device_code()  # posts to constants.ENDPOINT, the sandbox here
    assert info["user_code"] and info["device_code"]
    assert info["verification_uri"].startswith(endpoint)
    sandbox.device.approve(info["user_code"], "bob")
    token = poll_device_token(info)  # approved before the first poll: answers at once
    assert as_user(token["access_token"]).whoami()["name"] == "bob"
    if token.get("refresh_token"):
        renewed = refresh_access_token(token["refresh_token"])
        assert as_user(renewed["access_token"]).whoami()["name"] == "bob"

    denied = request_device_code()
    sandbox.device.deny(denied["user_code"])
    with pytest.raises(DeviceCodeError) as err:
        poll_device_token(denied)
    assert err.value.error_code == "access_denied"

    expired = request_device_code()
    sandbox.device.expire(expired["user_code"])
    with pytest.raises(DeviceCodeError) as err:
        poll_device_token(expired)
    assert err.value.error_code == "expired_token"


def test_gated_repo_files_need_access(api, as_user, public_repo, endpoint, tmp_path):
    from huggingface_hub.errors import GatedRepoError

    api.update_repo_settings(public_repo, gated="auto")
    info = as_user(BOB).repo_info(public_repo)
    assert info.gated == "auto"  # the repo page stays visible ...
    with pytest.raises(GatedRepoError):  # ... its files do not
        hf_hub_download(public_repo, "open.txt", endpoint=endpoint, token=BOB, cache_dir=tmp_path / "bob")
    path = hf_hub_download(
        public_repo, "open.txt", endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "alice"
    )
    assert Path(path).read_bytes() == b"open\n"
    api.update_repo_settings(public_repo, gated=False)
    assert as_user(BOB).repo_info(public_repo).gated is False
