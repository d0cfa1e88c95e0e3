"""PushPanel: push a file, a folder or a kernel object to the Hub, with a plan, a secret scan and progress."""

from __future__ import annotations

import html
import importlib.util
import os
import threading
import time
from pathlib import Path
from typing import Any

import ipywidgets as W

from hub_widgets._i18n import _, ngettext
from hub_widgets.errors import CancelledError, ValidationError
from hub_widgets.formats import repo_name_from, suggest_repo_name
from hub_widgets.hub import auth
from hub_widgets.hub import push as hub_push
from hub_widgets.hub.push import (
    AccessDenied,
    PlanResult,
    PushRequest,
    PushResult,
    SecretsFound,
    check_repo_id,
)
from hub_widgets.push.objects import (
    SavedObject,
    describe_object,
    is_pushable_object,
    object_name,
    save_object,
    suggested_repo_type,
)
from hub_widgets.push.plan import DEFAULT_EXCLUDES, Plan, ReadError, split_patterns
from hub_widgets.push.secrets import Finding, summarize
from hub_widgets.session import HubSession, HubTask, current_task, scoped
from hub_widgets.ui import (
    ProgressView,
    StatusLine,
    badge,
    fa_icon,
    fit_button,
    format_bytes,
    html_table,
    link,
    row,
)
from hub_widgets.ui.base import HubWidget
from hub_widgets.ui.style import style_root
from hub_widgets.vocab import REPO_TYPES

_STATUS_COLORS = {"new": "#1a7f37", "changed": "#9a6700", "unchanged": "#6e7781", "delete": "#cf222e"}


def _status_label(status: str) -> str:
    """A plan entry's status as its badge reads (translated)."""
    labels = {"new": _("new"), "changed": _("changed"), "unchanged": _("unchanged"), "delete": _("delete")}
    return labels.get(status, status)


PLAN_ROWS = 200
LABEL_WIDTH = "120px"
_DESC = {"description_width": LABEL_WIDTH}


def _wide() -> W.Layout:
    # A new Layout each time: a shared one would hide or resize every field at once.
    # "auto" stretches in the column without the 100% + margin overflow of an explicit 100%.
    return W.Layout(width="auto", max_width="100%")


def _checkbox() -> W.Layout:
    # Sized to its label (the default fixed width cuts "Open as pull request" and translations).
    return W.Layout(width="auto", flex="0 0 auto", max_width="100%")


def _field(basis: str = "16em") -> W.Layout:
    """A labelled field that shares its row and wraps below its neighbour when the panel is narrow.

    Args:
        basis: The input's own share of the row; its label's width comes on top.
    """
    return W.Layout(
        width="auto",
        flex=f"1 1 calc({LABEL_WIDTH} + {basis})",
        min_width=f"calc({LABEL_WIDTH} + 7em)",
        max_width="100%",
    )


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class PushPanel(HubWidget, W.VBox):
    """Push files, folders and kernel objects to a Hub repo.

    Plan first (what is new, changed, unchanged or deleted, computed locally from the Hub's hashes),
    then push off the kernel's main thread with progress and Cancel. A read-only token, a foreign
    namespace or a probable secret stop the push before anything is uploaded.

    Args:
        source: A file or folder path, or an object with `save_pretrained(dir)` or `to_parquet(path)`.
        repo_id: Target repo, `namespace/name` (or just `name`: the namespace menu picks the owner).
        repo_type: "model", "dataset" or "space".
        session: The `HubSession` to use (default: the shared one).
        compact: A narrower panel for the sidebar (no title, no description field).
        quick: Opened by a one-click path (the sidebar's quick push, the file browser's commands):
            a new repo is private unless unticked, and the plan is computed at once (once the
            namespace is known) so that Push, the one action left, confirms what it shows.
    """

    def __init__(
        self,
        source: Any = None,
        repo_id: str | None = None,
        repo_type: str = "model",
        session: HubSession | None = None,
        compact: bool = False,
        quick: bool = False,
        **kwargs: Any,
    ) -> None:
        self.session = scoped(session)
        self.compact = compact
        self.status = StatusLine()
        self._namespaces_task: HubTask | None = None
        self._plan_after_namespaces = False
        self._pushed_listeners: list[Any] = []
        self._object: Any = None
        self._plan: Plan | None = None
        self._planned: PlanResult | None = None  # the plan shown, pushed as is (files verified unchanged)
        self._findings: list[Finding] = []
        self._hash_cache: dict = {}
        self._lock = threading.Lock()
        # The namespace menu is rewritten by a worker (refresh) and set by the user or the sidebar:
        # both go through this lock so a refresh never undoes a choice made meanwhile.
        self._namespace_lock = threading.RLock()
        self._running = False
        self.task: HubTask | None = None
        self.history: list[dict] = []
        self.last_result: PushResult | None = None
        # The repo name the panel filled in from the source: replaced when the source changes,
        # unlike a name the user typed or passed.
        self._suggested_name = ""

        # -- source
        self.source_path = W.Text(
            description=_("Source"),
            placeholder=_("a file or folder path"),
            continuous_update=False,
            layout=_wide(),
            style=_DESC,
        )
        self.source_info = W.HTML()

        # -- target
        self.namespace = W.Dropdown(
            description=_("Namespace"), options=[], style=_DESC, layout=_field("12em")
        )
        self.repo_name = W.Text(
            description=_("Repo name"),
            placeholder=_("my-model"),
            continuous_update=False,
            style=_DESC,
            layout=_field("12em"),
        )
        self.repo_type = W.Dropdown(
            description=_("Type"),
            options=[(_("Model"), "model"), (_("Dataset"), "dataset"), (_("Space"), "space")],
            value=repo_type if repo_type in REPO_TYPES else "model",
            style=_DESC,
            layout=_field("8em"),
        )
        self.create_missing = W.Checkbox(
            value=True, description=_("Create if missing"), indent=False, layout=_checkbox()
        )
        # The quick paths publish in one click: a repo they create stays private until the user says.
        self.private = W.Checkbox(value=quick, description=_("Private"), indent=False, layout=_checkbox())
        self.branch = W.Combobox(
            description=_("Branch"),
            placeholder="main",
            options=["main"],
            ensure_option=False,
            continuous_update=False,
            style=_DESC,
            layout=_field("12em"),
        )
        self.open_pr = W.Checkbox(
            value=False, description=_("Open as pull request"), indent=False, layout=_checkbox()
        )
        self.path_in_repo = W.Text(
            description=_("Folder in repo"),
            placeholder=_("(repo root)"),
            continuous_update=False,
            style=_DESC,
            layout=_field("12em"),
        )
        self.commit_message = W.Text(
            description=_("Message"),
            placeholder=_("Upload with hub-widgets"),
            continuous_update=False,
            layout=_wide(),
            style=_DESC,
        )
        self.commit_description = W.Textarea(
            description=_("Description"), placeholder=_("optional"), layout=_wide(), style=_DESC
        )

        # -- files
        self.include = W.Text(
            description=_("Include"),
            placeholder=_("all files (or e.g. *.safetensors, *.json)"),
            continuous_update=False,
            layout=_wide(),
            style=_DESC,
        )
        self.exclude = W.Text(
            description=_("Exclude"),
            value=", ".join(DEFAULT_EXCLUDES),
            continuous_update=False,
            layout=_wide(),
            style=_DESC,
        )
        self.delete = W.Text(
            description=_("Delete remote"),
            placeholder=_("remote files to delete, e.g. *.bin, logs/"),
            continuous_update=False,
            layout=_wide(),
            style=_DESC,
        )

        # -- plan, safety, push
        self.plan_button = fit_button(
            W.Button(description=_("Plan"), icon="list", tooltip=_("Compare with the Hub; uploads nothing"))
        )
        self.plan_view = W.HTML()
        self.secrets_view = W.HTML()
        self.allow_secrets = W.Checkbox(
            value=False,
            description=_("Push anyway: I checked these are not secrets"),
            indent=False,
            layout=_checkbox(),
        )
        self.allow_secrets.layout.display = "none"
        self.allow_secrets.observe(lambda _c: self._update_push_button(), names="value")
        self.push_button = fit_button(W.Button(description=_("Push"), icon="upload", button_style="primary"))
        # Its label is the plan's summary (long in a sidebar, longer translated): it may wrap.
        self.push_button.add_class("hubw-push-button")
        self.cancel_button = fit_button(W.Button(description=_("Cancel"), icon="stop", disabled=True))
        self.progress = ProgressView()

        # -- result and history
        self.result_view = W.HTML()
        self.browse_button = fit_button(W.Button(description=_("Open in repo browser"), icon="folder-open"))
        self.card_button = fit_button(W.Button(description=_("Edit card"), icon="edit"))
        self.card_hint = W.HTML()
        self.extra = W.VBox()
        self.history_view = W.HTML()
        for hidden in (self.browse_button, self.card_button):
            hidden.layout.display = "none"

        if compact:
            self.commit_description.layout.display = "none"
        target = W.VBox(
            [
                row([self.namespace, self.repo_name, self.repo_type]),
                row([self.create_missing, self.private, self.open_pr]),
                row([self.branch, self.path_in_repo]),
                self.commit_message,
                self.commit_description,
            ]
        )
        files = W.VBox([self.include, self.exclude, self.delete])
        self.sections = W.Accordion(
            children=[target, files], titles=(_("Target"), _("Files")), selected_index=0
        )
        title = W.HTML(f"<b>{html.escape(_('Push to the Hugging Face Hub'))}</b>")
        if compact:  # the sidebar's own heading says it
            title.layout.display = "none"
        super().__init__(
            [
                title,
                self.source_path,
                self.source_info,
                row([self.card_hint, self.card_button], align_items="center"),
                self.sections,
                row([self.plan_button, self.push_button, self.cancel_button]),
                self.status,
                self.progress,
                self.secrets_view,
                self.allow_secrets,
                self.plan_view,
                self.result_view,
                row([self.browse_button]),
                self.extra,
                self.history_view,
            ],
            **kwargs,
        )
        style_root(self)
        self.add_class("hubw-push")
        if compact:
            self.add_class("hubw-compact")

        self.plan_button.on_click(lambda _b: self.plan())
        self.push_button.on_click(lambda _b: self.push())
        self.cancel_button.on_click(lambda _b: self.cancel())
        self.browse_button.on_click(lambda _b: self.open_browser())
        self.card_button.on_click(lambda _b: self.edit_card())
        self.source_path.observe(self._on_source_path, names="value")
        for control in (self.namespace, self.repo_name, self.repo_type):
            control.observe(self._on_target, names="value")
        for control in (
            self.branch,
            self.open_pr,
            self.path_in_repo,
            self.include,
            self.exclude,
            self.delete,
            self.create_missing,
            self.private,  # the plan says whether a new repo will be private
        ):
            control.observe(lambda _c: self._invalidate(), names="value")
        self.session.on_change(self.refresh_namespaces)

        if repo_id:
            self.repo_id = repo_id
        self.source = source
        # The quick paths plan at once, once the namespace menu is filled (the repo id needs it).
        # (Logged out, the panel says to log in instead.)
        self._plan_after_namespaces = quick and self.source is not None
        self.refresh_namespaces()

    # -- public state -------------------------------------------------------------------------------

    @property
    def source(self) -> Any:
        """The path (str) or kernel object to push."""
        return self._object if self._object is not None else (self.source_path.value.strip() or None)

    @source.setter
    def source(self, value: Any) -> None:
        if value is None or isinstance(value, (str, os.PathLike)):
            self._object = None
            self.source_path.placeholder = _("a file or folder path")
            self.source_path.value = os.fspath(value) if value is not None else ""
            self._on_source_path(None)
            return
        if not is_pushable_object(value):
            raise ValidationError(
                _(
                    "Cannot push a {name}: give a path, or an object with save_pretrained() or to_parquet()."
                ).format(name=type(value).__name__)
            )
        self._object = value
        self.source_path.value = ""
        self.source_path.placeholder = _("kernel object {name} (type a path to push files instead)").format(
            name=type(value).__name__
        )
        self.source_info.value = html.escape(describe_object(value))
        if suggested_repo_type(value) == "dataset":
            self.repo_type.value = "dataset"
        self._suggest_name(repo_name_from(object_name(value)))
        self._update_card_hint()
        self._invalidate()

    @property
    def repo_id(self) -> str:
        """`namespace/name` as currently entered."""
        name = self.repo_name.value.strip()
        if "/" in name:
            return name
        namespace = self.namespace.value or ""
        return f"{namespace}/{name}" if namespace and name else name

    @repo_id.setter
    def repo_id(self, value: str) -> None:
        value = (value or "").strip()
        namespace, _slash, name = value.partition("/")
        if value.count("/") == 1 and namespace and name:  # anything else stays whole, refused as malformed
            with self._namespace_lock:
                self._ensure_namespace(namespace)
                self.namespace.value = namespace
            self.repo_name.value = name
        else:
            self.repo_name.value = value

    def _ensure_namespace(self, namespace: str) -> None:
        options = list(self.namespace.options)
        if namespace and namespace not in options:
            self.namespace.options = [*options, namespace]

    def request(self) -> PushRequest:
        """The push as entered in the panel (the source path is resolved at push time for objects)."""
        return PushRequest(
            source=self.source_path.value.strip(),
            repo_id=self.repo_id,
            repo_type=self.repo_type.value,
            branch=(self.branch.value or "").strip() or None,
            create_repo=self.create_missing.value,
            private=self.private.value,
            create_pr=self.open_pr.value,
            path_in_repo=self.path_in_repo.value.strip(),
            commit_message=self.commit_message.value,
            commit_description=self.commit_description.value,
            include=split_patterns(self.include.value),
            exclude=split_patterns(self.exclude.value),
            delete_patterns=split_patterns(self.delete.value),
            allow_secrets=self.allow_secrets.value,
        )

    # -- reacting to input --------------------------------------------------------------------------

    def _on_source_path(self, _change: Any) -> None:
        path = self.source_path.value.strip()
        if path:
            self._object = None
            self.source_path.placeholder = _("a file or folder path")
            self.source_info.value = ""
            self._suggest_name(suggest_repo_name(path))
        self._update_card_hint()
        self._invalidate()

    def _suggest_name(self, name: str) -> None:
        """Name the repo after the source, unless the user chose a name (typed, or given as repo_id)."""
        current = self.repo_name.value.strip()
        if name and (not current or current == self._suggested_name):
            self._suggested_name = name
            self.repo_name.value = name

    def _open_target(self) -> None:
        """Show the Target section: the field an error is about is in it (never a collapsed section)."""
        self.sections.selected_index = 0

    def _on_target(self, _change: Any) -> None:
        self._invalidate()
        self.refresh_branches()

    def _invalidate(self) -> None:
        """Inputs changed: the last plan no longer describes the push."""
        if self._running:
            return
        self._clear_plan()

    def _clear_plan(self) -> None:
        """Forget the plan and its findings: nothing shown may belong to an earlier plan."""
        self._plan = None
        self._planned = None
        self._clear_findings()
        if self.plan_view.value:
            self.plan_view.value = ""

    def _clear_findings(self) -> None:
        """Hide the secrets box and untick its override: a tick covers the findings it was given for only."""
        self._findings = []
        self.secrets_view.value = ""
        self.allow_secrets.layout.display = "none"
        self.allow_secrets.value = False
        self._update_push_button()

    def _clear_result(self) -> None:
        """Hide the last push's links: a new action's outcome replaces them."""
        self.result_view.value = ""
        self.browse_button.layout.display = "none"

    def _update_push_button(self) -> None:
        """What Push will do, as its label, tooltip and state say it: blocked while secrets are found."""
        button = self.push_button
        n = len(self._findings)
        if n and not self.allow_secrets.value:
            button.description = ngettext(
                "Push blocked: {n} possible secret", "Push blocked: {n} possible secrets", n
            ).format(n=n)
            button.tooltip = _(
                "Remove the secrets, exclude their files, or tick 'Push anyway' below to push them."
            )
            button.icon = "ban"
            button.disabled = True
            button.button_style = ""
            return
        button.icon = "upload"
        plan = self._plan
        if plan is None:
            button.description = _("Push")
            button.tooltip = _("Plan, scan for secrets and push")
        else:
            button.description = plan.summary()
            if self._planned is not None and self.open_pr.value and not plan.is_empty:
                button.description += " " + _("(pull request)")
            button.tooltip = (
                ngettext(
                    "Push despite {n} possible secret (override ticked)",
                    "Push despite {n} possible secrets (override ticked)",
                    n,
                ).format(n=n)
                if n
                else _("Push what the plan shows")
            )
        button.disabled = self._running or (plan is not None and plan.is_empty)
        if plan is not None and plan.is_empty:
            button.button_style = ""
        else:  # orange while it would push despite findings
            button.button_style = "warning" if n else "primary"

    def _update_card_hint(self) -> None:
        folder = self.source_path.value.strip()
        show = (
            bool(folder)
            and os.path.isdir(os.path.expanduser(folder))
            and not os.path.exists(os.path.join(os.path.expanduser(folder), "README.md"))
            and _module_exists("hub_widgets.card")
        )
        self.card_hint.value = html.escape(_("This folder has no README.md (the repo card).")) if show else ""
        self.card_button.layout.display = "" if show else "none"

    def refresh_namespaces(self) -> HubTask | None:
        """Load the user's name and organisations into the namespace menu (keeps the current choice)."""
        if not self.session.has_token:
            self.status.warning(_("You are not logged in: log in to push."))
            return None

        def show(names: list[str]) -> None:
            with self._namespace_lock:
                current = self.namespace.value
                options = list(names) + [n for n in self.namespace.options if n not in names]
                if current in options:
                    # New options select the first one: keep the user's choice first so it never flips.
                    options.remove(current)
                    options.insert(0, current)
                self.namespace.options = options
                if self.namespace.value is None and options:
                    # ipywidgets 8 keeps no selection when options arrive: default to the user's own name.
                    self.namespace.value = options[0]
            if self.status.kind == "warning" and self.status.text.startswith(_("You are not logged in")):
                self.status.clear()

        def done() -> None:
            running = current_task()
            if self._plan_after_namespaces and not (
                running is not None and (running.cancelled or running.stale)
            ):
                self._plan_after_namespaces = False
                self.plan()

        self._namespaces_task = self.submit(
            auth.namespaces,
            self.session,
            on_result=show,
            on_error=lambda e: None,
            on_done=done,
            key=f"push-namespaces-{id(self)}",
        )
        return self._namespaces_task

    def refresh_branches(self) -> HubTask | None:
        """List the target repo's branches in the branch menu (a new name is still accepted)."""
        repo_id, repo_type = self.repo_id, self.repo_type.value
        if repo_id.count("/") != 1 or not repo_id.split("/")[1]:
            return None

        def show(names: list[str]) -> None:
            self.branch.options = sorted(set(names) | {"main"}, key=lambda n: (n != "main", n))

        return self.submit(
            hub_push.branches,
            self.session,
            repo_id,
            repo_type=repo_type,
            on_result=show,
            on_error=lambda e: show([]),
            key=f"push-branches-{id(self)}",
        )

    # -- plan ----------------------------------------------------------------------------------------

    def _materialize(self) -> tuple[str, SavedObject | None]:
        """The local path to push: the typed path, or the kernel object saved to a temporary folder."""
        if self._object is not None:
            saved = save_object(self._object)
            self.source_info.value = html.escape(
                describe_object(self._object) + " " + _("Saved to {folder}.").format(folder=saved.folder)
            )
            return str(saved.folder), saved
        path = self.source_path.value.strip()
        if not path:
            raise ValidationError(_("Choose what to push: a file or folder path, or a kernel object."))
        return os.path.expanduser(path), None

    def _check_request(self) -> PushRequest | None:
        if not self.session.has_token:
            # One line that says what to do, not the Hub's refusal of an anonymous upload.
            self.status.warning(_("You are not logged in: log in to push."))
            return None
        request = self.request()
        if not self.repo_name.value.strip():
            self._open_target()
            self.status.error(_("Choose a namespace and a repo name."))
            return None
        try:
            check_repo_id(request.repo_id)
            if ".." in request.path_in_repo.split("/"):
                raise ValidationError(_("The path in repo cannot contain '..'."))
        except ValidationError as exc:
            self._open_target()
            self.status.error(str(exc))
            return None
        if self._object is None and not request.source:
            self.status.error(_("Choose what to push: a file or folder path, or a kernel object."))
            return None
        return request

    def plan(self) -> HubTask | None:
        """Compare the local files with the Hub and show what a push would do. Uploads nothing."""
        request = self._check_request()
        if request is None or self._running:
            return None
        # A new plan starts clean: no findings, override, progress or links of an earlier action.
        self._clear_plan()
        self._clear_result()
        self.progress.hide()
        request.allow_secrets = False
        self._set_running(True, planning=True)
        self.status.busy(_("Comparing with the Hub…"))

        def run() -> Plan:
            saved = None
            try:
                task = current_task()
                check = task.raise_if_cancelled if task else None
                request.source, saved = self._materialize()
                request.validate()
                self.status.busy(_("Reading the files (hashes and secret scan)…"))
                try:
                    result = hub_push.plan(self.session, request, cache=self._hash_cache, check=check)
                except ReadError as exc:
                    raise ValidationError(str(exc)) from None
                self._plan = result.plan
                self._planned = result if saved is None else None  # a saved object is saved again
                self._show_findings(result.plan.findings, blocking=False)
                self._show_plan(result.plan, request, result.repo_exists, result.branch_exists)
                if result.plan.is_empty:
                    self.status.info(_("Everything is up to date: nothing to push."))
                else:
                    self.status.info(
                        _("Plan ready: {summary}. Nothing was uploaded.").format(
                            summary=result.plan.summary()
                        )
                    )
                return result.plan
            except BaseException as exc:
                self._report_failure(exc)
                raise
            finally:
                if saved is not None:
                    saved.cleanup()
                self._set_running(False)

        self.task = self.submit(run, lane="long")
        return self.task

    def _show_plan(self, plan: Plan, request: PushRequest, repo_exists: bool, branch_exists: bool) -> None:
        counts = plan.counts()
        if not repo_exists and request.private:
            where = _("{repo} does not exist yet: it will be created as a private repo.").format(
                repo=request.repo_id
            )
        elif not repo_exists:
            where = _("{repo} does not exist yet: it will be created as a public repo.").format(
                repo=request.repo_id
            )
        elif not branch_exists:
            where = _("Branch {branch} is new: compared with main ({sha}).").format(
                branch=request.revision, sha=(plan.head or "")[:7]
            )
        else:
            where = _("Compared with {repo}@{branch} ({sha}).").format(
                repo=request.repo_id, branch=request.revision, sha=(plan.head or "")[:7]
            )
        header = _("{new} new · {changed} changed · {unchanged} unchanged · {delete} to delete").format(
            **counts
        )
        rows = [
            (
                badge(_status_label(entry.status), _STATUS_COLORS[entry.status]),
                entry.path,
                format_bytes(entry.size),
                badge(_("LFS"), "#0969da") if entry.lfs else "",
            )
            for entry in plan.entries[:PLAN_ROWS]
        ]
        table = html_table([_("Status"), _("File"), _("Size"), _("Storage")], rows, raw_columns=(0, 3))
        more = ""
        if len(plan.entries) > PLAN_ROWS:
            more = (
                "<div>" + html.escape(_("… and {n} more").format(n=len(plan.entries) - PLAN_ROWS)) + "</div>"
            )
        skipped = ""
        if plan.skipped:
            items = "".join(
                f"<li>{html.escape(s.path)}: {html.escape(s.reason)}</li>" for s in plan.skipped[:PLAN_ROWS]
            )
            skipped = f"<div class='hubw-skipped'><b>{html.escape(_('Skipped:'))}</b><ul>{items}</ul></div>"
        self.plan_view.value = (
            f"<div class='hubw-plan'><div><b>{html.escape(header)}</b></div>"
            f"<div>{html.escape(where)}</div>{table}{more}{skipped}</div>"
        )
        self._update_push_button()

    def _show_findings(self, findings: list[Finding], blocking: bool) -> None:
        self._findings = findings
        if not findings:
            self.secrets_view.value = ""
            self.allow_secrets.layout.display = "none"
            self._update_push_button()
            return
        title = (
            _("Push blocked: possible secrets in the files:")
            if blocking
            else _("Possible secrets in the files (the push will be blocked):")
        )
        items = "".join(f"<li>{html.escape(line)}</li>" for line in summarize(findings))
        self.secrets_view.value = (
            f"<div class='hubw-secrets' style='color:#cf222e'><b>{fa_icon('exclamation-triangle')} "
            f"{html.escape(title)}</b><ul>{items}</ul></div>"
        )
        self.allow_secrets.layout.display = ""
        self._update_push_button()

    # -- push ----------------------------------------------------------------------------------------

    def push(self) -> HubTask | None:
        """Push now (off the main thread); returns the task (`panel.wait()` blocks until it is over)."""
        request = self._check_request()
        if request is None or self._running:
            return None
        planned = self._planned if self._object is None else None
        if self._findings and not self.allow_secrets.value:
            # Blocked last time: read (and scan) the files again, the user may have removed the secret.
            planned = None
            self._planned = None
        if not self.allow_secrets.value:
            self._clear_findings()
        self._clear_result()
        self._set_running(True)
        self.status.busy(_("Preparing the push…"))
        started = time.monotonic()

        hashed = [0]
        hash_lock = threading.Lock()

        def on_hash_start(total: int) -> None:
            hashed[0] = 0
            self.progress.start(total, 0)

        def on_hash(n: int) -> None:
            with hash_lock:  # files are hashed on several threads
                hashed[0] += n
                done = hashed[0]
            self.progress.update(done_bytes=done)

        def on_start(plan: Plan) -> None:
            self.progress.start(plan.upload_bytes, len(plan.to_upload))

        def on_progress(done_bytes: int, done_files: int) -> None:
            self.progress.update(done_bytes=done_bytes, done_files=done_files)

        def run() -> PushResult:
            saved = None
            task = current_task()
            check = task.raise_if_cancelled if task else None
            try:
                request.source, saved = self._materialize()
                result = hub_push.push(
                    self.session,
                    request,
                    planned=planned,
                    cache=self._hash_cache,
                    on_phase=self.status.busy,
                    on_start=on_start,
                    on_progress=on_progress,
                    on_hash=on_hash,
                    on_hash_start=on_hash_start,
                    check=check,
                )
                self._show_result(result, request, time.monotonic() - started)
                return result
            except CancelledError:
                self._after_failed_push()
                self.progress.finish(ok=False)
                self.status.warning(
                    _("Cancelled before the commit: the repo was left untouched (nothing was committed).")
                )
                raise
            except SecretsFound as exc:
                if exc.planned is not None and saved is None:
                    self._plan, self._planned = exc.planned.plan, exc.planned
                self.progress.hide()  # nothing was uploaded: no bar
                self._show_findings(exc.findings, blocking=True)
                self.status.error(str(exc))
                raise
            except BaseException as exc:
                self._after_failed_push()
                if self.progress.layout.display != "none":
                    self.progress.finish(ok=False)
                self._report_failure(exc)
                raise
            finally:
                if saved is not None:
                    saved.cleanup()
                self._set_running(False)

        self.task = self.submit(run, lane="long")
        return self.task

    def _report_failure(self, exc: BaseException) -> None:
        """One line for what went wrong; a refusal about the namespace or the token opens Target, where it is fixed."""
        if isinstance(exc, AccessDenied):
            self._open_target()
        self.status.error(self.session.describe_error(exc))

    def _after_failed_push(self) -> None:
        """The override covered that attempt only; the next push reads the files again (the plan stays shown)."""
        self._planned = None
        self._clear_findings()

    def _show_result(self, result: PushResult, request: PushRequest, seconds: float) -> None:
        self.last_result = result
        plan = result.plan
        if result.nothing_to_do:
            self._clear_plan()
            self.progress.hide()
            self.status.success(
                _("Nothing to push: {repo} is already up to date.").format(repo=request.repo_id)
            )
            return
        self.progress.finish(ok=True)
        n = len(plan.to_upload)
        what = ngettext("{n} file", "{n} files", n).format(n=n) + f", {format_bytes(plan.upload_bytes)}"
        if plan.to_delete:
            what += ", " + ngettext("{n} deleted", "{n} deleted", len(plan.to_delete)).format(
                n=len(plan.to_delete)
            )
        if result.pr_url:
            self.status.success(
                _("Opened a pull request on {repo}: {what}.").format(repo=request.repo_id, what=what)
            )
        else:
            self.status.success(
                _("Pushed {what} to {repo}@{branch}.").format(
                    what=what, repo=request.repo_id, branch=request.revision
                )
            )
        links = [link(result.commit_url, _("Commit"))] if result.commit_url else []
        if result.pr_url:
            links.append(link(result.pr_url, _("Pull request")))
        links.append(link(self.session.url(request.repo_id, request.repo_type), _("Repo page")))
        self.result_view.value = " · ".join(links)
        self.browse_button.layout.display = "" if _module_exists("hub_widgets.browser.panel") else "none"
        self.history.append(
            {
                "time": time.strftime("%H:%M:%S"),
                "repo_id": request.repo_id,
                "repo_type": request.repo_type,
                "branch": request.revision,
                "files": n,
                "deleted": len(plan.to_delete),
                "bytes": plan.upload_bytes,
                "seconds": seconds,
                "commit_url": result.commit_url,
                "pr_url": result.pr_url,
            }
        )
        self._render_history()
        # What was planned is now on the Hub: the next push starts from a fresh plan.
        self._clear_plan()
        for listener in list(self._pushed_listeners):
            listener()

    def on_pushed(self, callback: Any) -> None:
        """Call `callback()` (on the worker) after each push that committed something.

        Args:
            callback: A function of no arguments (e.g. the sidebar reloading its repo list).
        """
        self._pushed_listeners.append(callback)

    def _render_history(self) -> None:
        items = []
        for entry in reversed(self.history):
            text = html.escape(
                ngettext(
                    "{time} {repo}@{branch}: {files} file, {size}",
                    "{time} {repo}@{branch}: {files} files, {size}",
                    entry["files"],
                ).format(
                    time=entry["time"],
                    repo=entry["repo_id"],
                    branch=entry["branch"],
                    files=entry["files"],
                    size=format_bytes(entry["bytes"]),
                )
            )
            url = entry["pr_url"] or entry["commit_url"]
            label = _("pull request") if entry["pr_url"] else _("commit")
            items.append(f"<li>{text} · {link(url, label)}</li>")
        self.history_view.value = (
            f"<details open><summary>{html.escape(_('Pushes from this panel'))} ({len(self.history)})</summary>"
            f"<ul>{''.join(items)}</ul></details>"
        )

    def cancel(self) -> None:
        """Stop the running plan or push; a push is stopped before its commit is created."""
        if self.task is not None and not self.task.done():
            self.task.cancel()
            self.status.busy(_("Cancelling…"))

    def wait(self, timeout: float | None = None) -> Any:
        """Block until the namespace lookup and the current plan or push are over (for scripts, tests).

        Args:
            timeout: Seconds to wait for each of them (None: as long as it takes).

        Returns:
            The plan's or push's result, or None if it failed (the panel shows why).
        """
        lookup = self._namespaces_task
        if lookup is not None:
            try:
                lookup.wait(timeout)  # the quick paths start their plan when it ends
            except Exception:  # noqa: BLE001 - a failed lookup leaves the menu as it was
                pass
        while True:
            task = self.task
            if task is None:
                return None
            try:
                result = task.wait(timeout)
            except Exception:  # noqa: BLE001 - shown in the panel
                result = None
            if self.task is task:
                return result

    def _set_running(self, running: bool, planning: bool = False) -> None:
        with self._lock:
            self._running = running
        self.plan_button.disabled = running
        self._update_push_button()
        self.cancel_button.disabled = not running
        if running and not planning:
            self.progress.hide()

    # -- companions ----------------------------------------------------------------------------------

    def _hosted(self) -> list[Any]:
        return list(self.extra.children)

    def open_browser(self) -> Any:
        """Show the pushed repo in a `RepoBrowser` inside this panel (if that widget is installed)."""
        if not _module_exists("hub_widgets.browser.panel"):
            self.status.warning(_("The repo browser is not available."))
            return None
        from hub_widgets.browser.panel import RepoBrowser

        entry = (
            self.history[-1] if self.history else {"repo_id": self.repo_id, "repo_type": self.repo_type.value}
        )
        browser = RepoBrowser(repo_id=entry["repo_id"], repo_type=entry["repo_type"], session=self.session)
        self.extra.children = (browser,)
        return browser

    def edit_card(self) -> Any:
        """Open the card editor on the source folder, to write its README.md before pushing."""
        folder = self.source_path.value.strip()
        if not folder or not _module_exists("hub_widgets.card"):
            self.status.warning(_("The card editor is not available."))
            return None
        from hub_widgets.card import ModelCardEditor

        editor = ModelCardEditor(path=Path(os.path.expanduser(folder)), session=self.session)
        self.extra.children = (editor,)
        return editor
