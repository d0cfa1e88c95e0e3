"""The XSS battery shared by the Python sanitizer suite and the browser spec (ui-tests/tests/xss.spec.ts,
which gets the files from `ui-tests/launch.py`).

Each payload sets its own `window.__xss_<n>` flag if it ever runs. `dangerous(html)` lists what in an
HTML string could run or navigate: it parses the HTML (escaped text such as `&lt;script&gt;` shown in
a code block is text, not a tag) and reports forbidden tags, event-handler attributes and URLs with
a scheme other than http(s) / mailto (and data:image for images).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

FLAG = "__xss_"

# (flag number, what it tries, the markdown / HTML as it appears in a README)
PAYLOADS: list[tuple[int, str, str]] = [
    (1, "script tag", "<script>window.__xss_1=1</script>"),
    (2, "img onerror", '<img src="x" onerror="window.__xss_2=1">'),
    (3, "svg onload", '<svg onload="window.__xss_3=1"><circle r="1"></circle></svg>'),
    (4, "iframe srcdoc", '<iframe srcdoc="<script>parent.__xss_4=1</script>"></iframe>'),
    (5, "markdown javascript: link", "[markdown js link](javascript:window.__xss_5=1)"),
    (6, "HTML javascript: link", '<a href="javascript:window.__xss_6=1">html js link</a>'),
    (7, "hex-entity scheme", '<a href="jav&#x61;script:window.__xss_7=1">hex entity link</a>'),
    (8, "decimal-entity scheme", '<a href="&#106;avascript:window.__xss_8=1">dec entity link</a>'),
    (9, "mixed-case scheme", '<a href="JaVaScRiPt:window.__xss_9=1">mixed case link</a>'),
    (10, "tab in scheme", '<a href="java\tscript:window.__xss_10=1">tab link</a>'),
    (11, "onclick anchor", '<a href="#top" onclick="window.__xss_11=1">onclick link</a>'),
    (12, "style element", '<style onload="window.__xss_12=1">body{color:red}</style>'),
    (13, "base href", '<base href="javascript:window.__xss_13=1//">'),
    (14, "meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:window.__xss_14=1">'),
    (15, "object data", '<object data="javascript:window.__xss_15=1"></object>'),
    (16, "embed src", '<embed src="javascript:window.__xss_16=1">'),
    (17, "form action", '<form action="javascript:window.__xss_17=1"><button>form button</button></form>'),
    (18, "math mXSS", '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss_18=1">'),
    (
        19,
        "data:text/html link",
        '<a href="data:text/html,<script>opener.__xss_19=1</script>">data html link</a>',
    ),
    (20, "vbscript link", '<a href="vbscript:window.__xss_20=1">vbscript link</a>'),
    (21, "markdown image javascript:", "![md js image](javascript:window.__xss_21=1)"),
    (22, "img javascript: src", '<img src="javascript:window.__xss_22=1">'),
    (
        23,
        "details ontoggle",
        '<details open ontoggle="window.__xss_23=1"><summary>details</summary>x</details>',
    ),
    (24, "input onfocus", '<input autofocus onfocus="window.__xss_24=1">'),
    (25, "leading space scheme", '<a href="  javascript:window.__xss_25=1">space link</a>'),
    (26, "style url()", '<div style="background:url(javascript:window.__xss_26=1)">styled div</div>'),
    (27, "reference link", "[reference js link][evil]\n\n[evil]: javascript:window.__xss_27=1"),
    (28, "svg image data", "<img src=\"data:image/svg+xml,<svg onload='opener.__xss_28=1'></svg>\">"),
    (
        29,
        "noscript mXSS",
        '<noscript><p title="</noscript><img src=x onerror=window.__xss_29=1>"></noscript>',
    ),
    (30, "data: link", '<a href="data:,window.__xss_30=1">plain data link</a>'),
    (31, "autolink javascript:", "<javascript:window.__xss_31=1>"),
    (32, "newline in scheme", '<a href="java\nscript:window.__xss_32=1">newline link</a>'),
    # The page's math typesetter (MathJax) reads `$…$` in rendered HTML: its links must be inert too.
    (33, "MathJax href", "$\\href{javascript:window.__xss_33=1}{mathjax link}$"),
    (34, "MathJax display href", "$$\\href{javascript:window.__xss_34=1}{display math link}$$"),
]

# The parts that must still render, as on the Hub.
LEGIT_MARKDOWN = """# Payload model card

A paragraph with **bold**, *emphasis*, ~~struck text~~ and `inline code`.

| Metric | Value |
|--------|------:|
| accuracy | 0.91 |

![the logo](logo.png)

```python
print("a code block")
```

- [x] a done task
- [ ] an open task

> a quote

[a relative link](docs/guide.md)
"""

FRONT_MATTER = "---\nlicense: mit\nfront_matter_marker: do-not-show\n---\n"


# Left open, these swallow what follows them (inertly): they go last so the others are seen too.
_SWALLOWING = {18, 29}


def payload_markdown() -> str:
    """Every payload, one per paragraph."""
    ordered = sorted(PAYLOADS, key=lambda p: p[0] in _SWALLOWING)
    return "\n\n".join(f"Payload {n} ({what}):\n\n{snippet}" for n, what, snippet in ordered) + "\n"


def readme() -> str:
    """A README with front matter, the legitimate parts, then every payload."""
    return FRONT_MATTER + LEGIT_MARKDOWN + "\n" + payload_markdown()


def html_document() -> str:
    """An .html file: legitimate HTML, then every HTML payload (markdown ones stay text)."""
    legit = (
        "<h1>Payload page</h1><table><tr><th>Metric</th><td>0.91</td></tr></table>"
        "<img src='logo.png' alt='the logo'><pre><code>print('a code block')</code></pre>"
    )
    return (
        "<!doctype html><html><head><title>t</title></head><body>"
        + legit
        + "".join(f"<p>{snippet}</p>" for _n, _w, snippet in PAYLOADS)
        + "</body></html>"
    )


def notebook() -> str:
    """An .ipynb whose markdown cells, code, and outputs all carry payloads."""
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": LEGIT_MARKDOWN},
        {"cell_type": "markdown", "metadata": {}, "source": payload_markdown()},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": 1,
            "source": "<script>window.__xss_1=1</script>\nprint('a code cell')",
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": "<img src=x onerror=window.__xss_2=1>\n"},
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {
                        "text/html": "<img src=x onerror=window.__xss_2=1>",
                        "application/javascript": "window.__xss_1=1",
                        "text/plain": "<svg onload=window.__xss_3=1>",
                    },
                },
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"image/png": TINY_PNG_BASE64, "text/plain": "<Figure>"},
                },
            ],
        },
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


# A 1x1 PNG.
TINY_PNG_BASE64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "form", "svg", "math", "base", "meta", "link",
    "frame", "frameset", "applet", "noscript", "template", "textarea", "select", "button",
}  # fmt: skip
_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "srcdoc",
    "xlink:href",
    "background",
    "poster",
}
_NOISE = re.compile(r"[\x00-\x20\x7f]+")


# The package's own copy button (`hub_widgets.ui.html.copy_button`): its one constant click handler holds
# no data (what it copies is escaped text beside it), so it is the one button and handler allowed.
_COPY_BUTTON_ATTRIBUTES = {
    "class",
    "style",
    "title",
    "disabled",
    "data-label",
    "data-done",
    "data-failed",
    "onclick",
}


def _is_copy_button(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    from hub_widgets.ui.html import COPY_ONCLICK

    found = dict(attrs)
    return (
        tag == "button"
        and found.get("class") == "hubw-copy"
        and set(found) <= _COPY_BUTTON_ATTRIBUTES
        and found.get("onclick", COPY_ONCLICK) == COPY_ONCLICK
        and not re.search(r"url\(|expression|script:|position", found.get("style") or "", re.I)
    )


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if _is_copy_button(tag, attrs):
            return
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            elif name == "style" and re.search(r"url\(|expression|script:|position", value or "", re.I):
                self.problems.append(f"<{tag} style={value!r}>")
            elif name in _URL_ATTRIBUTES and value is not None:
                url = _NOISE.sub("", value).lower()
                scheme = url.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.\-]*:", url) else ""
                ok = (
                    scheme in ("", "http", "https", "mailto")
                    if name == "href"
                    else scheme in ("", "http", "https")
                )
                if tag == "img" and name == "src" and re.match(r"data:image/(png|jpeg|gif|webp);", url):
                    ok = True
                if name not in ("href", "src") or not ok:
                    self.problems.append(f"<{tag} {name}={value[:40]!r}>")

    handle_startendtag = handle_starttag


def dangerous(html: str) -> list[str]:
    """What in `html` could run script or navigate somewhere unsafe ([] when inert)."""
    scan = _Scan()
    scan.feed(html)
    scan.close()
    return scan.problems
