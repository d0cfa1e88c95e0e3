"""HubSidebar against a real SandboxHub, driven like a user: click, wait, read what is shown, check the Hub."""

from __future__ import annotations

import importlib.util

import ipywidgets as W
import pytest
from huggingface_hub import HfApi

from hub_widgets.session import HubSession
from hub_widgets.sidebar import HubSidebar, repo_label, suggest_repo_name
from tests.conftest import BOB, ORG, wait_for, write_tree

TIMEOUT = 120


def listed(sidebar: HubSidebar) -> set[str]:
    return {repo_id for _type, repo_id in (value for _label, value in sidebar.repo_list.options)}


def logged_out_sidebar(session: HubSession) -> HubSidebar:
    """A sidebar built with nobody logged in, once it has loaded (and says so)."""
    sidebar = HubSidebar(session=session)
    sidebar.task.wait(TIMEOUT)
    sidebar.login_widget.wait(TIMEOUT)
    assert "Not logged in" in sidebar.login_widget.compact_label.value
    return sidebar


def test_logged_in_shows_user_and_repos_of_user_and_orgs(hub_session, api, repo_name):
    mine = api.create_repo(f"alice/{repo_name}").repo_id
    ours = api.create_repo(f"{ORG}/{repo_name}-data", repo_type="dataset").repo_id
    theirs = HfApi(endpoint=hub_session.endpoint, token=BOB).create_repo(f"bob/{repo_name}").repo_id

    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)

    sidebar.login_widget.wait(TIMEOUT)
    assert "alice" in sidebar.login_widget.compact_label.value
    # The hidden area below must not hide the rest (the layouts are not shared).
    assert sidebar.detail_box.layout.display == "none"
    assert sidebar.repo_list.layout.display is None and sidebar.push_name.layout.display is None
    assert {mine, ours} <= listed(sidebar)
    assert theirs not in listed(sidebar)
    assert list(sidebar.push_namespace.options) == ["alice", ORG]

    sidebar.repo_filter.value = "dataset"
    assert ours in listed(sidebar) and mine not in listed(sidebar)


def test_logged_out_says_so_and_lists_nothing(endpoint):
    session = HubSession(endpoint=endpoint)
    try:
        sidebar = logged_out_sidebar(session)
        assert list(sidebar.repo_list.options) == []
        assert sidebar.repo_list.layout.display == "none"  # no empty box under "My repos"
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


def test_quick_push_shows_the_plan_and_uploads_only_on_confirm(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "work", {"My Analysis.ipynb": '{"cells": []}', "data.csv": "a,b\n1,2\n"})
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)

    sidebar.set_current_path(str(folder / "My Analysis.ipynb"))
    assert "My Analysis.ipynb" in sidebar.current_view.value
    assert sidebar.push_name.value == "my-analysis"
    sidebar.push_name.value = repo_name
    sidebar.push_notebook_button.click()
    panel = sidebar.detail_widget
    panel.wait(TIMEOUT)

    # The plan, and nothing on the Hub yet: the panel's Push button is the confirmation.
    assert "Plan ready" in panel.status.text, panel.status.text
    assert "My Analysis.ipynb" in panel.plan_view.value and "data.csv" not in panel.plan_view.value
    assert "private repo" in panel.plan_view.value
    assert panel.private.value
    assert panel.push_button.description.startswith("Push 1 file") and not panel.push_button.disabled
    assert not api.repo_exists(f"alice/{repo_name}")

    panel.push_button.click()
    panel.wait(TIMEOUT)
    assert "Pushed" in panel.status.text, panel.status.text
    assert set(api.list_repo_files(f"alice/{repo_name}")) - {".gitattributes"} == {"My Analysis.ipynb"}
    assert api.model_info(f"alice/{repo_name}").private  # quick paths create private repos
    wait_for(lambda: f"alice/{repo_name}" in listed(sidebar), TIMEOUT)  # the list reloads after the push


def test_quick_push_folder_to_an_org(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "proj", {"nb.ipynb": '{"cells": []}', "sub/x.txt": "x"})
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    sidebar.set_current_path(str(folder / "nb.ipynb"))
    sidebar.push_namespace.value = ORG
    sidebar.push_name.value = repo_name
    sidebar.push_folder_button.click()
    panel = sidebar.detail_widget
    panel.wait(TIMEOUT)
    assert panel.repo_id == f"{ORG}/{repo_name}"
    assert not api.repo_exists(f"{ORG}/{repo_name}")
    panel.private.value = False  # the user unticks it: a public repo
    panel.plan_button.click()
    panel.wait(TIMEOUT)
    assert "public repo" in panel.plan_view.value
    panel.push_button.click()
    panel.wait(TIMEOUT)

    assert set(api.list_repo_files(f"{ORG}/{repo_name}")) - {".gitattributes"} == {"nb.ipynb", "sub/x.txt"}
    assert not api.model_info(f"{ORG}/{repo_name}").private
    wait_for(lambda: f"{ORG}/{repo_name}" in listed(sidebar), TIMEOUT)


def test_quick_push_again_plans_the_new_document_in_the_same_panel(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "w", {"a.ipynb": '{"cells": []}', "b.ipynb": '{"cells": [1]}'})
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    sidebar.set_current_path(str(folder / "a.ipynb"))
    sidebar.push_name.value = repo_name
    first = sidebar.quick_push()
    first.wait(TIMEOUT)
    first.private.value = False
    sidebar.set_current_path(str(folder / "b.ipynb"))
    second = sidebar.quick_push()
    second.wait(TIMEOUT)
    assert second is first
    assert "b.ipynb" in second.plan_view.value and "a.ipynb" not in second.plan_view.value
    assert second.private.value  # each quick path starts private again
    assert not api.repo_exists(f"alice/{repo_name}")


def test_quick_push_without_a_document_opens_an_empty_panel_that_says_what_to_do(hub_session):
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    panel = sidebar.quick_push()
    panel.wait(TIMEOUT)
    assert sidebar.detail_widget is panel
    assert panel.status.kind == "info" and "type the path" in panel.status.text
    assert panel.plan_view.value == "" and panel.history == []


def test_show_widget_hosts_any_widget_below_the_list(hub_session):
    import ipywidgets as W

    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    hosted = W.Button(description="hello")
    assert sidebar.show_widget(hosted, "A <title>") is hosted
    assert sidebar.detail_widget is hosted and sidebar.detail.children == (hosted,)
    assert sidebar.detail_box.layout.display is None
    assert "A &lt;title&gt;" in sidebar.detail_title.value
    sidebar.close_button.click()
    assert sidebar.detail_widget is None and sidebar.detail_box.layout.display == "none"


def test_private_repos_are_marked_in_plain_text():
    label = repo_label({"repo_id": "alice/secret", "repo_type": "dataset", "private": True})
    assert label == "alice/secret · dataset · private"
    assert repo_label({"repo_id": "alice/m", "repo_type": "model"}) == "alice/m"
    assert not any(ord(ch) > 0x2FFF for ch in label)  # no emoji


def visible_texts(root) -> list[str]:
    """The HTML and labels a user sees: widgets hidden by `display: none` (or below one) are skipped."""
    texts, stack = [], [root]
    while stack:
        widget = stack.pop()
        if getattr(getattr(widget, "layout", None), "display", None) == "none":
            continue
        value = getattr(widget, "value", None)
        if isinstance(widget, W.HTML) and isinstance(value, str) and value:
            texts.append(value)
        stack.extend(getattr(widget, "children", ()) or ())
    return texts


def test_logged_in_the_user_is_named_once(hub_session):
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    sidebar.login_widget.wait(TIMEOUT)
    shown = " ".join(visible_texts(sidebar))
    assert shown.count("Logged in as") == 1, shown
    assert "alice" in shown


def test_logged_out_the_login_form_is_at_the_top(endpoint):
    session = HubSession(endpoint=endpoint)
    try:
        sidebar = HubSidebar(session=session)
        sidebar.task.wait(TIMEOUT)
        login = sidebar.login_widget
        login.wait(TIMEOUT)
        assert sidebar.children[1] is login and login.state == "logged_out"  # after the stylesheet
        # A visible way in: the token field, its Log in button and the browser login, not a menu only.
        assert login.details.layout.display != "none" and login.logged_out_box.layout.display != "none"
        for control in (login.token_input, login.login_button, login.browser_button):
            assert control.layout.display != "none"
        assert login.menu.layout.display == "none"
        shown = " ".join(visible_texts(sidebar))
        assert shown.count("Not logged in") == 1, shown
    finally:
        session.close()


def test_suggest_repo_name():
    assert suggest_repo_name("a/My Notebook (1).ipynb") == "my-notebook-1"
    assert suggest_repo_name("/tmp/proj/") == "proj"
    assert suggest_repo_name(None) == ""


def test_quick_push_names_the_repo_after_the_document_or_its_folder(hub_session, tmp_path):
    folder = write_tree(tmp_path / "Project X", {"first.ipynb": "{}", "second.ipynb": "{}"})
    sidebar = HubSidebar(session=hub_session)
    sidebar.task.wait(TIMEOUT)
    sidebar.set_current_path(str(folder / "first.ipynb"))
    assert sidebar.push_name.value == "first"
    sidebar.set_current_path(str(folder / "second.ipynb"))
    assert sidebar.push_name.value == "second"  # follows the document until the user types a name
    panel = sidebar.quick_push(folder=True)
    panel.wait(TIMEOUT)
    assert panel.repo_id == "alice/project-x"
    sidebar.push_name.value = "typed"
    sidebar.set_current_path(str(folder / "first.ipynb"))
    assert sidebar.push_name.value == "typed"


def test_a_login_made_by_another_kernel_reaches_an_open_sidebar(endpoint, api, repo_name):
    """The sidebar's kernel is not the notebook's: a login stored by another process still shows."""
    from pathlib import Path

    from huggingface_hub import constants

    from tests.conftest import ALICE

    api.create_repo(f"alice/{repo_name}")
    session = HubSession(endpoint=endpoint)
    try:
        sidebar = logged_out_sidebar(session)
        # What `huggingface_hub.login()` in a notebook's kernel leaves behind: the stored token file.
        Path(constants.HF_TOKEN_PATH).parent.mkdir(parents=True, exist_ok=True)
        Path(constants.HF_TOKEN_PATH).write_text(ALICE)
        wait_for(lambda: "alice" in " ".join(visible_texts(sidebar)), TIMEOUT, "the sidebar to show alice")
        wait_for(
            lambda: f"alice/{repo_name}" in " ".join(str(o) for o in sidebar.repo_list.options),
            TIMEOUT,
            "alice's repos",
        )
    finally:
        session.close()
