"""Pure card logic: front matter split/render, key-preserving rewrites, checks, diffs, templates."""

from __future__ import annotations

import pytest
import yaml

from hub_widgets.card.checks import (
    ERROR,
    WARNING,
    check_metadata,
    has_errors,
    parse_hub_answer,
    problems_for,
)
from hub_widgets.card.document import (
    card_diff,
    detect_line_break,
    parse_card,
    splice_yaml,
    template_body,
    template_card,
)
from hub_widgets.card.hub_data import LICENSES
from hub_widgets.errors import ValidationError
from hub_widgets.vocab import TASKS

CARD = """---
# written by hand
license: mit
custom_thing:
  nested: [1, 2]   # keep me
language:
- en
- fr
tags: [a, b]

model-index:
- name: x
  results: []
zzz_last: "quoted"
---
# Title

Body here
"""


def test_parse_splits_like_the_hub():
    doc = parse_card(CARD)
    assert doc.has_front_matter
    assert list(doc.metadata) == ["license", "custom_thing", "language", "tags", "model-index", "zzz_last"]
    assert doc.body == "# Title\n\nBody here\n"
    assert doc.render(doc.metadata, doc.body) == CARD


def test_editing_one_key_changes_only_its_line():
    doc = parse_card(CARD)
    metadata = dict(doc.metadata, license="apache-2.0")
    out = doc.render(metadata, doc.body)
    before, after = CARD.splitlines(), out.splitlines()
    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert changed == [("license: mit", "license: apache-2.0")]
    assert yaml.safe_load(parse_card(out).yaml_text) == metadata


def test_unknown_keys_comments_and_order_survive_add_and_remove():
    doc = parse_card(CARD)
    metadata = dict(doc.metadata)
    del metadata["tags"]
    metadata["pipeline_tag"] = "text-classification"
    out = parse_card(doc.render(metadata, doc.body))
    assert list(out.metadata) == [
        "license",
        "custom_thing",
        "language",
        "model-index",
        "zzz_last",
        "pipeline_tag",
    ]
    assert "  nested: [1, 2]   # keep me" in out.yaml_text
    assert "# written by hand" in out.yaml_text
    assert 'zzz_last: "quoted"' in out.yaml_text
    assert out.metadata["custom_thing"] == {"nested": [1, 2]}


def test_splice_falls_back_to_a_full_dump_for_flow_style():
    text = "{license: mit, other: 1}"
    out = splice_yaml(text, {"license": "mit", "other": 1}, {"license": "apache-2.0", "other": 1})
    assert yaml.safe_load(out) == {"license": "apache-2.0", "other": 1}


def test_crlf_is_kept():
    text = CARD.replace("\n", "\r\n")
    doc = parse_card(text)
    assert detect_line_break(text) == "\r\n"
    out = doc.render(dict(doc.metadata, license="apache-2.0"), doc.body)
    assert "\n" not in out.replace("\r\n", "")
    assert "license: apache-2.0\r\n" in out


def test_card_without_front_matter_gets_one_only_when_needed():
    doc = parse_card("# Just text\n")
    assert doc.metadata == {} and not doc.has_front_matter
    assert doc.render({}, doc.body) == "# Just text\n"
    assert doc.render({"license": "mit"}, doc.body) == "---\nlicense: mit\n---\n# Just text\n"


def test_invalid_yaml_is_a_validation_error():
    with pytest.raises(ValidationError, match="not valid YAML"):
        parse_card("---\nlicense: [mit\n---\nbody\n")
    with pytest.raises(ValidationError, match="mapping"):
        parse_card("---\n- a\n- b\n---\nbody\n")


def test_local_checks_report_per_field():
    problems = check_metadata(
        {
            "license": "not-a-license",
            "pipeline_tag": "teleportation",
            "tags": "one-tag",
            "language": ["en", 3],
            "base_model": "not a model id",
            "library_name": 12,
            "unknown_key": object(),
        }
    )
    keys = {p.key for p in problems}
    assert keys == {"license", "pipeline_tag", "tags", "language", "base_model", "library_name"}
    assert "not-a-license" in problems_for(problems, "license")[0].message
    assert all(p.severity == ERROR for p in problems)
    assert (
        check_metadata({"license": "apache-2.0", "pipeline_tag": "text-classification", "language": "en"})
        == []
    )


def test_license_other_wants_a_name_and_datasets_may_list_licenses():
    problems = check_metadata({"license": "other"})
    assert [p.severity for p in problems] == [WARNING] and not has_errors(problems)
    assert check_metadata({"license": ["mit", "cc-by-4.0"]}, "dataset") == []
    assert has_errors(check_metadata({"license": ["mit"]}, "model"))
    assert has_errors(check_metadata({"task_categories": ["nope"]}, "dataset"))


def test_embedded_lists_hold_the_common_ids():
    assert {"apache-2.0", "mit", "other", "llama3.1", "cc-by-4.0"} <= set(LICENSES)
    assert {"text-classification", "text-generation", "image-classification"} <= set(TASKS)
    assert len(set(LICENSES)) == len(LICENSES)


def test_hub_answers_become_problems_on_their_keys():
    meta = {"license": "x", "pipeline_tag": "y"}
    problems = parse_hub_answer(400, '"license" must be one of [apache-2.0, mit]', meta)
    assert [(p.key, p.severity, p.source) for p in problems] == [("license", ERROR, "hub")]
    assert parse_hub_answer(200, '{"errors": [], "warnings": []}', meta) == []
    problems = parse_hub_answer(
        200, '{"errors": [], "warnings": [{"message": "\\"pipeline_tag\\" is odd"}]}', meta
    )
    assert [(p.key, p.severity) for p in problems] == [("pipeline_tag", WARNING)]
    problems = parse_hub_answer(400, '{"error": "Invalid YAML"}', meta)
    assert [(p.key, p.message) for p in problems] == [("", "Invalid YAML")]


def test_diff_shows_only_the_change():
    after = CARD.replace("license: mit", "license: apache-2.0")
    diff = card_diff(CARD, after)
    assert "-license: mit\n" in diff and "+license: apache-2.0\n" in diff
    assert diff.startswith("--- a/README.md\n+++ b/README.md\n")
    assert card_diff(CARD, CARD) == ""


@pytest.mark.parametrize(
    "repo_type, title", [("model", "# Model Card for me/x"), ("dataset", "# Dataset Card for")]
)
def test_template_comes_from_the_library(repo_type, title):
    values = {"model_id": "me/x"} if repo_type == "model" else {}
    body = template_body(repo_type, **values)
    assert title in body
    assert "{{" not in body and "{%" not in body
    assert "## Bias, Risks, and Limitations" in body
    card = parse_card(template_card(repo_type, {"license": "mit"}, **values))
    assert card.metadata == {"license": "mit"}


def test_pure_modules_do_not_load_widgets_and_the_lazy_name_resolves():
    import subprocess
    import sys

    code = (
        "import sys, hub_widgets.card.document, hub_widgets.card.checks, hub_widgets.card.hub_data\n"
        "assert 'ipywidgets' not in sys.modules, 'ipywidgets imported'\n"
        "import hub_widgets\n"
        "from hub_widgets.card.editor import ModelCardEditor\n"
        "assert hub_widgets.ModelCardEditor is ModelCardEditor\n"
        "import hub_widgets.card\n"
        "assert hub_widgets.card.ModelCardEditor is ModelCardEditor\n"
    )
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
