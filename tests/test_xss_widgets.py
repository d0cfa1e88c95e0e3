"""What the widgets send to the frontend from a repo full of XSS payloads is inert, and capped in size.

The checks read every synced string of every widget under the view (what the frontend receives:
HTML values, Output bundles, option labels), through the real sandbox and `huggingface_hub`.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import ipywidgets as W
import pytest
from huggingface_hub import CommitOperationAdd
from ipywidgets.widgets import widget as widget_module

from hub_widgets.browser.panel import RepoBrowser
from hub_widgets.card import ModelCardEditor
from hub_widgets.playground import render
from hub_widgets.playground.panel import InferencePlayground
from hub_widgets.playground.tasks import render_result
from hub_widgets.sandbox.inference.images import solid_png
from hub_widgets.ui import MAX_SHOWN_CHARS, shown_html
from hub_widgets.ui.style import STYLESHEET
from tests import xss_payloads as X
from tests.conftest import wait_for

TIMEOUT = 60
COMMIT_PAYLOAD = '<img src=x onerror="window.__xss_2=1"> <a href="javascript:window.__xss_6=1">commit</a>'


def _walk(root: W.Widget):
    """`root` and every widget its synced state references, each once."""
    seen: set[str] = set()
    stack = [root.model_id]

    def refs(value) -> None:
        if isinstance(value, str) and value.startswith("IPY_MODEL_"):
            stack.append(value[len("IPY_MODEL_") :])
        elif isinstance(value, dict):
            for item in value.values():
                refs(item)
        elif isinstance(value, list | tuple):
            for item in value:
                refs(item)

    while stack:
        model_id = stack.pop()
        if model_id in seen or model_id not in widget_module._instances:
            continue
        seen.add(model_id)
        widget = widget_module._instances[model_id]
        state = widget.get_state()
        refs(state)
        yield widget, state


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in _strings(item)]
    return []


def sent_strings(root: W.Widget) -> list[str]:
    """Every string in the synced state of `root` and the widgets under it (what the page gets)."""
    return [s for _w, state in _walk(root) for s in _strings(state) if not s.startswith("IPY_MODEL_")]


def sent_html(root: W.Widget) -> list[str]:
    """The strings the frontend parses as HTML: HTML widgets' values, Output bundles, HTML descriptions.

    Option labels, placeholders, tooltips and plain descriptions are set as text by ipywidgets.
    """
    found = []
    for _widget, state in _walk(root):
        if state.get("_model_name") in ("HTMLModel", "HTMLMathModel"):
            if state.get("value") == _OWN_STYLESHEET:
                continue  # the package's constant <style> block (ui/style.py), never Hub content
            found.append(state.get("value") or "")
        if state.get("_model_name") == "OutputModel":
            found += _strings(state.get("outputs"))
        if state.get("description_allow_html"):
            found.append(state.get("description") or "")
    return found


_OWN_STYLESHEET = f"<style>{STYLESHEET}</style>"


def assert_inert(root: W.Widget) -> list[str]:
    # The package's one stylesheet (ui/style.py) is constant CSS of ours, the only <style> allowed.
    strings = [s for s in sent_html(root) if s != f"<style>{STYLESHEET}</style>"]
    assert strings
    for text in strings:
        assert X.dangerous(text) == [], text[:300]
    return strings


@pytest.fixture
def payload_repo(api, repo_name) -> str:
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    files = {
        "README.md": X.readme(),
        "logo.png": solid_png(8, 8, (200, 30, 30)),
        "docs/guide.md": X.LEGIT_MARKDOWN + X.payload_markdown(),
        "page.html": X.html_document(),
        "nb.ipynb": X.notebook(),
    }
    ops = [CommitOperationAdd(p, c.encode() if isinstance(c, str) else c) for p, c in files.items()]
    api.create_commit(repo_id, ops, commit_message="add the payloads")
    api.create_commit(
        repo_id,
        [CommitOperationAdd("notes.txt", b"<script>window.__xss_1=1</script>")],
        commit_message=COMMIT_PAYLOAD,
        commit_description=COMMIT_PAYLOAD,
    )
    api.create_commit(
        repo_id,
        [CommitOperationAdd("notes.txt", b"changed")],
        commit_message='<svg onload="window.__xss_3=1">',
        create_pr=True,
    )
    return repo_id


@pytest.fixture
def browser(hub_session):
    made: list[RepoBrowser] = []

    def make(**kwargs) -> RepoBrowser:
        made.append(RepoBrowser(session=hub_session, **kwargs))
        return made[-1]

    yield make
    for b in made:
        for task in (
            b.info_task,
            b.files.refs_task,
            b.files.preview_task,
            b.history.commits_task,
            b.history.diff_task,
        ):
            if task is not None:
                try:
                    task.wait(TIMEOUT)
                except Exception:
                    pass


def test_card_tab_shows_the_legit_card_and_no_payload(browser, payload_repo, endpoint):
    b = browser(repo_id=payload_repo)
    b.info_task.wait(TIMEOUT)
    card = shown_html(b.card_markdown)
    assert "<h1>Payload model card</h1>" in card and "<table>" in card and "<pre><code>" in card
    assert f'<img src="{endpoint}/{payload_repo}/resolve/main/logo.png"' in card
    assert "front_matter_marker" not in card
    assert len(b.card_markdown.outputs) == 1 and len(b.card_markdown.outputs[0]["data"]) == 1  # sent once
    assert_inert(b)


@pytest.mark.parametrize("path", ["docs/guide.md", "page.html", "nb.ipynb"])
def test_file_previews_are_inert(browser, payload_repo, endpoint, path):
    b = browser(repo_id=payload_repo)
    b.files.refs_task.wait(TIMEOUT)
    wait_for(lambda: b.files.folder_entries(""), TIMEOUT, "the root listing")
    if "/" in path:
        b.files.open_folder("docs").wait(TIMEOUT)
    b.files.tree.value = f"f:{path}"
    b.files.preview_task.wait(TIMEOUT)
    shown = shown_html(b.files.preview_markdown)
    assert ("Payload model card" in shown) or ("Payload page" in shown), shown[:500]
    if path == "docs/guide.md":  # relative to the file's folder, as on the Hub
        assert f'href="{endpoint}/{payload_repo}/resolve/main/docs/docs/guide.md"' in shown
    if path == "nb.ipynb":
        assert "&lt;script&gt;window.__xss_1=1&lt;/script&gt;" in shown  # the code, escaped
    assert_inert(b)


def test_history_and_pr_refs_are_inert(browser, payload_repo):
    b = browser(repo_id=payload_repo)
    b.tabs.selected_index = 2
    b.info_task.wait(TIMEOUT)
    b.history.commits_task.wait(TIMEOUT)
    labels = [label for label, _v in b.history.commit_list.options]
    assert any("onerror" in label for label in labels)  # shown, as text in an option
    b.history.commit_list.value = (b.history.commits[0].commit_id,)
    b.history.compare_selected().wait(TIMEOUT)
    assert "notes.txt" in b.history.diff_text.value
    b.files.refs_task.wait(TIMEOUT)
    assert any("PR #" in label for label, _v in b.files.revision_select.options)
    assert_inert(b)


def test_card_editor_preview_is_inert(hub_session, payload_repo):
    editor = ModelCardEditor(repo_id=payload_repo, session=hub_session)
    editor.task.wait(TIMEOUT)
    preview = shown_html(editor.preview)
    assert "<h1>Payload model card</h1>" in preview and "<table>" in preview
    assert_inert(editor)
    editor.body.value = X.payload_markdown()
    editor.refresh_preview()
    assert_inert(editor)


class _PayloadChat(BaseHTTPRequestHandler):
    """An OpenAI-compatible chat endpoint on loopback whose model answers with the whole battery."""

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        text = X.LEGIT_MARKDOWN + X.payload_markdown()
        for start in range(0, len(text), 200):
            chunk = {
                "id": "x",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "payload-model",
                "choices": [
                    {"index": 0, "delta": {"content": text[start : start + 200]}, "finish_reason": None}
                ],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args) -> None:
        pass


def test_a_chat_answer_full_of_payloads_renders_as_inert_markdown(hub_session):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PayloadChat)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        playground = InferencePlayground(
            endpoint=f"http://127.0.0.1:{server.server_port}", task="chat", session=hub_session
        )
        form = playground.form()
        form.controls["message"].value = '<img src=x onerror="window.__xss_2=1"> hello'
        playground.run_button.click()
        wait_for(lambda: not playground._running, TIMEOUT, "the chat answer")
        lane = playground.lanes[0]
        assert lane.problem is None, lane.problem
        assert "<h1>Payload model card</h1>" in lane.output.value and "<table>" in lane.output.value
        assert "&lt;img src=x onerror" in lane.output.value  # the user's own text, escaped
        assert_inert(playground)
        lane.show_raw(True)
        assert_inert(playground)
    finally:
        server.shutdown()
        server.server_close()


# -- output caps -------------------------------------------------------------------------------

BIG = 3_000_000


def _max_sent(root: W.Widget) -> int:
    return max(len(s) for s in sent_strings(root))


def test_a_3_mb_readme_is_capped_sent_once_and_kept_whole(api, browser, repo_name):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    readme = "# Big card\n\n" + ("lorem ipsum dolor " * (BIG // 18)) + "\n"
    api.upload_file(path_or_fileobj=readme.encode(), path_in_repo="README.md", repo_id=repo_id)
    b = browser(repo_id=repo_id)
    b.info_task.wait(TIMEOUT)
    shown = shown_html(b.card_markdown)
    assert "Truncated — " in shown and "card_text" in shown
    assert _max_sent(b) <= MAX_SHOWN_CHARS + 1000
    assert sum(len(s) for s in sent_strings(b)) <= MAX_SHOWN_CHARS + 50_000  # not twice
    assert b.card_text == readme  # the full value, for a variable


def test_a_3_mb_file_preview_is_capped_and_retrievable(api, browser, repo_name):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    text = "x" * 900_000 + "\n"  # under the preview size limit: read whole, shown capped
    api.upload_file(path_or_fileobj=text.encode(), path_in_repo="big.txt", repo_id=repo_id)
    api.upload_file(path_or_fileobj=("y" * BIG).encode(), path_in_repo="huge.md", repo_id=repo_id)
    b = browser(repo_id=repo_id)
    wait_for(lambda: b.files.folder_entries(""), TIMEOUT, "the root listing")
    b.files.tree.value = "f:big.txt"
    b.files.preview_task.wait(TIMEOUT)
    assert "Truncated — " in b.files.preview_html.value and "preview_data" in b.files.preview_html.value
    assert b.files.preview_data == text.encode()
    b.files.tree.value = "f:huge.md"
    b.files.preview_task.wait(TIMEOUT)
    assert _max_sent(b) <= MAX_SHOWN_CHARS


def test_a_20_mb_label_and_huge_outputs_are_capped_in_the_playground_render():
    label = "L" * 20_000_000
    bars = render_result("text-classification", [{"label": label, "score": 0.5}], {})
    assert len(bars) < 10_000
    block = render.text_block("t" * BIG)
    assert len(block) <= MAX_SHOWN_CHARS and "Truncated — " in block and "variable" in block
    raw = render.raw_json({f"k{i}": "v" * 100 for i in range(50_000)})
    assert len(raw) <= MAX_SHOWN_CHARS and "Truncated — " in raw
    chat = render.chat_html([{"role": "assistant", "content": "word " * 600_000}])
    assert len(chat) <= MAX_SHOWN_CHARS + 2000 and "Truncated — " in chat


def test_a_dataset_card_resolves_relative_images_under_its_prefix(api, browser, repo_name, endpoint):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id, repo_type="dataset")
    card = "# Data\n\n![chart](img/chart.png)\n\n" + X.payload_markdown()
    api.upload_file(
        path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=repo_id, repo_type="dataset"
    )
    b = browser(repo_id=repo_id, repo_type="dataset")
    b.info_task.wait(TIMEOUT)
    assert f'src="{endpoint}/datasets/{repo_id}/resolve/main/img/chart.png"' in shown_html(b.card_markdown)
    assert_inert(b)


def test_a_huge_one_line_message_is_capped_in_the_status_line():
    from hub_widgets.ui import StatusLine

    status = StatusLine()
    status.error("e" * 20_000_000)
    assert len(status.value) < 10_000 and len(status.text) == 20_000_000
