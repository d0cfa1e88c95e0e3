"""The Files tab: a revision selector, a tree whose folders are listed only when opened, previews
of small files, and downloads (one file, or a snapshot filtered by patterns) with progress.

A folder is listed with `list_repo_tree(path_in_repo=folder, recursive=False)` the first time it is
opened, and at most `PAGE_SIZE` entries at a time ("more…" continues the same listing), so a repo
with many thousands of files costs one small request and a small widget state to show.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import PurePosixPath
from typing import Any

import ipywidgets as W

from hub_widgets._i18n import _, ngettext
from hub_widgets.browser.diff import is_folder, looks_like_text
from hub_widgets.browser.repo import split_card
from hub_widgets.hub import repos
from hub_widgets.session import HubSession, HubTask, current_task, scoped
from hub_widgets.ui import (
    ProgressView,
    StatusLine,
    escaped_pre,
    fa_icon,
    format_bytes,
    html_table,
    repo_file_base,
    row,
    shorten,
    show_html,
    show_markdown,
    show_notebook,
    truncated_note,
)
from hub_widgets.ui.base import HubWidget
from hub_widgets.ui.rows import RowList

PAGE_SIZE = 200  # entries of one folder shown before "more…" (each is a row widget)
PREVIEW_MAX_BYTES = 1_000_000  # text, JSON, CSV, markdown
IMAGE_PREVIEW_MAX_BYTES = 5_000_000
TEXT_PREVIEW_CHARS = 20_000
HEAD_BYTES = 64_000  # read from bigger text files
CSV_PREVIEW_ROWS = 20
MAX_CELL_CHARS = 2_000  # of one CSV cell
MAX_NOTEBOOK_HTML = 1_000_000  # a notebook's images are part of what is sent

IMAGE_FORMATS = {
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".webp": "webp",
    ".bmp": "bmp",
}
_TEXT_SUFFIXES = {
    ".txt", ".py", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".sh", ".js", ".ts", ".css",
    ".xml", ".rst", ".log", ".gitattributes", ".gitignore", ".jsonl", ".c", ".cpp", ".h",
    ".rs", ".go", ".java", ".jinja", ".tex", ".srt", ".vtt",
}  # fmt: skip

_INDENT = "\u00a0\u00a0\u00a0"  # non-breaking: browsers collapse plain spaces in <option>


@dataclass(frozen=True)
class TreeEntry:
    """A file or folder as the tree shows it."""

    path: str
    is_dir: bool
    size: int | None = None
    lfs: bool = False

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def depth(self) -> int:
        return self.path.count("/")


def tree_entry(entry: Any) -> TreeEntry:
    """A `TreeEntry` from a `RepoFile` / `RepoFolder`."""
    if is_folder(entry):
        return TreeEntry(path=entry.path, is_dir=True)
    lfs = getattr(entry, "lfs", None)
    return TreeEntry(path=entry.path, is_dir=False, size=lfs.size if lfs else entry.size, lfs=bool(lfs))


def sort_entries(entries: list[TreeEntry]) -> list[TreeEntry]:
    """Folders first, then files, each by name (case-insensitive), as the Hub lists them."""
    return sorted(entries, key=lambda e: (not e.is_dir, e.name.lower()))


def entry_label(entry: TreeEntry, expanded: bool = False, loading: bool = False) -> str:
    """The tree row of an entry: indentation, a folder's open/closed marker, name, size and an LFS marker.

    Option labels are plain text, so no icon: a folder is its marker and a trailing "/"."""
    indent = _INDENT * entry.depth
    if entry.is_dir:
        marker = "▾" if expanded else "▸"
        suffix = " " + _("(loading…)") if loading else ""
        return f"{indent}{marker} {entry.name}/{suffix}"
    size = f" · {format_bytes(entry.size)}" if entry.size is not None else ""
    return f"{indent}\u00a0\u00a0\u00a0{entry.name}{size}{' · LFS' if entry.lfs else ''}"


def preview_kind(path: str) -> str:
    """How a file is previewed: "markdown", "html", "notebook", "json", "csv", "image", "text" or ""
    (not previewed)."""
    name = PurePosixPath(path).name.lower()
    suffix = PurePosixPath(name).suffix or (name if name.startswith(".") else "")
    if suffix in (".md", ".markdown"):
        return "markdown"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix == ".ipynb":
        return "notebook"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in IMAGE_FORMATS:
        return "image"
    if suffix in _TEXT_SUFFIXES or name in ("readme", "license", "makefile", "dockerfile", "notice"):
        return "text"
    return ""


def preview_limit(kind: str) -> int:
    return IMAGE_PREVIEW_MAX_BYTES if kind == "image" else PREVIEW_MAX_BYTES


def csv_head(
    text: str, delimiter: str = ",", rows: int = CSV_PREVIEW_ROWS
) -> tuple[list[str], list[list[str]]]:
    """The header and first `rows` rows of a CSV/TSV text."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    return header, [row for row in islice(reader, rows)]


def pretty_json(text: str) -> str:
    """Indented JSON (the text unchanged if it does not parse)."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def parse_patterns(text: str) -> list[str] | None:
    """ "*.json, model/*" -> ["*.json", "model/*"]; empty -> None (everything)."""
    patterns = [p.strip() for p in text.replace("\n", ",").split(",") if p.strip()]
    return patterns or None


class FilesView(HubWidget, W.VBox):
    """Revision selector, lazy tree, preview and downloads of one repo.

    Args:
        session: The `HubSession` doing the I/O.
        status: The browser's status line (errors and results are shown there).
    """

    def __init__(self, session: HubSession, status: StatusLine | None = None, **kwargs: Any) -> None:
        self.session = scoped(session)
        # Static widgets share one layout model: the frontend gets one state instead of dozens.
        plain = W.Layout()
        self.status = status or StatusLine()
        self.repo_id: str | None = None
        self.repo_type = "model"
        self.revision_select = W.Dropdown(
            description=_("Revision"),
            options=[("main", "main")],
            value="main",
            layout=W.Layout(width="auto", max_width="100%"),
        )
        self.tree = RowList(max_height="30em")
        self.preview_title = W.HTML(layout=plain)
        self.preview_html = W.HTML(layout=plain)
        self.preview_markdown = W.Output(layout=plain)
        self.preview_image = W.Image(layout=W.Layout(max_width="100%", display="none"))
        self.download_file_button = W.Button(
            layout=plain, description=_("Download file"), icon="download", disabled=True
        )
        self.patterns = W.Text(
            layout=plain,
            description=_("Patterns"),
            placeholder=_("e.g. *.json"),
            tooltip=_("Comma-separated file patterns, e.g. *.json, *.safetensors; empty: all files"),
        )
        # Where downloads go: a folder the user sees (the notebook's own by default), or the cache that
        # huggingface_hub's loaders read from. Both the file and the snapshot button use it.
        self.destination = W.ToggleButtons(
            options=[(_("To a folder"), "folder"), (_("To the Hugging Face cache"), "cache")],
            value="folder",
            style={"button_width": "auto"},
        )
        self.target = W.Text(
            value=os.getcwd(),
            layout=plain,
            description=_("Folder"),
            placeholder=_("a folder"),
            tooltip=_("A folder, relative to the notebook's folder; empty: the Hugging Face cache"),
        )
        self.download_snapshot_button = W.Button(
            layout=plain, description=_("Download snapshot"), icon="download"
        )
        self.cancel_button = W.Button(layout=plain, description=_("Cancel"), icon="stop", disabled=True)
        # What a download did, shown next to the button that started it.
        self.file_result = W.HTML(layout=W.Layout(min_width="0"))
        self.snapshot_result = W.HTML(layout=W.Layout(min_width="0"))
        self.progress = ProgressView()
        self.preview_box = W.VBox(
            [self.preview_title, self.preview_html, self.preview_markdown, self.preview_image], layout=plain
        )
        downloads = W.VBox(
            layout=plain,
            children=[
                row([self.destination]),
                self.target,
                row([self.download_file_button, self.file_result]),
                self.patterns,
                row([self.download_snapshot_button, self.cancel_button]),
                self.snapshot_result,
                self.progress,
            ],
        )
        downloads.add_class("hubw-downloads")
        super().__init__([self.revision_select, self.tree, self.preview_box, downloads], **kwargs)

        # Tree state: loaded folders, their unfinished listings, opened folders.
        self._lock = threading.RLock()
        self._render_lock = threading.RLock()
        self._children: dict[str, list[TreeEntry]] = {}
        self._listings: dict[str, Iterator[Any]] = {}
        self._expanded: set[str] = {""}
        self._loading: set[str] = set()
        self._entries: dict[str, TreeEntry] = {}
        self._selected_file: TreeEntry | None = None
        # The bytes the last preview read (the whole file, or its head for a big one): previews show
        # at most TEXT_PREVIEW_CHARS of them.
        self.preview_data: bytes | None = None
        self._cancel_requested = False
        self._download_result = self.file_result
        self.download_message: tuple[str, str] = ("", "")  # (kind, text) of what a download last said
        self.refs_task: HubTask | None = None
        self.tree_tasks: dict[str, HubTask] = {}
        self.preview_task: HubTask | None = None
        self.download_task: HubTask | None = None

        self.revision_select.observe(self._on_revision, names="value")
        self.tree.observe(self._on_tree_click, names="value")
        self.destination.observe(lambda _c: self._show_destination(), names="value")
        self.download_file_button.on_click(lambda _b: self.download_file())
        self.download_snapshot_button.on_click(lambda _b: self.download_snapshot())
        self.cancel_button.on_click(lambda _b: self.cancel())

    # -- loading ------------------------------------------------------------------------------

    @property
    def revision(self) -> str:
        return self.revision_select.value or "main"

    def load(self, repo_id: str, repo_type: str = "model", revision: str = "main") -> None:
        """Show `repo_id`: list its refs and its root folder (both at once, on workers)."""
        self.repo_id, self.repo_type = repo_id, repo_type
        with self.hold_trait_notifications(), self.quiet():
            self.revision_select.options = [(revision, revision)]
            self.revision_select.value = revision
        self._reset_tree()
        self.refs_task = self.submit(
            self._fetch_refs,
            repo_id,
            repo_type,
            on_result=self._show_refs,
            on_error=self._error,
            key=self._key("refs"),
        )
        self._open_folder("")

    def _key(self, what: str) -> str:
        return f"browser-files:{id(self)}:{what}"

    def _fetch_refs(self, repo_id: str, repo_type: str) -> list[tuple[str, str]]:
        refs = repos.repo_refs(self.session, repo_id, repo_type=repo_type, include_pull_requests=True)
        options = [(b.name, b.name) for b in refs.branches]
        options += [(_("tag: {name}").format(name=t.name), t.name) for t in refs.tags]
        # A pull request's ref is refs/pr/N (its name is N or the full ref, depending on the server).
        options += [
            (_("PR #{num}").format(num=p.ref.rsplit("/", 1)[-1]), p.ref) for p in (refs.pull_requests or [])
        ]
        return options

    def _show_refs(self, options: list[tuple[str, str]]) -> None:
        current = self.revision
        if current not in [value for _label, value in options]:
            options = [(current, current), *options]
        with self.quiet():
            self.revision_select.options = options
            self.revision_select.value = current

    def _on_revision(self, change: dict) -> None:
        if self.is_quiet or change["new"] is None or self.repo_id is None:
            return
        self._reset_tree()
        self._open_folder("")

    def _reset_tree(self) -> None:
        with self._lock:
            self._children.clear()
            self._listings.clear()
            self._entries.clear()
            self._expanded = {""}
            self._loading = set()
            self._selected_file = None
            for task in self.tree_tasks.values():
                task.cancel()
            self.tree_tasks = {}
        self.download_file_button.disabled = True
        self._clear_preview()
        self._render()

    def _open_folder(self, path: str) -> None:
        with self._lock:
            self._expanded.add(path)
            already = path in self._loading or (path in self._children and path not in self._listings)
            if not already:
                self._loading.add(path)
        self._render()
        if already:
            return
        repo_id, repo_type, revision = self.repo_id, self.repo_type, self.revision
        self.tree_tasks[path] = self.submit(
            self._fetch_page,
            repo_id,
            repo_type,
            revision,
            path,
            on_result=lambda page: self._add_page(revision, path, page),
            on_error=lambda exc: self._listing_failed(path, exc),
            key=self._key(f"tree:{revision}:{path}"),
        )

    def _fetch_page(
        self, repo_id: str, repo_type: str, revision: str, path: str
    ) -> tuple[list[TreeEntry], bool]:
        """The next `PAGE_SIZE` entries of folder `path` (and whether more remain)."""
        with self._lock:
            listing = self._listings.get(path)
        if listing is None:
            listing = repos.list_tree(self.session, repo_id, path, repo_type=repo_type, revision=revision)
        page = [tree_entry(e) for e in islice(listing, PAGE_SIZE + 1)]
        more = len(page) > PAGE_SIZE
        if more:
            # The extra entry was read from the listing: keep it for the next page.
            extra = page.pop()
            listing = _chain_first(extra, listing)
        task = current_task()
        with self._lock:  # the same lock as _reset_tree: a listing of a closed revision is never kept
            if task is not None and (task.cancelled or task.stale):
                return page, more
            if more:
                self._listings[path] = listing
            else:
                self._listings.pop(path, None)
        return page, more

    def _add_page(self, revision: str, path: str, result: tuple[list[TreeEntry], bool]) -> None:
        if revision != self.revision:
            return
        page, _more = result
        with self._lock:
            children = self._children.setdefault(path, [])
            children.extend(page)
            self._children[path] = sort_entries(children)
            for entry in page:
                self._entries[entry.path] = entry
            self._loading.discard(path)
        self._render()  # before the task counts as done, so waiting on it sees the tree

    def _listing_failed(self, path: str, exc: BaseException) -> None:
        with self._lock:
            self._loading.discard(path)
            self._expanded.discard(path)
        self._render()
        self._error(exc)

    # -- tree rendering and clicks --------------------------------------------------------------

    def _rows(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        with self._lock:
            self._append_rows("", rows)
        return rows

    def _append_rows(self, folder: str, rows: list[tuple[str, str]]) -> None:
        for entry in self._children.get(folder, []):
            if entry.is_dir:
                expanded = entry.path in self._expanded
                rows.append((entry_label(entry, expanded, entry.path in self._loading), "d:" + entry.path))
                if expanded:
                    self._append_rows(entry.path, rows)
            else:
                rows.append((entry_label(entry), "f:" + entry.path))
        if folder in self._listings:
            depth = folder.count("/") + 1 if folder else 0
            label = _INDENT * depth + (_("… more (loading…)") if folder in self._loading else _("… more"))
            rows.append((label, "m:" + folder))
        if folder == "" and folder in self._loading and not self._children.get(""):
            rows.append((_("(loading…)"), "m:"))

    def _render(self) -> None:
        with self._render_lock:  # workers and clicks both redraw
            rows = self._rows()
            selected = f"f:{self._selected_file.path}" if self._selected_file else None
            with self.quiet():
                self.tree.options = rows
                self.tree.value = selected if selected in {v for _l, v in rows} else None

    def _on_tree_click(self, change: dict) -> None:
        if self.is_quiet or not change["new"]:
            return
        kind, path = change["new"].split(":", 1)
        if kind == "f":
            entry = self._entries.get(path)
            if entry is not None:
                self.preview(entry)
            return
        if kind == "d":
            with self._lock:
                opened = path in self._expanded
            if opened:
                with self._lock:
                    self._expanded.discard(path)
                self._render()
            else:
                self._open_folder(path)
        elif kind == "m":
            with self._lock:
                can_continue = path in self._listings and path not in self._loading
            if can_continue:
                self._open_folder(path)
        # A folder row does not stay selected, so clicking it again toggles it again.
        self._render()

    def open_folder(self, path: str) -> HubTask | None:
        """Open folder `path` (as a click on it would) and return the listing task, if one started."""
        self._open_folder(path)
        return self.tree_tasks.get(path)

    def folder_entries(self, path: str = "") -> list[TreeEntry]:
        """The loaded entries of folder `path` (for scripts and tests)."""
        with self._lock:
            return list(self._children.get(path, []))

    # -- preview ---------------------------------------------------------------------------------

    def _clear_preview(self) -> None:
        self.preview_title.value = ""
        self.preview_html.value = ""
        self.preview_markdown.outputs = ()
        self.preview_image.layout.display = "none"
        self.preview_data = None

    def preview(self, entry: TreeEntry) -> HubTask | None:
        """Preview file `entry` if it is small and of a previewable kind."""
        self._selected_file = entry
        self.download_file_button.disabled = False
        self._clear_preview()
        self.preview_title.value = (
            f"<b>{html.escape(shorten(entry.path, 300))}</b> · {format_bytes(entry.size)}"
        )
        kind = preview_kind(entry.path)
        if not kind:
            self.preview_html.value = html.escape(
                _("No preview for this kind of file: download it to open it.")
            )
            return None
        partial = entry.size is not None and entry.size > preview_limit(kind)
        if partial and kind == "image":
            self.preview_html.value = html.escape(
                _("Too large to preview ({size}): download it to open it.").format(
                    size=format_bytes(entry.size)
                )
            )
            return None
        self.preview_html.value = html.escape(_("Loading preview…"))
        repo_id, repo_type, revision = self.repo_id, self.repo_type, self.revision
        self.preview_task = self.submit(
            self._read_file,
            repo_id,
            repo_type,
            revision,
            entry.path,
            HEAD_BYTES if partial else None,
            on_result=lambda data: self._show_preview(entry, kind, data, partial),
            on_error=self._preview_error,
            key=self._key("preview"),
        )
        return self.preview_task

    def _read_file(
        self, repo_id: str, repo_type: str, revision: str, path: str, head_bytes: int | None = None
    ) -> bytes:
        if head_bytes is None:
            return repos.read_bytes(self.session, repo_id, path, repo_type=repo_type, revision=revision)
        # Only the head of a big text file: one range request, nothing written to the cache.
        return repos.read_head(
            self.session, repo_id, path, head_bytes, repo_type=repo_type, revision=revision
        )

    def _show_preview(self, entry: TreeEntry, kind: str, data: bytes, partial: bool = False) -> None:
        if self._selected_file != entry:
            return
        self.preview_data = data
        if partial:
            self.preview_title.value += " · " + html.escape(
                _("showing the first {size}").format(size=format_bytes(len(data)))
            )
            if kind in ("json", "notebook"):
                kind = "text"  # the head of a JSON document does not parse
        if kind == "image":
            self.preview_html.value = ""
            self.preview_image.format = IMAGE_FORMATS.get(PurePosixPath(entry.path).suffix.lower(), "png")
            self.preview_image.value = data
            self.preview_image.layout.display = ""
            return
        if not looks_like_text(data):
            self.preview_html.value = html.escape(_("This file is binary: no preview."))
            return
        text = data.decode("utf-8")
        hint = _("The bytes read are in this view's preview_data attribute; Download file gets the file.")
        base = repo_file_base(self.session.endpoint, self.repo_id or "", self.repo_type, self.revision)
        folder = entry.path.rsplit("/", 1)[0] + "/" if "/" in entry.path else ""
        if kind == "markdown":
            self.preview_html.value = ""
            _meta, body = split_card(text)
            # The limit is on the HTML, about 2.5 times the markdown: TEXT_PREVIEW_CHARS of markdown.
            show_markdown(
                self.preview_markdown,
                body,
                base_url=base + folder,
                limit=TEXT_PREVIEW_CHARS * 5 // 2,
                hint=hint,
            )
        elif kind == "html":
            self.preview_html.value = ""
            show_html(
                self.preview_markdown, text, base_url=base + folder, limit=TEXT_PREVIEW_CHARS, hint=hint
            )
        elif kind == "notebook":
            try:
                notebook = json.loads(text)
            except ValueError:
                self.preview_html.value = _truncated_pre(text, hint)
                return
            self.preview_html.value = ""
            show_notebook(self.preview_markdown, notebook, base + folder, limit=MAX_NOTEBOOK_HTML)
        elif kind == "json":
            self.preview_html.value = _truncated_pre(pretty_json(text), hint)
        elif kind == "csv":
            delimiter = "\t" if entry.path.lower().endswith(".tsv") else ","
            header, rows = csv_head(text, delimiter)
            header = [shorten(cell, MAX_CELL_CHARS) for cell in header]
            rows = [[shorten(cell, MAX_CELL_CHARS) for cell in row] for row in rows]
            note = html.escape(ngettext("First {n} row", "First {n} rows", len(rows)).format(n=len(rows)))
            self.preview_html.value = f"<div>{note}</div>" + html_table(header, rows)
        else:
            self.preview_html.value = _truncated_pre(text, hint)

    def _preview_error(self, exc: BaseException) -> None:
        self.preview_html.value = html.escape(self.session.describe_error(exc))

    # -- downloads -------------------------------------------------------------------------------

    def _show_destination(self) -> None:
        self.target.layout.display = "" if self.destination.value == "folder" else "none"

    def download_folder(self) -> str | None:
        """The absolute folder downloads go to (None: the Hugging Face cache)."""
        folder = self.target.value.strip()
        if self.destination.value != "folder" or not folder:
            return None
        return os.path.abspath(os.path.expanduser(folder))

    def _say(self, kind: str, text: str, path: str = "") -> None:
        """Show what the running download does next to its button: busy, success, warning or error.

        Args:
            kind: "busy", "success", "warning" or "error".
            text: A translated sentence; a `{path}` placeholder in it is shown as code.
            path: The local path for `{path}`.
        """
        colors = {"success": "#1a7f37", "warning": "#9a6700", "error": "#cf222e"}
        icons = {
            "busy": "spinner fa-spin",
            "success": "check",
            "warning": "exclamation-triangle",
            "error": "times",
        }
        shown = html.escape(text)
        if path:
            shown = shown.replace("{path}", f"<code>{html.escape(path)}</code>")
        self._download_result.value = (
            f"<span class='hubw-download-{kind}' style='color:{colors.get(kind, '#555')}'>"
            f"{fa_icon(icons[kind])} {shown}</span>"
        )
        self.download_message = (kind, text.replace("{path}", path) if path else text)

    def _start_download(self, result: W.HTML) -> None:
        self.file_result.value = self.snapshot_result.value = ""
        self._download_result = result
        self._cancel_requested = False
        self.download_file_button.disabled = True
        self.download_snapshot_button.disabled = True
        self.cancel_button.disabled = False

    def _end_download(self) -> None:
        if self._cancel_requested:
            # A cancelled task gets no result or error callback: say it here.
            self.progress.finish(False)
            self._say("warning", _("Download cancelled: files already downloaded are kept."))
        self.download_file_button.disabled = self._selected_file is None
        self.download_snapshot_button.disabled = False
        self.cancel_button.disabled = True

    def cancel(self) -> None:
        """Stop the running download (between chunks); files already complete stay."""
        if self.download_task is not None and not self.download_task.done():
            self._cancel_requested = True
            self.download_task.cancel()

    def download_file(self) -> HubTask | None:
        """Download the selected file to the target folder (or the cache), with progress."""
        entry = self._selected_file
        if entry is None or self.repo_id is None:
            self.status.warning(_("Select a file first."))
            return None
        target = self.download_folder()
        self._start_download(self.file_result)
        self.progress.start(entry.size or 0, 1)
        self._say("busy", _("Downloading {path}…").format(path=entry.path))
        repo_id, repo_type, revision = self.repo_id, self.repo_type, self.revision

        def run() -> str:
            path = repos.download_file(
                self.session,
                repo_id,
                entry.path,
                repo_type=repo_type,
                revision=revision,
                local_dir=target,
                on_bytes=self.progress.advance,
            )
            self.progress.update(done_files=1)
            return path

        def done(path: str) -> None:
            self.progress.finish(True)
            if target is None:
                self._say("success", _("Saved in the Hugging Face cache: {path}"), path)
            else:
                self._say("success", _("Saved to {path}"), path)

        return self._submit_download(run, done)

    def _submit_download(self, run, done) -> HubTask | None:
        self.download_task = self.submit(
            run,
            on_result=done,
            on_error=self._download_error,
            on_done=self._end_download,
            lane="long",
            abortable=True,  # Cancel closes a stalled download at once
        )
        return self.download_task

    def download_snapshot(self) -> HubTask | None:
        """Download the files matching the patterns at this revision, with progress over all of them."""
        if self.repo_id is None:
            return None
        patterns = parse_patterns(self.patterns.value)
        target = self.download_folder()
        self._start_download(self.snapshot_result)
        self.progress.start(0, 0)
        self._say("busy", _("Listing the files to download…"))
        repo_id, repo_type, revision = self.repo_id, self.repo_type, self.revision

        def run() -> tuple[str, int]:
            return self._snapshot(repo_id, repo_type, revision, patterns, target)

        def done(result: tuple[str, int]) -> None:
            path, count = result
            self.progress.finish(True)
            if target is None:
                text = ngettext(
                    "{n} file saved in the Hugging Face cache: {path}",
                    "{n} files saved in the Hugging Face cache: {path}",
                    count,
                )
            else:
                text = ngettext("{n} file saved to {path}", "{n} files saved to {path}", count)
            self._say("success", text.format(n=count, path="{path}"), path)  # _say shows {path} as code

        return self._submit_download(run, done)

    def _snapshot(
        self, repo_id: str, repo_type: str, revision: str, patterns: list[str] | None, target: str | None
    ) -> tuple[str, int]:
        def started(total_bytes: int, count: int) -> None:
            self.progress.start(total_bytes, count)
            self._say(
                "busy", ngettext("Downloading {n} file…", "Downloading {n} files…", count).format(n=count)
            )

        return repos.download_snapshot(
            self.session,
            repo_id,
            repo_type=repo_type,
            revision=revision,
            patterns=patterns,
            local_dir=target,
            on_start=started,
            on_bytes=self.progress.advance,
            on_file=lambda done: self.progress.update(done_files=done),
        )

    def _download_error(self, exc: BaseException) -> None:
        self.progress.finish(False)
        self._say("error", self.session.describe_error(exc))

    def _error(self, exc: BaseException) -> None:
        self.status.error(self.session.describe_error(exc))


def _chain_first(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _truncated_pre(text: str, hint: str) -> str:
    """The first TEXT_PREVIEW_CHARS of `text`, escaped, and how much more there is."""
    if len(text) <= TEXT_PREVIEW_CHARS:
        return escaped_pre(text)
    return escaped_pre(text[:TEXT_PREVIEW_CHARS]) + truncated_note(len(text) - TEXT_PREVIEW_CHARS, hint=hint)
