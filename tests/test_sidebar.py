"""HubSidebar against a real SandboxHub, driven like a user: click, wait, read what is shown, check the Hub."""

from __future__ import annotations

import importlib.util
import time

import pytest
from huggingface_hub import HfApi

from hub_widgets.session import HubSession
from hub_widgets.sidebar import HubSidebar, suggest_repo_name
from tests.conftest import BOB, ORG, write_tree

TIMEOUT = 120


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def listed(sidebar: HubSidebar) -> set[str]:
    return {repo_id for _type, repo_id in (value for _label, value in sidebar.repo_list.options)}


def test_logged_in_shows_user_and_repos_of_user_and_orgs(hub_session, api, repo_name):
    mine = api.create_repo(f"alice/{repo_name}").repo_id
    ours = api.create_repo(f"{ORG}/{repo_name}-data", repo_type="dataset").repo_id
    theirs = HfApi(endpoint=hub_session.endpoint, token=BOB).create_repo(f"bob/{repo_name}").repo_id

    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)

    assert "alice" in sidebar.user_view.value
    # The hidden area below must not hide the rest (the layouts are not shared).
    assert sidebar.detail_box.layout.display == "none"
    assert sidebar.repo_list.layout.display is None and sidebar.push_name.layout.display is None
    assert ORG in sidebar.user_view.value
    assert {mine, ours} <= listed(sidebar)
    assert theirs not in listed(sidebar)
    assert list(sidebar.push_namespace.options) == ["alice", ORG]

    sidebar.repo_filter.value = "dataset"
    assert ours in listed(sidebar) and mine not in listed(sidebar)


def test_logged_out_says_so_and_lists_nothing(endpoint):
    session = HubSession(endpoint=endpoint)
    try:
        sidebar = HubSidebar(session=session)
        sidebar.task.wait(TIMEOUT)
        assert "Not logged in" in sidebar.user_view.value
        assert sidebar.repo_list.options == ()
        assert sidebar.push_notebook_button.disabled
    finally:
        session.close()


@pytest.mark.skipif(
    importlib.util.find_spec("hub_widgets.browser.panel") is None, reason="RepoBrowser not installed"
)
def test_clicking_a_repo_opens_it_in_a_repo_browser(hub_session, api, repo_name):
    from hub_widgets.browser.panel import RepoBrowser

    repo_id = api.create_repo(f"{ORG}/{repo_name}").repo_id
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)

    sidebar.repo_list.value = ("model", repo_id)

    assert isinstance(sidebar.detail_widget, RepoBrowser)
    assert sidebar.detail_box.layout.display is None
    assert repo_id in sidebar.detail_title.value
    sidebar.close_button.click()
    assert sidebar.detail_widget is None


def test_the_playground_opens_on_the_selected_model(hub_session, api, repo_name, sandbox, monkeypatch):
    monkeypatch.setenv("HUB_WIDGETS_INFERENCE_ENDPOINT", sandbox.endpoint + "/inference/models/{model}")
    repo_id = api.create_repo(f"alice/{repo_name}").repo_id
    api.upload_file(
        path_or_fileobj=b"---\nlicense: mit\npipeline_tag: text-classification\n---\n# m\n",
        path_in_repo="README.md",
        repo_id=repo_id,
    )
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    sidebar.repo_list.value = ("model", repo_id)

    sidebar.playground_button.click()

    playground = sidebar.detail_widget
    assert playground.lanes[0].model.value == repo_id
    playground.info_task.wait(TIMEOUT)
    assert playground.task.value == "text-classification"
    playground.run_button.click()
    assert playground.wait(TIMEOUT)
    assert "hubw-bar" in playground.lanes[0].output.value


def test_quick_push_pushes_the_current_notebook(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "work", {"My Analysis.ipynb": '{"cells": []}', "data.csv": "a,b\n1,2\n"})
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)

    sidebar.set_current_path(str(folder / "My Analysis.ipynb"))
    assert "My Analysis.ipynb" in sidebar.current_view.value
    assert sidebar.push_name.value == "my-analysis"
    sidebar.push_name.value = repo_name
    sidebar.push_notebook_button.click()
    sidebar.task.wait(TIMEOUT)
    sidebar.detail_widget.wait(TIMEOUT)
    assert "Pushed" in sidebar.detail_widget.status.text

    assert set(api.list_repo_files(f"alice/{repo_name}")) - {".gitattributes"} == {"My Analysis.ipynb"}
    assert api.list_repo_commits(f"alice/{repo_name}")
    sidebar.task.wait(TIMEOUT)  # the list reloads after the push
    assert f"alice/{repo_name}" in listed(sidebar)


def test_quick_push_folder_to_an_org(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "proj", {"nb.ipynb": '{"cells": []}', "sub/x.txt": "x"})
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    sidebar.set_current_path(str(folder / "nb.ipynb"))
    sidebar.push_namespace.value = ORG
    sidebar.push_name.value = repo_name
    sidebar.push_folder_button.click()
    sidebar.task.wait(TIMEOUT)
    sidebar.detail_widget.wait(TIMEOUT)

    assert set(api.list_repo_files(f"{ORG}/{repo_name}")) - {".gitattributes"} == {"nb.ipynb", "sub/x.txt"}
    sidebar.refresh().wait(TIMEOUT)
    assert f"{ORG}/{repo_name}" in listed(sidebar)


def test_quick_push_without_a_document_or_name_explains(hub_session):
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    assert sidebar.quick_push() is None
    assert sidebar.status.kind == "warning"
    sidebar.set_current_path("x.ipynb")
    sidebar.push_name.value = ""
    assert sidebar.quick_push() is None
    assert "repo name" in sidebar.status.text


def test_suggest_repo_name():
    assert suggest_repo_name("a/My Notebook (1).ipynb") == "my-notebook-1"
    assert suggest_repo_name("/tmp/proj/") == "proj"
    assert suggest_repo_name(None) == ""
