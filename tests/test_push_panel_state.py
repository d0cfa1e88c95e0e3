"""PushPanel on first use (issue 15): sensible defaults, errors shown where the field is, no stale state.

Driven like a user against the sandbox: construct as the README does, set values, click, read what is shown.
"""

from __future__ import annotations

from hub_widgets.push.panel import PushPanel
from hub_widgets.session import HubSession
from tests.conftest import BOB, wait_for, write_tree
from tests.test_push_panel import TIMEOUT, TinyModel, click, remote_files

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


# -- each action starts clean -----------------------------------------------------------------------


def _secret_file(folder, name: str = "train.py") -> None:
    (folder / name).write_text(f"TOKEN = '{FAKE_HF}'\n")


def _shows_no_findings(panel: PushPanel) -> bool:
    return panel.secrets_view.value == "" and panel.allow_secrets.layout.display == "none"


def test_a_removed_secret_leaves_no_blocked_box_under_pushed(hub_session, api, repo_name, tmp_path):
    folder = write_tree(tmp_path / "m", {"a.txt": "a"})
    _secret_file(folder)
    panel = PushPanel(str(folder), repo_id=f"alice/{repo_name}", session=hub_session)
    click(panel, panel.push_button)
    assert panel.status.kind == "error" and "Push blocked" in panel.status.text
    assert panel.progress.layout.display == "none"  # nothing was uploaded: no bar

    (folder / "train.py").unlink()
    panel.push()  # as the sidebar's quick push does (the button itself is disabled)
    panel.wait(TIMEOUT)
    assert panel.status.kind == "success", panel.status.text
    assert _shows_no_findings(panel) and not panel.allow_secrets.value
    assert remote_files(api, f"alice/{repo_name}") == {"a.txt"}


def test_push_anyway_covers_only_the_findings_it_was_ticked_for(hub_session, api, repo_name, tmp_path):
    repo_id = f"alice/{repo_name}"
    folder = write_tree(tmp_path / "m", {"a.txt": "a"})
    _secret_file(folder)
    panel = PushPanel(str(folder), repo_id=repo_id, session=hub_session)
    click(panel, panel.plan_button)
    panel.allow_secrets.value = True
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert _shows_no_findings(panel) and not panel.allow_secrets.value  # not under "✓ Pushed"

    _secret_file(folder, "later.py")
    click(panel, panel.plan_button)
    assert "later.py:1" in panel.secrets_view.value
    assert not panel.allow_secrets.value and panel.push_button.disabled
    click(panel, panel.push_button)  # clicked from code anyway: the scan refuses it again
    assert panel.status.kind == "error" and "Push blocked" in panel.status.text
    assert "later.py" not in remote_files(api, repo_id)


def test_a_new_plan_hides_the_last_push_progress_and_links(hub_session, repo_name, tmp_path):
    folder = write_tree(tmp_path / "m", {"a.txt": "a"})
    panel = PushPanel(str(folder), repo_id=f"alice/{repo_name}", session=hub_session)
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert panel.progress.layout.display != "none" and "Commit" in panel.result_view.value
    (folder / "b.txt").write_text("b")
    click(panel, panel.plan_button)
    assert "Plan ready" in panel.status.text
    assert panel.progress.layout.display == "none"
    assert panel.result_view.value == "" and panel.browse_button.layout.display == "none"
    assert len(panel.history) == 1  # the earlier push stays listed in the history


def test_push_button_state_and_style_follow_the_plan(hub_session, repo_name, tmp_path):
    folder = write_tree(tmp_path / "m", {"a.txt": "a"})
    _secret_file(folder)
    panel = PushPanel(str(folder), repo_id=f"alice/{repo_name}", session=hub_session)
    button = panel.push_button
    assert not button.disabled and button.button_style == "primary"
    click(panel, panel.plan_button)
    assert button.disabled and button.button_style == ""  # blocked: neither enabled nor blue
    panel.allow_secrets.value = True
    assert not button.disabled and button.button_style == "warning"
    panel.allow_secrets.value = False
    assert button.disabled and button.button_style == ""
    (folder / "train.py").unlink()
    click(panel, panel.plan_button)
    assert not button.disabled and button.button_style == "primary"
    assert button.description.startswith("Push 1 file")
    click(panel, button)
    click(panel, panel.plan_button)
    assert button.disabled and button.button_style == "" and "Nothing to push" in button.description


def test_one_file_is_one_file_in_the_progress_and_the_history(hub_session, repo_name, tmp_path):
    panel = PushPanel(
        str(write_tree(tmp_path / "m", {"a.txt": "a"})), repo_id=f"alice/{repo_name}", session=hub_session
    )
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert "Pushed 1 file," in panel.status.text
    assert "1/1 file " in panel.progress.label.value and "files" not in panel.progress.label.value
    assert ": 1 file, " in panel.history_view.value and "1 files" not in panel.history_view.value


# -- wait() and the quick paths ---------------------------------------------------------------------


def test_wait_also_waits_for_the_namespace_lookup(hub_session, tmp_path):
    panel = PushPanel(str(write_tree(tmp_path / "some-model", {"a": "a"})), session=hub_session)
    panel.wait(TIMEOUT)  # no plan or push yet: only the lookup runs
    assert panel.namespace.value == "alice"
    assert list(panel.namespace.options) == ["alice", "acme"]
    assert panel.repo_id == "alice/some-model"


def test_quick_panel_plans_at_once_private_and_uploads_nothing_before_push(hub_session, api, tmp_path):
    folder = write_tree(tmp_path / "quick-model", {"config.json": "{}"})
    panel = PushPanel(str(folder), session=hub_session, quick=True)  # what the file browser opens
    panel.wait(TIMEOUT)
    assert panel.private.value
    assert "Plan ready" in panel.status.text, panel.status.text
    assert (
        "alice/quick-model does not exist yet: it will be created as a private repo." in panel.plan_view.value
    )
    assert panel.push_button.description.startswith("Push 1 file")
    assert not api.repo_exists("alice/quick-model")
    click(panel, panel.push_button)
    assert panel.status.kind == "success", panel.status.text
    assert api.model_info("alice/quick-model").private


def test_ticking_private_replans_what_the_plan_says(hub_session, tmp_path, repo_name):
    panel = PushPanel(
        str(write_tree(tmp_path / "m", {"a": "a"})), repo_id=f"alice/{repo_name}", session=hub_session
    )
    click(panel, panel.plan_button)
    assert "public repo" in panel.plan_view.value
    panel.private.value = True
    assert panel.plan_view.value == ""  # the plan shown no longer describes the push


def test_logged_out_plan_and_push_say_to_log_in(endpoint, tmp_path):
    session = HubSession(endpoint=endpoint)
    try:
        panel = PushPanel(str(write_tree(tmp_path / "m", {"a": "a"})), repo_id="alice/x", session=session)
        for button in (panel.plan_button, panel.push_button):
            button.click()
            panel.wait(TIMEOUT)
            assert (panel.status.kind, panel.status.text) == (
                "warning",
                "You are not logged in: log in to push.",
            )
    finally:
        session.close()
