"""The Hugging Face sidebar: a narrow column with login, my repos, quick push and the playground.

The JupyterLab extension displays `HubSidebar()` in a left-sidebar panel (its own kernel) and calls
`set_current_path(path)` when the current document changes. It works in a notebook cell too.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import os
from typing import Any

import ipywidgets as W

from hub_widgets._i18n import _, ngettext, pgettext
from hub_widgets.formats import suggest_repo_name
from hub_widgets.hub import auth, repos
from hub_widgets.session import HubSession, HubTask, scoped
from hub_widgets.ui import StatusLine, fit_button, row
from hub_widgets.ui.base import HubWidget
from hub_widgets.ui.rows import RowList
from hub_widgets.ui.style import style_root
from hub_widgets.vocab import repo_type_label

TIMEOUT_NAMESPACES = 60.0


def _full_width() -> W.Layout:
    # A new Layout each time: a shared one would hide every widget when one is hidden.
    return W.Layout(width="100%")


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def repo_label(repo: dict) -> str:
    """The text of one repo in the list: `alice/model · dataset` (models have no suffix)."""
    suffix = "" if repo["repo_type"] == "model" else f" · {repo_type_label(repo['repo_type'])}"
    # Plain text: a select's options show no icons, and emoji are boxes without an emoji font.
    private = f" · {_('private')}" if repo.get("private") else ""
    return f"{repo['repo_id']}{suffix}{private}"


class HubSidebar(HubWidget, W.VBox):
    """A compact column for a narrow sidebar: login, my repos and my orgs' repos, quick push.

    Logged out, the login form is at the top; logged in, the login line says who you are (once).
    Clicking a repo opens it in a `RepoBrowser` below the list; quick push opens a compact
    `PushPanel` for the current notebook (or its folder) with the target filled in and its plan
    shown: nothing is uploaded before the user clicks its Push button, and a new repo is private.
    `show_widget(widget, title)` hosts any other widget in the same place.

    Args:
        session: The `HubSession` to use (default: the shared one).
    """

    def __init__(self, session: HubSession | None = None, **kwargs: Any) -> None:
        self.session = scoped(session)
        self.current_path: str | None = None
        self._suggested_name = ""  # the repo name filled in from the document (not typed)
        self.repos: list[dict] = []
        self.detail_widget: Any = None
        self.task: HubTask | None = None
        # One panel of each kind ("browser", "playground", "push"), built on first use, then reused.
        self.panels: dict[str, Any] = {}

        self.status = StatusLine()
        self.login_widget = self._make_login()
        self.user_view = W.HTML()

        # -- my repos
        self.repo_filter = W.Dropdown(
            options=[
                (_("All types"), ""),
                (_("Models"), "model"),
                (_("Datasets"), "dataset"),
                (_("Spaces"), "space"),
            ],
            value="",
            layout=W.Layout(width="auto", flex="1 1 8em", min_width="6em"),
        )
        self.refresh_button = W.Button(
            icon="refresh", tooltip=_("Reload my repos"), layout=W.Layout(width="36px", flex="0 0 36px")
        )
        # Rows that wrap, not a <select>: a long repo id stays readable at the sidebar's 280 px.
        self.repo_list = RowList(max_height="16em")
        self.repo_count = W.HTML()

        # -- quick push
        self.current_view = W.HTML()
        self.push_namespace = W.Dropdown(
            options=[], layout=W.Layout(width="auto", flex="1 1 7em", min_width="6em")
        )
        self.push_name = W.Text(
            placeholder=_("repo name"), layout=W.Layout(width="auto", flex="1 1 9em", min_width="7em")
        )
        self.push_notebook_button = fit_button(
            W.Button(description=_("Push notebook"), icon="upload", button_style="primary")
        )
        self.push_folder_button = fit_button(W.Button(description=_("Push folder"), icon="folder"))

        # -- more
        self.playground_button = fit_button(W.Button(description=_("Inference playground"), icon="play"))
        self.search_button = fit_button(W.Button(description=_("Search the Hub"), icon="search"))
        self.close_button = W.Button(
            icon="times", tooltip=_("Close"), layout=W.Layout(width="36px", flex="0 0 36px")
        )
        # Basis 0: the title takes the room the close button leaves, so both stay on one line.
        self.detail_title = W.HTML(layout=W.Layout(flex="1 1 0%", min_width="0"))
        self.detail = W.VBox(layout=_full_width())
        self.detail_box = W.VBox(
            [
                row(
                    [self.detail_title, self.close_button],
                    width="100%",
                    align_items="center",
                    justify_content="space-between",
                ),
                self.detail,
            ],
            layout=_full_width(),
        )
        self.detail_box.layout.display = "none"

        def heading(text: str) -> W.HTML:
            return W.HTML(f"<b>{html.escape(text)}</b>")

        # The login line already says who is logged in: the sidebar's own line is only the
        # fallback when the login widget is missing (the status is shown once).
        if isinstance(self.login_widget, HubWidget):
            self.user_view.layout.display = "none"

        super().__init__(
            [
                self.login_widget,
                self.user_view,
                heading(_("My repos")),
                row([self.repo_filter, self.refresh_button], width="100%"),
                self.repo_list,
                self.repo_count,
                heading(_("Quick push")),
                self.current_view,
                row([self.push_namespace, self.push_name], width="100%"),
                row([self.push_notebook_button, self.push_folder_button]),
                heading(pgettext("heading", "More")),
                row([self.search_button, self.playground_button]),
                self.status,
                self.detail_box,
            ],
            layout=W.Layout(width="100%", max_width="420px"),
            **kwargs,
        )
        style_root(self)
        self.add_class("hub-sidebar")

        self.last_selected: tuple[str, str] | None = None  # the playground opens on the selected model
        self.repo_list.observe(self._on_repo_selected, names="value")
        self.repo_filter.observe(lambda _change: self._show_repos(), names="value")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.push_notebook_button.on_click(lambda _b: self.quick_push(folder=False))
        self.push_folder_button.on_click(lambda _b: self.quick_push(folder=True))
        self.playground_button.on_click(lambda _b: self.open_playground())
        self.search_button.on_click(lambda _b: self.open_repo())
        self.close_button.on_click(lambda _b: self.close_detail())
        self.session.on_change(self.refresh)
        self.set_current_path(None)
        self.refresh()

    def _hosted(self) -> list[Any]:
        return [self.login_widget, *self.panels.values()]

    def _reuse(self, kind: str) -> Any:
        panel = self.panels.get(kind)
        return panel if panel is not None and panel.comm is not None else None

    # -- parts that other modules provide -----------------------------------------------------------

    def _make_login(self) -> W.Widget:
        if not _module_exists("hub_widgets.login"):
            return W.HTML(html.escape(_("The login widget is not available in this installation.")))
        try:
            from hub_widgets.login import LoginWidget

            return LoginWidget(session=self.session, compact=True)
        except Exception as exc:  # a broken companion must not break the sidebar
            return W.HTML(html.escape(_("The login widget could not start: {error}").format(error=exc)))

    # -- login state and repos ----------------------------------------------------------------------

    def refresh(self) -> HubTask:
        """Reload who is logged in and their repos (off the main thread); returns the task."""
        self.refresh_button.disabled = True

        def run() -> tuple[dict | None, list[str], list[dict]]:
            info = auth.whoami(self.session)
            namespaces = auth.namespaces(self.session) if info else []
            return info, namespaces, repos.list_namespace_repos(self.session, namespaces) if info else []

        def show(result: tuple[dict | None, list[str], list[dict]]) -> None:
            info, namespaces, repos = result
            if info is None:
                self.user_view.value = html.escape(_("Not logged in: log in above to see your repos."))
            else:
                orgs = namespaces[1:]
                text = _("Logged in as {user}").format(user=f"<b>{html.escape(info['name'])}</b>")
                if orgs:
                    text += " · " + html.escape(", ".join(orgs))
                self.user_view.value = text
            previous = self.push_namespace.value
            self.push_namespace.options = namespaces
            self.push_namespace.value = previous if previous in namespaces else next(iter(namespaces), None)
            self.repos = repos
            self._show_repos()
            self.status.clear()

        def failed(exc: BaseException) -> None:
            self.status.error(self.session.describe_error(exc))

        def done() -> None:
            self.refresh_button.disabled = False

        self.task = self.submit(run, on_result=show, on_error=failed, on_done=done, key=f"sidebar-{id(self)}")
        return self.task

    def _show_repos(self) -> None:
        wanted = self.repo_filter.value
        shown = [r for r in self.repos if not wanted or r["repo_type"] == wanted]
        self.repo_list.unobserve(self._on_repo_selected, names="value")
        try:
            self.repo_list.options = [(repo_label(r), (r["repo_type"], r["repo_id"])) for r in shown]
            self.repo_list.value = None
            self.repo_list.layout.display = None if shown else "none"  # "0 repos" says it; no empty box
        finally:
            self.repo_list.observe(self._on_repo_selected, names="value")
        self.repo_count.value = html.escape(
            ngettext("{n} repo", "{n} repos", len(shown)).format(n=len(shown))
        )

    def _on_repo_selected(self, change: dict) -> None:
        if change["new"]:
            repo_type, repo_id = change["new"]
            self.last_selected = (repo_type, repo_id)
            self.open_repo(repo_id, repo_type)

    # -- the area below -----------------------------------------------------------------------------

    def show_widget(self, widget: W.Widget, title: str = "") -> W.Widget:
        """Host any widget below the list, with `title` and a close button (replaces what was there).

        The sidebar does not close a widget given here when it is replaced: whoever built it does.

        Args:
            widget: Any ipywidgets widget (a hub widget is best built with `session=sidebar.session`).
            title: Plain text shown above it.

        Returns:
            `widget`.
        """
        self.detail_title.value = f"<b>{html.escape(title)}</b>" if title else ""
        self.detail.children = (widget,)
        self.detail_widget = widget
        self.detail_box.layout.display = None
        return widget

    def close_detail(self) -> None:
        """Close the repo browser, push panel or playground shown below the list."""
        self.detail.children = ()
        self.detail_widget = None
        self.detail_box.layout.display = "none"

    def open_repo(self, repo_id: str | None = None, repo_type: str = "model") -> Any:
        """Open a repo (or the search, without `repo_id`) in a `RepoBrowser` below the list.

        Returns:
            The `RepoBrowser`, or None when that widget is not installed (a message says so).
        """
        if not _module_exists("hub_widgets.browser.panel"):
            self.status.warning(_("The repo browser is not available in this installation."))
            return None
        from hub_widgets.browser.panel import RepoBrowser

        browser = self._reuse("browser")
        if browser is None:
            browser = RepoBrowser(repo_id=repo_id, repo_type=repo_type, session=self.session)
            self.panels["browser"] = browser
        elif repo_id:
            browser.open_repo(repo_id, repo_type)
        else:
            browser.show_search()
        self.show_widget(browser, repo_id or _("Search the Hub"))
        return browser

    def open_playground(self, model: str | None = None) -> Any:
        """Open the inference playground below the list (None with a message if not installed).

        Args:
            model: The model to try; default: the model selected in the list, if any.
        """
        if not _module_exists("hub_widgets.playground.panel"):
            self.status.warning(_("The inference playground is not available in this installation."))
            return None
        from hub_widgets.playground.panel import InferencePlayground

        selected = self.last_selected
        if model is None and selected is not None and selected[0] == "model":
            model = selected[1]
        playground = self._reuse("playground")
        if playground is None:
            playground = InferencePlayground(model=model, session=self.session)
            self.panels["playground"] = playground
        elif model and playground.lanes[0].model.value.strip() != model:
            playground.lanes[0].model.value = model  # reads the new model's task and examples
        self.show_widget(playground, _("Inference playground"))
        return playground

    # -- quick push ---------------------------------------------------------------------------------

    def set_current_path(self, path: str | None) -> None:
        """Tell the sidebar which document is current (the frontend calls this); None: no document.

        Args:
            path: The document's path, absolute or relative to the kernel's working directory.
        """
        self.current_path = path or None
        if self.current_path is None:
            self.current_view.value = html.escape(_("Open a notebook to push it."))
        else:
            self.current_view.value = _("Current: {path}").format(
                path=f"<code>{html.escape(self.current_path)}</code>"
            )
            folder = os.path.dirname(os.path.abspath(os.path.expanduser(self.current_path)))
            self.push_folder_button.tooltip = folder
            # The name follows the document until the user types one.
            if self.push_name.value.strip() in ("", self._suggested_name):
                self._suggested_name = suggest_repo_name(self.current_path)
                self.push_name.value = self._suggested_name
        self.push_notebook_button.disabled = self.current_path is None
        self.push_folder_button.disabled = self.current_path is None

    def quick_push(self, folder: bool = False) -> Any:
        """Open a compact `PushPanel` below the list for the current document (or its folder).

        The target is `namespace/name` from the quick-push fields (a name suggested from the
        document when empty); a repo it creates is private unless the user unticks it. The panel
        computes its plan at once and uploads nothing: its Push button, showing what the plan will
        do, is the confirmation. Without a current document the panel opens empty, to type a path.

        Args:
            folder: Push the document's folder instead of the document.

        Returns:
            The `PushPanel`, or None with a message when it is not installed; `panel.wait()` blocks
            until its plan is shown. After a push from it the sidebar reloads its repo list.
        """
        if not _module_exists("hub_widgets.push.panel"):
            self.status.warning(_("The push panel is not available in this installation."))
            return None
        from hub_widgets.push.panel import PushPanel

        source = None
        if self.current_path is not None:
            source = os.path.abspath(os.path.expanduser(self.current_path))
            if folder:
                source = os.path.dirname(source)
        name = self.push_name.value.strip()
        if folder and source is not None and name == self._suggested_name:
            name = suggest_repo_name(source)  # the folder's name, not its notebook's
        namespace = self.push_namespace.value
        repo_id = name if "/" in name or not namespace or not name else f"{namespace}/{name}"
        panel = self._reuse("push")
        fresh = panel is None
        if panel is None:
            panel = PushPanel(
                source=source, repo_id=repo_id or None, session=self.session, compact=True, quick=True
            )
            panel.on_pushed(self._after_push)
            self.panels["push"] = panel
        else:
            panel.source = source
            if repo_id:
                panel.repo_id = repo_id
            panel.private.value = True  # a quick path again: a new repo starts private
        self.show_widget(
            panel, _("Push to {repo}").format(repo=panel.repo_id) if panel.repo_id else _("Push")
        )
        self.status.clear()
        if source is None:
            panel.status.info(_("Open a notebook, or type the path of a file or folder to push."))
        elif not fresh:
            panel.plan()  # a new panel plans by itself once its namespace menu is filled
        return panel

    def _after_push(self) -> None:
        """A push from the panel below: a repo it created shows up in the list."""
        self.refresh()
