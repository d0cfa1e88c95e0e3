"""git clone / pull / push with git-lfs against the sandbox (smart HTTP), with Debian's git and git-lfs.

One history: what the API commits, git clones with the same ids; what git pushes, HfApi lists, reads and
downloads with the pushed ids. Credentials go in the URL (the token as the password), in a temporary
HOME and git config; git never prompts.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from huggingface_hub import HfApi, hf_hub_download

from tests.conftest import ALICE, ALICE_READ, BOB, CAROL

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("git-lfs") is None,
    reason="git and git-lfs are needed (make installs them: apt-get install -y git git-lfs)",
)


@pytest.fixture
def git_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GIT_") and k not in ("HOME", "XDG_CONFIG_HOME")
    }
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_AUTHOR_NAME="Alice",
        GIT_AUTHOR_EMAIL="alice@example.invalid",
        GIT_COMMITTER_NAME="Alice",
        GIT_COMMITTER_EMAIL="alice@example.invalid",
    )
    subprocess.run(["git", "lfs", "install"], env=env, check=True, capture_output=True)
    subprocess.run(["git", "config", "--global", "init.defaultBranch", "main"], env=env, check=True)
    return env


def git(
    env: dict[str, str], *args: str, cwd: Path | None = None, ok: bool = True
) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if ok:
        assert result.returncode == 0, f"git {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result


def url(endpoint: str, repo_id: str, token: str | None = None, user: str = "alice", suffix: str = "") -> str:
    if token is None:
        return f"{endpoint}/{repo_id}{suffix}"
    return endpoint.replace("http://", f"http://{user}:{token}@") + f"/{repo_id}{suffix}"


def test_clone_sees_the_api_history_with_the_same_ids(api, endpoint, repo_name, git_env, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.upload_file(path_or_fileobj=b"hello\n", path_in_repo="docs/hello.txt", repo_id=repo_id)
    api.upload_file(path_or_fileobj=b"\0" * 1000, path_in_repo="w.bin", repo_id=repo_id)  # LFS
    clone = tmp_path / "clone"
    git(git_env, "clone", url(endpoint, repo_id, suffix=".git"), str(clone))  # public: anonymous
    ids = git(git_env, "log", "--format=%H", cwd=clone).stdout.split()
    assert ids == [c.commit_id for c in api.list_repo_commits(repo_id)]
    git(git_env, "fsck", "--full", "--strict", cwd=clone)  # every object hashes to its id
    assert (clone / "docs/hello.txt").read_bytes() == b"hello\n"
    assert (clone / "w.bin").read_bytes() == b"\0" * 1000  # fetched by git-lfs from the pointer
    tree = git(git_env, "ls-tree", "-r", "HEAD", cwd=clone).stdout
    assert api.get_paths_info(repo_id, ["docs/hello.txt"])[0].blob_id in tree


def test_push_text_and_lfs_files_then_pull_an_api_commit(api, endpoint, repo_name, git_env, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    clone = tmp_path / "clone"
    git(git_env, "clone", url(endpoint, repo_id, ALICE), str(clone))
    (clone / "notes.txt").write_text("pushed with git\n")
    big = os.urandom(20_000_000)
    (clone / "weights.bin").write_bytes(big)  # *.bin is LFS-tracked by the repo's .gitattributes
    git(git_env, "add", "-A", cwd=clone)
    git(git_env, "commit", "-m", "Add notes and weights\n\nPushed with git.", cwd=clone)
    git(git_env, "push", cwd=clone)
    head = git(git_env, "rev-parse", "HEAD", cwd=clone).stdout.strip()

    commits = api.list_repo_commits(repo_id)
    assert commits[0].commit_id == head
    assert commits[0].title == "Add notes and weights"
    infos = {i.path: i for i in api.get_paths_info(repo_id, ["notes.txt", "weights.bin"], expand=True)}
    assert infos["notes.txt"].lfs is None
    assert infos["weights.bin"].lfs is not None
    assert infos["weights.bin"].lfs.sha256 == hashlib.sha256(big).hexdigest()
    assert infos["weights.bin"].size == len(big)
    path = hf_hub_download(repo_id, "weights.bin", cache_dir=tmp_path / "cache", token=ALICE)
    assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == hashlib.sha256(big).hexdigest()
    assert Path(hf_hub_download(repo_id, "notes.txt", cache_dir=tmp_path / "cache")).read_text() == (
        "pushed with git\n"
    )

    info = api.upload_file(path_or_fileobj=b"from the API\n", path_in_repo="api.txt", repo_id=repo_id)
    git(git_env, "pull", cwd=clone)
    assert (clone / "api.txt").read_text() == "from the API\n"
    assert git(git_env, "rev-parse", "HEAD", cwd=clone).stdout.strip() == info.oid


def test_pushes_the_hub_refuses(api, endpoint, repo_name, git_env, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    clone = tmp_path / "clone"
    git(git_env, "clone", url(endpoint, repo_id, ALICE), str(clone))
    start = git(git_env, "rev-parse", "HEAD", cwd=clone).stdout.strip()

    (clone / "big.txt").write_bytes(b"x" * 11_000_000)  # not LFS-tracked
    git(git_env, "add", "-A", cwd=clone)
    git(git_env, "commit", "-m", "too big", cwd=clone)
    refused = git(git_env, "push", cwd=clone, ok=False)
    assert refused.returncode != 0
    assert "files larger than 10 MiB" in refused.stderr and "big.txt" in refused.stderr
    git(git_env, "reset", "--hard", start, cwd=clone)

    (clone / "a.txt").write_text("a\n")
    git(git_env, "add", "-A", cwd=clone)
    git(git_env, "commit", "-m", "a", cwd=clone)
    read_only = git(git_env, "push", url(endpoint, repo_id, ALICE_READ), "main", cwd=clone, ok=False)
    assert read_only.returncode != 0 and "403" in read_only.stderr
    anonymous = git(git_env, "push", url(endpoint, repo_id), "main", cwd=clone, ok=False)
    assert anonymous.returncode != 0
    other = git(git_env, "push", url(endpoint, repo_id, BOB, user="bob"), "main", cwd=clone, ok=False)
    # bob may push to refs/pr/N of alice's repo (a pull request), not to her branches
    assert other.returncode != 0 and "rights to write in the namespace" in other.stderr
    assert api.list_repo_commits(repo_id)[0].commit_id == start

    git(git_env, "push", cwd=clone)
    api.upload_file(path_or_fileobj=b"b\n", path_in_repo="b.txt", repo_id=repo_id)
    head = api.list_repo_commits(repo_id)[0].commit_id
    forced = git(git_env, "push", "--force", "origin", "main", cwd=clone, ok=False)
    assert forced.returncode != 0 and "non-fast-forward" in forced.stderr
    assert api.list_repo_commits(repo_id)[0].commit_id == head


def test_private_repo_needs_the_token(api, endpoint, repo_name, git_env, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id, private=True)
    anonymous = git(git_env, "clone", url(endpoint, repo_id), str(tmp_path / "anon"), ok=False)
    assert anonymous.returncode != 0 and not (tmp_path / "anon").exists()
    # git asks for credentials because the answer says how: basic auth, the token as the password.
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{endpoint}/{repo_id}.git/info/refs?service=git-upload-pack", timeout=30)
    assert err.value.code == 401
    assert err.value.headers["WWW-Authenticate"] == 'Basic realm="Hugging Face"'
    git(git_env, "clone", url(endpoint, repo_id, ALICE), str(tmp_path / "mine"))
    assert (tmp_path / "mine" / ".gitattributes").exists()


def test_branch_and_tag_pushes_are_refs(api, endpoint, repo_name, git_env, tmp_path):
    repo_id = f"datasets/alice/{repo_name}"  # the /datasets/ URLs too
    api.create_repo(repo_name.join(["alice/", ""]), repo_type="dataset")
    clone = tmp_path / "clone"
    git(git_env, "clone", url(endpoint, repo_id, ALICE), str(clone))
    (clone / "dev.txt").write_text("dev\n")
    git(git_env, "add", "-A", cwd=clone)
    git(git_env, "commit", "-m", "dev work", cwd=clone)
    git(git_env, "push", "origin", "HEAD:refs/heads/dev", cwd=clone)
    git(git_env, "tag", "v1.0", cwd=clone)
    git(git_env, "push", "origin", "v1.0", cwd=clone)
    head = git(git_env, "rev-parse", "HEAD", cwd=clone).stdout.strip()
    refs = api.list_repo_refs(f"alice/{repo_name}", repo_type="dataset")
    assert {b.name: b.target_commit for b in refs.branches}["dev"] == head
    assert {t.name: t.target_commit for t in refs.tags} == {"v1.0": head}
    assert (
        api.list_repo_commits(f"alice/{repo_name}", repo_type="dataset", revision="dev")[0].commit_id == head
    )
    git(git_env, "push", "origin", ":dev", cwd=clone)
    refs = api.list_repo_refs(f"alice/{repo_name}", repo_type="dataset")
    assert [b.name for b in refs.branches] == ["main"]


def test_a_restart_keeps_pushed_history(git_env, tmp_path):
    from hub_widgets.sandbox import SandboxHub

    data = tempfile.mkdtemp(prefix="hubw-git-")
    try:
        hub = SandboxHub(data_dir=data, users={"alice": ALICE}).start()
        try:
            api = HfApi(endpoint=hub.endpoint, token=ALICE)
            api.create_repo("alice/kept")
            clone = tmp_path / "clone"
            git(git_env, "clone", url(hub.endpoint, "alice/kept", ALICE), str(clone))
            (clone / "model.safetensors").write_bytes(b"\1" * 3_000_000)
            (clone / "README.md").write_text("---\nlicense: mit\n---\n# Kept\n")
            git(git_env, "add", "-A", cwd=clone)
            git(git_env, "commit", "-m", "kept", cwd=clone)
            git(git_env, "push", cwd=clone)
            head = git(git_env, "rev-parse", "HEAD", cwd=clone).stdout.strip()
        finally:
            hub.stop()
        hub = SandboxHub(data_dir=data, users={"alice": ALICE}).start()
        try:
            api = HfApi(endpoint=hub.endpoint, token=ALICE)
            assert api.list_repo_commits("alice/kept")[0].commit_id == head
            assert api.model_info("alice/kept").card_data["license"] == "mit"
            again = tmp_path / "again"
            git(git_env, "clone", url(hub.endpoint, "alice/kept", ALICE), str(again))
            assert git(git_env, "rev-parse", "HEAD", cwd=again).stdout.strip() == head
            assert (again / "model.safetensors").read_bytes() == b"\1" * 3_000_000
            git(git_env, "fsck", "--full", "--strict", cwd=again)
        finally:
            hub.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_commit_ids_are_git_ids_rebuilt_from_the_stored_rows(sandbox, api, repo_name):
    """Every stored commit's id is the sha1 of its git object, rebuilt from its row: also when two commits
    would be identical (two squashes in the same second: same files, no parent, same message)."""
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.upload_file(path_or_fileobj=b"x\n", path_in_repo="x.txt", repo_id=repo_id)
    api.super_squash_history(repo_id)
    api.super_squash_history(repo_id)
    store = sandbox.store
    repo = store.get_repo("model", "alice", repo_name)
    oids = [r["oid"] for r in store.query("SELECT oid FROM commits WHERE repo=?", (repo.rowid,))]
    assert len(set(oids)) == 4
    for oid in oids:
        raw = store.commit_object(oid)
        assert hashlib.sha1(b"commit %d\0" % len(raw) + raw).hexdigest() == oid


def test_a_pull_request_takes_pushes_from_its_author(api, endpoint, repo_name, git_env, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    pr = HfApi(endpoint=endpoint, token=BOB).create_pull_request(repo_id, title="Bob's change")
    clone = tmp_path / "clone"
    git(git_env, "clone", url(endpoint, repo_id, BOB, user="bob"), str(clone))
    git(git_env, "fetch", "origin", f"refs/pr/{pr.num}", cwd=clone)
    git(git_env, "checkout", "FETCH_HEAD", cwd=clone)
    (clone / "fix.txt").write_text("fix\n")
    git(git_env, "add", "-A", cwd=clone)
    git(git_env, "commit", "-m", "Fix", cwd=clone)
    head = git(git_env, "rev-parse", "HEAD", cwd=clone).stdout.strip()
    carol = git(
        git_env,
        "push",
        url(endpoint, repo_id, CAROL, user="carol"),
        f"HEAD:refs/pr/{pr.num}",
        cwd=clone,
        ok=False,
    )
    assert carol.returncode != 0 and f"Only the author of pull request #{pr.num}" in carol.stderr
    git(git_env, "push", "origin", f"HEAD:refs/pr/{pr.num}", cwd=clone)
    assert api.list_repo_commits(repo_id, revision=f"refs/pr/{pr.num}")[0].commit_id == head
    assert [c.commit_id for c in api.list_repo_commits(repo_id)] != [head]  # main is unchanged


def test_a_folder_written_before_git_serves_its_history(git_env, tmp_path):
    """A data folder of the previous sandbox (no `commit_objects` table) clones with its stored ids."""
    import sqlite3

    from hub_widgets.sandbox import SandboxHub

    data = tmp_path / "data"
    hub = SandboxHub(data_dir=data, users={"alice": ALICE}).start()
    try:
        api = HfApi(endpoint=hub.endpoint, token=ALICE)
        api.create_repo("alice/old")
        api.upload_file(path_or_fileobj=b"old\n", path_in_repo="old.txt", repo_id="alice/old")
        ids = [c.commit_id for c in api.list_repo_commits("alice/old")]
    finally:
        hub.stop()
    db = sqlite3.connect(data / "hub.sqlite3")
    db.execute("DROP TABLE commit_objects")
    db.execute("DROP INDEX tree_entries_by_oid")
    db.commit()
    db.close()
    hub = SandboxHub(data_dir=data, users={"alice": ALICE}).start()
    try:
        clone = tmp_path / "clone"
        git(git_env, "clone", url(hub.endpoint, "alice/old"), str(clone))
        assert git(git_env, "log", "--format=%H", cwd=clone).stdout.split() == ids
        git(git_env, "fsck", "--full", "--strict", cwd=clone)
    finally:
        hub.stop()


def test_a_push_cannot_take_another_repos_blob_by_its_id(api, endpoint, repo_name):
    """A pack that names a blob without sending it is refused unless the repo already has that blob: a
    private repo's file id (guessed or leaked) does not give its content to someone else's repo."""
    from dulwich.client import HttpGitClient
    from dulwich.objects import Blob, Commit, Tree
    from dulwich.pack import pack_objects_to_data

    secret = f"alice's secret {repo_name}\n".encode()
    api.create_repo(f"alice/{repo_name}-private", private=True)
    api.upload_file(path_or_fileobj=secret, path_in_repo="secret.txt", repo_id=f"alice/{repo_name}-private")
    carol = HfApi(endpoint=endpoint, token=CAROL)
    carol.create_repo(f"carol/{repo_name}")
    base = carol.list_repo_commits(f"carol/{repo_name}")[0].commit_id

    blob = Blob.from_string(secret)
    tree = Tree()
    tree.add(b"stolen.txt", 0o100644, blob.id)
    commit = Commit()
    commit.tree, commit.parents = tree.id, [base.encode()]
    commit.author = commit.committer = b"carol <carol@example.invalid>"
    commit.author_time = commit.commit_time = 1_700_000_000
    commit.author_timezone = commit.commit_timezone = 0
    commit.message = b"take it"

    client = HttpGitClient(endpoint, username="carol", password=CAROL)
    result = client.send_pack(
        f"/carol/{repo_name}",
        lambda refs: {**refs, b"refs/heads/main": commit.id},
        lambda have, want, ofs_delta=False, progress=None: pack_objects_to_data([commit, tree]),  # no blob
    )
    assert result.ref_status.get(b"refs/heads/main")  # refused, with a reason
    assert carol.list_repo_commits(f"carol/{repo_name}")[0].commit_id == base
    assert "stolen.txt" not in carol.list_repo_files(f"carol/{repo_name}")
