"""ModelCardEditor on local files, acting like a user (no Hub reachable: the Hub check is skipped)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hub_widgets.card import ModelCardEditor
from hub_widgets.card.document import parse_card
from hub_widgets.session import HubSession
from hub_widgets.ui import markdown_html, shown_html
from tests.conftest import write_tree

CARD = """---
license: mit
language: en
tags:
- demo
my_org_field:   # unknown to the form: must survive
  owner: team-a
  ids: [3, 1, 2]
pipeline_tag: text-classification
---
# My model

It classifies text.
"""


@pytest.fixture
def offline_session():
    # Nothing listens on port 9 of loopback: Hub calls fail fast, as when offline.
    session = HubSession(endpoint="http://127.0.0.1:9", token=None)
    yield session
    session.close()


def _editor(folder: Path, session: HubSession, **kwargs) -> ModelCardEditor:
    editor = ModelCardEditor(path=folder, session=session, **kwargs)
    editor.debounce = 0
    return editor


def _save(editor: ModelCardEditor, timeout: float = 30) -> None:
    assert editor.review(), editor.status.text
    task = editor.confirm()
    assert task is not None, editor.status.text
    task.wait(timeout)


def test_round_trip_changes_only_the_edited_field(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    assert editor.fields["license"].widget.value == "mit"
    assert editor.fields["language"].widget.value == ["en"]
    assert editor.fields["pipeline_tag"].widget.value == "text-classification"
    assert "my_org_field" in editor.other_keys.value

    editor.fields["license"].widget.value = "apache-2.0"
    diff = editor.review()
    assert "-license: mit" in diff and "+license: apache-2.0" in diff
    changed = [line for line in diff.splitlines()[2:] if line.startswith(("+", "-"))]
    assert changed == ["-license: mit", "+license: apache-2.0"]
    editor.confirm().wait(30)
    assert editor.status.kind == "warning", editor.status.text  # saved, checked locally only
    assert "Saved to" in editor.status.text

    saved = (tmp_path / "README.md").read_text()
    assert saved == CARD.replace("license: mit", "license: apache-2.0")
    reloaded = _editor(tmp_path, offline_session)
    before, after = parse_card(CARD), parse_card(saved)
    assert after.body == before.body
    assert {k: v for k, v in after.metadata.items() if k != "license"} == {
        k: v for k, v in before.metadata.items() if k != "license"
    }
    assert reloaded.fields["license"].widget.value == "apache-2.0"


def test_lists_tags_and_new_keys(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    editor.fields["tags"].widget.value = ["demo", "nlp"]
    editor.fields["base_model"].widget.value = ["bert/base"]
    editor.fields["datasets"].widget.value = ["imdb", "sst2"]
    editor.fields["language"].widget.value = []  # cleared: the key goes away
    _save(editor)
    meta = parse_card((tmp_path / "README.md").read_text()).metadata
    assert meta["tags"] == ["demo", "nlp"]
    assert meta["base_model"] == "bert/base"
    assert meta["datasets"] == ["imdb", "sst2"]
    assert "language" not in meta
    assert meta["my_org_field"] == {"owner": "team-a", "ids": [3, 1, 2]}
    assert list(meta)[:4] == ["license", "tags", "my_org_field", "pipeline_tag"]


def test_invalid_metadata_is_reported_next_to_the_fields_and_nothing_is_lost(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    editor.fields["license"].widget.value = "my-own-license"
    editor.set_metadata("pipeline_tag", "teleportation")
    editor.set_metadata("tags", "not-a-list")
    editor.body.value += "\nMore text.\n"

    assert editor.review() == ""
    assert editor.status.kind == "error"
    assert "my-own-license" in editor.fields["license"].problems.value
    assert "teleportation" in editor.fields["pipeline_tag"].problems.value
    assert "list" in editor.fields["tags"].problems.value
    assert editor.fields["language"].problems.value == ""
    assert (tmp_path / "README.md").read_text() == CARD  # nothing written
    assert editor.fields["license"].widget.value == "my-own-license"  # nothing lost
    assert editor.body.value.endswith("More text.\n")

    # The unknown task is shown as such in the dropdown rather than dropped.
    labels = [
        label for label, value in editor.fields["pipeline_tag"].widget.options if value == "teleportation"
    ]
    assert labels and "not a Hub task" in labels[0]

    # Validate runs the local check at once, the Hub's on a worker (unreachable here: a warning).
    with pytest.raises(Exception):  # noqa: B017 - the task carries the connection error
        editor.validate().wait(30)
    assert editor.status.kind == "warning" and "locally only" in editor.status.text
    assert "my-own-license" in editor.fields["license"].problems.value


def test_wrong_type_in_the_file_is_reported_and_kept_until_edited(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": "---\nlicense: [mit, apache-2.0]\nlibrary_name: 3\n---\nbody\n"})
    editor = _editor(tmp_path, offline_session)
    problems = editor.check_locally()
    assert {p.key for p in problems} == {"license", "library_name"}
    assert "must be a text" in editor.fields["library_name"].problems.value
    assert editor.metadata["license"] == ["mit", "apache-2.0"]  # not "fixed" behind the user's back
    editor.fields["license"].widget.value = "mit"
    editor.fields["library_name"].widget.value = "transformers"
    _save(editor)
    assert parse_card((tmp_path / "README.md").read_text()).metadata == {
        "license": "mit",
        "library_name": "transformers",
    }


def test_body_preview_and_insert_section(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    assert shown_html(editor.preview) == markdown_html(parse_card(CARD).body)
    editor.section_select.value = "Intended uses & limitations"
    editor.insert_button.click()
    assert editor.body.value.endswith("## Intended uses & limitations\n\n[More Information Needed]\n")
    assert "<h2>Intended uses &amp; limitations</h2>" in shown_html(editor.preview)
    assert editor.insert_section("Intended uses & limitations") is False  # already there
    _save(editor)
    saved = (tmp_path / "README.md").read_text()
    assert parse_card(saved).metadata == parse_card(CARD).metadata
    assert saved.startswith(CARD)


def test_raw_yaml_tab_applies_and_rejects_bad_yaml(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    editor.yaml_editor.value = "license: [broken"
    assert editor.apply_yaml() is False and editor.status.kind == "error"
    assert editor.yaml_editor.value == "license: [broken"  # the user's text stays
    editor.yaml_editor.value = "license: cc-by-4.0\nextra: {a: 1}\n"
    assert editor.apply_yaml()
    assert editor.fields["license"].widget.value == "cc-by-4.0"
    assert editor.fields["tags"].widget.value == []
    _save(editor)
    assert parse_card((tmp_path / "README.md").read_text()).metadata == {
        "license": "cc-by-4.0",
        "extra": {"a": 1},
    }


def test_broken_front_matter_is_kept_in_the_text(tmp_path, offline_session):
    broken = "---\nlicense: [mit\n---\n# Card\n"
    write_tree(tmp_path, {"README.md": broken})
    editor = _editor(tmp_path, offline_session)
    assert editor.status.kind == "error" and "not valid YAML" in editor.status.text
    assert editor.body.value == broken
    assert editor.current_text() == broken


def test_template_start_and_save_to_a_new_folder(tmp_path, offline_session):
    editor = ModelCardEditor(session=offline_session)
    assert "# Model Card for" in editor.body.value
    assert "Started from the default template" in editor.status.text
    assert [value for _label, value in editor.target.options] == ["local"]
    editor.fields["license"].widget.value = "apache-2.0"
    editor.fields["pipeline_tag"].widget.value = "fill-mask"
    editor.folder.value = str(tmp_path / "new-model")
    _save(editor)
    card = parse_card((tmp_path / "new-model" / "README.md").read_text())
    assert card.metadata == {"license": "apache-2.0", "pipeline_tag": "fill-mask"}
    assert "## Model Details" in card.body

    dataset = ModelCardEditor(repo_type="dataset", session=offline_session)
    assert "# Dataset Card for" in dataset.body.value
    assert "task_categories" in dataset.fields and "pipeline_tag" not in dataset.fields


def test_no_change_means_nothing_to_save(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    editor.fields["language"].widget.value = ["en"]  # same value as in the file
    assert editor.review() == ""
    assert editor.status.text == "No changes to save."


def test_confirm_after_further_edits_asks_for_a_new_review(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    editor.fields["license"].widget.value = "apache-2.0"
    assert editor.review()
    editor.body.value += "late edit\n"
    assert editor.review_box.layout.display == "none"
    assert editor.confirm() is None
    assert (tmp_path / "README.md").read_text() == CARD


def test_license_other_shows_its_name_and_link_fields(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    name_box = editor.fields["license_name"].box
    assert name_box.layout.display == "none"
    editor.fields["license"].widget.value = "other"
    assert name_box.layout.display == ""
    editor.check_locally()
    assert "license_name" in editor.fields["license"].problems.value  # a warning: saving stays possible
    editor.fields["license_name"].widget.value = "my-license"
    editor.fields["license_link"].widget.value = "LICENSE.md"
    _save(editor)
    meta = parse_card((tmp_path / "README.md").read_text()).metadata
    assert (meta["license"], meta["license_name"], meta["license_link"]) == (
        "other",
        "my-license",
        "LICENSE.md",
    )


def test_preview_follows_the_text_after_a_pause(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = ModelCardEditor(path=tmp_path, session=offline_session)
    editor.debounce = 0.05
    editor.body.value = "# First"
    editor.body.value = "# Second"

    def shown() -> str:
        return shown_html(editor.preview).strip()

    deadline = time.monotonic() + 10
    while shown() != "<h1>Second</h1>" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert shown() == "<h1>Second</h1>"


def test_crlf_card_stays_crlf_when_the_browser_sends_lf(tmp_path, offline_session):
    crlf = CARD.replace("\n", "\r\n")
    (tmp_path / "README.md").write_bytes(crlf.encode())
    editor = _editor(tmp_path, offline_session)
    editor.body.value = editor.body.value.replace("\r\n", "\n")  # what a frontend sends back
    assert editor.review() == ""  # no spurious change
    editor.fields["license"].widget.value = "apache-2.0"
    _save(editor)
    assert (tmp_path / "README.md").read_bytes() == crlf.replace(
        "license: mit", "license: apache-2.0"
    ).encode()


def _press_enter(text_widget) -> None:
    """What the page sends when Enter is pressed in a Text: its "submit" event."""
    text_widget._handle_custom_msg({"event": "submit"}, [])


def test_tags_input_enter_and_comma_add_tags_and_later_typing_stays_apart(tmp_path, offline_session):
    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    tags = editor.fields["tags"].widget
    assert tags.value == ["demo"]

    tags.text.value = "nlp,"  # a comma ends a tag
    assert tags.value == ["demo", "nlp"] and tags.text.value == ""
    tags.text.value = "vision"
    _press_enter(tags.text)  # so does Enter
    assert tags.value == ["demo", "nlp", "vision"] and tags.text.value == ""
    tags.text.value = "a, b"  # typed (or pasted) fast: "a" is done, "b" is still being typed
    assert tags.value[-1] == "a" and tags.text.value == "b"
    tags.text.value = "bert"  # later typing goes on with the field, never into a finished tag
    assert tags.value == ["demo", "nlp", "vision", "a"] and tags.text.value == "bert"
    tags.text.value = "nlp,"  # a tag that is there already is not added twice
    assert tags.value.count("nlp") == 1
    tags.text.value = "bert"
    assert editor.metadata["tags"] == ["demo", "nlp", "vision", "a"]

    # Each tag is a button that removes it.
    labels = [b.description for b in tags.chips.children]
    assert labels == ["demo", "nlp", "vision", "a"]
    assert all(b.icon == "times" for b in tags.chips.children)
    tags.chips.children[3].click()
    assert tags.value == ["demo", "nlp", "vision"] and editor.metadata["tags"] == ["demo", "nlp", "vision"]

    # What is still typed when saving is a tag too (the user saw it in the field).
    _save(editor)
    assert parse_card((tmp_path / "README.md").read_text()).metadata["tags"] == [
        "demo",
        "nlp",
        "vision",
        "bert",
    ]


def test_card_editor_layout_adapts_to_the_width(tmp_path, offline_session):
    import ipywidgets as W

    write_tree(tmp_path, {"README.md": CARD})
    editor = _editor(tmp_path, offline_session)
    # The package's stylesheet comes first and the root carries its class (labels above fields when narrow).
    assert "hubw" in editor._dom_classes and "hubw-style" in editor.children[0]._dom_classes
    columns = editor.tabs.children[0].children[0].layout.grid_template_columns
    assert "auto-fill" in columns and "min(100%" in columns  # one column in a sidebar, two in a notebook

    def widths(widget):
        found = [widget.layout.width] if getattr(widget, "layout", None) else []
        for child in getattr(widget, "children", ()):
            found += widths(child)
        return found

    fixed = [w for w in widths(editor) if w and w.endswith("px")]
    assert fixed == [], fixed  # no fixed width that overflows a 260 px sidebar
    rows = [w for w in editor.children if isinstance(w, W.HBox)]
    assert rows and all("hubw-row" in r._dom_classes for r in rows)  # button rows wrap
