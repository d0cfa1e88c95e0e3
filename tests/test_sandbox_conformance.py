"""Conformance: the real `huggingface_hub` client against the sandbox Hub (read and write operations).

Every test drives the public client (`HfApi`, `hf_hub_download`, `snapshot_download`, `HfFileSystem`)
against the shared session `sandbox` and checks what the client hands back. Access rules live in
test_sandbox_conformance_access.py; faults and restarts (own SandboxHub instances) in
test_sandbox_conformance_faults.py; the `--seed demo` content in test_sandbox_conformance_seed.py.
A few checks call the client's own helpers directly (`_paginate_pages` to see page boundaries,
`HfApi._validate_yaml`, the README check `create_commit` runs) where the public API hides them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from huggingface_hub import (
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
    HfApi,
    HfFileSystem,
    ModelCard,
    hf_hub_download,
    snapshot_download,
)
from huggingface_hub.errors import (
    EntryNotFoundError,
    HfHubHTTPError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import get_session
from huggingface_hub.utils._pagination import _paginate_pages

from tests.conftest import ALICE, ALICE_READ, write_tree

CARD = """---
license: mit
tags:
- sandbox-conformance
- tiny
pipeline_tag: text-classification
library_name: transformers
---
# A tiny model

Used by the conformance tests.
"""


def git_blob_sha1(data: bytes) -> str:
    """The git blob oid of `data` (what the Hub sends as oid / ETag of a regular file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_gets(sandbox, repo_id: str, filename: str) -> int:
    """How many GETs (not HEADs) the sandbox logged for a file's resolve URL."""
    return sum(
        1
        for entry in sandbox.request_log
        if entry["method"] == "GET"
        and "/resolve/" in entry["path"]
        and entry["path"].endswith(f"{repo_id}/resolve/main/{filename}")
    )


@pytest.fixture
def repo(api, repo_name) -> str:
    """A fresh public model repo of alice: a card, a config and two text files under weights/."""
    repo_id = api.create_repo(repo_name).repo_id
    api.create_commit(
        repo_id,
        operations=[
            CommitOperationAdd("README.md", CARD.encode()),
            CommitOperationAdd("config.json", b'{"hidden": 4}\n'),
            CommitOperationAdd("weights/a.txt", b"alpha\n"),
            CommitOperationAdd("weights/b.txt", b"bravo\n"),
        ],
        commit_message="Add files",
    )
    return repo_id


# --- identity ---------------------------------------------------------------------------------------


def test_whoami_reports_user_orgs_and_token_role(api):
    me = api.whoami()
    assert me["name"] == "alice"
    assert me["type"] == "user"
    assert "acme" in [org["name"] for org in me["orgs"]]
    assert me["auth"]["accessToken"]["role"] == "write"
    assert api.whoami(token=ALICE_READ)["auth"]["accessToken"]["role"] == "read"


def test_whoami_with_bad_token_is_401(endpoint):
    with pytest.raises(HfHubHTTPError) as info:
        HfApi(endpoint=endpoint, token="hf_sandbox_not_a_token").whoami()
    assert info.value.response.status_code == 401
    assert "Invalid user token" in str(info.value)


# --- repos ------------------------------------------------------------------------------------------


def test_create_repo_of_each_type_private_and_exist_ok(api, repo_name):
    model = api.create_repo(repo_name)
    assert model.repo_id == f"alice/{repo_name}"
    assert model.endswith(f"/alice/{repo_name}")
    dataset = api.create_repo(repo_name, repo_type="dataset", private=True)
    assert dataset.repo_type == "dataset"
    space = api.create_repo(repo_name, repo_type="space", space_sdk="static")
    assert space.repo_type == "space"

    assert api.repo_info(model.repo_id).private is False
    assert api.dataset_info(dataset.repo_id).private is True
    assert api.space_info(space.repo_id).id == f"alice/{repo_name}"

    # exist_ok reads the url from the 409 answer; without it the 409 surfaces.
    again = api.create_repo(repo_name, exist_ok=True)
    assert again.repo_id == model.repo_id
    with pytest.raises(HfHubHTTPError) as info:
        api.create_repo(repo_name)
    assert info.value.response.status_code == 409


def test_create_repo_in_org(api, repo_name):
    url = api.create_repo(f"acme/{repo_name}", private=True)
    assert url.repo_id == f"acme/{repo_name}"
    assert api.repo_info(url.repo_id).private is True


def test_delete_repo(api, repo_name):
    repo_id = api.create_repo(repo_name, repo_type="dataset").repo_id
    assert api.repo_exists(repo_id, repo_type="dataset")
    api.delete_repo(repo_id, repo_type="dataset")
    assert not api.repo_exists(repo_id, repo_type="dataset")
    with pytest.raises(RepositoryNotFoundError):
        api.delete_repo(repo_id, repo_type="dataset")
    api.delete_repo(repo_id, repo_type="dataset", missing_ok=True)


def test_update_repo_settings_visibility(api, endpoint, repo_name):
    repo_id = api.create_repo(repo_name).repo_id
    api.update_repo_settings(repo_id, private=True)
    assert api.repo_info(repo_id).private is True
    with pytest.raises(RepositoryNotFoundError):
        HfApi(endpoint=endpoint, token=False).repo_info(repo_id)
    api.update_repo_settings(repo_id, private=False)
    assert api.repo_info(repo_id).private is False
    assert HfApi(endpoint=endpoint, token=False).repo_info(repo_id).id == repo_id


def test_model_info_has_siblings_card_data_and_tags(api, repo):
    info = api.model_info(repo, files_metadata=True)
    assert len(info.sha) == 40
    siblings = {s.rfilename: s for s in info.siblings}
    assert set(siblings) >= {"README.md", "config.json", "weights/a.txt", "weights/b.txt"}
    assert siblings["config.json"].size == len(b'{"hidden": 4}\n')
    assert siblings["config.json"].blob_id == git_blob_sha1(b'{"hidden": 4}\n')
    assert info.card_data["license"] == "mit"
    assert info.pipeline_tag == "text-classification"
    assert info.library_name == "transformers"
    assert {"sandbox-conformance", "tiny", "license:mit", "text-classification", "transformers"} <= set(
        info.tags
    )
    assert info.private is False
    assert info.last_modified is not None and info.created_at is not None


def test_model_info_at_a_revision(api, repo):
    old_sha = api.model_info(repo).sha
    api.upload_file(path_or_fileobj=b"new\n", path_in_repo="later.txt", repo_id=repo)
    new = api.model_info(repo)
    assert new.sha != old_sha
    old = api.model_info(repo, revision=old_sha)
    assert old.sha == old_sha
    assert "later.txt" not in [s.rfilename for s in old.siblings]
    assert "later.txt" in [s.rfilename for s in new.siblings]


# --- listing ----------------------------------------------------------------------------------------


def test_list_models_search_author_filter_sort_limit(api, repo_name):
    first = api.create_repo(f"{repo_name}-first").repo_id
    second = api.create_repo(f"{repo_name}-second").repo_id
    api.upload_file(path_or_fileobj=CARD.encode(), path_in_repo="README.md", repo_id=first)

    found = [m.id for m in api.list_models(search=repo_name)]
    assert sorted(found) == sorted([first, second])
    assert [m.id for m in api.list_models(search=repo_name, author="bob")] == []
    assert [
        m.id for m in api.list_models(search=repo_name, author="alice", filter="sandbox-conformance")
    ] == [first]
    # Descending: the last modified (first, it got a README after second was created) comes first.
    assert [m.id for m in api.list_models(search=repo_name, sort="last_modified")] == [first, second]
    assert [m.id for m in api.list_models(search=repo_name, sort="created_at")] == [second, first]
    assert len(list(api.list_models(search=repo_name, limit=1))) == 1
    with_card = next(iter(api.list_models(search=f"{repo_name}-first", cardData=True)))
    assert with_card.card_data["license"] == "mit"
    expanded = next(
        iter(api.list_models(search=f"{repo_name}-first", expand=["downloads", "likes", "pipeline_tag"]))
    )
    assert expanded.pipeline_tag == "text-classification"
    assert expanded.downloads is not None and expanded.likes is not None
    info = api.model_info(first, expand=["downloads", "cardData", "sha"])
    assert info.card_data["license"] == "mit" and len(info.sha) == 40
    full = next(iter(api.list_models(search=f"{repo_name}-first", full=True)))
    assert full.sha == api.model_info(first).sha
    assert "README.md" in [s.rfilename for s in full.siblings]


def test_list_datasets_and_spaces(api, repo_name):
    dataset = api.create_repo(repo_name, repo_type="dataset").repo_id
    space = api.create_repo(repo_name, repo_type="space", space_sdk="static").repo_id
    assert [d.id for d in api.list_datasets(search=repo_name)] == [dataset]
    assert [d.id for d in api.list_datasets(search=repo_name, author="alice", limit=5)] == [dataset]
    assert [s.id for s in api.list_spaces(search=repo_name)] == [space]
    assert [m.id for m in api.list_models(search=repo_name)] == []


def test_list_models_pages_through_link_header(api, endpoint, repo_name):
    created = {api.create_repo(f"{repo_name}-{i}").repo_id for i in range(5)}
    # `limit` is the page size on the Hub; the rest follows through `Link: <...>; rel="next"`.
    pages = list(
        _paginate_pages(
            f"{endpoint}/api/models",
            params={"search": repo_name, "limit": 2},
            headers=api._build_hf_headers(),
        )
    )
    assert len(pages) == 3
    assert [len(page) for page, _ in pages] == [2, 2, 1]
    assert {m["id"] for page, _ in pages for m in page} == created
    # The high-level iterator (no limit) sees them all too.
    assert {m.id for m in api.list_models(search=repo_name)} == created


# --- tree, paths-info, commits, refs ------------------------------------------------------------------


def test_list_repo_tree_recursive_and_by_folder(api, repo):
    top = {e.path: e for e in api.list_repo_tree(repo)}
    assert set(top) >= {"README.md", "config.json", "weights"}
    assert type(top["weights"]).__name__ == "RepoFolder"
    assert top["config.json"].blob_id == git_blob_sha1(b'{"hidden": 4}\n')
    assert top["config.json"].size == len(b'{"hidden": 4}\n')
    assert top["config.json"].lfs is None

    folder = sorted(e.path for e in api.list_repo_tree(repo, path_in_repo="weights"))
    assert folder == ["weights/a.txt", "weights/b.txt"]

    deep = {e.path for e in api.list_repo_tree(repo, recursive=True)}
    assert {"weights", "weights/a.txt", "weights/b.txt", "README.md"} <= deep

    with_commit = {e.path: e for e in api.list_repo_tree(repo, path_in_repo="weights", expand=True)}
    assert with_commit["weights/a.txt"].last_commit is not None
    assert with_commit["weights/a.txt"].last_commit.title == "Add files"

    with pytest.raises(EntryNotFoundError):
        list(api.list_repo_tree(repo, path_in_repo="no-such-folder"))


def test_list_repo_tree_pages(api, endpoint, repo_name, tmp_path):
    repo_id = api.create_repo(repo_name).repo_id
    count = 120
    write_tree(tmp_path, {f"many/f{i:03d}.txt": f"{i}\n" for i in range(count)})
    api.upload_folder(repo_id=repo_id, folder_path=tmp_path)
    expected = [f"many/f{i:03d}.txt" for i in range(count)]
    assert sorted(e.path for e in api.list_repo_tree(repo_id, path_in_repo="many")) == expected
    # With `expand` the Hub pages by 50: the client must follow the Link header to see them all, once each.
    expanded = [e.path for e in api.list_repo_tree(repo_id, path_in_repo="many", expand=True)]
    assert sorted(expanded) == expected
    pages = list(
        _paginate_pages(
            f"{endpoint}/api/models/{repo_id}/tree/main/many",
            params={"expand": True},
            headers=api._build_hf_headers(),
        )
    )
    assert [len(page) for page, _ in pages] == [50, 50, 20]
    assert sorted(e["path"] for page, _ in pages for e in page) == expected
    assert set(expected) <= set(api.list_repo_files(repo_id))


def test_get_paths_info(api, repo):
    infos = {i.path: i for i in api.get_paths_info(repo, ["config.json", "weights", "missing.bin"])}
    assert set(infos) == {"config.json", "weights"}
    assert infos["config.json"].blob_id == git_blob_sha1(b'{"hidden": 4}\n')
    assert type(infos["weights"]).__name__ == "RepoFolder"


def test_list_repo_commits_newest_first(api, repo_name):
    repo_id = api.create_repo(repo_name).repo_id
    oids = []
    for i in range(3):
        info = api.upload_file(
            path_or_fileobj=f"{i}\n".encode(),
            path_in_repo=f"c{i}.txt",
            repo_id=repo_id,
            commit_message=f"Commit {i}",
        )
        oids.append(info.oid)
    commits = api.list_repo_commits(repo_id)
    assert [c.commit_id for c in commits[:3]] == oids[::-1]
    assert [c.title for c in commits[:3]] == ["Commit 2", "Commit 1", "Commit 0"]
    assert "alice" in commits[0].authors
    assert commits[0].created_at is not None
    at_first = api.list_repo_commits(repo_id, revision=oids[0])
    assert at_first[0].commit_id == oids[0]
    assert oids[1] not in [c.commit_id for c in at_first]


def test_list_repo_commits_pages(api, endpoint, repo_name):
    repo_id = api.create_repo(repo_name).repo_id
    for i in range(6):
        api.upload_file(path_or_fileobj=f"{i}\n".encode(), path_in_repo="counter.txt", repo_id=repo_id)
    all_commits = api.list_repo_commits(repo_id)
    pages = list(
        _paginate_pages(
            f"{endpoint}/api/models/{repo_id}/commits/main",
            params={"limit": 2},
            headers=api._build_hf_headers(),
        )
    )
    assert len(pages) >= 3
    assert [c["id"] for page, _ in pages for c in page] == [c.commit_id for c in all_commits]


def test_branches_and_tags(api, repo):
    head = api.model_info(repo).sha
    api.create_branch(repo, branch="dev")
    api.create_branch(repo, branch="feature/x", revision=head)
    with pytest.raises(HfHubHTTPError) as info:
        api.create_branch(repo, branch="dev")
    assert info.value.response.status_code == 409
    api.create_branch(repo, branch="dev", exist_ok=True)

    dev_commit = api.upload_file(
        path_or_fileobj=b"dev only\n", path_in_repo="dev.txt", repo_id=repo, revision="dev"
    )
    api.create_tag(repo, tag="v1.0", tag_message="first", revision="dev")
    with pytest.raises(HfHubHTTPError) as info:
        api.create_tag(repo, tag="v1.0")
    assert info.value.response.status_code == 409

    refs = api.list_repo_refs(repo)
    branches = {b.name: b for b in refs.branches}
    assert set(branches) == {"main", "dev", "feature/x"}
    assert branches["main"].target_commit == head
    assert branches["dev"].target_commit == dev_commit.oid
    assert branches["feature/x"].ref == "refs/heads/feature/x"
    assert [(t.name, t.target_commit) for t in refs.tags] == [("v1.0", dev_commit.oid)]
    assert refs.converts == []
    assert api.file_exists(repo, "dev.txt", revision="v1.0")
    assert api.file_exists(repo, "dev.txt", revision="feature/x") is False
    assert not api.file_exists(repo, "dev.txt")

    api.delete_tag(repo, tag="v1.0")
    api.delete_branch(repo, branch="feature/x")
    refs = api.list_repo_refs(repo)
    assert {b.name for b in refs.branches} == {"main", "dev"}
    assert refs.tags == []
    with pytest.raises(RevisionNotFoundError):
        api.model_info(repo, revision="feature/x")


# --- uploads ----------------------------------------------------------------------------------------


def test_upload_file_and_download(api, repo_name, tmp_path, endpoint):
    repo_id = api.create_repo(repo_name).repo_id
    info = api.upload_file(path_or_fileobj=b"hello sandbox\n", path_in_repo="docs/hello.txt", repo_id=repo_id)
    assert len(info.oid) == 40
    assert info.commit_url.endswith(info.oid)
    path = hf_hub_download(repo_id, "docs/hello.txt", endpoint=endpoint, token=ALICE, cache_dir=tmp_path)
    assert Path(path).read_bytes() == b"hello sandbox\n"


def test_upload_folder_with_allow_ignore_and_delete_patterns(api, repo_name, tmp_path):
    repo_id = api.create_repo(repo_name).repo_id
    api.create_commit(
        repo_id,
        operations=[
            CommitOperationAdd("old/stale.log", b"stale\n"),
            CommitOperationAdd("old/keep.txt", b"keep\n"),
            CommitOperationAdd("top.log", b"top\n"),
        ],
        commit_message="seed",
    )
    folder = write_tree(
        tmp_path / "src",
        {
            "data/one.txt": "one\n",
            "data/two.txt": "two\n",
            "data/skip.tmp": "tmp\n",
            "notes.md": "notes\n",
            "build/out.txt": "build\n",
        },
    )
    api.upload_folder(
        repo_id=repo_id,
        folder_path=folder,
        allow_patterns=["data/*", "*.md"],
        ignore_patterns=["*.tmp"],
        delete_patterns=["*.log"],
        commit_message="patterns",
    )
    files = set(api.list_repo_files(repo_id))
    assert {"data/one.txt", "data/two.txt", "notes.md", "old/keep.txt"} <= files
    assert "data/skip.tmp" not in files
    assert "build/out.txt" not in files
    assert "old/stale.log" not in files and "top.log" not in files

    api.upload_folder(
        repo_id=repo_id, folder_path=folder / "data", path_in_repo="copy", allow_patterns="*.txt"
    )
    assert {"copy/one.txt", "copy/two.txt"} <= set(api.list_repo_files(repo_id))
    assert "copy/skip.tmp" not in set(api.list_repo_files(repo_id))


def test_create_commit_add_delete_copy_and_delete_folder(api, repo, endpoint, tmp_path):
    info = api.create_commit(
        repo,
        operations=[
            CommitOperationAdd("new.txt", b"new\n"),
            CommitOperationDelete("config.json"),
            CommitOperationCopy(src_path_in_repo="weights/a.txt", path_in_repo="copied/a.txt"),
        ],
        commit_message="mixed",
        commit_description="add, delete and copy",
    )
    files = set(api.list_repo_files(repo))
    assert "new.txt" in files and "copied/a.txt" in files and "config.json" not in files
    copied = hf_hub_download(repo, "copied/a.txt", endpoint=endpoint, token=ALICE, cache_dir=tmp_path)
    assert Path(copied).read_bytes() == b"alpha\n"
    assert api.list_repo_commits(repo)[0].commit_id == info.oid

    api.create_commit(repo, operations=[CommitOperationDelete("weights/")], commit_message="drop folder")
    files = set(api.list_repo_files(repo))
    assert not any(f.startswith("weights/") for f in files)
    assert "copied/a.txt" in files
    api.delete_file("new.txt", repo)
    assert "new.txt" not in set(api.list_repo_files(repo))


def test_stale_parent_commit_is_refused_with_412(api, repo):
    old = api.model_info(repo).sha
    api.upload_file(path_or_fileobj=b"1\n", path_in_repo="one.txt", repo_id=repo)
    new = api.model_info(repo).sha
    with pytest.raises(HfHubHTTPError) as info:
        api.create_commit(
            repo, operations=[CommitOperationAdd("two.txt", b"2\n")], commit_message="x", parent_commit=old
        )
    assert info.value.response.status_code == 412
    assert api.model_info(repo).sha == new
    assert not api.file_exists(repo, "two.txt")
    ok = api.create_commit(
        repo, operations=[CommitOperationAdd("two.txt", b"2\n")], commit_message="y", parent_commit=new
    )
    assert api.model_info(repo).sha == ok.oid


def test_lfs_binary_and_large_file_round_trip(api, repo_name, tmp_path, endpoint):
    repo_id = api.create_repo(repo_name).repo_id
    small_binary = bytes(range(256)) * 8
    big = os.urandom(11 * 1024 * 1024)  # >= 10 MB: LFS by size (the only large file of the suite)
    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "model.bin").write_bytes(big)
    (tmp_path / "up" / "tiny.bin").write_bytes(small_binary)
    (tmp_path / "up" / "notes.txt").write_text("text stays regular\n")
    api.upload_folder(repo_id=repo_id, folder_path=tmp_path / "up")

    tree = {e.path: e for e in api.list_repo_tree(repo_id)}
    assert tree["model.bin"].lfs is not None
    assert tree["model.bin"].lfs.sha256 == sha256(big)
    assert tree["model.bin"].size == len(big)
    assert tree["tiny.bin"].lfs is not None and tree["tiny.bin"].lfs.sha256 == sha256(small_binary)
    assert tree["notes.txt"].lfs is None

    siblings = {s.rfilename: s for s in api.model_info(repo_id, files_metadata=True).siblings}
    assert siblings["model.bin"].lfs.sha256 == sha256(big)

    cache = tmp_path / "cache"
    path = hf_hub_download(repo_id, "model.bin", endpoint=endpoint, token=ALICE, cache_dir=cache)
    assert file_sha256(path) == sha256(big)
    # LFS blobs are cached under their sha256 (the ETag).
    assert Path(path).resolve().name == sha256(big)
    # Ranged reads (206 + Content-Range) through HfFileSystem's block cache.
    fs = HfFileSystem(endpoint=endpoint, token=ALICE, skip_instance_cache=True)
    with fs.open(f"{repo_id}/model.bin", "rb", block_size=1 << 20) as fh:
        fh.seek(5_000_000)
        assert fh.read(100_000) == big[5_000_000:5_100_000]
    tiny = hf_hub_download(repo_id, "tiny.bin", endpoint=endpoint, token=ALICE, cache_dir=cache)
    assert Path(tiny).read_bytes() == small_binary

    # Re-uploading the same content is skipped (preupload/batch know the object already).
    again = api.upload_file(path_or_fileobj=big, path_in_repo="copy-of-model.bin", repo_id=repo_id)
    assert api.get_paths_info(repo_id, ["copy-of-model.bin"], revision=again.oid)[0].lfs.sha256 == sha256(big)


# --- downloads --------------------------------------------------------------------------------------


def test_hf_hub_download_cache_hit_revision_and_etag(api, repo, endpoint, tmp_path, sandbox):
    cache = tmp_path / "cache"
    first = hf_hub_download(repo, "config.json", endpoint=endpoint, token=ALICE, cache_dir=cache)
    assert Path(first).read_bytes() == b'{"hidden": 4}\n'
    # Regular files are cached under their git blob sha1 (the quoted ETag).
    assert Path(first).resolve().name == git_blob_sha1(b'{"hidden": 4}\n')
    gets = resolve_gets(sandbox, repo, "config.json")
    assert gets >= 1, "the first download fetched the file"
    second = hf_hub_download(repo, "config.json", endpoint=endpoint, token=ALICE, cache_dir=cache)
    assert second == first
    assert resolve_gets(sandbox, repo, "config.json") == gets, "cache hit must not GET the file again"

    old_sha = api.model_info(repo).sha
    api.upload_file(path_or_fileobj=b'{"hidden": 8}\n', path_in_repo="config.json", repo_id=repo)
    fresh = hf_hub_download(repo, "config.json", endpoint=endpoint, token=ALICE, cache_dir=cache)
    assert Path(fresh).read_bytes() == b'{"hidden": 8}\n'
    old = hf_hub_download(
        repo, "config.json", revision=old_sha, endpoint=endpoint, token=ALICE, cache_dir=cache
    )
    assert Path(old).read_bytes() == b'{"hidden": 4}\n'
    assert old_sha in old

    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    meta = get_hf_file_metadata(hf_hub_url(repo, "config.json", endpoint=endpoint), token=ALICE)
    assert meta.etag == git_blob_sha1(b'{"hidden": 8}\n')
    assert meta.commit_hash == api.model_info(repo).sha
    assert meta.size == len(b'{"hidden": 8}\n')


def test_hf_hub_download_missing_file_revision_and_repo(api, repo, endpoint, tmp_path):
    with pytest.raises(RemoteEntryNotFoundError):
        hf_hub_download(repo, "nope.txt", endpoint=endpoint, token=ALICE, cache_dir=tmp_path)
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(
            repo, "config.json", revision="no-such-branch", endpoint=endpoint, token=ALICE, cache_dir=tmp_path
        )
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download(
            "alice/no-such-repo-xyz", "config.json", endpoint=endpoint, token=ALICE, cache_dir=tmp_path
        )
    with pytest.raises(RevisionNotFoundError):
        api.repo_info(repo, revision="no-such-branch")
    with pytest.raises(RepositoryNotFoundError):
        api.repo_info("alice/no-such-repo-xyz")


def test_download_from_dataset_repo(api, repo_name, endpoint, tmp_path):
    repo_id = api.create_repo(repo_name, repo_type="dataset").repo_id
    api.upload_file(
        path_or_fileobj=b"a,b\n1,2\n", path_in_repo="data/train.csv", repo_id=repo_id, repo_type="dataset"
    )
    path = hf_hub_download(
        repo_id, "data/train.csv", repo_type="dataset", endpoint=endpoint, token=ALICE, cache_dir=tmp_path
    )
    assert Path(path).read_bytes() == b"a,b\n1,2\n"


def test_snapshot_download_with_allow_patterns(api, repo, endpoint, tmp_path):
    folder = Path(
        snapshot_download(
            repo, endpoint=endpoint, token=ALICE, cache_dir=tmp_path, allow_patterns=["weights/*"]
        )
    )
    got = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert got == ["weights/a.txt", "weights/b.txt"]
    assert (folder / "weights" / "b.txt").read_bytes() == b"bravo\n"
    assert folder.name == api.model_info(repo).sha

    api.create_tag(repo, tag="v1")
    api.upload_file(path_or_fileobj=b"after tag\n", path_in_repo="weights/c.txt", repo_id=repo)
    tagged = Path(
        snapshot_download(repo, revision="v1", endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "t")
    )
    assert not (tagged / "weights" / "c.txt").exists() and (tagged / "weights" / "a.txt").exists()
    full = Path(snapshot_download(repo, endpoint=endpoint, token=ALICE, local_dir=tmp_path / "full"))
    assert (full / "README.md").read_text() == CARD
    assert (full / "config.json").exists()


def test_hf_file_system_ls_glob_open_info(repo, endpoint):
    fs = HfFileSystem(endpoint=endpoint, token=ALICE, skip_instance_cache=True)
    listing = sorted(fs.ls(repo, detail=False))
    assert f"{repo}/config.json" in listing and f"{repo}/weights" in listing
    assert sorted(fs.glob(f"{repo}/weights/*.txt")) == [f"{repo}/weights/a.txt", f"{repo}/weights/b.txt"]
    assert sorted(fs.glob(f"{repo}/**/*.txt")) == [f"{repo}/weights/a.txt", f"{repo}/weights/b.txt"]
    with fs.open(f"{repo}/weights/a.txt", "rb") as fh:
        assert fh.read() == b"alpha\n"
    assert fs.read_text(f"{repo}/config.json") == '{"hidden": 4}\n'
    info = fs.info(f"{repo}/config.json")
    assert info["type"] == "file" and info["size"] == len(b'{"hidden": 4}\n')
    assert fs.info(f"{repo}/weights")["type"] == "directory"
    assert fs.exists(f"{repo}/weights/b.txt") and not fs.exists(f"{repo}/weights/c.txt")


def test_hf_file_system_write(api, repo, endpoint):
    fs = HfFileSystem(endpoint=endpoint, token=ALICE, skip_instance_cache=True)
    with fs.open(f"{repo}/written/by_fs.txt", "wb") as fh:
        fh.write(b"via fsspec\n")
    assert api.file_exists(repo, "written/by_fs.txt")
    fs.rm(f"{repo}/written/by_fs.txt")
    assert not api.file_exists(repo, "written/by_fs.txt")


# --- pull requests ----------------------------------------------------------------------------------


def test_commit_with_create_pr_and_pull_requests(api, repo, endpoint, tmp_path):
    main_sha = api.model_info(repo).sha
    pr_commit = api.upload_file(
        path_or_fileobj=b"proposal\n",
        path_in_repo="proposal.txt",
        repo_id=repo,
        create_pr=True,
        commit_message="Propose",
    )
    assert pr_commit.pr_url is not None and pr_commit.pr_num is not None
    assert pr_commit.pr_url.endswith(f"/discussions/{pr_commit.pr_num}")
    assert pr_commit.pr_revision == f"refs/pr/{pr_commit.pr_num}"
    # main untouched, the PR ref holds the file.
    assert api.model_info(repo).sha == main_sha
    assert not api.file_exists(repo, "proposal.txt")
    assert api.file_exists(repo, "proposal.txt", revision=pr_commit.pr_revision)
    path = hf_hub_download(
        repo,
        "proposal.txt",
        revision=pr_commit.pr_revision,
        endpoint=endpoint,
        token=ALICE,
        cache_dir=tmp_path,
    )
    assert Path(path).read_bytes() == b"proposal\n"

    refs = api.list_repo_refs(repo, include_pull_requests=True)
    prs = {r.ref: r for r in refs.pull_requests}
    assert prs[pr_commit.pr_revision].target_commit == pr_commit.oid
    assert api.list_repo_refs(repo).pull_requests is None

    details = api.get_discussion_details(repo, pr_commit.pr_num)
    assert details.is_pull_request
    assert details.status == "open"
    assert details.title
    assert details.git_reference == pr_commit.pr_revision
    assert details.target_branch == "refs/heads/main"
    assert details.conflicting_files == [] or details.conflicting_files is None

    manual = api.create_pull_request(repo, title="Manual PR", description="opened by hand")
    assert manual.is_pull_request and manual.num != pr_commit.pr_num
    pushed = api.upload_file(
        path_or_fileobj=b"more\n", path_in_repo="more.txt", repo_id=repo, revision=manual.git_reference
    )
    assert api.list_repo_commits(repo, revision=manual.git_reference)[0].commit_id == pushed.oid

    discussions = list(api.get_repo_discussions(repo))
    assert {d.num for d in discussions} >= {pr_commit.pr_num, manual.num}
    assert {d.title for d in discussions} >= {"Manual PR"}
    assert all(d.is_pull_request for d in discussions if d.num in (pr_commit.pr_num, manual.num))
    pr_only = list(api.get_repo_discussions(repo, discussion_type="pull_request"))
    assert {d.num for d in pr_only} >= {pr_commit.pr_num, manual.num}


# --- misc endpoints ---------------------------------------------------------------------------------


def test_auth_check(api, repo):
    api.auth_check(repo)
    api.auth_check(repo, write=True)
    with pytest.raises(RepositoryNotFoundError):
        api.auth_check("alice/no-such-repo-xyz")


def test_validate_yaml(endpoint, api):
    ModelCard(CARD).validate()  # posts to constants.ENDPOINT, the sandbox here
    api._validate_yaml(CARD)  # the check create_commit runs before pushing a README.md
    with pytest.raises(ValueError, match="Invalid metadata") as info:
        api._validate_yaml("---\nlicense: [unclosed\n---\n# card\n")
    assert "- " in str(info.value).split("README.md.", 1)[1], "the server's error list reaches the user"
    with pytest.raises(ValueError, match="Invalid metadata"):
        api._validate_yaml("---\n- just\n- a list\n---\n# card\n")
    with pytest.raises(ValueError, match="license"):
        api._validate_yaml("---\nlicense: not-a-license\n---\n# card\n")
    with pytest.warns(UserWarning, match="license"):  # warnings reach the user, the push goes on
        api._validate_yaml("---\ntags: [x]\n---\n# card\n")


def test_push_model_card(api, repo_name, endpoint, monkeypatch):
    repo_id = api.create_repo(repo_name).repo_id
    # RepoCard.push_to_hub uses the module-level HfApi() that huggingface_hub built at import, bound to the
    # HF_ENDPOINT of that moment: point it at the sandbox as an HF_ENDPOINT set before import would.
    from huggingface_hub import hf_api

    monkeypatch.setattr(hf_api.api, "endpoint", endpoint)
    ModelCard(CARD).push_to_hub(repo_id, token=ALICE)
    info = api.model_info(repo_id)
    assert info.card_data["license"] == "mit"
    assert "tiny" in info.tags
    with pytest.raises(ValueError):
        api.upload_file(
            path_or_fileobj=b"---\nlicense: [unclosed\n---\n", path_in_repo="README.md", repo_id=repo_id
        )
    assert api.model_info(repo_id).card_data["license"] == "mit"


def test_xet_write_token_answers_501(api, repo, endpoint):
    response = get_session().get(
        f"{endpoint}/api/models/{repo}/xet-write-token/main", headers=api._build_hf_headers()
    )
    assert response.status_code == 501
    assert "HF_HUB_DISABLE_XET" in response.text


# --- edge cases the client relies on ----------------------------------------------------------------


def test_unchanged_file_is_skipped_by_preupload_oid(api, repo):
    head = api.model_info(repo).sha
    commits = len(api.list_repo_commits(repo))
    again = api.upload_file(path_or_fileobj=b'{"hidden": 4}\n', path_in_repo="config.json", repo_id=repo)
    # The preupload answer carries the remote oid, the client sees a no-op and makes no commit.
    assert again.oid == head
    assert len(api.list_repo_commits(repo)) == commits


def test_gitattributes_marks_lfs(api, repo_name, tmp_path, endpoint):
    repo_id = api.create_repo(repo_name).repo_id
    # preupload reads the .gitattributes already in the repo at that revision.
    api.upload_file(
        path_or_fileobj=b"*.dat filter=lfs diff=lfs merge=lfs -text\n",
        path_in_repo=".gitattributes",
        repo_id=repo_id,
    )
    folder = write_tree(tmp_path / "src", {"table.dat": "plain text but lfs\n", "x.txt": "x\n"})
    api.upload_folder(repo_id=repo_id, folder_path=folder)
    tree = {e.path: e for e in api.list_repo_tree(repo_id)}
    assert tree["table.dat"].lfs is not None
    assert tree["table.dat"].lfs.sha256 == sha256(b"plain text but lfs\n")
    assert tree["x.txt"].lfs is None
    path = hf_hub_download(repo_id, "table.dat", endpoint=endpoint, token=ALICE, cache_dir=tmp_path / "c")
    assert Path(path).read_bytes() == b"plain text but lfs\n"


def test_lfs_file_metadata_uses_sha256_etag(api, repo_name, endpoint):
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    repo_id = api.create_repo(repo_name).repo_id
    data = bytes(range(256)) * 4
    info = api.upload_file(path_or_fileobj=data, path_in_repo="w.bin", repo_id=repo_id)
    meta = get_hf_file_metadata(hf_hub_url(repo_id, "w.bin", endpoint=endpoint), token=ALICE)
    assert meta.etag == sha256(data)
    assert meta.size == len(data)
    assert meta.commit_hash == info.oid


def test_branch_with_slash_download_and_tree(api, repo, endpoint, tmp_path):
    api.create_branch(repo, branch="dev/feature")
    api.upload_file(
        path_or_fileobj=b"on branch\n",
        path_in_repo="weights/branch.txt",
        repo_id=repo,
        revision="dev/feature",
    )
    path = hf_hub_download(
        repo, "weights/branch.txt", revision="dev/feature", endpoint=endpoint, token=ALICE, cache_dir=tmp_path
    )
    assert Path(path).read_bytes() == b"on branch\n"
    names = [e.path for e in api.list_repo_tree(repo, path_in_repo="weights", revision="dev/feature")]
    assert "weights/branch.txt" in names
    assert api.revision_exists(repo, "dev/feature")
    assert not api.revision_exists(repo, "dev/other")
    api.delete_branch(repo, branch="dev/feature")
    assert not api.revision_exists(repo, "dev/feature")


def test_missing_things_raise_the_right_errors(api, repo, repo_name):
    with pytest.raises(EntryNotFoundError):
        api.delete_file("no-such-file.txt", repo)
    with pytest.raises(RepositoryNotFoundError):
        api.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=f"alice/{repo_name}-missing")
    with pytest.raises(RevisionNotFoundError):
        api.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=repo, revision="no-such-branch")
    with pytest.raises(RevisionNotFoundError):
        api.create_branch(repo, branch="b", revision="0" * 40)
    with pytest.raises(HfHubHTTPError) as info:
        api.delete_branch(repo, branch="no-such-branch")
    assert info.value.response.status_code == 404
    with pytest.raises(RevisionNotFoundError):
        list(api.list_repo_commits(repo, revision="no-such-branch"))


def test_formatted_commits_and_expanded_paths_info(api, repo):
    commits = api.list_repo_commits(repo, formatted=True)
    assert commits[0].title == "Add files"
    assert commits[0].formatted_title is not None
    info = api.get_paths_info(repo, ["weights/a.txt"], expand=True)[0]
    assert info.last_commit is not None and info.last_commit.oid == commits[0].commit_id


def test_hf_file_system_dataset_and_folder_removal(api, repo_name, endpoint):
    repo_id = api.create_repo(repo_name, repo_type="dataset").repo_id
    api.create_commit(
        repo_id,
        repo_type="dataset",
        operations=[
            CommitOperationAdd("data/a.csv", b"a\n1\n"),
            CommitOperationAdd("data/b.csv", b"b\n2\n"),
            CommitOperationAdd("keep.md", b"# keep\n"),
        ],
        commit_message="data",
    )
    fs = HfFileSystem(endpoint=endpoint, token=ALICE, skip_instance_cache=True)
    root = f"datasets/{repo_id}"
    assert sorted(fs.ls(f"{root}/data", detail=False)) == [f"{root}/data/a.csv", f"{root}/data/b.csv"]
    assert fs.cat(f"{root}/data/b.csv") == b"b\n2\n"
    fs.rm(f"{root}/data", recursive=True)
    files = set(api.list_repo_files(repo_id, repo_type="dataset"))
    assert "keep.md" in files
    assert not any(f.startswith("data/") for f in files)
    assert not api.file_exists(repo_id, "data/b.csv", repo_type="dataset")


def test_pr_revision_has_its_own_card(api, repo):
    card = CARD.replace("license: mit", "license: apache-2.0")
    pr = api.upload_file(
        path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=repo, create_pr=True
    )
    assert api.model_info(repo, revision=pr.pr_revision).card_data["license"] == "apache-2.0"
    assert api.model_info(repo).card_data["license"] == "mit"


def test_racing_commits_on_same_parent_one_wins(api, repo):
    """Two pushes built on the same parent: exactly one lands, the other gets a 412 and changes nothing."""
    from concurrent.futures import ThreadPoolExecutor

    parent = api.model_info(repo).sha

    def push(i: int):
        try:
            return api.create_commit(
                repo,
                operations=[CommitOperationAdd(f"race/{i}.txt", f"{i}\n".encode())],
                commit_message=f"race {i}",
                parent_commit=parent,
            )
        except HfHubHTTPError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(push, range(4)))
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1
    assert all(exc.response.status_code == 412 for exc in lost)
    files = {f for f in api.list_repo_files(repo) if f.startswith("race/")}
    assert len(files) == 1
    assert api.model_info(repo).sha == won[0].oid
    assert api.list_repo_commits(repo)[1].commit_id == parent


def test_upload_folder_as_pull_request(api, repo, tmp_path):
    folder = write_tree(tmp_path / "src", {"pr/a.txt": "a\n", "pr/b.txt": "b\n"})
    info = api.upload_folder(repo_id=repo, folder_path=folder, create_pr=True, commit_message="PR upload")
    assert info.pr_num is not None
    assert {"pr/a.txt", "pr/b.txt"} <= set(api.list_repo_files(repo, revision=info.pr_revision))
    assert not any(f.startswith("pr/") for f in api.list_repo_files(repo))
    assert api.get_discussion_details(repo, info.pr_num).title == "PR upload"


def test_agent_harness_registry_route(endpoint):
    from huggingface_hub.utils._detect_agent import _fetch_registry

    registry = _fetch_registry()  # what the client fetches once a day when telemetry is on
    assert registry is not None
    assert "harnesses" in registry and "standardEnvVars" in registry
