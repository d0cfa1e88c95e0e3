"""PushPanel on first use (issue 15): sensible defaults, errors shown where the field is, no stale state.

Driven like a user against the sandbox: construct as the README does, set values, click, read what is shown.
"""

from __future__ import annotations

from hub_widgets.push.panel import PushPanel
from tests.conftest import BOB, wait_for, write_tree
from tests.test_push_panel import TinyModel, click, remote_files

FAKE_HF = "hf_" + "Z9y8" * 9


# -- defaults ---------------------------------------------------------------------------------------


def test_readme_example_defaults_to_my_namespace_and_the_folder_name(
    monkeypatch, hub_session, api, repo_name, tmp_path
):
    write_tree(tmp_path / repo_name, {"config.json": "{}"})
    monkeypatch.chdir(tmp_path)
    panel = PushPanel(f"./{repo_name}", session=hub_session)  # the README's example
    assert panel.repo_name.value == repo_name.lower()
    wait_for(lambda: panel.namespace.value == "alice", what="the namespace menu defaulting to the user")
    assert panel.repo_id == f"alice/{repo_name.lower()}"
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert remote_files(api, f"alice/{repo_name.lower()}") == {"config.json"}


def test_default_name_follows_the_source_until_the_user_types_one(hub_session, tmp_path):
    panel = PushPanel(str(write_tree(tmp_path / "first-model", {"a": "a"})), session=hub_session)
    assert panel.repo_name.value == "first-model"
    panel.source_path.value = str(write_tree(tmp_path / "Second Model", {"a": "a"}))
    assert panel.repo_name.value == "second-model"  # still the panel's suggestion: follows the source
    panel.repo_name.value = "chosen"
    panel.source_path.value = str(write_tree(tmp_path / "third", {"a": "a"}))
    assert panel.repo_name.value == "chosen"  # the user's name is never replaced


def test_a_given_repo_id_wins_and_objects_are_named_after_themselves(hub_session, tmp_path):
    folder = write_tree(tmp_path / "folder-name", {"a": "a"})
    panel = PushPanel(str(folder), repo_id="alice/given", session=hub_session)
    assert panel.repo_id == "alice/given"

    model = TinyModel()
    model.name_or_path = "google-bert/Tiny BERT"
    assert PushPanel(model, session=hub_session).repo_name.value == "tiny-bert"
    assert PushPanel(TinyModel(), session=hub_session).repo_name.value == "tinymodel"


# -- an error opens the section holding its field ---------------------------------------------------


def test_missing_name_opens_the_collapsed_target_section(hub_session, tmp_path):
    panel = PushPanel(str(write_tree(tmp_path / "m", {"a": "a"})), session=hub_session)
    wait_for(lambda: panel.namespace.value == "alice", what="the namespace menu")
    panel.sections.selected_index = None  # the user collapsed it
    panel.repo_name.value = ""
    panel.push_button.click()
    assert panel.status.kind == "error" and "repo name" in panel.status.text
    assert panel.sections.selected_index == 0

    panel.repo_name.value = "ok-name"
    panel.path_in_repo.value = "../outside"
    panel.sections.selected_index = 1  # the Files section open instead
    panel.plan_button.click()
    assert panel.status.kind == "error" and ".." in panel.status.text
    assert panel.sections.selected_index == 0


def test_refused_namespace_opens_the_target_section(endpoint, hub_session, api, repo_name, tmp_path):
    from huggingface_hub import HfApi

    HfApi(endpoint=endpoint, token=BOB).create_repo(f"bob/{repo_name}")
    panel = PushPanel(
        str(write_tree(tmp_path / "m", {"a": "a"})), repo_id=f"bob/{repo_name}", session=hub_session
    )
    panel.sections.selected_index = None
    click(panel, panel.push_button)
    assert panel.status.kind == "error" and "neither your account" in panel.status.text
    assert panel.sections.selected_index == 0
