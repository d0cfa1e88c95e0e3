"""ModelCardEditor against a real SandboxHub, driven like a user; results checked through HfApi."""

from __future__ import annotations

import pytest

pytest.importorskip("hub_widgets.sandbox")

from huggingface_hub import HfApi  # noqa: E402

from hub_widgets.card import ModelCardEditor  # noqa: E402
from hub_widgets.card.document import parse_card  # noqa: E402
from hub_widgets.session import HubSession  # noqa: E402
from tests.conftest import ALICE_READ, BOB  # noqa: E402

CARD = """---
license: mit
language:
- en
custom_block:        # not a field of the form
  keep: [b, a]
pipeline_tag: text-classification
---
# Sentiment model

Says whether a review is positive.
"""

TIMEOUT = 60


@pytest.fixture(autouse=True)
def _download_urls_follow_endpoint(endpoint, monkeypatch):
    # conftest's `endpoint` patches constants.ENDPOINT but not the download URL template derived
    # from it at import, so hf_hub_download would aim at huggingface.co (see .notes/requests.md).
    from huggingface_hub import constants

    monkeypatch.setattr(
        constants, "HUGGINGFACE_CO_URL_TEMPLATE", endpoint + "/{repo_id}/resolve/{revision}/{filename}"
    )


def _read_readme(api: HfApi, repo_id: str, revision: str | None = None, repo_type: str = "model") -> str:
    path = api.hf_hub_download(repo_id, "README.md", revision=revision, repo_type=repo_type)
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _repo_with_card(api: HfApi, repo_name: str, card: str | None = CARD, repo_type: str = "model") -> str:
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id, repo_type=repo_type)
    if card is not None:
        api.upload_file(
            path_or_fileobj=card.encode(), path_in_repo="README.md", repo_id=repo_id, repo_type=repo_type
        )
    return repo_id


def _finish(task) -> None:
    """Wait for a task and its callbacks; a failure is for the widget to show, checked by the test."""
    try:
        task.wait(TIMEOUT)
    except Exception:  # noqa: BLE001
        pass


def _open(repo_id: str, session: HubSession, **kwargs) -> ModelCardEditor:
    editor = ModelCardEditor(repo_id=repo_id, session=session, **kwargs)
    editor.debounce = 0
    _finish(editor.task)
    return editor


def _push(editor: ModelCardEditor, target: str, message: str = "") -> None:
    editor.target.value = target
    (editor.pr_title if target == "pr" else editor.commit_message).value = message
    assert editor.review(), editor.status.text
    task = editor.confirm()
    assert task is not None, editor.status.text
    _finish(task)


def test_push_as_commit_round_trip_and_hub_filters(api, hub_session, repo_name):
    repo_id = _repo_with_card(api, repo_name)
    editor = _open(repo_id, hub_session)
    assert editor.status.kind == "success", editor.status.text
    assert editor.fields["license"].widget.value == "mit"
    assert editor.fields["pipeline_tag"].widget.value == "text-classification"
    assert editor.body.value == parse_card(CARD).body

    editor.fields["license"].widget.value = "apache-2.0"
    _push(editor, "commit", "Relicense")
    assert editor.status.kind == "success", editor.status.text
    assert "commit" in editor.result.value

    # Only the license line changed on the Hub.
    pushed = _read_readme(api, repo_id)
    assert pushed == CARD.replace("license: mit", "license: apache-2.0")
    assert api.list_repo_commits(repo_id)[0].title == "Relicense"
    info = api.model_info(repo_id)
    assert info.card_data["license"] == "apache-2.0"
    assert info.card_data["custom_block"] == {"keep": ["b", "a"]}

    # The Hub's filters see the new metadata.
    found = [m.id for m in api.list_models(filter="license:apache-2.0", author="alice")]
    assert repo_id in found
    assert repo_id not in [m.id for m in api.list_models(filter="license:mit", author="alice")]

    # A second edit is diffed against what was just pushed.
    editor.fields["pipeline_tag"].widget.value = "zero-shot-classification"
    diff = editor.review()
    assert "+pipeline_tag: zero-shot-classification" in diff and "license" not in diff
    editor.confirm().wait(TIMEOUT)
    assert editor.status.kind == "success", editor.status.text
    assert repo_id in [m.id for m in api.list_models(pipeline_tag="zero-shot-classification", author="alice")]

    reloaded = _open(repo_id, hub_session)
    assert reloaded.fields["license"].widget.value == "apache-2.0"
    assert reloaded.fields["pipeline_tag"].widget.value == "zero-shot-classification"


def test_push_as_pull_request(api, hub_session, repo_name):
    repo_id = _repo_with_card(api, repo_name)
    editor = _open(repo_id, hub_session)
    editor.fields["tags"].widget.value = ["sentiment", "reviews"]
    editor.body.value += "\n## Training data\n\nIMDB reviews.\n"
    _push(editor, "pr", "Add tags and training data")
    assert editor.status.kind == "success", editor.status.text
    assert "pull request" in editor.result.value.lower() and "/discussions/" in editor.result.value

    prs = [d for d in api.get_repo_discussions(repo_id) if d.is_pull_request]
    assert len(prs) == 1 and prs[0].title == "Add tags and training data"
    on_pr = _read_readme(api, repo_id, revision=f"refs/pr/{prs[0].num}")
    assert parse_card(on_pr).metadata["tags"] == ["sentiment", "reviews"]
    assert on_pr.endswith("IMDB reviews.\n")
    assert _read_readme(api, repo_id) == CARD  # main untouched


def test_a_pull_request_has_its_own_title_and_description(api, hub_session, repo_name):
    repo_id = _repo_with_card(api, repo_name)
    editor = _open(repo_id, hub_session)
    editor.fields["license"].widget.value = "apache-2.0"
    _push(editor, "commit", "Switch to Apache 2.0")
    assert editor.status.kind == "success", editor.status.text
    assert api.list_repo_commits(repo_id)[0].title == "Switch to Apache 2.0"

    # The pull request's fields replace the commit message on screen; the commit's text is not reused.
    editor.target.value = "pr"
    assert editor.commit_message.layout.display == "none"
    assert editor.pr_title.layout.display == "" and editor.pr_description.layout.display == ""
    editor.body.value += "\nMore details.\n"
    editor.pr_description.value = "Adds a paragraph for reviewers."
    assert editor.review(), editor.status.text
    _finish(editor.confirm())
    assert editor.status.kind == "success", editor.status.text
    prs = [d for d in api.get_repo_discussions(repo_id) if d.is_pull_request]
    assert len(prs) == 1
    assert prs[0].title != "Switch to Apache 2.0" and prs[0].title == "Update the model card"
    details = api.get_discussion_details(repo_id, prs[0].num)
    assert "Adds a paragraph for reviewers." in details.events[0].content

    # A second pull request starts from empty fields, not the first one's title.
    assert editor.pr_title.value == "" and editor.pr_description.value == ""


def test_missing_readme_starts_from_the_template(api, hub_session, repo_name):
    repo_id = _repo_with_card(api, repo_name, card=None)
    editor = _open(repo_id, hub_session)
    assert "no README.md" in editor.status.text
    assert f"# Model Card for {repo_id}" in editor.body.value
    editor.fields["license"].widget.value = "mit"
    _push(editor, "commit")
    assert editor.status.kind == "success", editor.status.text
    card = parse_card(_read_readme(api, repo_id))
    assert card.metadata == {"license": "mit"}
    assert "## Model Details" in card.body


def test_load_from_a_branch_and_push_to_it(api, hub_session, repo_name):
    repo_id = _repo_with_card(api, repo_name)
    api.create_branch(repo_id, branch="dev")
    api.upload_file(
        path_or_fileobj=CARD.replace("license: mit", "license: cc-by-4.0").encode(),
        path_in_repo="README.md",
        repo_id=repo_id,
        revision="dev",
    )
    editor = _open(repo_id, hub_session, revision="dev")
    assert editor.fields["license"].widget.value == "cc-by-4.0"
    editor.fields["library_name"].widget.value = "transformers"
    _push(editor, "commit")
    assert editor.status.kind == "success", editor.status.text
    assert parse_card(_read_readme(api, repo_id, revision="dev")).metadata["library_name"] == "transformers"
    assert _read_readme(api, repo_id) == CARD


def test_hub_check_reports_problems_next_to_fields(api, hub_session, repo_name):
    repo_id = _repo_with_card(api, repo_name)
    editor = _open(repo_id, hub_session)
    editor.set_metadata("license", "definitely-not-a-license")
    editor.validate().wait(TIMEOUT)
    assert editor.status.kind == "error", editor.status.text
    assert "definitely-not-a-license" in editor.fields["license"].problems.value
    assert any(p.source == "hub" for p in editor.hub_problems), editor.hub_problems
    # One mistake is one problem, said once: the Hub's words for what the local check found are not
    # added, and the Hub's message is never listed twice.
    assert editor.status.text.startswith("1 problem to fix"), editor.status.text
    shown = editor.fields["license"].problems.value
    assert shown.count("hubw-card-problem") == 1, shown
    assert len({p.message for p in editor.hub_problems}) == len(editor.hub_problems)
    assert editor.metadata["license"] == "definitely-not-a-license"

    editor.set_metadata("license", "apache-2.0")
    editor.validate().wait(TIMEOUT)
    assert editor.status.kind == "success", editor.status.text
    assert editor.fields["license"].problems.value == ""


def test_hub_warnings_are_shown(api, hub_session, repo_name):
    repo_id = _repo_with_card(api, repo_name)
    editor = _open(repo_id, hub_session)
    editor.fields["license"].widget.value = ""  # the Hub warns about a card without a license
    assert "license" not in editor.metadata
    editor.validate().wait(TIMEOUT)
    assert editor.status.kind == "warning", editor.status.text
    hub = [p for p in editor.problems if p.source == "hub"]
    assert hub and all(p.severity == "warning" for p in hub)
    assert "license" in editor.problems_view.value.lower()


def test_push_errors_keep_the_edits(api, endpoint, repo_name):
    repo_id = _repo_with_card(api, repo_name)

    # Bob may read alice's public repo but not write to it: the push is refused, nothing is lost.
    session = HubSession(endpoint=endpoint, token=BOB)
    editor = _open(repo_id, session)
    editor.fields["license"].widget.value = "apache-2.0"
    _push(editor, "commit")
    assert editor.status.kind == "error", editor.status.text
    assert "Traceback" not in editor.status.text and BOB not in editor.status.text
    assert editor.fields["license"].widget.value == "apache-2.0"
    assert _read_readme(api, repo_id) == CARD
    session.close()

    read_only = HubSession(endpoint=endpoint, token=ALICE_READ)
    editor = _open(repo_id, read_only)
    editor.fields["license"].widget.value = "apache-2.0"
    _push(editor, "commit")
    assert editor.status.kind == "error", editor.status.text
    assert ALICE_READ not in editor.status.text
    assert editor.fields["license"].widget.value == "apache-2.0"
    read_only.close()


def test_concurrent_pushes(api, hub_session, repo_name):
    repo_id = _repo_with_card(api, repo_name)
    editor = _open(repo_id, hub_session)

    # Someone pushes another file meanwhile: the card goes on top, nothing of theirs is lost.
    api.upload_file(path_or_fileobj=b"other\n", path_in_repo="notes.txt", repo_id=repo_id)
    editor.body.value += "\nFirst edit.\n"
    _push(editor, "commit")
    assert editor.status.kind == "success", editor.status.text
    assert _read_readme(api, repo_id).endswith("First edit.\n")
    assert {"notes.txt", "README.md"} <= set(api.list_repo_files(repo_id))

    # Someone changes the README itself meanwhile: refused, and the user's edits stay.
    theirs = CARD.replace("# Sentiment model", "# Their title")
    api.upload_file(path_or_fileobj=theirs.encode(), path_in_repo="README.md", repo_id=repo_id)
    editor.body.value += "\nMy careful edit.\n"
    _push(editor, "commit")
    assert editor.status.kind == "error", editor.status.text
    assert "changed on the Hub" in editor.status.text and "pull request" in editor.status.text
    assert editor.body.value.endswith("My careful edit.\n")
    assert _read_readme(api, repo_id) == theirs

    # A pull request still goes through, based on the commit the editor loaded.
    _push(editor, "pr")
    assert editor.status.kind == "success", editor.status.text


def test_unknown_repo_is_an_error_line_not_a_traceback(hub_session):
    editor = _open("alice/does-not-exist-card", hub_session)
    assert editor.status.kind == "error"
    assert "not found" in editor.status.text.lower()
    assert "# Model Card for" in editor.body.value  # something to work on, locally
    assert editor.reload_button.layout.display == ""
    editor.fields["license"].widget.value = "mit"
    assert editor.review() == ""  # no blind push over a card that was never read
    assert "could not be loaded" in editor.status.text


def test_dataset_card_push(api, hub_session, repo_name):
    repo_id = _repo_with_card(api, repo_name, card=None, repo_type="dataset")
    editor = _open(repo_id, hub_session, repo_type="dataset")
    assert "# Dataset Card for" in editor.body.value
    editor.fields["license"].widget.value = "cc-by-4.0"
    editor.fields["task_categories"].widget.value = ["text-classification"]
    _push(editor, "commit")
    assert editor.status.kind == "success", editor.status.text
    meta = parse_card(_read_readme(api, repo_id, repo_type="dataset")).metadata
    assert meta == {"license": "cc-by-4.0", "task_categories": ["text-classification"]}
