"""Smoke and unit tests of the sandbox Hub's own pieces: store, accounts, CLI, persistence, faults, device
login over HTTP (with the approval page), and the demo seed. The conformance suites drive the real client
through everything else."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx2
import pytest
from huggingface_hub import HfApi, hf_hub_download

from hub_widgets.sandbox import SandboxHub
from hub_widgets.sandbox.auth import Accounts
from hub_widgets.sandbox.faults import parse_faults
from hub_widgets.sandbox.store import (
    Operation,
    Store,
    StoreError,
    git_blob_sha1,
    parse_front_matter,
    tags_from_card,
)
from tests.conftest import ALICE, ALICE_READ, BOB, approve_on_page

ROOT = Path(__file__).resolve().parents[1]


# -- store and accounts (no HTTP) ----------------------------------------------------------------


def test_git_blob_sha1_matches_git():
    # `printf 'hello\n' | git hash-object --stdin`
    assert git_blob_sha1(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_front_matter_becomes_tags():
    card = parse_front_matter(
        "---\nlicense: mit\npipeline_tag: fill-mask\nlibrary_name: transformers\ntags: [a]\n"
        "datasets: [x/y]\nbase_model: b/m\n---\n# t\n"
    )
    tags = tags_from_card(card, "model")
    assert {"license:mit", "fill-mask", "transformers", "a", "dataset:x/y", "base_model:b/m"} <= set(tags)
    assert parse_front_matter("no front matter") == {}
    assert parse_front_matter("---\n[broken\n---\n") == {}


def test_store_commits_are_atomic_and_persistent(tmp_path):
    store = Store(tmp_path)
    repo = store.create_repo("model", "alice", "r", False, "alice")
    head = repo.head
    oid = store.put_blob(b"one")
    first = store.apply_commit(
        repo, "main", [Operation("file", "a/b.txt", oid=oid, size=3)], "add", "", "alice"
    )
    assert re.fullmatch(r"[0-9a-f]{40}", first)
    # A commit that needs a missing LFS object changes nothing.
    with pytest.raises(StoreError) as info:
        store.apply_commit(
            repo,
            "main",
            [
                Operation("file", "c.txt", oid=oid, size=3),
                Operation("lfsFile", "w.bin", oid="0" * 40, size=9, lfs="f" * 64),
            ],
            "bad",
            "",
            "alice",
        )
    assert info.value.status == 422
    assert store.resolve(repo, "main")[0] == first
    # A stale parent is refused.
    with pytest.raises(StoreError) as info:
        store.apply_commit(repo, "main", [], "x", "", "alice", parent_commit=head)
    assert info.value.status == 412
    store.close()
    again = Store(tmp_path)
    repo2 = again.get_repo("model", "alice", "r")
    assert repo2.head == first
    assert set(again.files(first)) == {".gitattributes", "a/b.txt"}
    assert [e["path"] for e in again.list_dir(first, "", recursive=False)] == ["a", ".gitattributes"]
    again.close()


def test_accounts_roles_and_orgs(tmp_path):
    store = Store(tmp_path)
    accounts = Accounts(store)
    accounts.add_token("ann", "tok-w")
    read = accounts.new_token("ann", role="read")
    accounts.add_org("club", ["ann", "ben"])
    assert accounts.identify("tok-w").role == "write"
    assert accounts.identify(read).role == "read"
    assert accounts.identify("nope") is None
    assert accounts.identify(None).anonymous
    assert accounts.orgs_of("ben") == ["club"]
    accounts.revoke("tok-w")
    assert accounts.identify("tok-w") is None
    with pytest.raises(StoreError) as info:
        accounts.check_write_namespace(accounts.identify(read), "ann")
    assert info.value.status == 403 and "read" in info.value.message
    store.close()


def test_parse_faults_spec():
    assert parse_faults("latency=0.2,error_rate=0.1,drop_after=1000000") == {
        "latency": 0.2,
        "error_rate": 0.1,
        "drop_after": 1000000,
    }
    with pytest.raises(ValueError):
        parse_faults("bogus=1")


# -- HTTP behaviour --------------------------------------------------------------------------------


def test_unknown_route_and_bad_json_are_clear_json_errors(sandbox):
    response = httpx2.get(f"{sandbox.endpoint}/api/nothing/here")
    assert response.status_code == 404 and "error" in response.json()
    response = httpx2.post(
        f"{sandbox.endpoint}/api/repos/create",
        content=b"{not json",
        headers={"Authorization": f"Bearer {ALICE}"},
    )
    assert response.status_code == 400 and "Invalid JSON" in response.json()["error"]
    response = httpx2.get(f"{sandbox.endpoint}/api/whoami-v2", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


def test_xet_token_is_501_with_hint(sandbox, repo_name):
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    repo_id = api.create_repo(repo_name).repo_id
    response = httpx2.get(
        f"{sandbox.endpoint}/api/models/{repo_id}/xet-write-token/main",
        headers={"Authorization": f"Bearer {ALICE}"},
    )
    assert response.status_code == 501 and "HF_HUB_DISABLE_XET=1" in response.json()["error"]


def test_request_log_records_authorization_flag(sandbox):
    httpx2.get(f"{sandbox.endpoint}/api/whoami-v2", headers={"Authorization": f"Bearer {ALICE_READ}"})
    httpx2.get(f"{sandbox.endpoint}/api/models?limit=1")
    last = sandbox.request_log[-2:]
    assert [e["authorization"] for e in last] == [True, False]
    assert last[0]["path"] == "/api/whoami-v2" and last[0]["status"] == 200


def test_resolve_range_and_etag(sandbox, repo_name):
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    repo_id = api.create_repo(repo_name).repo_id
    api.upload_file(path_or_fileobj=b"0123456789", path_in_repo="d.txt", repo_id=repo_id)
    url = f"{sandbox.endpoint}/{repo_id}/resolve/main/d.txt"
    head = httpx2.head(url)
    assert head.headers["etag"] == f'"{git_blob_sha1(b"0123456789")}"'
    assert re.fullmatch(r"[0-9a-f]{40}", head.headers["x-repo-commit"])
    part = httpx2.get(url, headers={"Range": "bytes=2-4"})
    assert (
        part.status_code == 206 and part.content == b"234" and part.headers["content-range"] == "bytes 2-4/10"
    )


def test_tree_pages_with_link_header(sandbox, repo_name):
    from huggingface_hub import CommitOperationAdd

    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    repo_id = api.create_repo(repo_name).repo_id
    api.create_commit(
        repo_id, [CommitOperationAdd(f"f/{i:03d}.txt", b"x%d" % i) for i in range(25)], commit_message="many"
    )
    response = httpx2.get(f"{sandbox.endpoint}/api/models/{repo_id}/tree/main/f?limit=10")
    assert len(response.json()) == 10 and 'rel="next"' in response.headers["link"]
    assert len(list(api.list_repo_tree(repo_id, path_in_repo="f"))) == 25


# -- own SandboxHub instances ----------------------------------------------------------------------


def test_persistence_across_restart(tmp_path):
    data = tmp_path / "hub"
    with SandboxHub(data_dir=data, users={"alice": ALICE}) as hub:
        api = HfApi(endpoint=hub.endpoint, token=ALICE)
        repo_id = api.create_repo("kept").repo_id
        commit = api.upload_file(path_or_fileobj=os.urandom(2048), path_in_repo="w.bin", repo_id=repo_id).oid
        api.create_tag(repo_id, tag="v1")
        new_token = hub.accounts.new_token("alice")
    with SandboxHub(data_dir=data) as hub:
        api = HfApi(endpoint=hub.endpoint, token=new_token)
        assert api.whoami()["name"] == "alice"
        assert api.model_info(repo_id).sha == commit
        assert [t.name for t in api.list_repo_refs(repo_id).tags] == ["v1"]
        path = hf_hub_download(repo_id, "w.bin", endpoint=hub.endpoint, token=ALICE, cache_dir=tmp_path / "c")
        assert os.path.getsize(path) == 2048


def test_faults_error_rate_latency_and_drop(tmp_path):
    with SandboxHub(users={"alice": ALICE}, faults="error_rate=1.0,codes=503") as hub:
        assert httpx2.get(f"{hub.endpoint}/api/models").status_code == 503
        hub.faults.set(error_rate=1.0, error_codes=(429,))
        response = httpx2.get(f"{hub.endpoint}/api/models")
        assert response.status_code == 429 and response.headers["retry-after"] == "1"
        hub.faults.set(drop_after=1000, path_prefix="/api/repos/create")
        with pytest.raises(httpx2.HTTPError):
            httpx2.post(
                f"{hub.endpoint}/api/repos/create",
                content=b'{"name": "x", "pad": "' + b"a" * 100_000 + b'"}',
                headers={"Authorization": f"Bearer {ALICE}"},
            )
        hub.faults.clear()
        assert HfApi(endpoint=hub.endpoint, token=ALICE).list_models(author="alice") is not None
        assert hub.store.get_repo("model", "alice", "x") is None


def test_device_login_over_http_with_approval_page():
    with SandboxHub(users={"alice": ALICE, "bob": BOB}) as hub:
        device = httpx2.post(f"{hub.endpoint}/oauth/device", data={"client_id": "test"}).json()
        token_url = f"{hub.endpoint}/oauth/token"
        poll = {
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
            "device_code": device["device_code"],
        }
        assert httpx2.post(token_url, data=poll).json()["error"] == "authorization_pending"
        page = httpx2.get(device["verification_uri_complete"])
        assert page.status_code == 200 and device["user_code"] in page.text and "Sign in" in page.text
        done = approve_on_page(device["verification_uri"], device["user_code"], token=BOB)
        assert done.status_code == 200 and "Approved" in done.text
        granted = httpx2.post(token_url, data=poll).json()
        assert granted["token_type"] == "Bearer" and granted["refresh_token"] and granted["expires_in"] > 0
        # Longer than the margin below which huggingface_hub renews a browser login (a day), as the
        # Hub's 30 days are: else every process renews the token at its first get_token().
        from huggingface_hub.utils import _auth

        assert granted["expires_in"] > _auth._OAUTH_REFRESH_MARGIN
        who = HfApi(endpoint=hub.endpoint, token=granted["access_token"]).whoami()
        assert who["name"] == "bob" and who["auth"]["accessToken"]["role"] == "write"
        assert httpx2.post(token_url, data=poll).json()["error"] == "invalid_grant"  # single use
        refreshed = httpx2.post(
            token_url, data={"grant_type": "refresh_token", "refresh_token": granted["refresh_token"]}
        ).json()
        assert refreshed["access_token"] != granted["access_token"]

        # Denied and expired requests, through the Python helpers.
        for action, error in (("deny", "access_denied"), ("expire", "expired_token")):
            req = httpx2.post(f"{hub.endpoint}/oauth/device", data={"client_id": "test"}).json()
            getattr(hub.device, action)(req["user_code"])
            body = {"grant_type": poll["grant_type"], "device_code": req["device_code"]}
            assert httpx2.post(token_url, data=body).json()["error"] == error


def test_device_login_through_the_real_client(monkeypatch):
    from huggingface_hub import constants
    from huggingface_hub.utils import _oauth_device

    with SandboxHub(users={"alice": ALICE}) as hub:
        monkeypatch.setattr(constants, "ENDPOINT", hub.endpoint)
        info = _oauth_device.request_device_code()
        threading.Timer(0.3, hub.device.approve, args=(info["user_code"], "alice")).start()
        token = _oauth_device.poll_device_token(info)
        assert HfApi(endpoint=hub.endpoint, token=token["access_token"]).whoami()["name"] == "alice"


def test_seed_demo_content():
    with SandboxHub(seed="demo") as hub:
        token = hub.accounts.new_token("demo")
        api = HfApi(endpoint=hub.endpoint, token=token)
        info = api.model_info("demo/tiny-sentiment", files_metadata=True)
        assert info.pipeline_tag == "text-classification" and "license:mit" in info.tags
        weights = {s.rfilename: s for s in info.siblings}["model.safetensors"]
        assert weights.lfs is not None and weights.size == 3 * 1024 * 1024
        refs = api.list_repo_refs("demo/tiny-sentiment", include_pull_requests=True)
        assert {b.name for b in refs.branches} == {"main", "dev"} and [t.name for t in refs.tags] == ["v1.0"]
        assert len(refs.pull_requests) == 1
        assert len(api.list_repo_commits("demo/tiny-sentiment")) >= 4
        tasks = {m.pipeline_tag for m in api.list_models(limit=100)}
        assert {
            "text-generation",
            "fill-mask",
            "summarization",
            "text-to-image",
            "feature-extraction",
        } <= tasks
        assert [d.id for d in api.list_datasets(author="demo")] == ["demo/reviews"]
        assert [s.id for s in api.list_spaces(author="demo")] == ["demo/hello-space"]
        assert api.model_info("demo/private-notes").private
        anonymous = HfApi(endpoint=hub.endpoint, token=False)
        assert "demo/private-notes" not in {m.id for m in anonymous.list_models(author="demo")}
        members = {o["name"] for o in api.whoami()["orgs"]}
        assert members == {"hf-demo-org"}


def test_cli_prints_ready_line_and_token(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hub_widgets.sandbox", "--port", "0", "--data", str(tmp_path / "d")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        token = re.search(r"token: (\S+)", lines[0]).group(1)
        endpoint = re.search(r"Sandbox Hub running at (http://127\.0\.0\.1:\d+)", lines[1]).group(1)
        assert HfApi(endpoint=endpoint, token=token).whoami()["name"] == "demo"
    finally:
        proc.terminate()
        proc.wait(10)
    assert proc.returncode == 0


def test_large_lfs_upload_streams_to_disk(sandbox, repo_name, tmp_path):
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    repo_id = api.create_repo(repo_name).repo_id
    blob = os.urandom(12 * 1024 * 1024)
    (tmp_path / "big.bin").write_bytes(blob)
    api.upload_file(path_or_fileobj=str(tmp_path / "big.bin"), path_in_repo="big.bin", repo_id=repo_id)
    entry = api.get_paths_info(repo_id, ["big.bin"])[0]
    assert entry.lfs.sha256 == hashlib.sha256(blob).hexdigest()
    assert not any(sandbox.data_dir.joinpath("tmp").iterdir())


def test_gated_repo_files_need_access_and_bare_ids_are_not_found(sandbox, repo_name):
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    repo_id = api.create_repo(repo_name).repo_id
    api.upload_file(path_or_fileobj=b"secret sauce", path_in_repo="w.txt", repo_id=repo_id)
    api.update_repo_settings(repo_id, gated="manual")
    assert api.model_info(repo_id).gated == "manual"
    bob = HfApi(endpoint=sandbox.endpoint, token=BOB)
    assert bob.model_info(repo_id).id == repo_id  # the page is public, the files are not
    with pytest.raises(GatedRepoError):
        bob.auth_check(repo_id)
    assert (
        httpx2.get(f"{sandbox.endpoint}/{repo_id}/resolve/main/w.txt").headers["x-error-code"] == "GatedRepo"
    )
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("gpt2")


def test_big_regular_file_commit_spools_to_disk(sandbox, repo_name):
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    repo_id = api.create_repo(repo_name).repo_id
    text = ("line of text\n" * 700_000).encode()  # 9.1 MB: regular (text, < 10 MB), body > 12 MB in base64
    api.upload_file(path_or_fileobj=text, path_in_repo="big.txt", repo_id=repo_id)
    entry = api.get_paths_info(repo_id, ["big.txt"])[0]
    assert entry.lfs is None and entry.blob_id == git_blob_sha1(text)


def test_commit_of_missing_lfs_object_is_a_clear_error(sandbox, repo_name):
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    repo_id = api.create_repo(repo_name).repo_id
    head = api.model_info(repo_id).sha
    body = (
        b'{"key": "header", "value": {"summary": "x"}}\n'
        b'{"key": "lfsFile", "value": {"path": "w.bin", "algo": "sha256", "oid": "'
        + b"a" * 64
        + b'", "size": 5}}\n'
    )
    response = httpx2.post(
        f"{sandbox.endpoint}/api/models/{repo_id}/commit/main",
        content=body,
        headers={"Authorization": f"Bearer {ALICE}", "Content-Type": "application/x-ndjson"},
    )
    # The Hub's answer: 400 "Your push was rejected because an LFS pointer pointed to a file that does not exist".
    assert response.status_code == 400 and "never uploaded" in response.json()["error"]
    assert api.model_info(repo_id).sha == head


def test_unicode_and_space_paths_round_trip(sandbox, repo_name, tmp_path):
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    repo_id = api.create_repo(repo_name).repo_id
    api.upload_file(
        path_or_fileobj="données ✓\n".encode(), path_in_repo="dossier é/fiché 1.txt", repo_id=repo_id
    )
    assert [f.path for f in api.list_repo_tree(repo_id, path_in_repo="dossier é")] == [
        "dossier é/fiché 1.txt"
    ]
    path = hf_hub_download(repo_id, "dossier é/fiché 1.txt", endpoint=sandbox.endpoint, cache_dir=tmp_path)
    assert Path(path).read_text() == "données ✓\n"


def test_tree_expand_gives_the_commit_that_last_changed_each_entry(sandbox, repo_name):
    api = HfApi(endpoint=sandbox.endpoint, token=ALICE)
    repo_id = api.create_repo(repo_name).repo_id
    first = api.upload_file(
        path_or_fileobj=b"a", path_in_repo="a.txt", repo_id=repo_id, commit_message="add a"
    ).oid
    second = api.upload_file(
        path_or_fileobj=b"b", path_in_repo="sub/b.txt", repo_id=repo_id, commit_message="add b"
    ).oid
    entries = {e.path: e for e in api.list_repo_tree(repo_id, expand=True)}
    assert entries["a.txt"].last_commit.oid == first and entries["a.txt"].last_commit.title == "add a"
    assert entries["sub"].last_commit.oid == second


def test_same_hub_object_restarts_on_its_port_with_its_data(tmp_path):
    hub = SandboxHub(data_dir=tmp_path / "d", users={"alice": ALICE}).start()
    try:
        endpoint = hub.endpoint
        repo_id = HfApi(endpoint=endpoint, token=ALICE).create_repo("again").repo_id
        hub.stop()
        hub.start()
        assert hub.endpoint == endpoint
        assert HfApi(endpoint=endpoint, token=ALICE).repo_exists(repo_id)
    finally:
        hub.stop()


def test_a_failed_commit_onto_an_existing_pull_request_keeps_it(api, repo_name):
    """A stale commit to refs/pr/N with create_pr=True fails (412) and leaves PR N as it was."""
    from huggingface_hub import CommitOperationAdd
    from huggingface_hub.errors import HfHubHTTPError

    repo_id = api.create_repo(repo_name).repo_id
    first = api.upload_file(path_or_fileobj=b"one", path_in_repo="a.txt", repo_id=repo_id)
    pr = api.create_commit(
        repo_id, [CommitOperationAdd("b.txt", b"two")], commit_message="a PR", create_pr=True
    )
    with pytest.raises(HfHubHTTPError) as failed:
        api.create_commit(
            repo_id,
            [CommitOperationAdd("c.txt", b"three")],
            commit_message="stale",
            revision=pr.pr_revision,
            parent_commit=first.oid,
            create_pr=True,
        )
    assert failed.value.response.status_code == 412
    assert api.get_discussion_details(repo_id, pr.pr_num).is_pull_request
    refs = api.list_repo_refs(repo_id, include_pull_requests=True)
    assert [r.ref for r in refs.pull_requests] == [pr.pr_revision]
