"""HTML of the sandbox Hub's pages: one layout, escaped text, sanitized markdown, file diffs.

Everything shown comes from users (repo and file names, commit messages, cards, comments) and is
untrusted: plain text goes through `esc`, markdown through `markdown_html` (markdown-it-py, then nh3
against an allowlist close to the Hub's). The pages also carry a Content-Security-Policy without
scripts (`PAGE_HEADERS`), so even a sanitizer bug could not run one.
"""

from __future__ import annotations

import base64
import difflib
import html
import re
from datetime import datetime, timezone
from functools import lru_cache
from urllib.parse import quote

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from hub_widgets._catalogs import ENGLISH, date_text, from_accept_language, translations

PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; img-src 'self' data: http: https:; "
    "style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
MAX_MARKDOWN = 500_000  # characters of a card or comment rendered; the rest is cut
MAX_TEXT = 1_000_000  # bytes of a file shown on its page
MAX_DIFF_FILE = 256_000  # bytes of each side of a file diffed on a commit page
MAX_DIFF_LINES = 5_000  # diff lines shown on one commit page
IMAGE_TYPES = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif", "webp": "webp", "bmp": "bmp"}

_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "br", "hr", "blockquote", "pre", "code",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "details", "summary", "a", "img", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small",
    "sub", "sup", "kbd", "abbr", "cite", "q", "input",
}  # fmt: skip
_DROPPED = {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript", "textarea",
            "select", "title", "xmp", "noembed", "noframes", "frameset", "frame", "applet"}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "details": {"open"},
    "abbr": {"title"},
    "input": {"checked"},
}
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|bmp);", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop these inside URLs
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


class Translated:
    """Mixin for page handlers: `self._(...)` / `self.ngettext(...)` in the language the browser asks for
    (`Accept-Language`), from the package's catalogs (the widgets' domain, `hub_widgets`)."""

    @property
    def page_language(self) -> str:
        """The catalog of this request: ``"zh_CN"``, ``"ja_JP"``, ``"de_DE"`` or ``"en"``."""
        cached = self.__dict__.get("_page_language")
        if cached is None:
            header = self.request.headers.get("Accept-Language")  # type: ignore[attr-defined]
            cached = self.__dict__["_page_language"] = from_accept_language(header)
        return cached  # type: ignore[no-any-return]

    def _(self, message: str) -> str:
        """Translate a page's message (format its placeholders afterwards, escaping what they hold)."""
        return translations(self.page_language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a message that depends on a count."""
        return translations(self.page_language).ngettext(singular, plural, n)

    def page_date(self, when: float | str | None) -> str:
        """A `<time>` element: the date and time (UTC) as the page's language writes them, the exact ISO
        time as its `datetime`. `when` is an epoch time or the Hub's ISO string ("" shows nothing)."""
        if when is None or when == "":
            return ""
        try:
            moment = (
                datetime.fromtimestamp(float(when), timezone.utc)
                if not isinstance(when, str)
                else datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(timezone.utc)
            )
        except (TypeError, ValueError, OverflowError, OSError):
            return esc(str(when))
        shown = date_text(moment, self.page_language, with_time=True)
        exact = moment.isoformat(timespec="seconds").replace("+00:00", "Z")
        return f'<time datetime="{esc(exact)}">{esc(shown)} UTC</time>'


def html_lang(catalog: str) -> str:
    """The `lang` attribute of a page in `catalog` (``zh_CN`` -> ``zh-CN``)."""
    return "en" if catalog == ENGLISH else catalog.replace("_", "-")


def esc(value: object) -> str:
    """Any value as HTML text (quotes escaped too: safe in attributes)."""
    return html.escape(str(value), quote=True)


def _url_ok(tag: str, attribute: str, value: str) -> str | None:
    if attribute not in ("href", "src"):
        return value
    compact = _URL_NOISE.sub("", value)
    match = _SCHEME.match(compact)
    if match is None:
        return value  # relative: rewritten against the repo's files
    scheme = match.group(1).lower()
    if tag == "a":
        return value if scheme in ("http", "https", "mailto") else None
    if scheme in ("http", "https") or (scheme == "data" and _DATA_IMAGE.match(compact)):
        return value
    return None


@lru_cache(maxsize=16)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(_TAGS),
        clean_content_tags=set(_DROPPED),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        attribute_filter=_url_ok,
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"input": {"type": "checkbox", "disabled": "disabled"}},
        url_schemes={"http", "https", "mailto", "data"},
        url_relative=("rewrite_with_base", base_url) if base_url else "deny",
        strip_comments=True,
    )


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": True, "linkify": False})
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(tasklists_plugin)
    )


def sanitize(text: str, base_url: str | None = None) -> str:
    """Untrusted HTML made inert: only allowlisted tags, attributes and URLs remain.

    Args:
        text: HTML from a repo or a comment.
        base_url: What relative URLs resolve against; without it they are removed.
    """
    return _cleaner(base_url).clean(text)


def markdown_html(text: str, base_url: str | None = None) -> str:
    """Repo markdown (front matter dropped) rendered and sanitized.

    Args:
        text: The markdown (a card, a comment).
        base_url: What relative links and images resolve against (a repo's resolve URL).
    """
    return sanitize(_markdown().render(text[:MAX_MARKDOWN]), base_url)


def repo_path(repo_type: str, repo_id: str) -> str:
    """The site path of a repo: `/{prefix}{namespace}/{name}`, each part percent-encoded."""
    return "/" + PREFIX[repo_type] + "/".join(quote(part, safe="") for part in repo_id.split("/", 1))


def rev_part(revision: str) -> str:
    """A revision as one URL segment (`refs/pr/1` -> `refs%2Fpr%2F1`)."""
    return quote(revision, safe="")


def file_part(path: str) -> str:
    return quote(path, safe="/")


def human_size(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000  # type: ignore[assignment]
    return str(size)


def layout(page: Translated, title: str, body: str, viewer: str | None = None) -> str:
    """A whole page: header (who is signed in, a link to the tokens page) and `body` (already HTML).

    Args:
        page: The handler (its language).
        title: Plain text (escaped here).
        body: HTML, already escaped or sanitized.
        viewer: The signed-in user, or None.
    """
    _ = page._
    who = (
        _("Signed in as <b>{user}</b>").format(user=esc(viewer))
        + f' · <a href="/settings/tokens">{_("Access tokens")}</a>'
        if viewer
        else f'<a href="/settings/tokens">{_("Sign in")}</a>'
    )
    return (
        f'<!doctype html><html lang="{html_lang(page.page_language)}"><head><meta charset="utf-8">'
        f"<title>{esc(title)} - Sandbox Hub</title><style>{_STYLE}</style></head><body>"
        f'<header><a href="/" class="home">Sandbox Hub</a><span class="who">{who}</span></header>'
        f"<main>{body}</main></body></html>"
    )


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;color:#111}header{display:flex;justify-content:"
    "space-between;padding:.6em 1.2em;border-bottom:1px solid #ddd;background:#f8f8f8}"
    "main{max-width:60em;margin:1em auto;padding:0 1em}a{color:#2563eb}.home{font-weight:bold;"
    "text-decoration:none;color:#111}table{border-collapse:collapse}td,th{padding:.2em .6em;"
    "border-bottom:1px solid #eee;text-align:left}pre{background:#f6f6f6;padding:.6em;overflow:auto}"
    ".badge{display:inline-block;padding:0 .4em;border:1px solid #ccc;border-radius:.3em;font-size:85%}"
    ".card{border:1px solid #ddd;padding:0 1em;margin:1em 0;overflow:auto}.add{background:#e6ffec}"
    ".del{background:#ffebe9}.hunk{color:#666}.event{border-left:3px solid #ddd;padding:.2em .8em;"
    "margin:.8em 0}.muted{color:#666}.msg{padding:.5em;background:#eef}.secret{font-family:monospace;"
    "font-size:1.1em;background:#ffd;padding:.3em;user-select:all}label{display:block;margin:.4em 0}"
)


def repo_header(
    page: Translated, repo_type: str, repo_id: str, private: bool, gated: bool, current: str = ""
) -> str:
    """The title of every repo page: kind, linked id, private / gated badges, the repo's sections.

    Args:
        page: The handler (its language).
        repo_type: model, dataset or space.
        repo_id: The repo's id.
        private: Show the private badge.
        gated: Show the gated badge.
        current: The section shown (already translated), if not the card.
    """
    _ = page._
    kinds = {"model": _("model"), "dataset": _("dataset"), "space": _("Space")}
    base = repo_path(repo_type, repo_id)
    badges = "".join(
        f' <span class="badge">{label}</span>'
        for label, on in ((_("private"), private), (_("gated"), gated))
        if on
    )
    return (
        f'<h1><span class="badge">{esc(kinds.get(repo_type, repo_type))}</span> '
        f'<a href="{esc(base)}">{esc(repo_id)}</a>{badges}</h1>'
        f'<p><a href="{esc(base)}">{_("Card")}</a> · <a href="{esc(base)}/tree/main">{_("Files")}</a>'
        f"{(' · ' + esc(current)) if current else ''}</p>"
    )


def image_data_url(path: str, data: bytes) -> str | None:
    """A `data:` URL for a raster image file (by its extension), or None if it is not one."""
    kind = IMAGE_TYPES.get(path.rsplit(".", 1)[-1].lower()) if "." in path else None
    if kind is None:
        return None
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")


def as_text(data: bytes) -> str | None:
    """The bytes as text if they look like text (UTF-8, no NUL byte), else None."""
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def diff_html(path: str, old: str | None, new: str | None, budget: list[int], cut: str) -> str:
    """A unified diff of one text file as escaped HTML lines; `budget[0]` lines left on this page.

    Args:
        path: The file (shown in the diff header).
        old: Its text before the commit ('' when added).
        new: Its text after ('' when deleted).
        budget: A one-item list: how many diff lines the page may still show (decremented).
        cut: The (translated) line that says the page's diff budget ran out.
    """
    lines = difflib.unified_diff(
        (old or "").splitlines(), (new or "").splitlines(), f"a/{path}", f"b/{path}", lineterm="", n=3
    )
    out = []
    for line in lines:
        if budget[0] <= 0:
            out.append(f'<span class="muted">{esc(cut)}</span>')
            break
        budget[0] -= 1
        css = (
            "hunk"
            if line.startswith("@@")
            else "add"
            if line[:1] == "+"
            else "del"
            if line[:1] == "-"
            else ""
        )
        out.append(f'<span class="{css}">{esc(line)}</span>' if css else esc(line))
    return "<pre>" + "\n".join(out) + "</pre>"
