"""The one sanitizer (hub_widgets.ui.html): every payload of the battery is inert, the card still renders."""

from __future__ import annotations

import json
import re

import ipywidgets as W
import pytest

from hub_widgets.ui import (
    MAX_SHOWN_CHARS,
    link,
    markdown_html,
    notebook_html,
    repo_file_base,
    sanitize_html,
    show_html,
    show_markdown,
    shown_html,
)
from tests import xss_payloads as X

BASE = "http://127.0.0.1:8765/alice/payloads/resolve/main/"


def _ok(html: str) -> None:
    assert X.dangerous(html) == []
    # No payload's flag survives anywhere an attribute could hold it.
    for match in re.finditer(r"<[^>]*__xss_\d+[^>]*>", html):
        raise AssertionError(f"a tag still carries a payload: {match.group(0)}")


@pytest.mark.parametrize(("number", "what", "snippet"), X.PAYLOADS, ids=[w for _n, w, _s in X.PAYLOADS])
def test_each_payload_is_inert_in_markdown_and_html(number, what, snippet):
    _ok(markdown_html(snippet, BASE))
    _ok(sanitize_html(snippet, BASE))
    _ok(markdown_html(snippet))  # no base: relative URLs are dropped, nothing else changes


def test_the_checker_sees_what_it_must():
    # The oracle itself must not pass everything: raw payloads are flagged, escaped text is not.
    flagged = [n for n, _w, snippet in X.PAYLOADS if X.dangerous(snippet)]
    assert len(flagged) >= 25
    assert X.dangerous("<pre>&lt;script&gt;window.__xss_1=1&lt;/script&gt;</pre>") == []


def test_the_whole_readme_renders_its_legitimate_parts():
    html = markdown_html(X.readme(), BASE)
    _ok(html)
    assert "<h1>Payload model card</h1>" in html
    assert "<table>" in html and '<td style="text-align:right">0.91</td>' in html
    assert f'<img src="{BASE}logo.png" alt="the logo">' in html  # relative image resolved as on the Hub
    assert '<pre><code>print("a code block")' in html or "<pre><code>print(&quot;a code block&quot;)" in html
    assert "<s>struck text</s>" in html
    inputs = re.findall(r"<input[^>]*>", html)  # two task boxes, and payload 24 made a disabled box
    assert len(inputs) == 3 and all('type="checkbox"' in i and 'disabled="disabled"' in i for i in inputs)
    assert 'checked="checked"' in inputs[0]
    assert "<blockquote>" in html
    assert f'<a href="{BASE}docs/guide.md" target="_blank" rel="noopener noreferrer nofollow">' in html
    assert "front_matter_marker" not in html  # front matter stripped
    assert "details" in html  # allowed tags stay, their event handlers do not


def test_links_keep_safe_schemes_with_rel_and_target():
    html = markdown_html("[docs](https://huggingface.co/docs) and [mail](mailto:a@b.c) and <https://hf.co>")
    assert html.count('target="_blank"') == 3 and html.count('rel="noopener noreferrer nofollow"') == 3
    assert 'href="https://huggingface.co/docs"' in html and 'href="mailto:a@b.c"' in html
    img = sanitize_html('<img src="data:image/png;base64,AAAA"><img src="https://x.y/a.png">')
    assert 'src="data:image/png;base64,AAAA"' in img and 'src="https://x.y/a.png"' in img


def test_relative_urls_resolve_per_repo_type_and_revision():
    assert repo_file_base("http://h/", "a/b") == "http://h/a/b/resolve/main/"
    assert repo_file_base("http://h", "a/b", "dataset", "v1") == "http://h/datasets/a/b/resolve/v1/"
    assert (
        repo_file_base("http://h", "a/b", "space", "refs/pr/1")
        == "http://h/spaces/a/b/resolve/refs%2Fpr%2F1/"
    )
    html = markdown_html("![x](img/a.png) <img src='../b.png'>", repo_file_base("http://h", "a/b", "dataset"))
    assert 'src="http://h/datasets/a/b/resolve/main/img/a.png"' in html
    assert "src=" not in markdown_html("![x](img/a.png)")  # no base: dropped, never relative to JupyterLab


def test_link_helper_refuses_unsafe_urls():
    assert link("javascript:alert(1)", "x") == "x"
    assert "href='https://h/x'" in link("https://h/x", "x")


def test_notebook_preview_renders_markdown_escapes_code_and_outputs():
    html = notebook_html(json.loads(X.notebook()), BASE)
    _ok(html)
    assert "<h1>Payload model card</h1>" in html
    assert "&lt;script&gt;window.__xss_1=1&lt;/script&gt;" in html  # code shown, escaped
    assert "&lt;svg onload=window.__xss_3=1&gt;" in html  # text/plain escaped, text/html ignored
    assert f'src="data:image/png;base64,{X.TINY_PNG_BASE64}"' in html
    assert notebook_html({"cells": "nope"}) == "<div class='hubw-notebook'></div>"


def test_show_functions_put_only_sanitized_html_once():
    output, box = W.Output(), W.HTML()
    show_markdown(output, X.readme(), BASE)
    show_html(box, X.html_document(), BASE)
    for shown in (shown_html(output), shown_html(box)):
        _ok(shown)
    assert len(output.outputs) == 1 and list(output.outputs[0]["data"]) == [
        next(iter(output.outputs[0]["data"]))
    ]
    assert "<h1>Payload page</h1>" in shown_html(box)


def test_a_huge_markdown_is_capped_with_a_note():
    output = W.Output()
    text = "# Big\n\n" + "word " * 600_000  # 3 MB
    more = show_markdown(output, text, hint="The rest is elsewhere.")
    shown = shown_html(output)
    assert more > 0 and len(shown) <= MAX_SHOWN_CHARS + 1000
    assert f"Truncated — {more:,} more characters. The rest is elsewhere." in shown
    table = "| a | b |\n|---|---|\n" + "| x | y |\n" * 300_000  # grows when rendered
    more = show_markdown(output, table)
    assert more > 0 and len(shown_html(output)) <= MAX_SHOWN_CHARS + 1000
