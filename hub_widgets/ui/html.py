"""HTML for the widgets: tables, badges, links, and the ONE way Hub markdown / HTML reaches the page.

Everything a repo holds (cards, files, commit messages, model outputs) is untrusted. Outputs in an
ipywidgets `Output` are trusted by JupyterLab (never sanitized there) and the `HTML` widget sets
`innerHTML`, where event-handler attributes and `javascript:` links run. So Hub markdown is rendered
here, in the kernel (markdown-it-py: CommonMark + tables, strikethrough, task lists; front matter
dropped), and the HTML is sanitized with nh3 (Rust's ammonia) against an allowlist close to the
Hub's. `show_markdown` / `show_html` are the only functions that put such content in a widget, and
this is the only module of the package that writes a rich MIME bundle.

Sizes are capped too: no view sends more than `MAX_SHOWN_CHARS` of one Hub value to the frontend;
`clip` cuts a text and `truncated_note` says how much was left out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import ipywidgets as W
import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from hub_widgets._i18n import format_number, ngettext

# What one view may send of one Hub-provided value (a card, a file, a label, a raw JSON).
MAX_SHOWN_CHARS = 1_000_000

_BLOCK_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "br", "hr", "blockquote", "pre", "code",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "details", "summary", "center", "section", "article", "figure", "figcaption",
}  # fmt: skip
_INLINE_TAGS = {
    "a", "img", "em", "strong", "b", "i", "u", "s", "del", "ins", "strike", "mark", "small", "sub",
    "sup", "kbd", "samp", "var", "abbr", "cite", "q", "tt", "input",
}  # fmt: skip
ALLOWED_TAGS = frozenset(_BLOCK_TAGS | _INLINE_TAGS)
# Removed with their content (the others not allowed are removed, their text kept, escaped).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript", "xmp",
     "noembed", "noframes", "frameset", "frame", "applet", "textarea", "select", "title"}
)  # fmt: skip
_ALIGN = {"align"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "align"},
    "th": {"align", "colspan", "rowspan", "style"},
    "td": {"align", "colspan", "rowspan", "style"},
    "ol": {"start"},
    "details": {"open"},
    "abbr": {"title"},
    "input": {"checked"},
    **{tag: _ALIGN for tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr")},
}
LINK_REL = "noopener noreferrer nofollow"
# Inside an HTML widget JupyterLab gives links the text colour: without these they read as plain text.
LINK_STYLE = "color:var(--jp-content-link-color,#1976d2);text-decoration:underline;cursor:pointer"
# A plain <button> in an HTML widget gets no theme at all (issue 15 §4: "the copy button is unstyled").
COPY_BUTTON_STYLE = (
    "cursor:pointer;padding:2px 10px;margin-left:6px;vertical-align:middle;font-size:var(--jp-ui-font-size1,13px);"
    "color:var(--jp-ui-font-color1,#111);background:var(--jp-layout-color2,#eee);"
    "border:1px solid var(--jp-border-color1,#bbb);border-radius:3px"
)
# The click handler of `copy_button`: one constant script, no data in it. The text to copy is the text
# content of the hidden element next to the button (HTML-escaped there), the labels are data attributes.
COPY_ONCLICK = (
    "(function(b){var d=b.dataset,t=b.parentNode.querySelector('.hubw-copy-text').textContent,"
    "l=b.querySelector('.hubw-copy-label'),"
    "say=function(s){l.textContent=s;setTimeout(function(){l.textContent=d.label},2000)},"
    "no=function(){var a=document.createElement('textarea');a.value=t;document.body.appendChild(a);"
    "a.select();var r=false;try{r=document.execCommand('copy')}catch(e){}a.remove();say(r?d.done:d.failed)};"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t).then(function(){say(d.done)},no)}"
    "else{no()}})(this)"
)


def copy_button(
    text: str | None, label: str, done: str, failed: str, icon: str = "clipboard", hint: str = ""
) -> str:
    """A button (HTML for an `HTML` widget) that copies `text` to the clipboard in one click and says so.

    The kernel cannot reach the browser's clipboard: the click is handled in the page by the constant
    `COPY_ONCLICK`, which holds no data. `text` (model output may be in it) is only ever HTML text,
    escaped, in a hidden element beside the button; it never enters a script. Without a secure context
    (plain http to another host) the script falls back to `document.execCommand('copy')`.

    Args:
        text: What to copy; None draws the button disabled (nothing to copy yet).
        label: The button's text (already translated).
        done: Shown on the button for two seconds after copying ("Copied").
        failed: Shown when the browser refused.
        icon: A Font Awesome 4 icon name.
        hint: The tooltip.
    """
    style = (
        COPY_BUTTON_STYLE + ";margin-left:0;height:var(--jp-widgets-inline-height,28px);white-space:nowrap"
    )
    attrs = f'class="hubw-copy" style="{style}"'
    if hint:
        attrs += f' title="{html.escape(hint)}"'
    body = (
        f'<i class="fa fa-{html.escape(icon)}" aria-hidden="true"></i> '
        f'<span class="hubw-copy-label">{html.escape(label)}</span>'
    )
    if text is None:
        return f"<button {attrs} disabled>{body}</button>"
    data = " ".join(
        f'data-{k}="{html.escape(v)}"' for k, v in (("label", label), ("done", done), ("failed", failed))
    )
    return (
        f'<span class="hubw-copy-box"><button {attrs} {data} onclick="{html.escape(COPY_ONCLICK)}">{body}</button>'
        f'<span class="hubw-copy-text" hidden>{html.escape(text)}</span></span>'
    )


_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|jpg|gif|webp|avif|bmp);", re.IGNORECASE)
# Browsers drop ASCII tab / newline / CR anywhere in a URL and leading C0 controls and spaces.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def _allowed_url(tag: str, attribute: str, value: str) -> bool:
    """True for the URLs the page may hold: links to http(s) / mailto, images from http(s) / data:image."""
    compact = _URL_NOISE.sub("", value)
    match = _SCHEME.match(compact)
    if match is None:
        return True  # relative: resolved against the repo, or removed when there is no base
    scheme = match.group(1).lower()
    if tag == "a" and attribute == "href":
        return scheme in ("http", "https", "mailto")
    if tag == "img" and attribute == "src":
        return scheme in ("http", "https") or (scheme == "data" and _DATA_IMAGE.match(compact) is not None)
    return False


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("href", "src"):
        return value if _allowed_url(tag, attribute, value) else None
    return value


@lru_cache(maxsize=32)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        link_rel=LINK_REL,
        # A task-list box is all an <input> may be: whatever it says, it becomes a disabled checkbox.
        set_tag_attribute_values={
            "a": {"target": "_blank"},
            "input": {"type": "checkbox", "disabled": "disabled"},
        },
        url_schemes={"http", "https", "mailto", "data"},
        filter_style_properties={"text-align"},
        url_relative=("rewrite_with_base", base_url) if base_url else "deny",
        strip_comments=True,
    )


def sanitize_html(text: str, base_url: str | None = None) -> str:
    """Untrusted HTML made inert: only the allowlisted tags, attributes and URLs remain.

    Args:
        text: HTML from the Hub (a card's raw HTML, an .html file, markdown rendered by `markdown_html`).
        base_url: What relative links and images resolve against (a repo's `.../resolve/<revision>/`
            URL); without it, relative URLs are removed.

    Returns:
        HTML safe to hand to the frontend.
    """
    return _cleaner(base_url).clean(text)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(tasklists_plugin)
    return md


def markdown_html(text: str, base_url: str | None = None) -> str:
    """Markdown (CommonMark + tables, strikethrough, task lists; YAML front matter dropped) as sanitized HTML.

    Args:
        text: The markdown, e.g. a README.
        base_url: See `sanitize_html`.
    """
    return sanitize_html(_markdown().render(text), base_url)


def repo_file_base(endpoint: str, repo_id: str, repo_type: str = "model", revision: str = "main") -> str:
    """The URL a card's relative links and images resolve against, as on the Hub.

    Args:
        endpoint: The Hub's URL (e.g. `https://huggingface.co`).
        repo_id: `owner/name`.
        repo_type: "model", "dataset" or "space" (the latter two get their URL prefix).
        revision: A branch, tag or commit; a slash in it is encoded.
    """
    prefix = {"dataset": "datasets/", "space": "spaces/"}.get(repo_type, "")
    return f"{endpoint.rstrip('/')}/{prefix}{repo_id}/resolve/{revision.replace('/', '%2F')}/"


# -- caps ---------------------------------------------------------------------------------------


def clip(text: str, limit: int = MAX_SHOWN_CHARS) -> tuple[str, int]:
    """`text` cut to `limit` characters, and how many characters were cut (0: all of it)."""
    if len(text) <= limit:
        return text, 0
    return text[:limit], len(text) - limit


def shorten(text: str, limit: int = 200) -> str:
    """A label cut to `limit` characters with an ellipsis (for names, tags, titles)."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def truncated_note(count: int, unit: str = "characters", hint: str = "") -> str:
    """The line shown under a cut value: "truncated — N more characters", then where the rest is.

    Args:
        count: How much was left out.
        unit: "characters", "bytes" or "items".
        hint: A translated sentence telling where the full value is (escaped here).
    """
    if unit == "bytes":
        text = ngettext("Truncated — {count} more byte.", "Truncated — {count} more bytes.", count)
    elif unit == "items":
        text = ngettext("Truncated — {count} more item.", "Truncated — {count} more items.", count)
    else:
        text = ngettext("Truncated — {count} more character.", "Truncated — {count} more characters.", count)
    line = text.format(count=format_number(count))
    if hint:
        line += " " + hint
    return f"<div class='hubw-truncated' style='color:#9a6700;font-size:90%'>{html.escape(line)}</div>"


# -- showing ------------------------------------------------------------------------------------


def _put(target: W.Output | W.HTML, safe_html: str) -> None:
    if isinstance(target, W.Output):
        # The frontend's HTML renderer styles headings and tables like a notebook's markdown.
        # Thread-safe (no `with output:`), and only one copy of the content is sent.
        target.outputs = ({"output_type": "display_data", "data": {"text/html": safe_html}, "metadata": {}},)
    else:
        target.value = safe_html


def shown_html(target: W.Output | W.HTML) -> str:
    """The HTML that `show_html` / `show_markdown` last put in `target` ("" if nothing)."""
    if isinstance(target, W.Output):
        return "".join(str(o.get("data", {}).get("text/html", "")) for o in target.outputs)
    return target.value


def show_html(
    target: W.Output | W.HTML,
    text: str,
    base_url: str | None = None,
    limit: int = MAX_SHOWN_CHARS,
    hint: str = "",
) -> int:
    """Show untrusted HTML, sanitized and capped, in an `Output` or `HTML` widget.

    Args:
        target: The widget.
        text: The HTML (from the Hub, a file, a model).
        base_url: See `sanitize_html`.
        limit: The most characters of `text` shown; past it a "truncated" note follows.
        hint: Where the full value is, for the note.

    Returns:
        How many characters were left out (0: all of it is shown).
    """
    shown, more = clip(text, limit)
    safe = sanitize_html(shown, base_url)
    _put(target, _capped(safe, limit) + (truncated_note(more, hint=hint) if more else ""))
    return more


def show_markdown(
    target: W.Output | W.HTML,
    text: str,
    base_url: str | None = None,
    limit: int = MAX_SHOWN_CHARS,
    hint: str = "",
) -> int:
    """Show untrusted markdown rendered here and sanitized, capped, in an `Output` or `HTML` widget.

    Args:
        target: The widget.
        text: The markdown (a card, a .md file, a model's answer).
        base_url: See `sanitize_html`; for a card, `repo_file_base(...)`.
        limit: The most characters of HTML sent; the markdown past what fits is left out, with a
            "truncated" note.
        hint: Where the full value is, for the note.

    Returns:
        How many characters were left out (0: all of it is shown).
    """
    # Rendered HTML is about 2.5 times its markdown: render only what can fit (and rendering a
    # huge text would hold the kernel for seconds).
    shown, more = clip(text, limit * 2 // 5)
    safe = markdown_html(shown, base_url)
    if len(safe) > limit:
        # Rendering grew the text (tags around every line): render a proportionally shorter head.
        shown = shown[: int(len(shown) * limit / len(safe) * 0.9)]
        more = len(text) - len(shown)
        safe = _capped(markdown_html(shown, base_url), limit)
    _put(target, safe + (truncated_note(more, hint=hint) if more else ""))
    return more


def show_notebook(
    target: W.Output | W.HTML,
    notebook: dict[str, Any],
    base_url: str | None = None,
    limit: int = MAX_SHOWN_CHARS,
) -> None:
    """Show a Jupyter notebook (parsed `.ipynb` JSON) as `notebook_html` renders it: inert, capped.

    Args:
        target: The widget.
        notebook: The notebook's JSON.
        base_url: See `sanitize_html`.
        limit: The most characters of HTML sent.
    """
    _put(target, notebook_html(notebook, base_url, limit))


def _capped(safe_html: str, limit: int) -> str:
    # The last resort: cut the HTML itself, then sanitize the cut again so a tag split in two is
    # dropped and open elements are closed.
    if len(safe_html) <= limit:
        return safe_html
    return sanitize_html(safe_html[:limit])


def set_markdown(output: W.Output | W.HTML, text: str, base_url: str | None = None) -> None:
    """Show markdown in `output`: rendered in the kernel and sanitized (see `show_markdown`)."""
    show_markdown(output, text, base_url)


def escaped_pre(text: str, max_height: str = "400px") -> str:
    """Plain text in a scrolling `<pre>`, escaped."""
    return (
        f"<pre style='max-height:{max_height};overflow:auto;white-space:pre-wrap;font-size:90%'>"
        f"{html.escape(text)}</pre>"
    )


# -- small pieces -------------------------------------------------------------------------------


# Line prefix -> style; the first match wins ("+++" before "+").
_DIFF_STYLES = (
    ("+++", "color:#6e7781"),
    ("---", "color:#6e7781"),
    ("+", "color:#1a7f37;background:#e6ffec"),
    ("-", "color:#cf222e;background:#ffebe9"),
    ("@@", "color:#0969da"),
)


def diff_html(diff: str, css_class: str = "", max_height: str = "400px") -> str:
    """A unified diff as escaped, coloured HTML: added lines green, removed red, hunk headers blue.

    Args:
        diff: The unified diff text (cut it before: escaped and coloured, it doubles).
        css_class: Another class for the `<pre>`, besides `hubw-diff`.
        max_height: Beyond it, the block scrolls.
    """
    rows = []
    for line in diff.splitlines():
        style = next((style for prefix, style in _DIFF_STYLES if line.startswith(prefix)), "")
        rows.append(f"<span style='{style}'>{html.escape(line)}</span>")
    classes = f"hubw-diff {css_class}".strip()
    return (
        f"<pre class='{classes}' style='max-height:{max_height};overflow:auto;font-size:85%;"
        "border:1px solid #d0d7de;padding:4px'>" + "\n".join(rows) + "</pre>"
    )


def html_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], raw_columns: Iterable[int] = ()
) -> str:
    """An HTML table; cells are escaped except in `raw_columns` (for badges and links built here)."""
    raw = set(raw_columns)
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{html.escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f"<td style='padding:2px 8px'>{cell if i in raw else html.escape(str(cell))}</td>"
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table class='hubw-table'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def badge(text: str, color: str = "#6e7781") -> str:
    """A small coloured label (private, gated, LFS, ...), as HTML."""
    return (
        f"<span style='border:1px solid {color};color:{color};border-radius:4px;"
        f"padding:0 4px;font-size:85%'>{html.escape(text)}</span>"
    )


def safe_url(url: str) -> str | None:
    """`url` if a link may point there (http, https, mailto, or relative), else None."""
    return url if _allowed_url("a", "href", url) else None


def link(url: str, text: str | None = None) -> str:
    """An HTML link opening in a new tab; a `javascript:` (or other unsafe) URL gives plain text."""
    label = html.escape(text or url)
    if safe_url(url) is None:
        return label
    return (
        f"<a href='{html.escape(url, quote=True)}' target='_blank' rel='{LINK_REL}' "
        f"style='{LINK_STYLE}'>{label}</a>"
    )


def notebook_html(notebook: dict[str, Any], base_url: str | None = None, limit: int = MAX_SHOWN_CHARS) -> str:
    """A Jupyter notebook (parsed JSON) as sanitized HTML: markdown cells rendered, code escaped,
    outputs shown as their text/plain (escaped) or images (as data:image).

    Args:
        notebook: The `.ipynb` JSON.
        base_url: See `sanitize_html`.
        limit: The most characters of HTML produced; the cells past it are counted in a note.
    """
    parts: list[str] = []
    size = 0
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    cells = cells if isinstance(cells, list) else []
    for index, cell in enumerate(cells):
        piece = _cell_html(cell if isinstance(cell, dict) else {}, base_url)
        size += len(piece)
        if size > limit:
            parts.append(truncated_note(len(cells) - index, unit="items"))
            break
        parts.append(piece)
    return "<div class='hubw-notebook'>" + "".join(parts) + "</div>"


def _source(value: Any) -> str:
    return "".join(str(v) for v in value) if isinstance(value, list) else str(value or "")


def _cell_html(cell: dict[str, Any], base_url: str | None) -> str:
    kind = cell.get("cell_type")
    source = _source(cell.get("source"))
    if kind == "markdown":
        return f"<div class='hubw-nb-markdown'>{markdown_html(source, base_url)}</div>"
    if kind != "code":
        return escaped_pre(source)
    parts = [
        "<pre class='hubw-nb-code' style='background:#f6f8fa;padding:4px;white-space:pre-wrap'>"
        f"{html.escape(source)}</pre>"
    ]
    outputs = cell.get("outputs")
    for output in outputs if isinstance(outputs, list) else []:
        if not isinstance(output, dict):
            continue
        if output.get("output_type") == "stream":
            parts.append(escaped_pre(_source(output.get("text"))))
            continue
        data = output.get("data") if isinstance(output.get("data"), dict) else {}
        image = next((m for m in ("image/png", "image/jpeg", "image/gif") if m in data), None)
        if image is not None:
            encoded = re.sub(r"\s+", "", _source(data[image]))
            parts.append(sanitize_html(f"<img src='data:{image};base64,{encoded}'>"))
        elif "text/plain" in data:
            parts.append(escaped_pre(_source(data["text/plain"])))
        elif output.get("output_type") == "error":
            parts.append(escaped_pre(f"{output.get('ename', '')}: {output.get('evalue', '')}"))
    return "".join(parts)
