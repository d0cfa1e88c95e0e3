"""hub_widgets.vocab (one vocabulary for every widget) and ui.diff_html (the one diff renderer)."""

from __future__ import annotations

from hub_widgets import vocab
from hub_widgets.ui import diff_html


def test_the_vocabulary_is_consistent():
    assert vocab.REPO_TYPES == ("model", "dataset", "space")
    assert set(vocab.COMMON_TASKS) <= set(vocab.TASKS)
    assert len(set(vocab.LIBRARIES)) == len(vocab.LIBRARIES)
    assert {"datasets", "gradio"} <= set(vocab.SEARCH_LIBRARIES)


def test_widgets_and_pure_modules_take_their_names_from_vocab():
    from hub_widgets.browser import search
    from hub_widgets.card import checks, editor
    from hub_widgets.push import upload

    assert search.REPO_TYPES is editor.REPO_TYPES is upload.REPO_TYPES is vocab.REPO_TYPES
    assert checks.TASKS is editor.TASKS is vocab.TASKS
    library = editor.build_fields("model")["library_name"]
    assert tuple(library.widget.options) == vocab.LIBRARIES


def test_a_diff_is_escaped_and_coloured_line_by_line():
    text = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-<script>old</script>\n+new & better\n same"
    out = diff_html(text, "hubw-card-diff", "320px")
    assert "<script>" not in out and "&lt;script&gt;old&lt;/script&gt;" in out
    assert out.startswith("<pre class='hubw-diff hubw-card-diff' style='max-height:320px;")
    assert "<span style='color:#6e7781'>+++ b/x</span>" in out  # a header, not an added line
    assert "<span style='color:#1a7f37;background:#e6ffec'>+new &amp; better</span>" in out
    assert "<span style='color:#cf222e;background:#ffebe9'>-&lt;script&gt;" in out
    assert "<span style='color:#0969da'>@@ -1 +1 @@</span>" in out
    assert "<span style=''> same</span>" in out
