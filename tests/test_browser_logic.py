"""RepoBrowser's pure logic: search kwargs, row labels, tree labels, previews helpers, revision diffs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from hub_widgets.browser import diff as D
from hub_widgets.browser.files import (
    TreeEntry,
    csv_head,
    entry_label,
    parse_patterns,
    preview_kind,
    sort_entries,
)
from hub_widgets.browser.history import page_bounds
from hub_widgets.browser.repo import metadata_rows, split_card
from hub_widgets.browser.search import (
    ResultRow,
    SearchQuery,
    build_list_kwargs,
    format_age,
    format_count,
    list_method,
)


def test_model_query_kwargs():
    kwargs = build_list_kwargs(
        SearchQuery(text=" bert ", author="acme", task="fill-mask", library="transformers", sort="likes")
    )
    assert kwargs["search"] == "bert"
    assert kwargs["author"] == "acme"
    assert kwargs["pipeline_tag"] == "fill-mask"
    assert kwargs["filter"] == ["transformers"]
    assert kwargs["sort"] == "likes"
    assert "downloads" in kwargs["expand"] and "pipeline_tag" in kwargs["expand"]


def test_empty_fields_are_left_out_and_sorts_map():
    kwargs = build_list_kwargs(SearchQuery(sort="updated"))
    assert set(kwargs) == {"expand", "sort"}
    assert kwargs["sort"] == "last_modified"
    assert build_list_kwargs(SearchQuery(sort="trending"))["sort"] == "trending_score"


def test_dataset_and_space_queries():
    kwargs = build_list_kwargs(SearchQuery(repo_type="dataset", task="text-classification", library="pandas"))
    assert kwargs["filter"] == ["task_categories:text-classification", "library:pandas"]
    assert "pipeline_tag" not in kwargs
    space = build_list_kwargs(SearchQuery(repo_type="space", library="gradio", sort="downloads"))
    assert space["filter"] == ["gradio"]
    assert space["sort"] == "likes"  # Spaces have no download counter
    assert list_method("space") == "list_spaces"
    with pytest.raises(ValueError):
        build_list_kwargs(SearchQuery(repo_type="kernel"))


def test_row_label_and_counters():
    now = datetime(2026, 1, 10, tzinfo=timezone.utc)
    row = ResultRow(
        "acme/bert", "model", "fill-mask", 12345, 7, now - timedelta(days=2), private=True, gated=True
    )
    label = row.label(now)
    assert label.startswith("acme/bert · fill-mask · 12.3k downloads · 7 likes · 2 days ago")
    assert "private" in label and "gated" in label
    assert format_count(999) == "999" and format_count(2_000_000) == "2M"
    assert format_count(1000) == "1k" and format_count(123_456) == "123k" and format_count(999_999) == "1M"
    assert format_count(10_050_000) == "10.1M"
    assert format_age(now - timedelta(seconds=5), now) == "just now"
    assert format_age(now - timedelta(days=90), now) == "2025-10-12"


def test_tree_labels_sorting_and_preview_kinds():
    entries = sort_entries(
        [TreeEntry("b.txt", False, 10), TreeEntry("A", True), TreeEntry("a.bin", False, 2_000_000, lfs=True)]
    )
    assert [e.path for e in entries] == ["A", "a.bin", "b.txt"]
    assert entry_label(TreeEntry("A", True)).endswith("▸ A/")
    assert entry_label(TreeEntry("A", True), expanded=True).endswith("▾ A/")
    assert entry_label(TreeEntry("d/a.bin", False, 2_000_000, lfs=True)).endswith("a.bin · 2.0 MB · LFS")
    assert preview_kind("x/README.md") == "markdown"
    assert preview_kind("config.json") == "json"
    assert preview_kind("data/train.TSV") == "csv"
    assert preview_kind("cat.jpeg") == "image"
    assert preview_kind(".gitattributes") == "text"
    assert preview_kind("model.safetensors") == ""
    assert parse_patterns(" *.json, model/*\n*.md ") == ["*.json", "model/*", "*.md"]
    assert parse_patterns("  ") is None
    header, rows = csv_head("a,b\n1,2\n3,4\n", rows=1)
    assert header == ["a", "b"] and rows == [["1", "2"]]


def test_card_split_and_metadata():
    meta, body = split_card("---\nlicense: mit\ntags:\n- x\n---\n# Title\n")
    assert "license: mit" in meta and body == "# Title\n"
    assert split_card("# No meta") == ("", "# No meta")
    assert metadata_rows({"license": "mit", "tags": ["a", "b"], "empty": []}) == [
        ("license", "mit"),
        ("tags", "a, b"),
    ]


def test_page_bounds():
    assert page_bounds(45, 0, 20) == (0, 20)
    assert page_bounds(45, 2, 20) == (40, 45)
    assert page_bounds(45, 9, 20) == (40, 45)
    assert page_bounds(0, 0, 20) == (0, 0)


def test_compare_files():
    old = [D.FileState("a", 1, "x"), D.FileState("b", 2, "y"), D.FileState("c", 3, "z")]
    new = [D.FileState("a", 1, "x"), D.FileState("b", 5, "y2"), D.FileState("d", 4, "w")]
    diff = D.compare_files(old, new)
    assert diff.paths() == {"added": {"d"}, "removed": {"c"}, "changed": {"b"}}
    assert diff.changed[0].size_delta == 3
    assert D.compare_files(old, old).is_empty


def _file(path, oid, size=1, lfs=None):
    return SimpleNamespace(path=path, size=size, blob_id=oid, lfs=lfs)


def _folder(path, tree_id):
    return SimpleNamespace(path=path, tree_id=tree_id)


def test_diff_revisions_skips_identical_folders():
    trees = {
        "old": {
            "": [
                _file("README.md", "r1"),
                _folder("same", "T1"),
                _folder("changed", "T2"),
                _folder("gone", "T3"),
            ],
            "same": [_file("same/x", "s")],
            "changed": [_file("changed/a", "a1"), _file("changed/b", "b1")],
            "gone": [_file("gone/z", "z")],
        },
        "new": {
            "": [
                _file("README.md", "r2"),
                _folder("same", "T1"),
                _folder("changed", "T2b"),
                _folder("fresh", "T4"),
            ],
            "same": [_file("same/x", "s")],
            "changed": [_file("changed/a", "a1"), _file("changed/c", "c1")],
            "fresh": [_folder("fresh/deep", "T5")],
            "fresh/deep": [_file("fresh/deep/f", "f")],
        },
    }
    calls = []

    def list_folder(rev, path, recursive):
        calls.append((rev, path, recursive))
        if not recursive:
            return trees[rev].get(path, [])
        out, pending = [], [path]
        while pending:
            for entry in trees[rev].get(pending.pop(), []):
                out.append(entry)
                if hasattr(entry, "tree_id"):
                    pending.append(entry.path)
        return out

    diff = D.diff_revisions(list_folder, "old", "new")
    assert diff.paths() == {
        "added": {"changed/c", "fresh/deep/f"},
        "removed": {"changed/b", "gone/z"},
        "changed": {"README.md"},
    }
    assert not any(path == "same" for _rev, path, _r in calls)  # same tree id: never listed


def test_lfs_files_compare_by_sha256():
    lfs = SimpleNamespace(size=100, sha256="abc")
    state = D.file_state(_file("w.bin", "pointer-oid", size=130, lfs=lfs))
    assert state == D.FileState("w.bin", 100, "abc", lfs=True)


def test_unified_text_diff():
    text = D.unified_text_diff(b"one\ntwo\nthree\n", b"one\n2\nthree\n", "f.txt", "aaa", "bbb")
    assert "-two\n" in text and "+2\n" in text and "a/f.txt (aaa)" in text
    assert D.unified_text_diff(b"\x00\x01", b"x", "bin") is None
    assert D.unified_text_diff(b"a" * (D.MAX_TEXT_DIFF_BYTES + 1), b"", "big") is None
    assert D.unified_text_diff(b"no newline", b"no newline!", "n").endswith("\n")


def icon_glyphs(text: str) -> list[str]:
    """Characters that need an emoji or symbol font (they render as boxes without one)."""
    ranges = ((0x1F000, 0x1FFFF), (0x2300, 0x23FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF))
    return [c for c in text if any(lo <= ord(c) <= hi for lo, hi in ranges)]


def test_labels_and_header_use_no_emoji_icons():
    from hub_widgets.browser.repo import RepoSummary, header_html

    now = datetime(2026, 1, 10, tzinfo=timezone.utc)
    row = ResultRow("acme/bert", "model", "fill-mask", 1, 1, now, private=True, gated=True)
    assert icon_glyphs(row.label(now)) == []
    assert "1 download · 1 like" in row.label(now)  # singular, as people say it
    for entry in (
        TreeEntry("A", True),
        TreeEntry("A/b.txt", False, 3),
        TreeEntry("w.bin", False, 9, lfs=True),
    ):
        assert icon_glyphs(entry_label(entry)) == []
    summary = RepoSummary("acme/bert", "model", private=True, downloads=5, likes=2, license="mit")
    header = header_html(summary, "http://127.0.0.1:1/acme/bert")
    assert icon_glyphs(header) == []
    assert 'class="fa fa-lock"' in header and 'class="fa fa-download"' in header
