"""The widgets show their own progress: huggingface_hub's tqdm bars never reach the cell output (issue 15).

The run disables the client's bars through HF_HUB_DISABLE_PROGRESS_BARS; these tests turn them back
on, as in a user's kernel, then drive each widget and check that nothing was written to stdout/stderr.
"""

from __future__ import annotations

import importlib

import pytest
from huggingface_hub import CommitOperationAdd

from hub_widgets.browser.panel import RepoBrowser
from hub_widgets.card import ModelCardEditor
from hub_widgets.push.panel import PushPanel
from tests.conftest import write_tree
from tests.test_push_panel import click, remote_files

TIMEOUT = 120
hf_tqdm_module = importlib.import_module(
    "huggingface_hub.utils.tqdm"
)  # (the package re-exports a class by that name)


@pytest.fixture
def bars_on(monkeypatch):
    """huggingface_hub's progress bars enabled, as they are by default in a user's kernel."""
    monkeypatch.setattr(hf_tqdm_module, "HF_HUB_DISABLE_PROGRESS_BARS", None)
    monkeypatch.setenv("TQDM_POSITION", "-1")  # shown though stderr is no terminal (a notebook shows them)
    saved = dict(hf_tqdm_module.progress_bar_states)
    hf_tqdm_module.progress_bar_states.clear()
    yield
    hf_tqdm_module.progress_bar_states.clear()
    hf_tqdm_module.progress_bar_states.update(saved)


def _bars_are_shown_by_the_client(capsys, api, repo_id) -> None:
    """The check itself works: a direct client download with bars on prints one."""
    api.hf_hub_download(repo_id, "big.bin", force_download=True)
    assert "big.bin" in capsys.readouterr().err


def test_browser_preview_and_downloads_print_nothing(bars_on, capsys, api, hub_session, repo_name, tmp_path):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.create_commit(
        repo_id,
        [
            CommitOperationAdd("notes.txt", b"hello\n"),
            CommitOperationAdd("config.json", b'{"a": 1}'),
            CommitOperationAdd("big.bin", b"\x00" * 300_000),
        ],
        commit_message="files",
    )
    capsys.readouterr()
    _bars_are_shown_by_the_client(capsys, api, repo_id)

    browser = RepoBrowser(repo_id=repo_id, session=hub_session)
    files = browser.files
    files.tree_tasks[""].wait(TIMEOUT)
    for path in ("notes.txt", "config.json"):
        files.tree.value = f"f:{path}"
        files.preview_task.wait(TIMEOUT)
    assert "hello" in files.preview_html.value or '"a"' in files.preview_html.value.replace("&quot;", '"')
    files.tree.value = "f:big.bin"
    files.target.value = str(tmp_path / "one")
    files.download_file_button.click()
    files.download_task.wait(TIMEOUT)
    files.target.value = str(tmp_path / "all")
    files.download_snapshot_button.click()
    files.download_task.wait(TIMEOUT)
    assert (tmp_path / "all" / "big.bin").stat().st_size == 300_000
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", "")
    browser.close()


def test_card_editor_push_prints_nothing(bars_on, capsys, api, hub_session, repo_name):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.upload_file(
        path_or_fileobj=b"---\nlicense: mit\n---\n# Card\n", path_in_repo="README.md", repo_id=repo_id
    )
    capsys.readouterr()
    editor = ModelCardEditor(repo_id=repo_id, session=hub_session)
    editor.debounce = 0
    editor.task.wait(TIMEOUT)
    editor.fields["license"].widget.value = "apache-2.0"
    editor.target.value = "commit"
    editor.commit_message.value = "Relicense"
    assert editor.review(), editor.status.text
    editor.confirm().wait(TIMEOUT)
    assert editor.status.kind == "success", editor.status.text
    # The pull request path and the Hub's check too.
    editor.validate().wait(TIMEOUT)
    editor.target.value = "pr"
    editor.pr_title.value = "Add a section"
    editor.body.value += "\n## More\n"
    assert editor.review(), editor.status.text
    editor.confirm().wait(TIMEOUT)
    assert editor.status.kind == "success", editor.status.text
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", "")
    editor.close()


def test_push_of_several_large_files_prints_nothing(bars_on, capsys, api, hub_session, repo_name, tmp_path):
    folder = write_tree(tmp_path / "m", {f"w{i}.bin": bytes([i]) * 200_000 for i in range(3)})
    repo_id = f"alice/{repo_name}"
    panel = PushPanel(str(folder), repo_id=repo_id, session=hub_session)
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, repo_id) == {"w0.bin", "w1.bin", "w2.bin"}
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", "")
