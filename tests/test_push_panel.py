"""PushPanel against a real SandboxHub, driven like a user: set values, click, wait, read what is shown.

Each test also checks the repo on the Hub through the real `HfApi`.
"""

from __future__ import annotations

import contextlib
import hashlib

import pytest
from huggingface_hub import HfApi

from hub_widgets.push.panel import PushPanel
from hub_widgets.push.plan import git_blob_sha1
from hub_widgets.session import HubSession
from tests.conftest import ALICE_READ, BOB, ORG, wait_for, write_tree

FAKE_HF = "hf_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7"
TIMEOUT = 120


def make_panel(session, source, repo_id, **values) -> PushPanel:
    panel = PushPanel(source=source, repo_id=repo_id, session=session)
    for name, value in values.items():
        getattr(panel, name).value = value
    return panel


def click(panel: PushPanel, button) -> None:
    button.click()
    panel.wait(TIMEOUT)


def remote_files(api: HfApi, repo_id: str, **kwargs) -> set[str]:
    return set(api.list_repo_files(repo_id, **kwargs)) - {".gitattributes"}


def test_plan_push_then_everything_unchanged(hub_session, api, repo_name, tmp_path):
    folder = write_tree(
        tmp_path / "model",
        {
            "README.md": "# tiny\n",
            "config.json": '{"a": 1}',
            "weights.bin": b"\x00\x01\x02" * 100,
            "sub/notes.txt": "hello",
            "__pycache__/x.pyc": b"\x00",
        },
    )
    repo_id = f"alice/{repo_name}"
    panel = make_panel(hub_session, str(folder), repo_id)

    click(panel, panel.plan_button)
    assert "4 new" in panel.plan_view.value and "weights.bin" in panel.plan_view.value
    assert "__pycache__" not in panel.plan_view.value
    assert panel.push_button.description.startswith("Push 4 files")
    assert "Nothing was uploaded" in panel.status.text
    assert not api.repo_exists(repo_id)  # planning created nothing

    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert "Pushed 4 files" in panel.status.text
    assert remote_files(api, repo_id) == {"README.md", "config.json", "weights.bin", "sub/notes.txt"}
    (info,) = api.get_paths_info(repo_id, ["weights.bin"])
    assert info.lfs is not None  # binary sample: stored as LFS
    assert "Commit" in panel.result_view.value and len(panel.history) == 1
    assert panel.progress.done_bytes == panel.progress.total_bytes > 0

    click(panel, panel.plan_button)
    assert "0 new · 0 changed · 4 unchanged · 0 to delete" in panel.plan_view.value
    assert panel.push_button.disabled and "Nothing to push" in panel.push_button.description


def test_plan_changed_new_delete_match_the_hub(hub_session, api, repo_name, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    first = write_tree(
        tmp_path / "v1", {"a.txt": "same", "b.txt": "old", "logs/old.log": "x", "keep.md": "k"}
    )
    api.upload_folder(repo_id=repo_id, folder_path=first)
    second = write_tree(tmp_path / "v2", {"a.txt": "same", "b.txt": "new content", "c.txt": "c"})
    panel = make_panel(hub_session, str(second), repo_id, delete="logs/")

    click(panel, panel.plan_button)
    plan = panel._plan
    assert [e.path for e in plan.new] == ["c.txt"]
    assert [e.path for e in plan.changed] == ["b.txt"]
    assert [e.path for e in plan.unchanged] == ["a.txt"]
    assert [e.path for e in plan.to_delete] == ["logs/old.log"]
    assert "1 new · 1 changed · 1 unchanged · 1 to delete" in panel.plan_view.value
    assert panel.push_button.description == "Push 2 files (12 B); 1 file deleted"

    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, repo_id) == {"a.txt", "b.txt", "c.txt", "keep.md"}
    (info,) = api.get_paths_info(repo_id, ["b.txt"])
    assert info.blob_id == git_blob_sha1(b"new content")


def test_include_exclude_and_path_in_repo(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "f", {"a.json": "{}", "b.txt": "b", "drop/c.json": "{}"})
    repo_id = f"alice/{repo_name}"
    panel = make_panel(
        hub_session, str(folder), repo_id, include="*.json", exclude="drop/", path_in_repo="cfg"
    )
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, repo_id) == {"cfg/a.json"}


def test_large_file_goes_as_lfs_with_progress(hub_session, api, repo_name, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (10 * 1000 * 1000 + 1))  # text, but >= 10 MB
    repo_id = f"alice/{repo_name}"
    panel = make_panel(hub_session, str(big), repo_id)
    click(panel, panel.plan_button)
    assert "LFS" in panel.plan_view.value
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    (info,) = api.get_paths_info(repo_id, ["big.txt"])
    assert info.lfs is not None
    assert info.lfs.sha256 == hashlib.sha256(big.read_bytes()).hexdigest()
    assert panel.progress.done_bytes == big.stat().st_size
    assert panel.progress.done_files == 1


class TinyModel:
    """Anything with save_pretrained, like a transformers model."""

    def save_pretrained(self, directory):
        with open(f"{directory}/config.json", "w") as file:
            file.write('{"hidden_size": 4}')
        with open(f"{directory}/model.safetensors", "wb") as file:
            file.write(b"\x00" * 64)


class TinyFrame:
    """Anything with to_parquet, like a pandas DataFrame."""

    def to_parquet(self, path):
        with open(path, "wb") as file:
            file.write(b"PAR1 not really parquet PAR1")


def test_push_kernel_objects(hub_session, api, repo_name, tmp_path):
    model_repo = f"alice/{repo_name}"
    panel = make_panel(hub_session, TinyModel(), model_repo)
    assert "save_pretrained" in panel.source_info.value and "temporary folder" in panel.source_info.value
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, model_repo) == {"config.json", "model.safetensors"}

    data_repo = f"alice/{repo_name}-data"
    panel = make_panel(hub_session, TinyFrame(), data_repo)
    assert panel.repo_type.value == "dataset"
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, data_repo, repo_type="dataset") == {"data/train-00000-of-00001.parquet"}


def test_create_private_repo_in_org(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "f", {"a.txt": "a"})
    repo_id = f"{ORG}/{repo_name}"
    panel = make_panel(hub_session, str(folder), repo_id, private=True)
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert api.repo_info(repo_id).private is True
    assert ORG in panel.namespace.options


def test_push_to_new_branch(hub_session, api, repo_name, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.upload_file(path_or_fileobj=b"main", path_in_repo="main.txt", repo_id=repo_id)
    folder = write_tree(tmp_path / "f", {"dev.txt": "dev"})
    panel = make_panel(hub_session, str(folder), repo_id)
    wait_for(lambda: "main" in panel.branch.options)
    panel.branch.value = "dev"
    click(panel, panel.plan_button)
    assert "Branch dev is new" in panel.plan_view.value
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert "dev" in {b.name for b in api.list_repo_refs(repo_id).branches}
    assert remote_files(api, repo_id, revision="dev") == {"main.txt", "dev.txt"}
    assert remote_files(api, repo_id) == {"main.txt"}


def test_open_as_pull_request(hub_session, api, repo_name, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    folder = write_tree(tmp_path / "f", {"pr.txt": "via PR"})
    panel = make_panel(hub_session, str(folder), repo_id, open_pr=True, commit_message="Add pr.txt")
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert "pull request" in panel.status.text
    assert panel.last_result.pr_url and "Pull request" in panel.result_view.value
    number = int(panel.last_result.pr_url.rstrip("/").rsplit("/", 1)[-1])
    details = api.get_discussion_details(repo_id, number)
    assert details.is_pull_request and details.title == "Add pr.txt"
    assert remote_files(api, repo_id) == set()  # main untouched


def _uploads(sandbox, repo_id: str) -> list[dict]:
    return [
        r
        for r in sandbox.request_log
        if repo_id in r["path"]
        and r["method"] in ("POST", "PUT")
        and not r["path"].endswith("auth-check/write")
    ]


def test_read_token_refused_before_upload(sandbox, endpoint, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "f", {"a.txt": "a"})
    repo_id = f"alice/{repo_name}"
    session = HubSession(endpoint=endpoint, token=ALICE_READ)
    try:
        panel = make_panel(session, str(folder), repo_id)
        click(panel, panel.push_button)
        assert panel.status.kind == "error"
        assert "read-only" in panel.status.text
        assert not api.repo_exists(repo_id)
        assert _uploads(sandbox, repo_name) == []
        assert not panel.push_button.disabled  # usable again
    finally:
        session.close()


def test_foreign_namespace_refused(sandbox, endpoint, hub_session, api, repo_name, tmp_path):
    bob_repo = f"bob/{repo_name}"
    HfApi(endpoint=endpoint, token=BOB).create_repo(bob_repo)
    folder = write_tree(tmp_path / "f", {"a.txt": "a"})
    panel = make_panel(hub_session, str(folder), bob_repo)
    click(panel, panel.push_button)
    assert panel.status.kind == "error"
    assert "neither your account nor one of your organizations" in panel.status.text
    assert remote_files(api, bob_repo) == set()
    assert [
        r for r in _uploads(sandbox, repo_name) if "commit" in r["path"] or "preupload" in r["path"]
    ] == []


def test_secrets_block_then_override(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "f", {"train.py": f"import os\nTOKEN = '{FAKE_HF}'\n", "ok.txt": "ok"})
    repo_id = f"alice/{repo_name}"
    panel = make_panel(hub_session, str(folder), repo_id)
    click(panel, panel.push_button)
    assert panel.status.kind == "error" and "Push blocked" in panel.status.text
    assert "train.py:2: Hugging Face token" in panel.secrets_view.value
    assert FAKE_HF not in panel.secrets_view.value and FAKE_HF not in panel.status.text
    assert panel.allow_secrets.layout.display != "none"
    assert not api.repo_exists(repo_id)

    panel.allow_secrets.value = True
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, repo_id) == {"train.py", "ok.txt"}


def test_cancel_leaves_repo_untouched(sandbox, hub_session, api, repo_name, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.upload_file(path_or_fileobj=b"v1", path_in_repo="a.txt", repo_id=repo_id)
    before = [c.commit_id for c in api.list_repo_commits(repo_id)]
    folder = write_tree(tmp_path / "f", {"a.txt": "v2", "w.bin": b"\x00" * 2_000_000})
    panel = make_panel(hub_session, str(folder), repo_id)
    # Slow down the upload path of this repo so that Cancel lands while it runs.
    sandbox.faults.set(latency=1.0, path_prefix=f"/api/models/{repo_id}/preupload")
    try:
        panel.push_button.click()
        wait_for(lambda: panel.status.text.startswith("Uploading"))
        panel.cancel_button.click()
        panel.wait(TIMEOUT)
    finally:
        sandbox.faults.clear()
    assert panel.status.kind == "warning"
    assert "Cancelled before the commit" in panel.status.text and "untouched" in panel.status.text
    assert [c.commit_id for c in api.list_repo_commits(repo_id)] == before
    assert remote_files(api, repo_id) == {"a.txt"}
    assert not panel.push_button.disabled


def test_cancel_on_new_repo_removes_it(sandbox, hub_session, api, repo_name, tmp_path):
    repo_id = f"alice/{repo_name}"
    folder = write_tree(tmp_path / "f", {"w.bin": b"\x00" * 1000})
    panel = make_panel(hub_session, str(folder), repo_id)
    sandbox.faults.set(latency=1.0, path_prefix=f"/api/models/{repo_id}/preupload")
    try:
        panel.push_button.click()
        wait_for(lambda: panel.status.text.startswith("Uploading"))
        panel.cancel_button.click()
        panel.wait(TIMEOUT)
    finally:
        sandbox.faults.clear()
    assert "Cancelled" in panel.status.text
    assert not api.repo_exists(repo_id)


@pytest.mark.parametrize("fault", [{"error_rate": 1.0, "error_codes": (503,)}, {"drop_after": 0}])
def test_fault_then_retry_succeeds(sandbox, hub_session, api, repo_name, tmp_path, fault):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    folder = write_tree(tmp_path / "f", {"a.txt": "a"})
    panel = make_panel(hub_session, str(folder), repo_id)
    sandbox.faults.set(path_prefix=f"/api/models/{repo_id}/commit", **fault)
    try:
        click(panel, panel.push_button)
    finally:
        sandbox.faults.clear()
    assert panel.status.kind == "error"
    assert "Traceback" not in panel.status.text and "\n" not in panel.status.text
    assert remote_files(api, repo_id) == set()
    assert not panel.push_button.disabled

    click(panel, panel.push_button)  # retry
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, repo_id) == {"a.txt"}


def test_bad_input_is_one_line_and_kept(hub_session, tmp_path):
    panel = make_panel(hub_session, str(tmp_path / "missing"), "alice/x-y")
    click(panel, panel.push_button)
    assert panel.status.kind == "error" and "not found" in panel.status.text.lower()
    assert panel.source_path.value == str(tmp_path / "missing")
    panel = make_panel(hub_session, str(tmp_path), "")
    panel.repo_name.value = ""
    panel.push_button.click()
    assert panel.status.kind == "error" and "repo name" in panel.status.text


def test_edit_card_and_browser_companions(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "f", {"a.txt": "a"})
    panel = make_panel(hub_session, str(folder), f"alice/{repo_name}")
    assert panel.card_button.layout.display != "none"  # no README.md yet
    editor = panel.edit_card()
    assert editor is not None and panel.extra.children == (editor,)
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    browser = panel.open_browser()
    assert browser is not None and panel.extra.children == (browser,)
    assert browser.repo_id == panel.history[-1]["repo_id"]
    if getattr(browser, "info_task", None) is not None:  # let its loading finish while the sandbox runs
        with contextlib.suppress(Exception):
            browser.info_task.wait(TIMEOUT)


# -- issue 12: plan and upload agree, blocked button, symlinks, repo ids, nothing created early ----


def _all_repo_requests(sandbox, repo_name: str) -> list[dict]:
    return [r for r in sandbox.request_log if repo_name in r["path"] and r["method"] in ("POST", "PUT")]


def test_file_changed_after_the_plan_is_refused(sandbox, hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "f", {"notes.txt": "planned", "w.bin": b"\x00" * 5000})
    repo_id = f"alice/{repo_name}"
    panel = make_panel(hub_session, str(folder), repo_id)
    click(panel, panel.plan_button)
    assert panel.push_button.description.startswith("Push 2 files"), panel.status.text
    (folder / "notes.txt").write_text(f"TOKEN = '{FAKE_HF}'\n")  # unscanned bytes, after the plan
    click(panel, panel.push_button)
    assert panel.status.kind == "error"
    assert "notes.txt changed after the plan" in panel.status.text and "\n" not in panel.status.text
    assert not api.repo_exists(repo_id)
    assert _all_repo_requests(sandbox, repo_name) == []


@pytest.mark.parametrize("name", ["notes.txt", "w.bin"])
def test_same_size_and_time_but_other_bytes_are_refused_while_uploading(
    sandbox, hub_session, api, repo_name, tmp_path, name
):
    import os

    # Unique bytes: the sandbox must not already hold this LFS object (it would skip the upload).
    weights = b"\x00" + os.urandom(4999)
    folder = write_tree(tmp_path / "f", {"notes.txt": "planned.", "w.bin": weights})
    content = b"planned!" if name == "notes.txt" else weights[:-1] + bytes([weights[-1] ^ 1])
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    panel = make_panel(hub_session, str(folder), repo_id)
    click(panel, panel.plan_button)
    path = folder / name
    stat = path.stat()
    path.write_bytes(content)  # same size, and the time put back: only the bytes tell
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    click(panel, panel.push_button)
    assert panel.status.kind == "error"
    assert f"{name} changed after the plan" in panel.status.text, panel.status.text
    assert remote_files(api, repo_id) == set()
    assert len(api.list_repo_commits(repo_id)) == 1  # the repo's initial commit only


def test_push_button_says_it_is_blocked_by_findings(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "f", {"train.py": f"TOKEN = '{FAKE_HF}'\n", "ok.txt": "ok"})
    repo_id = f"alice/{repo_name}"
    panel = make_panel(hub_session, str(folder), repo_id)
    click(panel, panel.plan_button)
    button = panel.push_button
    assert button.disabled
    assert button.description == "Push blocked: 1 possible secret"
    assert "Push anyway" in button.tooltip and button.icon == "ban"
    assert "train.py:1: Hugging Face token" in panel.secrets_view.value
    assert FAKE_HF not in panel.secrets_view.value + button.description + button.tooltip
    panel.allow_secrets.value = True
    assert not button.disabled and button.description.startswith("Push 2 files")
    assert "despite 1 possible secret" in button.tooltip
    panel.allow_secrets.value = False
    assert button.disabled and button.description.startswith("Push blocked")
    panel.allow_secrets.value = True
    click(panel, button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, repo_id) == {"train.py", "ok.txt"}


def test_symlinks_outside_are_skipped_inside_pushed_once(hub_session, api, repo_name, tmp_path):
    import os

    outside = write_tree(tmp_path / "private", {"id.txt": "not for the Hub", "d/x.txt": "x"})
    folder = write_tree(tmp_path / "f", {"real.txt": "real", "sub/data.txt": "data"})
    os.symlink(outside / "id.txt", folder / "leak.txt")
    os.symlink(outside / "d", folder / "leakdir")
    os.symlink(folder / "real.txt", folder / "alias.txt")
    os.symlink("sub", folder / "subalias")
    repo_id = f"alice/{repo_name}"
    panel = make_panel(hub_session, str(folder), repo_id)
    click(panel, panel.plan_button)
    view = panel.plan_view.value
    assert "2 new" in view
    assert "leak.txt: symbolic link leading outside the source folder: not pushed" in view
    assert "leakdir: symbolic link leading outside the source folder" in view
    assert (
        "alias.txt: symbolic link to real.txt in the source folder: its content is pushed once, as real.txt"
        in view
    )
    assert "subalias: symbolic link to sub" in view
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, repo_id) == {"real.txt", "sub/data.txt"}


@pytest.mark.parametrize("typed", ["alice/x/extra", "alice/", "alice/a--b", "/x"])
def test_malformed_repo_id_is_refused_in_one_line(sandbox, hub_session, api, tmp_path, typed):
    folder = write_tree(tmp_path / "f", {"a.txt": "a"})
    panel = PushPanel(source=str(folder), repo_id=typed, session=hub_session)
    before = len(sandbox.request_log)
    click(panel, panel.push_button)
    assert panel.status.kind == "error"
    assert panel.status.text.startswith("Invalid repo id") or "repo name" in panel.status.text
    assert "\n" not in panel.status.text
    assert not [r for r in sandbox.request_log[before:] if r["method"] in ("POST", "PUT")]
    if typed == "alice/x/extra":
        assert "alice/x/extra" in panel.status.text and "namespace/name" in panel.status.text
        assert not api.repo_exists("x/extra")
    # Typed into the name field, the same.
    panel.repo_name.value = "alice/x/extra"
    click(panel, panel.push_button)
    assert panel.status.text.startswith("Invalid repo id 'alice/x/extra'")


def test_empty_folder_creates_nothing(hub_session, api, repo_name, tmp_path):
    (tmp_path / "empty").mkdir()
    repo_id = f"alice/{repo_name}"
    panel = make_panel(hub_session, str(tmp_path / "empty"), repo_id)
    click(panel, panel.push_button)
    assert panel.status.kind == "error" and "Nothing to push" in panel.status.text
    assert not api.repo_exists(repo_id)


UNREADABLE_SCRIPT = """
import sys
from hub_widgets.push.panel import PushPanel
from hub_widgets.session import HubSession
endpoint, folder, repo_id = sys.argv[1:4]
session = HubSession(endpoint=endpoint, token=sys.stdin.read().strip())
panel = PushPanel(source=folder, repo_id=repo_id, session=session)
panel.push_button.click()
panel.wait(120)
print(panel.status.kind, panel.status.text, sep="|")
session.close()
"""


def test_unreadable_file_creates_nothing(endpoint, api, repo_name, tmp_path):
    """As root, the push runs in a process without the capability to read any file (setpriv)."""
    import os
    import shutil
    import subprocess
    import sys

    from tests.conftest import ALICE

    folder = write_tree(tmp_path / "f", {"a.txt": "a", "locked.txt": "no"})
    (folder / "locked.txt").chmod(0)
    repo_id = f"alice/{repo_name}"
    command = [sys.executable, "-c", UNREADABLE_SCRIPT, endpoint, str(folder), repo_id]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root without setpriv: cannot make a file unreadable")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    out = subprocess.run(command, input=ALICE, capture_output=True, text=True, timeout=180, check=True)
    kind, text = out.stdout.strip().splitlines()[-1].split("|", 1)
    assert kind == "error"
    assert "Cannot read locked.txt" in text and "Nothing was uploaded" in text
    assert not api.repo_exists(repo_id)


def test_into_an_existing_repo_a_later_finding_stops_before_the_commit(hub_session, api, repo_name, tmp_path):
    import os

    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.upload_file(path_or_fileobj=b"v1", path_in_repo="kept.txt", repo_id=repo_id)
    before = [c.commit_id for c in api.list_repo_commits(repo_id)]
    files = {f"w{i}.bin": b"\x00" + os.urandom(200_000) for i in range(6)}
    files["zz/late.txt"] = f"TOKEN = '{FAKE_HF}'\n"
    folder = write_tree(tmp_path / "f", files)
    panel = make_panel(hub_session, str(folder), repo_id)
    click(panel, panel.push_button)  # no plan first: clean files may leave while the rest is read
    assert panel.status.kind == "error" and "Push blocked" in panel.status.text
    assert "zz/late.txt:1: Hugging Face token" in panel.secrets_view.value
    assert panel.push_button.disabled and panel.push_button.description.startswith("Push blocked")
    assert [c.commit_id for c in api.list_repo_commits(repo_id)] == before
    assert remote_files(api, repo_id) == {"kept.txt"}
    panel.allow_secrets.value = True
    click(panel, panel.push_button)  # the plan that found it, pushed as is
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, repo_id) == {"kept.txt", "zz/late.txt", *(f"w{i}.bin" for i in range(6))}


def test_read_pass_in_worker_processes_end_to_end(monkeypatch, hub_session, api, repo_name, tmp_path):
    import os

    from hub_widgets.push import plan

    monkeypatch.setattr(plan, "IN_PROCESS_BYTES", 0)  # read in worker processes, as big pushes are
    weights = bytearray(b"\x00" + os.urandom(3_000_000))
    weights[2_000_000 : 2_000_000 + len(FAKE_HF) + 2] = b"\x00" + FAKE_HF.encode() + b"\x00"
    folder = write_tree(tmp_path / "f", {"model.bin": bytes(weights), "a.txt": "a"})
    repo_id = f"alice/{repo_name}"
    panel = make_panel(hub_session, str(folder), repo_id)
    click(panel, panel.plan_button)
    assert "model.bin at byte 2000001: Hugging Face token" in panel.secrets_view.value
    assert FAKE_HF not in panel.secrets_view.value
    (folder / "model.bin").write_bytes(b"\x00" + os.urandom(3_000_000))  # the token removed
    click(panel, panel.plan_button)
    assert panel.secrets_view.value == "" and not panel.push_button.disabled
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, repo_id) == {"model.bin", "a.txt"}
