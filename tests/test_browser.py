"""RepoBrowser against a real SandboxHub: a user searches, opens repos, browses files and history."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi

from hub_widgets.browser.panel import RepoBrowser
from hub_widgets.errors import CancelledError
from hub_widgets.sandbox.inference.images import solid_png
from hub_widgets.session import HubSession
from hub_widgets.ui import shown_html
from tests.conftest import BOB, wait_for

TIMEOUT = 30


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A tiny valid PNG (red)."""
    return solid_png(width, height, (255, 0, 0))


def make_repo(api: HfApi, repo_id: str, files: dict[str, bytes | str], repo_type: str = "model", **kw) -> str:
    api.create_repo(repo_id, repo_type=repo_type, **kw)
    ops = [
        CommitOperationAdd(path, content.encode() if isinstance(content, str) else content)
        for path, content in files.items()
    ]
    api.create_commit(repo_id, ops, commit_message="add files", repo_type=repo_type)
    return repo_id


def card(pipeline_tag: str, library: str, tags: list[str] | None = None) -> str:
    tag_lines = "".join(f"- {t}\n" for t in tags or [])
    return (
        f"---\nlicense: mit\npipeline_tag: {pipeline_tag}\nlibrary_name: {library}\n"
        f"tags:\n{tag_lines or '- demo' + chr(10)}---\n# Model\n\nHello **card**.\n"
    )


@pytest.fixture
def browser_factory(hub_session):
    made: list[RepoBrowser] = []

    def make(**kwargs) -> RepoBrowser:
        kwargs.setdefault("session", hub_session)
        made.append(RepoBrowser(**kwargs))
        return made[-1]

    yield make
    # Let background work finish while the sandbox still runs (no retries against a stopped server).
    for browser in made:
        tasks = [
            browser.search_task,
            browser.info_task,
            browser.files.refs_task,
            browser.history.commits_task,
        ]
        tasks += [browser.files.preview_task, browser.files.download_task, browser.history.diff_task]
        for task in [*tasks, *browser.files.tree_tasks.values()]:
            if task is not None:
                try:
                    task.wait(TIMEOUT)
                except Exception:
                    pass


# -- search ------------------------------------------------------------------------------------


def test_search_filters_and_sort(api, browser_factory, repo_name):
    prefix = f"alice/{repo_name}"
    a = make_repo(api, f"{prefix}-cls", {"README.md": card("text-classification", "transformers")})
    b = make_repo(api, f"{prefix}-gen", {"README.md": card("text-generation", "transformers")})
    c = make_repo(api, f"{prefix}-img", {"README.md": card("image-classification", "timm")})
    # Downloads: c most, then a, then b.
    for repo_id, n in ((c, 3), (a, 2), (b, 1)):
        for _ in range(n):
            api.hf_hub_download(repo_id, "README.md", force_download=True)

    browser = browser_factory(query=repo_name)
    browser.search().wait(TIMEOUT)
    assert set(browser.result_ids) == {a, b, c}
    assert browser.result_ids == [c, a, b]  # sorted by downloads
    labels = [label for label, _v in browser.results.options]
    assert any("text-classification" in label for label in labels)

    browser.task.value = "text-classification"  # a filter change searches at once
    wait_for(lambda: browser.result_ids == [a], what="task filter")

    browser.task.value = ""
    browser.library.value = "timm"
    wait_for(lambda: browser.result_ids == [c], what="library filter")

    browser.library.value = ""
    browser.sort.value = "updated"
    wait_for(
        lambda: set(browser.result_ids) == {a, b, c} and browser.result_ids[0] == c, what="sort by updated"
    )

    browser.author.value = "bob"
    wait_for(lambda: browser.result_info.value and browser.result_ids == [], what="author filter")
    assert "No repository" in browser.result_info.value


def test_typing_is_debounced_and_stale_answers_lose(api, browser_factory, repo_name):
    first = make_repo(api, f"alice/{repo_name}-first", {"a.txt": "a"})
    second = make_repo(api, f"alice/{repo_name}-second", {"a.txt": "a"})
    browser = browser_factory(query=f"{repo_name}-first")
    browser.search().wait(TIMEOUT)
    assert browser.result_ids == [first]

    # Typing: one search once the user pauses, for the last text only.
    searched = []
    search = browser.search
    browser.search = lambda: searched.append(browser.search_text.value) or search()
    browser.debounce = 0.2
    for text in (f"{repo_name}-f", f"{repo_name}-fi", f"{repo_name}-se", f"{repo_name}-second"):
        browser.search_text.value = text
    wait_for(lambda: browser.result_ids == [second], what="latest text wins")
    assert searched == [f"{repo_name}-second"]
    browser.search = search

    # A slow answer for an older query arrives after the newer one: it is dropped.
    gate = threading.Event()
    next_rows = browser._next_rows

    def held_back(listing, repo_type, page_size):
        result = next_rows(listing, repo_type, page_size)
        if result[0] and result[0][0].repo_id == first:
            gate.wait(TIMEOUT)
        return result

    browser._next_rows = held_back
    browser.search_text.value = f"{repo_name}-first"
    older = browser.search()
    browser.search_text.value = f"{repo_name}-second"
    newer = browser.search()
    newer.wait(TIMEOUT)
    gate.set()
    older.wait(TIMEOUT)
    assert browser.result_ids == [second]


def test_more_pages_through_results(api, browser_factory, repo_name):
    ids = [make_repo(api, f"alice/{repo_name}-{i}", {"a.txt": str(i)}) for i in range(5)]
    browser = browser_factory(query=repo_name)
    browser.page_size = 2
    browser.search().wait(TIMEOUT)
    assert len(browser.result_ids) == 2 and not browser.more_button.disabled
    browser.more_button.click()
    browser.search_task.wait(TIMEOUT)
    assert len(browser.result_ids) == 4
    browser.more()
    browser.search_task.wait(TIMEOUT)
    assert sorted(browser.result_ids) == sorted(ids)
    assert browser.more_button.disabled


def test_mine_and_org_quick_filters(api, browser_factory, repo_name):
    mine = make_repo(api, f"alice/{repo_name}", {"a.txt": "a"})
    org = make_repo(api, f"acme/{repo_name}", {"a.txt": "a"})
    browser = browser_factory(query=repo_name)
    wait_for(lambda: len(browser.quick_filter.options) >= 3, what="namespaces")
    assert [v for _l, v in browser.quick_filter.options] == ["", "alice", "acme"]
    browser.quick_filter.value = "alice"
    wait_for(lambda: browser.result_ids == [mine], what="mine")
    browser.quick_filter.value = "acme"
    wait_for(lambda: browser.result_ids == [org], what="org")


def test_private_repo_visible_only_to_owner(api, endpoint, browser_factory, repo_name):
    repo_id = make_repo(api, f"alice/{repo_name}", {"README.md": "# secret\n"}, private=True)
    alice = browser_factory(query=repo_name)
    alice.search().wait(TIMEOUT)
    assert alice.result_ids == [repo_id]
    assert "private" in alice.results.options[0][0]

    bob_session = HubSession(endpoint=endpoint, token=BOB)
    try:
        bob = browser_factory(query=repo_name, session=bob_session)
        bob.search().wait(TIMEOUT)
        assert bob.result_ids == []
        bob.open_repo(repo_id)
        wait_for(lambda: bob.status.kind == "error", what="bob's error")
        assert "not found" in bob.status.text.lower()
        assert "\n" not in bob.status.text
    finally:
        bob_session.close()


def test_clicking_a_result_opens_the_repo(api, browser_factory, repo_name):
    repo_id = make_repo(api, f"alice/{repo_name}", {"README.md": card("fill-mask", "transformers")})
    browser = browser_factory(query=repo_name)
    browser.search().wait(TIMEOUT)
    # Each result is a row button whose label wraps (a <select> option is cut in a sidebar).
    (row,) = browser.results.children
    assert row.description == browser.results.options[0][0] and "hubw-row-button" in row._dom_classes
    row.click()  # the user clicks the row
    assert browser.repo_id == repo_id
    assert browser.repo_view.layout.display == "" and browser.search_view.layout.display == "none"
    browser.info_task.wait(TIMEOUT)
    assert repo_id in browser.header.value and "mit" in browser.header.value
    assert "fill-mask" in browser.card_metadata.value
    shown = shown_html(browser.card_markdown)
    assert shown.lstrip().startswith("<h1>Model") and "pipeline_tag" not in shown
    browser.back_button.click()
    assert browser.search_view.layout.display == "" and browser.results.value is None


# -- files -------------------------------------------------------------------------------------


def test_revision_switch_shows_the_branch_files(api, browser_factory, repo_name):
    repo_id = make_repo(api, f"alice/{repo_name}", {"main.txt": "main"})
    api.create_branch(repo_id, branch="dev")
    api.upload_file(path_or_fileobj=b"dev only", path_in_repo="dev.txt", repo_id=repo_id, revision="dev")
    api.create_tag(repo_id, tag="v1")
    browser = browser_factory(repo_id=repo_id)
    browser.files.refs_task.wait(TIMEOUT)
    browser.files.tree_tasks[""].wait(TIMEOUT)
    values = [v for _l, v in browser.files.revision_select.options]
    assert {"main", "dev", "v1"} <= set(values)
    names = {e.path for e in browser.files.folder_entries("")}
    assert "main.txt" in names and "dev.txt" not in names

    browser.files.revision_select.value = "dev"
    wait_for(lambda: "dev.txt" in {e.path for e in browser.files.folder_entries("")}, what="dev listing")
    assert "f:dev.txt" in [v for _l, v in browser.files.tree.options]


def test_pull_request_revision(api, browser_factory, repo_name):
    repo_id = make_repo(api, f"alice/{repo_name}", {"main.txt": "main"})
    api.upload_file(path_or_fileobj=b"proposed", path_in_repo="pr.txt", repo_id=repo_id, create_pr=True)
    browser = browser_factory(repo_id=repo_id)
    browser.files.refs_task.wait(TIMEOUT)
    options = dict((v, label) for label, v in browser.files.revision_select.options)
    assert options.get("refs/pr/1") == "PR #1"
    browser.files.revision_select.value = "refs/pr/1"
    wait_for(lambda: "pr.txt" in {e.path for e in browser.files.folder_entries("")}, what="PR listing")
    browser.files.tree.value = "f:pr.txt"
    browser.files.preview_task.wait(TIMEOUT)
    assert "proposed" in browser.files.preview_html.value


def test_folders_are_listed_only_when_opened(api, sandbox, browser_factory, repo_name):
    files = {f"big/f{i}.txt": str(i) for i in range(30)}
    files.update({"small/a.txt": "a", "small/deep/b.txt": "b", "top.txt": "top"})
    repo_id = make_repo(api, f"alice/{repo_name}", files)
    browser = browser_factory(repo_id=repo_id)
    browser.files.tree_tasks[""].wait(TIMEOUT)
    root = {e.path: e for e in browser.files.folder_entries("")}
    assert set(root) == {"big", "small", "top.txt"} | ({".gitattributes"} & set(root))
    assert root["big"].is_dir and not browser.files.folder_entries("big")

    task = browser.files.open_folder("small")
    task.wait(TIMEOUT)
    assert {e.path for e in browser.files.folder_entries("small")} == {"small/a.txt", "small/deep"}
    assert not browser.files.folder_entries("small/deep")  # not opened: not listed
    labels = [label for label, _v in browser.files.tree.options]
    assert any(label.endswith("▾ small/") for label in labels)

    # Clicking the opened folder closes it; clicking again reopens it from memory.
    browser.files.tree.value = "d:small"
    assert not any("a.txt" in label for label, _v in browser.files.tree.options)
    browser.files.tree.value = "d:small"
    assert any("a.txt" in label for label, _v in browser.files.tree.options)

    tree_requests = [r["path"] for r in sandbox.request_log if f"/api/models/{repo_id}/tree/" in r["path"]]
    assert len(tree_requests) == 2, tree_requests  # the root, then small/: nothing else was listed


def test_previews_text_json_csv_markdown_image(api, browser_factory, repo_name):
    repo_id = make_repo(
        api,
        f"alice/{repo_name}",
        {
            "notes.txt": "hello <world>\n",
            "config.json": json.dumps({"hidden_size": 8, "layers": [1, 2]}),
            "data/train.csv": "text,label\ngood,1\nbad,0\n",
            "docs/guide.md": "---\nx: 1\n---\n# Guide\n",
            "img/cat.png": png_bytes(),
        },
    )
    browser = browser_factory(repo_id=repo_id)
    files = browser.files
    files.tree_tasks[""].wait(TIMEOUT)

    files.tree.value = "f:notes.txt"
    files.preview_task.wait(TIMEOUT)
    assert "hello &lt;world&gt;" in files.preview_html.value

    files.tree.value = "f:config.json"
    files.preview_task.wait(TIMEOUT)
    assert '"hidden_size": 8' in files.preview_html.value.replace("&quot;", '"')

    files.open_folder("data").wait(TIMEOUT)
    files.tree.value = "f:data/train.csv"
    files.preview_task.wait(TIMEOUT)
    assert "<table" in files.preview_html.value and ">good<" in files.preview_html.value
    assert "First 2 rows" in files.preview_html.value

    files.open_folder("docs").wait(TIMEOUT)
    files.tree.value = "f:docs/guide.md"
    files.preview_task.wait(TIMEOUT)
    assert shown_html(files.preview_markdown).strip() == "<h1>Guide</h1>"

    files.open_folder("img").wait(TIMEOUT)
    files.tree.value = "f:img/cat.png"
    files.preview_task.wait(TIMEOUT)
    assert files.preview_image.value == png_bytes() and files.preview_image.format == "png"
    assert files.preview_image.layout.display == ""


def test_download_file_and_snapshot_with_progress(api, browser_factory, repo_name, tmp_path):
    repo_id = make_repo(
        api,
        f"alice/{repo_name}",
        {"a.json": '{"a": 1}', "b.json": '{"b": 2}', "sub/c.txt": "c" * 5000, "weights.bin": b"\x00" * 2048},
    )
    browser = browser_factory(repo_id=repo_id)
    files = browser.files
    files.tree_tasks[""].wait(TIMEOUT)

    files.tree.value = "f:weights.bin"
    assert "No preview" in files.preview_html.value
    target = tmp_path / "one"
    files.target.value = str(target)
    files.download_file_button.click()
    path = files.download_task.wait(TIMEOUT)
    wait_for(lambda: files.download_snapshot_button.disabled is False, what="buttons back")
    assert Path(path).read_bytes() == b"\x00" * 2048
    assert files.progress.bar.value == 1.0 and files.progress.bar.bar_style == "success"
    assert files.download_message == ("success", f"Saved to {target / 'weights.bin'}")

    # A snapshot of the JSON files only, into the cache this time.
    files.target.value = ""
    files.patterns.value = "*.json"
    files.download_snapshot_button.click()
    snapshot, count = files.download_task.wait(TIMEOUT)
    assert count == 2
    assert sorted(p.name for p in Path(snapshot).rglob("*") if p.is_file()) == ["a.json", "b.json"]
    assert files.progress.done_files == 2 and files.progress.bar.bar_style == "success"
    assert files.download_message[1].startswith("2 files saved in the Hugging Face cache")
    assert snapshot in files.snapshot_result.value and files.file_result.value == ""

    files.patterns.value = "*.nothing"
    files.download_snapshot()
    with pytest.raises(ValueError):
        files.download_task.wait(TIMEOUT)
    wait_for(lambda: files.download_message[0] == "error", what="no match error")
    assert "No file matches" in files.snapshot_result.value


def test_a_single_file_goes_to_the_notebook_folder_and_says_so_next_to_its_button(
    api, browser_factory, repo_name, tmp_path, monkeypatch
):
    repo_id = make_repo(api, f"alice/{repo_name}", {"config.json": '{"a": 1}', "weights.bin": b"\x01" * 300})
    notebook_dir = tmp_path / "notebooks"
    notebook_dir.mkdir()
    monkeypatch.chdir(notebook_dir)  # the kernel's working directory: the notebook's folder
    browser = browser_factory(repo_id=repo_id)
    files = browser.files
    files.tree_tasks[""].wait(TIMEOUT)
    assert files.destination.value == "folder" and files.target.value == str(notebook_dir)

    files.tree.value = "f:weights.bin"
    files.download_file_button.click()
    path = files.download_task.wait(TIMEOUT)
    wait_for(lambda: files.download_message[0] == "success", what="download said")
    assert Path(path) == notebook_dir / "weights.bin" and Path(path).read_bytes() == b"\x01" * 300
    # Said in the button's own row, with the path, not (only) in the status line at the top.
    row = next(
        r for r in files.children[-1].children if files.download_file_button in getattr(r, "children", ())
    )
    assert files.file_result in row.children
    assert (
        str(notebook_dir / "weights.bin") in files.file_result.value and "Saved to" in files.file_result.value
    )
    assert files.snapshot_result.value == ""

    # The cache is a choice, and the message says that is where the file is.
    files.destination.value = "cache"
    assert files.target.layout.display == "none"
    files.tree.value = "f:config.json"
    files.download_file_button.click()
    cached = files.download_task.wait(TIMEOUT)
    wait_for(lambda: files.download_message[0] == "success", what="download said")
    assert not Path(cached).is_relative_to(notebook_dir) and "models--alice--" in cached
    assert "Hugging Face cache" in files.file_result.value and cached in files.file_result.value

    # A relative folder is the notebook folder's sub-folder, shown as the absolute path it became.
    files.destination.value = "folder"
    files.target.value = "models/here"
    files.download_file_button.click()
    path = files.download_task.wait(TIMEOUT)
    assert Path(path) == notebook_dir / "models" / "here" / "config.json"
    wait_for(
        lambda: str(notebook_dir / "models" / "here") in files.file_result.value, what="absolute path shown"
    )


# -- history -----------------------------------------------------------------------------------


def test_history_diff_on_known_commits(api, sandbox, browser_factory, repo_name):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    api.create_commit(
        repo_id,
        [
            CommitOperationAdd("keep.txt", b"same\n"),
            CommitOperationAdd("edit.txt", b"line 1\nline 2\nline 3\n"),
            CommitOperationAdd("gone/old.txt", b"bye\n"),
            CommitOperationAdd("same/kept.txt", b"unchanged folder\n"),
        ],
        commit_message="add",
    )
    api.create_commit(
        repo_id, [CommitOperationAdd("edit.txt", b"line 1\nline TWO\nline 3\n")], commit_message="modify"
    )
    api.create_commit(
        repo_id,
        [CommitOperationDelete("gone/old.txt"), CommitOperationAdd("new/fresh.txt", b"fresh\n")],
        commit_message="delete",
    )
    browser = browser_factory(repo_id=repo_id)
    browser.tabs.selected_index = 2  # History
    browser.history.commits_task.wait(TIMEOUT)
    titles = [c.title for c in browser.history.commits]
    assert titles[:3] == ["delete", "modify", "add"]
    add, delete = browser.history.commits[2].commit_id, browser.history.commits[0].commit_id

    browser.history.commit_list.value = (delete, add)  # picked in any order: selecting two compares
    browser.history.diff_task.wait(TIMEOUT)
    listed = [r["path"] for r in sandbox.request_log if f"/api/models/{repo_id}/tree/" in r["path"]]
    assert listed and not any(p.endswith("/same") for p in listed)  # same git tree on both sides
    diff = browser.history.last_diff
    assert diff.paths() == {"added": {"new/fresh.txt"}, "removed": {"gone/old.txt"}, "changed": {"edit.txt"}}
    summary = browser.history.diff_summary.value
    assert "1 added, 1 removed, 1 changed" in summary and "edit.txt" in summary
    text = browser.history.diff_text.value
    assert "-line 2" in text and "+line TWO" in text
    assert "keep.txt" not in summary

    # One click on a commit: what it changed (compared with its parent), with no other action. The
    # diff of the previous selection is gone at once, before the new one arrives.
    modify = browser.history.commits[1].commit_id
    browser.history.commit_list.value = (modify,)
    assert "fresh.txt" not in browser.history.diff_summary.value
    assert "fresh.txt" not in browser.history.diff_text.value
    browser.history.diff_task.wait(TIMEOUT)
    assert browser.history.last_diff.paths() == {"added": set(), "removed": set(), "changed": {"edit.txt"}}
    assert "edit.txt" in browser.history.diff_summary.value
    assert "click a commit" in browser.history.hint.value.lower()

    # As a user does it: a click on a row, then the + beside another one to compare the two.
    history = browser.history
    history.commit_list.click(1)  # "modify"
    assert history.commit_list.value == (modify,)
    history.commit_list.toggle(0)  # + beside "delete"
    assert history.commit_list.value == (modify, delete)
    history.diff_task.wait(TIMEOUT)
    assert history.last_diff.paths() == {
        "added": {"new/fresh.txt"},
        "removed": {"gone/old.txt"},
        "changed": set(),
    }

    # The first commit: what it added (compared with nothing).
    first = history.commits[-1].commit_id
    history.commit_list.click(len(history.commit_list.options) - 1)
    assert history.commit_list.value == (first,)
    history.diff_task.wait(TIMEOUT)
    assert history.last_diff.paths() == {
        "added": set(api.list_repo_files(repo_id, revision=first)),
        "removed": set(),
        "changed": set(),
    }

    # A selection that compares nothing shows no diff at all.
    browser.history.commit_list.value = (delete, modify, add)
    assert browser.history.last_diff is None and "edit.txt" not in browser.history.diff_summary.value
    assert "at most two" in browser.history.diff_summary.value
    browser.history.commit_list.value = ()
    assert browser.history.diff_summary.value == "" and browser.history.diff_text.value == ""


def test_history_pages(api, browser_factory, repo_name):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    for i in range(4):
        api.upload_file(
            path_or_fileobj=str(i).encode(), path_in_repo="n.txt", repo_id=repo_id, commit_message=f"c{i}"
        )
    browser = browser_factory(repo_id=repo_id)
    history = browser.history
    history.page_size = 2
    history.load(repo_id).wait(TIMEOUT)
    assert [label.split(" · ")[-1] for label, _v in history.commit_list.options] == ["c3", "c2"]
    assert history.newer_button.disabled and not history.older_button.disabled
    history.older_button.click()
    assert [label.split(" · ")[-1] for label, _v in history.commit_list.options] == ["c1", "c0"]
    pages = -(-len(history.commits) // 2)  # 4 uploads (+ the repo's initial commit, if any)
    assert f"page 2/{pages}" in history.page_label.value
    history.newer_button.click()
    assert history.page == 0


# -- errors ------------------------------------------------------------------------------------


def test_missing_repo_is_one_clear_line(browser_factory):
    browser = browser_factory(repo_id="alice/does-not-exist-at-all")
    wait_for(lambda: browser.status.kind == "error", what="error line")
    assert "Repository not found" in browser.status.text
    assert "\n" not in browser.status.text and "Traceback" not in browser.status.text
    browser.open_repo("not a valid id!!")
    assert browser.status.kind == "error" and "Invalid repo id" in browser.status.text


def test_edit_card_opens_the_editor_inside_the_browser(api, browser_factory, repo_name):
    import importlib.util

    repo_id = make_repo(api, f"alice/{repo_name}", {"README.md": card("fill-mask", "transformers")})
    browser = browser_factory(repo_id=repo_id)
    browser.info_task.wait(TIMEOUT)
    if importlib.util.find_spec("hub_widgets.card") is None:
        assert browser.edit_card_button.disabled
        assert browser.edit_card() is None and browser.status.kind == "warning"
    else:
        assert not browser.edit_card_button.disabled
        browser.edit_card_button.click()
        assert len(browser.card_editor.children) == 1


def test_edit_card_in_the_sidebar_edits_the_card_where_it_is_read(api, hub_session, repo_name):
    from hub_widgets.card import ModelCardEditor
    from hub_widgets.sidebar import HubSidebar

    repo_id = make_repo(api, f"alice/{repo_name}", {"README.md": card("fill-mask", "transformers")})
    sidebar = HubSidebar(session=hub_session)
    browser = sidebar.open_repo(repo_id)  # the repo page, hosted in the sidebar
    browser.info_task.wait(TIMEOUT)
    assert sidebar.detail_widget is browser and "mit" in browser.card_metadata.value

    browser.edit_card_button.click()
    (editor,) = browser.card_editor.children
    assert isinstance(editor, ModelCardEditor) and editor.repo_id == repo_id
    editor.task.wait(TIMEOUT)
    # The editor takes the card's place (its preview shows the text), in the Card tab of the same page.
    assert browser.card_markdown.layout.display == "none" and browser.card_metadata.layout.display == "none"
    assert browser.edit_card_button.description == "Close the editor"
    assert editor.fields["license"].widget.value == "mit"

    editor.fields["license"].widget.value = "apache-2.0"
    editor.debounce = 0
    assert editor.review(), editor.status.text
    editor.confirm().wait(TIMEOUT)
    assert editor.status.kind == "success", editor.status.text
    assert api.model_info(repo_id, expand=["cardData"]).card_data.license == "apache-2.0"
    # The page shows the card as committed, once the editor is closed.
    wait_for(lambda: "apache-2.0" in browser.card_metadata.value, what="the new card shown")
    browser.edit_card_button.click()
    assert browser.card_editor.children == () and browser.card_markdown.layout.display == ""
    assert browser.edit_card_button.description == "Edit card"
    sidebar.close()


def test_try_it_opens_the_playground_on_the_model(api, sandbox, browser_factory, repo_name, monkeypatch):
    monkeypatch.setenv("HUB_WIDGETS_INFERENCE_ENDPOINT", sandbox.endpoint + "/inference/models/{model}")
    repo_id = make_repo(api, f"alice/{repo_name}", {"README.md": card("fill-mask", "transformers")})
    browser = browser_factory(repo_id=repo_id)
    browser.info_task.wait(TIMEOUT)
    assert not browser.try_button.disabled
    browser.try_button.click()
    (playground,) = browser.playground_box.children
    playground.info_task.wait(TIMEOUT)
    assert playground.task.value == "fill-mask"
    playground.run_button.click()
    assert playground.wait(TIMEOUT)
    assert playground.lanes[0].problem is None and "hubw-bar" in playground.lanes[0].output.value
    dataset = make_repo(api, f"alice/{repo_name}-data", {"README.md": "# data\n"}, repo_type="dataset")
    browser.open_repo(dataset, "dataset").wait(TIMEOUT)
    assert browser.try_button.disabled and browser.playground_box.children == ()


def test_gated_repo_is_badged(api, browser_factory, repo_name):
    repo_id = make_repo(api, f"alice/{repo_name}", {"README.md": card("fill-mask", "transformers")})
    api.update_repo_settings(repo_id, gated="auto")
    browser = browser_factory(query=repo_name)
    browser.search().wait(TIMEOUT)
    assert "gated" in browser.results.options[0][0]
    browser.open_repo(repo_id).wait(TIMEOUT)
    assert "gated" in browser.header.value


def test_snapshot_download_can_be_cancelled(api, sandbox, browser_factory, repo_name, tmp_path):
    repo_id = make_repo(api, f"alice/{repo_name}", {f"f{i}.txt": str(i) for i in range(12)})
    browser = browser_factory(repo_id=repo_id)
    files = browser.files
    files.tree_tasks[""].wait(TIMEOUT)
    files.target.value = str(tmp_path / "out")
    sandbox.faults.set(latency=0.3, path_prefix=f"/{repo_id}/resolve/")  # slow downloads of this repo only
    try:
        files.download_snapshot_button.click()
        assert not files.cancel_button.disabled and files.download_snapshot_button.disabled
        wait_for(lambda: files.progress.total_files > 0, what="download started")
        files.cancel_button.click()
        with pytest.raises(CancelledError):
            files.download_task.wait(TIMEOUT)
    finally:
        sandbox.faults.clear()
    wait_for(lambda: not files.download_snapshot_button.disabled, what="buttons back")
    assert files.download_message[0] == "warning" and files.download_message[1].startswith(
        "Download cancelled"
    )
    assert "Download cancelled" in files.snapshot_result.value
    assert files.progress.done_files < 12 and files.progress.bar.bar_style == "danger"


def test_big_folder_is_shown_a_page_at_a_time(api, browser_factory, repo_name, monkeypatch):
    from hub_widgets.browser import files as files_module

    monkeypatch.setattr(files_module, "PAGE_SIZE", 3)
    repo_id = make_repo(api, f"alice/{repo_name}", {f"many/f{i}.txt": str(i) for i in range(7)})
    files = browser_factory(repo_id=repo_id).files
    files.tree_tasks[""].wait(TIMEOUT)
    files.open_folder("many").wait(TIMEOUT)
    assert len(files.folder_entries("many")) == 3
    assert "m:many" in [v for _l, v in files.tree.options]
    files.tree.value = "m:many"  # the user clicks "… more": the same listing continues
    files.tree_tasks["many"].wait(TIMEOUT)
    assert len(files.folder_entries("many")) == 6
    files.tree.value = "m:many"
    files.tree_tasks["many"].wait(TIMEOUT)
    assert sorted(e.path for e in files.folder_entries("many")) == sorted(f"many/f{i}.txt" for i in range(7))
    assert "m:many" not in [v for _l, v in files.tree.options]


def test_switching_account_refreshes_the_results(api, hub_session, browser_factory, repo_name):
    repo_id = make_repo(api, f"alice/{repo_name}", {"a.txt": "a"}, private=True)
    browser = browser_factory(query=repo_name)
    browser.search().wait(TIMEOUT)
    assert browser.result_ids == [repo_id]
    hub_session.set_token(BOB)  # e.g. the login widget switched to bob
    wait_for(lambda: browser.result_ids == [] and "No repository" in browser.result_info.value, what="bob")
    wait_for(lambda: [v for _l, v in browser.quick_filter.options] == ["", "bob", "acme"], what="bob's orgs")


def test_datasets_and_spaces_are_searched_and_opened(api, browser_factory, repo_name):
    dataset = make_repo(api, f"alice/{repo_name}-data", {"train.csv": "a,b\n1,2\n"}, repo_type="dataset")
    api.create_repo(f"alice/{repo_name}-app", repo_type="space", space_sdk="gradio")
    browser = browser_factory(query=repo_name)
    browser.search().wait(TIMEOUT)
    assert browser.result_ids == []  # models only
    browser.repo_type_select.value = "dataset"
    wait_for(lambda: browser.result_ids == [dataset], what="datasets")
    browser.repo_type_select.value = "space"
    wait_for(lambda: browser.result_ids == [f"alice/{repo_name}-app"], what="spaces")
    browser.repo_type_select.value = "dataset"
    wait_for(lambda: browser.result_ids == [dataset], what="datasets again")
    browser.results.value = 0
    browser.files.tree_tasks[""].wait(TIMEOUT)
    browser.info_task.wait(TIMEOUT)
    assert browser.repo_type == "dataset" and "dataset" in browser.header.value
    browser.files.tree.value = "f:train.csv"
    browser.files.preview_task.wait(TIMEOUT)
    assert "<table" in browser.files.preview_html.value


def test_big_csv_shows_its_head_only(api, sandbox, browser_factory, repo_name, monkeypatch):
    from hub_widgets.browser import files as files_module

    monkeypatch.setattr(files_module, "PREVIEW_MAX_BYTES", 1000)  # "big" = over 1 kB here
    monkeypatch.setattr(files_module, "HEAD_BYTES", 500)
    rows = "".join(f"row{i},{i}\n" for i in range(2000))
    repo_id = make_repo(api, f"alice/{repo_name}", {"big.csv": "name,value\n" + rows})
    files = browser_factory(repo_id=repo_id).files
    files.tree_tasks[""].wait(TIMEOUT)
    files.tree.value = "f:big.csv"
    files.preview_task.wait(TIMEOUT)
    assert ">row0<" in files.preview_html.value and "First 20 rows" in files.preview_html.value
    assert "showing the first" in files.preview_title.value

    def statuses():  # the server logs a status once it has finished answering
        found = [
            r["status"] for r in sandbox.request_log if r["path"].endswith(f"{repo_id}/resolve/main/big.csv")
        ]
        return found if found and None not in found else None

    assert set(wait_for(statuses, what="logged answers")) == {206}  # range requests only: no full download


def test_sort_by_likes_and_trending(api, sandbox, browser_factory, repo_name):
    # HfApi cannot like a repo, so the counters are set on the sandbox's side.
    counters = {"a": (100, 0), "b": (0, 5), "c": (20, 3)}  # name: (downloads, likes)
    ids = {}
    for name, (downloads, likes) in counters.items():
        ids[name] = make_repo(api, f"alice/{repo_name}-{name}", {"x.txt": name})
        repo = sandbox.store.get_repo("model", "alice", f"{repo_name}-{name}")
        sandbox.store.set_counters(repo, downloads=downloads, likes=likes)
    browser = browser_factory(query=repo_name)
    browser.search().wait(TIMEOUT)
    assert browser.result_ids == [ids["a"], ids["c"], ids["b"]]  # downloads
    browser.sort.value = "likes"
    wait_for(lambda: browser.result_ids == [ids["b"], ids["c"], ids["a"]], what="likes")
    assert "5 likes" in browser.results.options[0][0]
    browser.sort.value = "trending"  # the score is the Hub's own: only the set is certain
    browser.search_task.wait(TIMEOUT)
    assert set(browser.result_ids) == set(ids.values()) and browser.status.kind != "error"
