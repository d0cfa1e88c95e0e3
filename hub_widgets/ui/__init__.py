"""Small shared widget pieces: status line, progress, formatting; HTML pieces and the one sanitizer
for Hub content live in `hub_widgets.ui.html` (re-exported here).

Only core ipywidgets 8 controls (plus HTML and Output), so everything renders in JupyterLab,
Notebook 7, VS Code and Colab without extra installs.
"""

from __future__ import annotations

import threading
import time
from html import escape  # (the name `html` is the submodule hub_widgets.ui.html)

import ipywidgets as W

from hub_widgets._i18n import _, ngettext
from hub_widgets.formats import format_bytes, format_duration
from hub_widgets.ui.html import (
    MAX_SHOWN_CHARS,
    badge,
    clip,
    diff_html,
    escaped_pre,
    html_table,
    link,
    markdown_html,
    notebook_html,
    repo_file_base,
    safe_url,
    sanitize_html,
    set_markdown,
    shorten,
    show_html,
    show_markdown,
    show_notebook,
    shown_html,
    truncated_note,
)

__all__ = [
    "MAX_SHOWN_CHARS",
    "ProgressView",
    "StatusLine",
    "badge",
    "clip",
    "diff_html",
    "escaped_pre",
    "fa_icon",
    "fit_button",
    "format_bytes",
    "format_duration",
    "html_table",
    "link",
    "markdown_html",
    "notebook_html",
    "repo_file_base",
    "row",
    "safe_url",
    "sanitize_html",
    "set_markdown",
    "shorten",
    "show_html",
    "show_markdown",
    "show_notebook",
    "shown_html",
    "truncated_note",
]

_COLORS = {"info": "#555", "busy": "#555", "success": "#1a7f37", "warning": "#9a6700", "error": "#cf222e"}
# Font Awesome 4.7 (shipped by JupyterLab and ipywidgets): emoji render as boxes without an emoji font.
_ICONS = {
    "info": "",
    "busy": "spinner fa-spin",
    "success": "check",
    "warning": "exclamation-triangle",
    "error": "times-circle",
}


def fa_icon(name: str) -> str:
    """The HTML of a Font Awesome icon (`name` without the `fa-` prefix, e.g. "lock"), for HTML values.

    Args:
        name: The icon's name (a constant of the package, never text from the Hub).
    """
    return f'<i class="fa fa-{escape(name)}" aria-hidden="true"></i>'


def row(children: list, **layout: str) -> W.HBox:
    """A row of controls that wraps onto more lines when its container is narrow (a sidebar).

    Args:
        children: The controls, in reading order.
        **layout: Extra `ipywidgets.Layout` traits (e.g. `align_items="center"`).
    """
    box = W.HBox(children, layout=W.Layout(flex_flow="row wrap", max_width="100%", **layout))
    box.add_class("hubw-row")
    return box


def fit_button(button: W.Button) -> W.Button:
    """Size `button` to its label (ipywidgets' fixed default width cuts longer and translated labels)."""
    button.layout.width = "auto"
    button.layout.flex = "0 0 auto"
    return button


STATUS_MAX_CHARS = 2_000  # a server's one-line error can be megabytes: the line shows its start


class StatusLine(W.HTML):
    """One line telling the user what happens: info, busy, success, warning or error."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.kind = "info"
        self.text = ""

    def show(self, text: str, kind: str = "info") -> None:
        """Show `text` (plain, escaped here) as `kind`: info, busy, success, warning or error."""
        self.kind, self.text = kind, text
        if not text:
            self.value = ""
            return
        icon = _ICONS.get(kind, "")
        icon_html = fa_icon(icon) + " " if icon else ""
        self.value = (
            f'<span class="hubw-status hubw-{kind}" style="color:{_COLORS.get(kind, "#555")}">'
            f"{icon_html}{escape(shorten(text, STATUS_MAX_CHARS))}</span>"
        )

    def info(self, text: str) -> None:
        self.show(text, "info")

    def busy(self, text: str) -> None:
        self.show(text, "busy")

    def success(self, text: str) -> None:
        self.show(text, "success")

    def warning(self, text: str) -> None:
        self.show(text, "warning")

    def error(self, text: str) -> None:
        self.show(text, "error")

    def clear(self) -> None:
        self.show("")


class ProgressView(W.VBox):
    """A progress bar with bytes, files, speed and ETA, redrawn at most `max_rate` times a second."""

    def __init__(self, max_rate: float = 8.0, **kwargs) -> None:
        self.bar = W.FloatProgress(value=0.0, min=0.0, max=1.0, layout=W.Layout(width="100%"))
        self.label = W.HTML()
        super().__init__([self.bar, self.label], **kwargs)
        self._min_interval = 1.0 / max_rate
        self._lock = threading.Lock()
        self.layout.display = "none"
        self.reset()

    def reset(self, total_bytes: int = 0, total_files: int = 0) -> None:
        with self._lock:
            self.total_bytes, self.total_files = total_bytes, total_files
            self.done_bytes, self.done_files = 0, 0
            self._start = time.monotonic()
            self._last_draw = 0.0
        self.bar.bar_style = ""
        self.bar.value = 0.0
        self.label.value = ""

    def start(self, total_bytes: int, total_files: int = 0) -> None:
        self.reset(total_bytes, total_files)
        self.layout.display = ""

    def update(
        self, done_bytes: int | None = None, done_files: int | None = None, force: bool = False
    ) -> None:
        """Record progress (absolute values); redraws are throttled unless `force`."""
        with self._lock:
            if done_bytes is not None:
                self.done_bytes = done_bytes
            if done_files is not None:
                self.done_files = done_files
            now = time.monotonic()
            if not force and now - self._last_draw < self._min_interval:
                return
            self._last_draw = now
        self._draw()

    def advance(self, n_bytes: int) -> None:
        self.update(done_bytes=self.done_bytes + n_bytes)

    def finish(self, ok: bool = True) -> None:
        if ok:
            self.done_bytes = max(self.done_bytes, self.total_bytes)
            self.done_files = max(self.done_files, self.total_files)
        self._draw()
        self.bar.bar_style = "success" if ok else "danger"

    def hide(self) -> None:
        self.layout.display = "none"

    def _draw(self) -> None:
        elapsed = max(time.monotonic() - self._start, 1e-6)
        speed = self.done_bytes / elapsed
        remaining = (self.total_bytes - self.done_bytes) / speed if speed > 0 else None
        self.bar.value = (self.done_bytes / self.total_bytes) if self.total_bytes else 0.0
        parts = [f"{format_bytes(self.done_bytes)} / {format_bytes(self.total_bytes)}"]
        if self.total_files:
            parts.append(
                ngettext("{done}/{total} file", "{done}/{total} files", self.total_files).format(
                    done=self.done_files, total=self.total_files
                )
            )
        parts.append(f"{format_bytes(speed)}/s")
        parts.append(_("ETA {time}").format(time=format_duration(remaining)))
        self.label.value = f'<span class="hubw-progress">{escape(" · ".join(parts))}</span>'
