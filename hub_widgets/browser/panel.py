"""RepoBrowser: search the Hub, then read a repo's card, explore its files and compare its commits."""

from __future__ import annotations

import html
import importlib.util
from collections.abc import Iterator
from itertools import islice
from typing import Any

import ipywidgets as W
from huggingface_hub.utils import validate_repo_id

from hub_widgets._i18n import _, ngettext
from hub_widgets.browser.files import FilesView
from hub_widgets.browser.history import HistoryView
from hub_widgets.browser.repo import INFO_EXPAND, header_html, metadata_table, split_card, summarize
from hub_widgets.browser.search import (
    ResultRow,
    SearchQuery,
    build_list_kwargs,
    result_row,
)
from hub_widgets.hub import repos
from hub_widgets.session import HubSession, HubTask, scoped
from hub_widgets.ui import StatusLine, repo_file_base, row, show_html, show_markdown
from hub_widgets.ui.base import HubWidget
from hub_widgets.ui.rows import RowList
from hub_widgets.ui.style import style_root
from hub_widgets.vocab import COMMON_TASKS, REPO_TYPES, SEARCH_LIBRARIES

RESULTS_PAGE = 20
DEBOUNCE_SECONDS = 0.3


class RepoBrowser(HubWidget, W.VBox):
    """Search the Hub and explore one repo's card, files and history.

    Args:
        query: Text to search for at once.
        repo_id: A repo to open at once (`owner/name`); the search stays one click away.
        repo_type: "model", "dataset" or "space", for both the search and `repo_id`.
        session: The `HubSession` to use (default: the shared one).
    """

    def __init__(
        self,
        query: str | None = None,
        repo_id: str | None = None,
        repo_type: str = "model",
        session: HubSession | None = None,
        **kwargs: Any,
    ) -> None:
        if repo_type not in REPO_TYPES:
            raise ValueError(_("Unknown repo type: {repo_type}").format(repo_type=repo_type))
        self.session = scoped(session)
        # Static widgets share one layout model: the frontend gets one state instead of dozens.
        plain = W.Layout()
        # No width="100%" on inputs: with their 2 px margin they would stick out; the stylesheet
        # stretches them to the box instead.
        wide = W.Layout()
        self.status = StatusLine(layout=plain)
        self.debounce = DEBOUNCE_SECONDS
        self.page_size = RESULTS_PAGE

        # -- search bar
        self.search_text = W.Text(
            value=query or "",
            placeholder=_("Search models, datasets and Spaces…"),
            continuous_update=True,
            layout=wide,
        )
        self.repo_type_select = W.ToggleButtons(
            options=[(_("Models"), "model"), (_("Datasets"), "dataset"), (_("Spaces"), "space")],
            value=repo_type,
            layout=plain,
        )
        # Filters share the row: each at least 220 px wide (label + field), wrapping below that.
        field = W.Layout(flex="1 1 220px", min_width="0")
        self.author = W.Text(
            layout=field, description=_("Author"), placeholder=_("user or org"), continuous_update=False
        )
        self.task = W.Combobox(
            layout=field,
            description=_("Task"),
            options=COMMON_TASKS,
            ensure_option=False,
            continuous_update=False,
        )
        self.library = W.Combobox(
            layout=field,
            description=_("Library"),
            options=SEARCH_LIBRARIES,
            ensure_option=False,
            continuous_update=False,
        )
        self.sort = W.Dropdown(
            description=_("Sort"),
            options=[
                (_("Most downloads"), "downloads"),
                (_("Most likes"), "likes"),
                (_("Trending"), "trending"),
                (_("Recently updated"), "updated"),
            ],
            value="downloads",
            layout=field,
        )
        self.quick_filter = W.ToggleButtons(options=[(_("Everyone"), "")], value="", layout=plain)
        self.results = RowList(max_height="28em")
        self.result_info = W.HTML(layout=plain)
        self.more_button = W.Button(layout=plain, description=_("More"), disabled=True)
        self.open_id = W.Text(layout=plain, placeholder=_("owner/name"), continuous_update=False)
        self.open_button = W.Button(layout=plain, description=_("Open"), icon="folder-open")
        self.search_view = W.VBox(
            [
                self.search_text,
                row([self.repo_type_select, self.quick_filter]),
                row([self.author, self.task, self.library, self.sort]),
                self.results,
                row([self.more_button, self.result_info]),
                row([self.open_id, self.open_button]),
            ]
        )

        # -- repo view
        self.back_button = W.Button(layout=plain, description=_("Search"), icon="search")
        self.header = W.HTML(layout=plain)
        self.card_markdown = W.Output(layout=plain)
        self.card_metadata = W.HTML(layout=plain)
        self.edit_card_button = W.Button(layout=plain, description=_("Edit card"), icon="edit", disabled=True)
        self.card_editor = W.VBox(layout=plain)
        self.try_button = W.Button(layout=plain, description=_("Try it"), icon="play", disabled=True)
        self.playground_box = W.VBox(layout=plain)
        card_tab = W.VBox(
            [
                self.card_metadata,
                row([self.edit_card_button, self.try_button]),
                self.playground_box,
                self.card_editor,
                self.card_markdown,
            ],
            layout=plain,
        )
        self.files = FilesView(self.session, self.status)
        self.history = HistoryView(self.session, self.status)
        self.tabs = W.Tab(
            children=[card_tab, self.files, self.history],
            titles=(_("Card"), _("Files"), _("History")),
            layout=plain,
        )
        self.repo_view = W.VBox([W.HBox(layout=plain, children=[self.back_button]), self.header, self.tabs])

        super().__init__([self.status, self.search_view, self.repo_view], **kwargs)
        style_root(self)
        self.add_class("hubw-browser")

        self.repo_id: str | None = None
        self.repo_type = repo_type
        self.revision = "main"
        self.summary = None
        # The whole README as read from the Hub (the card tab shows at most MAX_SHOWN_CHARS of it).
        self.card_text: str | None = None
        self.search_task: HubTask | None = None
        self.info_task: HubTask | None = None
        self._rows: list[ResultRow] = []
        self._listing: Iterator[Any] | None = None
        self._generation = 0
        self._typing = self.debounced(lambda: self.search(), self.debounce)  # looked up when it fires
        self._history_for: tuple | None = None

        self.search_text.observe(self._on_text, names="value")
        for control in (self.repo_type_select, self.author, self.task, self.library, self.sort):
            control.observe(lambda _c: self.search(), names="value")
        self.quick_filter.observe(self._on_quick_filter, names="value")
        self.results.observe(self._on_result_click, names="value")
        self.more_button.on_click(lambda _b: self.more())
        self.open_button.on_click(lambda _b: self._open_typed())
        self.open_id.observe(lambda _c: self._open_typed(), names="value")
        self.back_button.on_click(lambda _b: self.show_search())
        self.edit_card_button.on_click(lambda _b: self.edit_card())
        self.try_button.on_click(lambda _b: self.try_model())
        self.tabs.observe(self._on_tab, names="selected_index")
        self.files.revision_select.observe(self._on_revision, names="value")
        self.session.on_change(self._on_login_change)

        self._load_namespaces()
        if repo_id:
            self.open_repo(repo_id, repo_type)
        else:
            self.show_search()
            self.search()

    def _hosted(self) -> list[Any]:
        return [self.files, self.history, *self.card_editor.children, *self.playground_box.children]

    # -- search ---------------------------------------------------------------------------------

    def query(self) -> SearchQuery:
        """The search bar's state."""
        return SearchQuery(
            text=self.search_text.value,
            repo_type=self.repo_type_select.value,
            author=self.author.value,
            task=self.task.value,
            library=self.library.value,
            sort=self.sort.value,
        )

    def _on_text(self, _change: dict) -> None:
        # Typing is debounced: one search once the user pauses.
        self._typing.trigger(self.debounce)

    def search(self) -> HubTask:
        """Run the search for the current filters; its answer replaces the results unless a newer search started."""
        self._typing.cancel()
        query, page_size = self.query(), self.page_size
        self._generation += 1
        generation = self._generation
        self.more_button.disabled = True
        self.result_info.value = html.escape(_("Searching…"))

        def run() -> tuple[list[ResultRow], Iterator[Any], bool]:
            listing = repos.list_repos(self.session, query.repo_type, **build_list_kwargs(query))
            return self._next_rows(listing, query.repo_type, page_size)

        self.search_task = self.submit(
            run,
            on_result=lambda result: self._show_results(generation, result, append=False),
            on_error=self._search_error,
            key=f"browser-search:{id(self)}",
        )
        return self.search_task

    @staticmethod
    def _next_rows(
        listing: Iterator[Any], repo_type: str, page_size: int = RESULTS_PAGE
    ) -> tuple[list[ResultRow], Iterator[Any], bool]:
        infos = list(islice(listing, page_size + 1))
        more = len(infos) > page_size
        if more:
            extra = infos.pop()
            listing = _chain_first(extra, listing)
        return [result_row(info, repo_type) for info in infos], listing, more

    def more(self) -> HubTask | None:
        """Show the next page of the current results (the Hub listing is continued, not restarted)."""
        if self._listing is None:
            return None
        listing, generation = self._listing, self._generation
        repo_type = self._rows[0].repo_type if self._rows else self.repo_type_select.value
        self.more_button.disabled = True
        self.search_task = self.submit(
            self._next_rows,
            listing,
            repo_type,
            self.page_size,
            on_result=lambda result: self._show_results(generation, result, append=True),
            on_error=self._search_error,
            key=f"browser-search:{id(self)}",
        )
        return self.search_task

    def _show_results(self, generation: int, result: tuple, append: bool) -> None:
        if generation != self._generation:
            return  # a newer search started meanwhile
        rows, listing, more = result
        self._rows = (self._rows if append else []) + rows
        self._listing = listing if more else None
        with self.quiet():
            self.results.options = [(row.label(), i) for i, row in enumerate(self._rows)]
            self.results.value = None
        self.more_button.disabled = not more
        count = len(self._rows)
        if count:
            text = ngettext("{n} result", "{n} results", count).format(n=count)
            self.result_info.value = html.escape(text + (" " + _("(more available)") if more else ""))
        else:
            self.result_info.value = html.escape(_("No repository matches."))
        self.status.clear()

    def _search_error(self, exc: BaseException) -> None:
        self.result_info.value = ""
        self.more_button.disabled = self._listing is None
        self.status.error(self.session.describe_error(exc))

    @property
    def result_ids(self) -> list[str]:
        """The repo ids shown in the results, in order."""
        return [result.repo_id for result in self._rows]

    def _on_result_click(self, change: dict) -> None:
        if self.is_quiet or change["new"] is None:
            return
        picked = self._rows[change["new"]]
        self.open_repo(picked.repo_id, picked.repo_type)

    def _on_login_change(self) -> None:
        # Another account sees other private repos and has other namespaces: refresh both.
        self._load_namespaces()
        if self.search_view.layout.display != "none":
            self.search()

    def _load_namespaces(self) -> None:
        if not self.session.has_token:
            self._set_quick_filters([])
            return
        self.submit(
            self.session.namespaces,
            on_result=self._set_quick_filters,
            on_error=lambda _exc: self._set_quick_filters([]),
            key=f"browser-namespaces:{id(self)}",
        )

    def _set_quick_filters(self, namespaces: list[str]) -> None:
        options = [(_("Everyone"), "")]
        if namespaces:
            options.append((_("Mine"), namespaces[0]))
            options += [(org, org) for org in namespaces[1:]]
        current = self.quick_filter.value
        with self.quiet():
            self.quick_filter.options = options
            self.quick_filter.value = current if current in [v for _l, v in options] else ""

    def _on_quick_filter(self, change: dict) -> None:
        if self.is_quiet or change["new"] is None:
            return
        self.author.value = change["new"]  # searches

    # -- repo view ------------------------------------------------------------------------------

    def show_search(self) -> None:
        """Back to the search results."""
        self.repo_view.layout.display = "none"
        self.search_view.layout.display = ""
        with self.quiet():
            self.results.value = None  # the same row can be clicked again
        if not self._rows and self._listing is None and self.search_task is None:
            self.search()

    def _open_typed(self) -> None:
        text = self.open_id.value.strip()
        if text:
            self.open_repo(text, self.repo_type_select.value)

    def open_repo(self, repo_id: str, repo_type: str = "model", revision: str = "main") -> HubTask | None:
        """Show `repo_id`: header and card, its files at `revision`, and (when opened) its history."""
        try:
            validate_repo_id(repo_id)
        except Exception as exc:
            self.status.error(self.session.describe_error(exc))
            return None
        self.repo_id, self.repo_type, self.revision = repo_id, repo_type, revision
        self.search_view.layout.display = "none"
        self.repo_view.layout.display = ""
        self.status.clear()
        self.summary = None
        self.card_text = None
        self.header.value = f"<b>{html.escape(repo_id)}</b>"
        self.card_metadata.value = ""
        self.card_markdown.outputs = ()
        self._close_card_editor()
        self.playground_box.children = ()
        self.edit_card_button.disabled = True
        self.try_button.disabled = True
        self._history_for = None
        self.info_task = self.submit(
            self._fetch_info,
            repo_id,
            repo_type,
            revision,
            on_result=self._show_info,
            on_error=self._info_error,
            key=f"browser-info:{id(self)}",
        )
        self.files.load(repo_id, repo_type, revision)
        if self.tabs.selected_index == 2:
            self._load_history()
        return self.info_task

    def _fetch_info(self, repo_id: str, repo_type: str, revision: str) -> tuple[Any, str | None, str]:
        info, readme, gated = repos.repo_summary(
            self.session, repo_id, repo_type=repo_type, revision=revision, expand=INFO_EXPAND[repo_type]
        )
        # A gated repo: the header is public, the files are not.
        return info, readme, self.session.describe_error(gated) if gated is not None else ""

    def _show_info(self, result: tuple[Any, str | None, str]) -> None:
        info, readme, warning = result
        if warning:
            self.status.warning(warning)
        summary = summarize(info, self.repo_type)
        self.summary = summary
        self.header.value = header_html(summary, self.session.url(summary.repo_id, summary.repo_type))
        self.card_metadata.value = metadata_table(summary.card_data)
        self.card_text = readme
        if readme is None:
            show_html(
                self.card_markdown,
                "<em>" + html.escape(_("This repository has no card (README.md).")) + "</em>",
            )
        else:
            # Relative images and links resolve against the repo's files, as on the Hub.
            base = repo_file_base(self.session.endpoint, summary.repo_id, self.repo_type, self.revision)
            hint = _("The whole card is in this browser's card_text attribute.")
            show_markdown(self.card_markdown, split_card(readme)[1], base_url=base, hint=hint)
        self.edit_card_button.disabled = importlib.util.find_spec("hub_widgets.card") is None
        self.try_button.disabled = (
            self.repo_type != "model" or importlib.util.find_spec("hub_widgets.playground") is None
        )

    def _info_error(self, exc: BaseException) -> None:
        self.status.error(self.session.describe_error(exc))

    def edit_card(self) -> Any:
        """Edit this repo's card where it is read: the editor takes the card's place in the Card tab
        (in a notebook as in the sidebar); a second click closes it. Returns the editor (None when
        closed, or when hub_widgets.card is not installed)."""
        if self.card_editor.children:
            self._close_card_editor()
            return None
        try:
            from hub_widgets.card import ModelCardEditor
        except ImportError:
            self.status.warning(_("The model card editor is not available in this version."))
            return None
        revision = self.revision if self.revision != "main" else None
        editor = ModelCardEditor(
            repo_id=self.repo_id, repo_type=self.repo_type, session=self.session, revision=revision
        )
        editor.on_saved(self._card_saved)
        self.card_editor.children = (editor,)
        # The editor has its own preview: the rendered card and its table would show the old text twice.
        self.card_markdown.layout.display = self.card_metadata.layout.display = "none"
        self.edit_card_button.description = _("Close the editor")
        self.edit_card_button.icon = "times"
        return editor

    def _close_card_editor(self) -> None:
        for editor in self.card_editor.children:
            editor.close()
        self.card_editor.children = ()
        self.card_markdown.layout.display = self.card_metadata.layout.display = ""
        self.edit_card_button.description = _("Edit card")
        self.edit_card_button.icon = "edit"

    def _card_saved(self, outcome: Any) -> None:
        # A commit changed the card being read: show the new one (a pull request leaves it as it is).
        if outcome.kind != "commit" or self.repo_id is None:
            return
        self.info_task = self.submit(
            self._fetch_info,
            self.repo_id,
            self.repo_type,
            self.revision,
            on_result=self._show_info,
            on_error=self._info_error,
            key=f"browser-info:{id(self)}",
        )

    def try_model(self) -> Any:
        """Open the inference playground on this model, above its card (as the Hub's model page does)."""
        if self.repo_id is None or self.repo_type != "model":
            return None
        from hub_widgets.playground.panel import InferencePlayground

        playground = InferencePlayground(model=self.repo_id, session=self.session)
        self.playground_box.children = (playground,)
        return playground

    def _on_tab(self, change: dict) -> None:
        if change["new"] == 2:
            self._load_history()

    def _on_revision(self, _change: dict) -> None:
        if self.tabs.selected_index == 2:
            self._load_history()

    def _load_history(self) -> HubTask | None:
        if self.repo_id is None:
            return None
        wanted = (self.repo_id, self.repo_type, self.files.revision)
        if wanted == self._history_for:
            return self.history.commits_task
        self._history_for = wanted
        return self.history.load(*wanted)


def _chain_first(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest
