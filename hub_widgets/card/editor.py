"""ModelCardEditor: edit a repo card's metadata and text, check it, and save or push it.

The card is loaded from a Hub repo (any revision), a local folder's README.md, or the library's
template. The form writes only the front matter keys the user changes (see `document.py`), so
unknown keys, comments and order survive. Saving shows the unified diff first and validates the
card locally and on the Hub; the user's edits stay in the widget whatever fails.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as W
import yaml

from hub_widgets._i18n import _, ngettext
from hub_widgets.card.checks import (
    ERROR,
    CardIssue,
    check_metadata,
    count_mistakes,
    has_errors,
    merge_issues,
    problems_for,
)
from hub_widgets.card.document import README, CardDocument, card_diff, parse_card, template_body
from hub_widgets.card.hub_data import DATASET_SECTIONS, LICENSES, MODEL_SECTIONS
from hub_widgets.card.tags import TagInput
from hub_widgets.errors import ValidationError
from hub_widgets.hub import cards
from hub_widgets.problems import classify
from hub_widgets.session import HubSession, HubTask, current_task, scoped
from hub_widgets.ui import (
    MAX_SHOWN_CHARS,
    StatusLine,
    clip,
    diff_html,
    fa_icon,
    link,
    repo_file_base,
    row,
    shorten,
    show_markdown,
    truncated_note,
)
from hub_widgets.ui.base import HubWidget
from hub_widgets.ui.style import style_root
from hub_widgets.vocab import LIBRARIES, REPO_TYPES, TASKS

DEBOUNCE_SECONDS = 0.3
PLACEHOLDER = "[More Information Needed]"


# -- form fields --------------------------------------------------------------------------------


class CardField:
    """One front matter key in the form: its control and, under it, the problems found for it.

    Args:
        key: The front matter key.
        label: What the user reads.
        control: "combobox", "tags", "dropdown" or "text".
        options: Suggestions (combobox), or (label, value) pairs (dropdown).
        scalar: "never" (always a list), "keep" (a single value stays a text if it was one) or
            "prefer" (a single value is written as a text).
    """

    def __init__(
        self,
        key: str,
        label: str,
        control: str,
        options: Any = (),
        scalar: str = "never",
        placeholder: str = "",
    ) -> None:
        self.key, self.control, self.scalar = key, control, scalar
        self._base_options = list(options)
        layout = W.Layout()  # stretched by the stylesheet (100% plus the margin would stick out)
        if control == "combobox":
            self.widget = W.Combobox(
                options=list(options), ensure_option=False, placeholder=placeholder, layout=layout
            )
        elif control == "tags":
            self.widget = TagInput(placeholder=placeholder, layout=layout)
        elif control == "dropdown":
            self.widget = W.Dropdown(options=self._base_options, value="", layout=layout)
        else:
            self.widget = W.Text(placeholder=placeholder, layout=layout)
        self.label = W.HTML(
            f"<b>{html.escape(label)}</b> <code style='color:#6e7781'>{html.escape(key)}</code>"
        )
        self.problems = W.HTML()
        self.box = W.VBox([self.label, self.widget, self.problems], layout=W.Layout(margin="0 0 6px 0"))

    def show(self, value: Any) -> None:
        """Display `value` from the front matter (None: absent), whatever its type."""
        if self.control == "tags":
            items = [] if value is None else value if isinstance(value, list) else [value]
            self.widget.value = [item if isinstance(item, str) else str(item) for item in items]
        elif self.control == "dropdown":
            options = list(self._base_options)
            shown = "" if value is None else value if isinstance(value, str) else repr(value)
            if shown not in {v for _l, v in options}:
                options.append((_("{value} (not a Hub task)").format(value=shown), shown))
            self.widget.options = options
            self.widget.value = shown
        else:
            if value is None:
                shown = ""
            elif isinstance(value, list):
                shown = ", ".join(str(v) for v in value)
            else:
                shown = str(value)
            self.widget.value = shown

    def read(self, original: Any) -> Any:
        """The value to write for what the control shows (None: remove the key).

        Args:
            original: The value in the loaded front matter, to keep a single text a text.
        """
        if self.control == "tags":
            items = [str(v).strip() for v in self.widget.value if str(v).strip()]
            if not items:
                return None
            if len(items) == 1 and (
                self.scalar == "prefer" or (self.scalar == "keep" and isinstance(original, str))
            ):
                return items[0]
            return items
        value = (self.widget.value or "").strip()
        return value or None

    def set_problems(self, problems: list[CardIssue]) -> None:
        self.problems.value = problems_html(problems)


def problems_html(problems: list[CardIssue]) -> str:
    """Problems as small coloured lines (errors red, warnings amber), escaped."""
    lines = []
    for problem in problems:
        color = "#cf222e" if problem.severity == ERROR else "#9a6700"
        icon = fa_icon("times-circle" if problem.severity == ERROR else "exclamation-triangle")
        origin = _("Hub") if problem.source == "hub" else _("check")
        lines.append(
            f"<div class='hubw-card-problem hubw-{problem.severity}' style='color:{color};font-size:90%'>"
            f"{icon} {html.escape(shorten(problem.message, 2_000))} <span style='color:#6e7781'>({origin})</span></div>"
        )
    return "".join(lines)


def card_diff_html(diff: str) -> str:
    """The card's diff as coloured HTML, cut to what a widget shows."""
    shown, more = clip(diff, MAX_SHOWN_CHARS // 2)  # escaped and coloured, it doubles
    return diff_html(shown, "hubw-card-diff", "320px") + (
        truncated_note(more, hint=_("The whole diff is what review() returns.")) if more else ""
    )


def _task_options() -> list[tuple[str, str]]:
    # The name only: the id is what the YAML tab shows, and "Name (id)" does not fit a sidebar.
    return [("—", "")] + [(name, task) for task, name in TASKS.items()]


def build_fields(repo_type: str) -> dict[str, CardField]:
    """The form's fields for a model, dataset or Space card, in display order."""
    fields = [
        CardField(
            "license",
            _("License"),
            "combobox",
            LICENSES,
            placeholder=_("apache-2.0, mit, other…"),
        ),
        CardField(
            "license_name", _("License name"), "text", placeholder=_("for license “other”: a short id")
        ),
        CardField(
            "license_link",
            _("License link"),
            "text",
            placeholder=_("for license “other”: LICENSE.md or a URL"),
        ),
        CardField("language", _("Languages"), "tags", scalar="keep", placeholder=_("en, fr…")),
        CardField("tags", _("Tags"), "tags", placeholder=_("add a tag")),
    ]
    if repo_type == "dataset":
        fields += [
            CardField(
                "task_categories", _("Task categories"), "tags", scalar="keep", placeholder=_("a task")
            ),
            CardField("pretty_name", _("Pretty name"), "text"),
        ]
    else:
        fields += [
            CardField("pipeline_tag", _("Task (pipeline tag)"), "dropdown", _task_options()),
            CardField("library_name", _("Library"), "combobox", LIBRARIES, placeholder=_("transformers…")),
            CardField(
                "base_model",
                _("Base model"),
                "tags",
                scalar="prefer",
                placeholder=_("owner/name of the base model"),
            ),
            CardField(
                "datasets", _("Datasets"), "tags", scalar="keep", placeholder=_("owner/name of a dataset")
            ),
            CardField("metrics", _("Metrics"), "tags", placeholder=_("accuracy, f1…")),
        ]
    return {f.key: f for f in fields}


# -- saving ------------------------------------------------------------------------------------


@dataclass
class SaveOutcome:
    """What a save did: `kind` is "invalid", "saved" (local file), "commit" or "pr"."""

    kind: str
    problems: list[CardIssue] = field(default_factory=list)
    url: str = ""
    commit_oid: str | None = None
    path: str = ""
    hub_check_failed: str = ""
    text: str = ""


# -- the widget ----------------------------------------------------------------------------------


class ModelCardEditor(HubWidget, W.VBox):
    """Edit a model, dataset or Space card: metadata form, markdown with preview, check, save or push.

    Args:
        repo_id: A Hub repo to load the card from and push it to (`owner/name`).
        repo_type: "model", "dataset" or "space".
        path: A local folder (or a README.md in it) to load from and save to.
        session: The `HubSession` to use (default: the shared one).
        revision: The branch, tag or commit to load from (and the branch to push to).

    With neither `repo_id` nor `path`, the editor starts from the library's default template.
    """

    def __init__(
        self,
        repo_id: str | None = None,
        repo_type: str = "model",
        path: str | Path | None = None,
        session: HubSession | None = None,
        revision: str | None = None,
        **kwargs: Any,
    ) -> None:
        if repo_type not in REPO_TYPES:
            raise ValueError(_("Unknown repo type: {repo_type}").format(repo_type=repo_type))
        self.session = scoped(session)
        self.repo_id, self.repo_type, self.revision = repo_id, repo_type, revision
        self.path = self._readme_path(path) if path is not None else None
        self.debounce = DEBOUNCE_SECONDS
        self.task: HubTask | None = None
        self.parent_commit: str | None = None
        self.document = CardDocument(text="")
        self.metadata: dict[str, Any] = {}
        self._yaml_base: tuple[str, dict] | None = None
        self._typing = self.debounced(
            lambda: self.refresh_preview(), self.debounce
        )  # looked up when it fires
        self._reviewed: str | None = None
        self.problems: list[CardIssue] = []
        self.hub_problems: list[CardIssue] = []  # the Hub's last answer, before merging with the local check
        self._saved_callbacks: list[Callable[[SaveOutcome], None]] = []
        self.hub_card_loaded = False  # pushing is allowed only over a card actually read from the Hub

        self.header = W.HTML()
        self.status = StatusLine()

        # -- metadata form
        self.fields = build_fields(repo_type)
        for card_field in self.fields.values():
            card_field.widget.observe(self._field_changed(card_field), names="value")
        self.problems_view = W.HTML()
        items = [f.box for f in self.fields.values()]
        # As many 220 px columns as fit: two in a notebook, one in a sidebar.
        form = W.GridBox(
            items,
            layout=W.Layout(
                grid_template_columns="repeat(auto-fill, minmax(min(100%, 260px), 1fr))",
                grid_gap="4px 16px",
            ),
        )
        self.other_keys = W.HTML()

        # -- body and preview
        self.body = W.Textarea(
            placeholder=_("Write the card in Markdown…"),
            continuous_update=True,
            layout=W.Layout(height="420px"),
        )
        self.body.observe(self._body_changed, names="value")
        self.preview = W.Output(
            layout=W.Layout(
                width="100%", height="420px", overflow="auto", border="1px solid #d0d7de", padding="4px"
            )
        )
        sections = DATASET_SECTIONS if repo_type == "dataset" else MODEL_SECTIONS
        self.section_select = W.Dropdown(
            options=list(sections), layout=W.Layout(width="auto", max_width="100%")
        )
        self.insert_button = W.Button(description=_("Insert section"), icon="plus")
        self.insert_button.on_click(lambda _b: self.insert_section())
        # Text and preview side by side when there is room for both, stacked when not.
        half = W.Layout(flex="1 1 320px", min_width="0")
        text_tab = W.VBox(
            [
                row([self.section_select, self.insert_button]),
                row([W.VBox([self.body], layout=half), W.VBox([self.preview], layout=half)]),
            ]
        )

        # -- raw front matter
        self.yaml_editor = W.Textarea(layout=W.Layout(height="260px"))
        self.apply_yaml_button = W.Button(description=_("Apply YAML"), icon="check")
        self.apply_yaml_button.on_click(lambda _b: self.apply_yaml())
        yaml_tab = W.VBox(
            [
                W.HTML(
                    html.escape(
                        _(
                            "The front matter as it will be written. Edit it here for keys the form does not show."
                        )
                    )
                ),
                self.yaml_editor,
                self.apply_yaml_button,
            ]
        )

        self.tabs = W.Tab(children=[W.VBox([form, self.other_keys, self.problems_view]), text_tab, yaml_tab])
        for index, title in enumerate((_("Metadata"), _("Card text"), _("YAML"))):
            self.tabs.set_title(index, title)

        # -- actions
        targets = [(_("Local README.md"), "local")]
        if repo_id:
            targets = [(_("Commit"), "commit"), (_("Pull request"), "pr")] + targets
        self.target = W.ToggleButtons(options=targets, value=targets[0][1], style={"button_width": "auto"})
        self.folder = W.Text(
            value=str(self.path.parent) if self.path else "",
            placeholder=_("folder to write README.md into"),
            description=_("Folder"),
        )
        self.commit_message = W.Text(placeholder=_("Update README.md"), description=_("Message"))
        # A pull request has its own title and description: never the last commit's message.
        self.pr_title = W.Text(
            placeholder=_("Update the model card"),
            description=_("PR title"),
        )
        self.pr_description = W.Textarea(
            placeholder=_("What this pull request changes, for the reviewers (optional)"),
            description=_("Description"),
            layout=W.Layout(height="80px"),
        )
        self.reload_button = W.Button(description=_("Load again"), icon="refresh")
        self.reload_button.on_click(lambda _b: self.load())
        self.reload_button.layout.display = "none"
        self.validate_button = W.Button(description=_("Validate"), icon="check-square")
        self.validate_button.on_click(lambda _b: self.validate())
        self.review_button = W.Button(description=_("Review & save…"), button_style="primary", icon="save")
        self.review_button.on_click(lambda _b: self.review())
        self.confirm_button = W.Button(description=_("Confirm"), button_style="success")
        self.confirm_button.on_click(lambda _b: self.confirm())
        self.cancel_button = W.Button(description=_("Cancel"))
        self.cancel_button.on_click(lambda _b: self.cancel_review())
        self.diff_view = W.HTML()
        self.review_box = W.VBox([self.diff_view, row([self.confirm_button, self.cancel_button])])
        self.review_box.layout.display = "none"
        self.result = W.HTML()
        self.target.observe(lambda _c: self._show_target(), names="value")

        super().__init__(
            [
                self.header,
                self.tabs,
                row([self.validate_button, self.target, self.reload_button]),
                self.folder,
                self.commit_message,
                self.pr_title,
                self.pr_description,
                row([self.review_button]),
                self.review_box,
                self.status,
                self.result,
            ],
            **kwargs,
        )
        style_root(self)
        self.add_class("hubw-card")
        self._show_target()
        self.load()

    # -- loading --------------------------------------------------------------------------------

    @staticmethod
    def _readme_path(path: str | Path) -> Path:
        path = Path(path).expanduser()
        return path if path.suffix.lower() == ".md" else path / README

    def _where(self) -> str:
        if self.repo_id:
            at = f" @ {self.revision}" if self.revision else ""
            return link(self.session.url(self.repo_id, self.repo_type), self.repo_id) + html.escape(at)
        if self.path:
            return f"<code>{html.escape(str(self.path))}</code>"
        return html.escape(_("a new card (template)"))

    def load(self) -> HubTask | None:
        """(Re)load the card from its source; edits not saved are replaced. Returns the task, if any."""
        kind = _("Dataset card") if self.repo_type == "dataset" else _("Model card")
        self.header.value = f"<b>{html.escape(kind)}</b> · {self._where()}"
        if self.repo_id:
            self.status.busy(_("Loading the card of {repo}…").format(repo=self.repo_id))
            self._set_busy(True)
            return self._submit(
                self._fetch_card,
                on_result=self._loaded_from_hub,
                on_error=self._load_failed,
                on_done=lambda: self._set_busy(False),
                key=f"card-load-{id(self)}",
            )
        if self.path and self.path.is_file():
            try:
                with self.path.open(encoding="utf-8-sig", newline="") as f:
                    text = f.read()
            except OSError as exc:
                self._start_from(self._template_text())
                self.status.error(self.session.describe_error(exc))
                return None
            self._start_from(text)
            return None
        self._start_from(self._template_text(), note=_("Started from the default template."))
        return None

    def _template_text(self) -> str:
        name = self.repo_id or (self.path.parent.name if self.path else "")
        values = {"pretty_name": name} if self.repo_type == "dataset" else {"model_id": name}
        return template_body(self.repo_type, **{k: v for k, v in values.items() if v})

    def _fetch_card(self) -> tuple[str | None, str | None]:
        return cards.load(self.session, self.repo_id, repo_type=self.repo_type, revision=self.revision)

    def _loaded_from_hub(self, result: tuple[str | None, str | None]) -> None:
        sha, text = result
        self.parent_commit = sha
        self.hub_card_loaded = True
        self.reload_button.layout.display = "none"
        if text is None:
            self._start_from(
                self._template_text(),
                baseline="",
                note=_("The repo has no README.md yet: started from the template."),
            )
        else:
            self._start_from(text)

    def _load_failed(self, exc: BaseException) -> None:
        self.hub_card_loaded = False
        self._start_from(self._template_text(), baseline="")
        self.reload_button.layout.display = ""
        self.status.error(self.session.describe_error(exc))

    def _start_from(self, text: str, baseline: str | None = None, note: str = "") -> None:
        """Show `text` in the form and editor; diffs compare against `baseline` (default: `text`)."""
        try:
            document = parse_card(text)
            problem = ""
        except ValidationError as exc:
            # Keep everything: the broken front matter stays in the text, where the user can fix it.
            document, problem = CardDocument(text=text, body=text, line_break="\n"), str(exc)
        if baseline is not None:
            document.text = baseline
        self.document = document
        self.metadata = copy.deepcopy(document.metadata)
        self._yaml_base = None
        self._reviewed = None
        self.review_box.layout.display = "none"
        with self.quiet():
            for key, card_field in self.fields.items():
                card_field.show(self.metadata.get(key))
                card_field.set_problems([])
            self.body.value = document.body
        self.problems_view.value = ""
        self.result.value = ""
        self._metadata_changed()
        self.refresh_preview()
        if problem:
            self.status.error(problem + " " + _("It is shown at the top of the card text: fix it there."))
        elif note:
            self.status.info(note)
        else:
            self.status.success(_("Card loaded."))

    # -- editing --------------------------------------------------------------------------------

    def _field_changed(self, card_field: CardField) -> Callable[[dict], None]:
        def changed(_change: dict) -> None:
            if self.is_quiet:
                return
            original = self._base_metadata().get(card_field.key)
            value = card_field.read(original)
            if value is None:
                self.metadata.pop(card_field.key, None)
            elif card_field.key in self.metadata and _same_input(self.metadata[card_field.key], value):
                return  # the control re-showed what is already there (e.g. "en" vs ["en"])
            else:
                self.metadata[card_field.key] = value
            card_field.set_problems([])
            self._metadata_changed()

        return changed

    def _base_metadata(self) -> dict[str, Any]:
        return self._yaml_base[1] if self._yaml_base is not None else self.document.metadata

    def _metadata_changed(self) -> None:
        self.yaml_editor.value = self._front_matter_text()
        # The custom license fields matter only with license "other" (or when the card has them).
        custom = self.metadata.get("license") == "other"
        for key in ("license_name", "license_link"):
            self.fields[key].box.layout.display = "" if custom or key in self.metadata else "none"
        extra = [k for k in self.metadata if k not in self.fields]
        self.other_keys.value = (
            "<span style='color:#6e7781;font-size:90%'>"
            + html.escape(
                _("Other keys, kept as they are: {keys}").format(keys=shorten(", ".join(extra), 2_000))
            )
            + "</span>"
            if extra
            else ""
        )
        self._invalidate_review()

    def _front_matter_text(self) -> str:
        from hub_widgets.card.document import splice_yaml

        base_text, base_meta = self._yaml_base or (self.document.yaml_text, self.document.metadata)
        return splice_yaml(base_text, base_meta, self.metadata, "\n") if self.metadata else ""

    def set_metadata(self, key: str, value: Any) -> None:
        """Set (or, with None, remove) a front matter key from code; the form follows."""
        if value is None:
            self.metadata.pop(key, None)
        else:
            self.metadata[key] = value
        if key in self.fields:
            with self.quiet():
                self.fields[key].show(value)
        self._metadata_changed()

    def apply_yaml(self) -> bool:
        """Take the front matter from the YAML tab (the form is refreshed). False if it does not parse."""
        text = self.yaml_editor.value
        try:
            parsed = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = _(" (line {line})").format(line=mark.line + 1) if mark is not None else ""
            self.status.error(
                _("Not valid YAML{where}: {problem}").format(
                    where=where, problem=getattr(exc, "problem", exc)
                )
            )
            return False
        if not isinstance(parsed, dict):
            self.status.error(_("The front matter must be a mapping of keys to values."))
            return False
        self._yaml_base = (text.rstrip("\n"), copy.deepcopy(parsed))
        self.metadata = parsed
        with self.quiet():
            for key, card_field in self.fields.items():
                card_field.show(parsed.get(key))
        self._metadata_changed()
        self.status.success(_("Front matter applied."))
        return True

    def _body_changed(self, _change: dict) -> None:
        if self.is_quiet:
            return
        self._invalidate_review()
        if self.debounce <= 0:
            self.refresh_preview()
            return
        self._typing.trigger(self.debounce)

    def refresh_preview(self) -> None:
        """Render the body in the preview: rendered and sanitized in the kernel, as the Hub shows it."""
        base = None
        if self.repo_id:
            base = repo_file_base(
                self.session.endpoint, self.repo_id, self.repo_type, self.revision or "main"
            )
        show_markdown(
            self.preview,
            self.body.value or _("*(empty card)*"),
            base_url=base,
            hint=_("The preview shows the beginning of the card only; the editor holds all of it."),
        )

    def insert_section(self, title: str | None = None) -> bool:
        """Append a standard section (heading + placeholder) to the body, unless it is there already."""
        title = title or self.section_select.value
        if re.search(rf"^#+\s*{re.escape(title)}\s*$", self.body.value, re.MULTILINE | re.IGNORECASE):
            self.status.info(_("The card already has a “{title}” section.").format(title=title))
            return False
        lb = self.document.line_break
        text = self.body.value.rstrip("\r\n")
        self.body.value = (
            f"{text}{lb}{lb}## {title}{lb}{lb}{PLACEHOLDER}{lb}"
            if text
            else f"## {title}{lb}{lb}{PLACEHOLDER}{lb}"
        )
        self.status.success(_("Section “{title}” added at the end of the card.").format(title=title))
        return True

    def current_text(self) -> str:
        """The README as it would be saved now."""
        body = self.body.value
        if self.document.line_break == "\r\n":
            # Browsers hand a textarea's text back with "\n" only: keep the file's CRLF.
            body = body.replace("\r\n", "\n").replace("\n", "\r\n")
        return self.document.render(self.metadata, body, self._yaml_base)

    # -- checking -------------------------------------------------------------------------------

    def check_locally(self) -> list[CardIssue]:
        """Run the local checks and show their problems next to the fields."""
        problems = check_metadata(self.metadata, self.repo_type)
        self.show_problems(problems)
        return problems

    def show_problems(self, problems: list[CardIssue]) -> None:
        """Show each problem under its field; the others (other keys, the card) in the list below."""
        for key, card_field in self.fields.items():
            card_field.set_problems(problems_for(problems, key))
        self.problems_view.value = problems_html([p for p in problems if p.key not in self.fields])
        self.problems = problems

    def validate(self) -> HubTask:
        """Check locally at once, then on the Hub; all problems end up next to their fields."""
        local = self.check_locally()
        content, metadata = self.current_text(), copy.deepcopy(self.metadata)
        self.status.busy(_("Checking the card with the Hub…"))

        def on_result(hub: list[CardIssue]) -> None:
            self.hub_problems = hub
            problems = merge_issues(local, hub)
            self.show_problems(problems)
            self._report_check(problems)

        def on_error(exc: BaseException) -> None:
            self.show_problems(local)
            self.status.warning(
                _("Checked locally only: the Hub's check failed: {reason}").format(
                    reason=self.session.describe_error(exc)
                )
            )

        return self._submit(
            cards.validate,
            self.session,
            content,
            self.repo_type,
            metadata,
            on_result=on_result,
            on_error=on_error,
            key=f"card-validate-{id(self)}",
        )

    def _report_check(self, problems: list[CardIssue]) -> None:
        errors = count_mistakes(problems)
        if errors:
            self.status.error(
                ngettext(
                    "{n} problem to fix: see the marks next to the fields.",
                    "{n} problems to fix: see the marks next to the fields.",
                    errors,
                ).format(n=errors)
            )
        elif problems:
            self.status.warning(_("The card is valid, with warnings."))
        else:
            self.status.success(_("The card is valid."))

    # -- saving ---------------------------------------------------------------------------------

    def _show_target(self) -> None:
        target = self.target.value
        self.folder.layout.display = "" if target == "local" else "none"
        self.commit_message.layout.display = "" if target == "commit" else "none"
        for control in (self.pr_title, self.pr_description):
            control.layout.display = "" if target == "pr" else "none"
        self._invalidate_review()

    def _invalidate_review(self) -> None:
        if self._reviewed is not None:
            self._reviewed = None
            self.review_box.layout.display = "none"

    def review(self) -> str:
        """Show the diff of the card against what was loaded, and ask for confirmation.

        Returns:
            The unified diff ("" when nothing changed or a local check failed).
        """
        self.result.value = ""
        for card_field in self.fields.values():
            if isinstance(card_field.widget, TagInput):
                card_field.widget.commit()  # a tag typed but not yet entered is part of what is saved
        problems = self.check_locally()
        if has_errors(problems):
            self.status.error(_("Fix the problems marked next to the fields before saving."))
            return ""
        if self.target.value != "local" and not self.hub_card_loaded:
            # Pushing over a card never read would overwrite the Hub's README blindly.
            self.status.error(
                _("The card could not be loaded from the Hub: load it again, or save it locally.")
            )
            return ""
        if self.target.value == "local" and not self.folder.value.strip():
            self.status.error(_("Choose the folder to write README.md into."))
            return ""
        text = self.current_text()
        before = self._baseline_for_target()
        diff = card_diff(before, text)
        if not diff:
            self.status.info(_("No changes to save."))
            return ""
        self._reviewed = text
        self.diff_view.value = card_diff_html(diff)
        self.review_box.layout.display = ""
        self.status.info(_("Review the changes below, then confirm."))
        return diff

    def _baseline_for_target(self) -> str:
        if self.target.value == "local":
            path = self._readme_path(self.folder.value.strip())
            if path != self.path:
                try:
                    with path.open(encoding="utf-8-sig", newline="") as f:
                        return f.read()
                except OSError:
                    return ""
        return self.document.text

    def cancel_review(self) -> None:
        self._invalidate_review()
        self.status.info(_("Nothing was saved; your edits are still here."))

    def confirm(self) -> HubTask | None:
        """Validate on the Hub, then write or push the reviewed card. Returns the task."""
        text = self._reviewed
        if text is None or text != self.current_text():
            self.status.warning(_("The card changed since the review: review it again."))
            self.review()
            return None
        target = self.target.value
        folder = self.folder.value.strip()
        if target == "pr":
            message = self.pr_title.value.strip() or _("Update the model card")
            description = self.pr_description.value.strip()
        else:
            message, description = self.commit_message.value.strip() or _("Update README.md"), ""
        metadata = copy.deepcopy(self.metadata)
        self._set_busy(True)
        self.status.busy(_("Checking and saving the card…"))
        return self._submit(
            self._save,
            text,
            target,
            folder,
            message,
            description,
            metadata,
            on_result=self._saved,
            on_error=self._save_failed,
            on_done=lambda: self._set_busy(False),
            key=f"card-save-{id(self)}",
            lane="long",
        )

    def _save(
        self, text: str, target: str, folder: str, message: str, description: str, metadata: dict
    ) -> SaveOutcome:
        hub_check_failed = ""
        try:
            problems = cards.validate(self.session, text, self.repo_type, metadata)
        except Exception as exc:
            if target != "local":
                raise
            problems, hub_check_failed = [], self.session.describe_error(exc)
        problems = merge_issues(check_metadata(metadata, self.repo_type), problems)
        if has_errors(problems):
            return SaveOutcome("invalid", problems, text=text)
        current_task().raise_if_cancelled()
        if target == "local":
            path = self._readme_path(folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as f:
                f.write(text)
            return SaveOutcome(
                "saved", problems, path=str(path), hub_check_failed=hub_check_failed, text=text
            )

        info = cards.push(
            self.session,
            self.repo_id,
            text,
            loaded_text=self.document.text,
            parent_commit=self.parent_commit,
            repo_type=self.repo_type,
            revision=self.revision,
            commit_message=message,
            commit_description=description,
            create_pr=target == "pr",
        )
        return self._pushed(info, target, problems, text)

    @staticmethod
    def _pushed(info: Any, target: str, problems: list[CardIssue], text: str) -> SaveOutcome:
        if target == "pr":
            return SaveOutcome(
                "pr", problems, url=info.pr_url or info.commit_url, commit_oid=info.oid, text=text
            )
        return SaveOutcome("commit", problems, url=info.commit_url, commit_oid=info.oid, text=text)

    def _save_failed(self, exc: BaseException) -> None:
        if classify(exc).kind == "precondition_failed":
            # Reloading would drop the user's edits: point to the way that keeps them.
            self.status.error(
                _(
                    "The README changed on the Hub since it was loaded: push your version as a pull "
                    "request (nothing is lost), or copy your text and reload."
                )
            )
            return
        self.status.error(self.session.describe_error(exc))

    def on_saved(self, callback: Callable[[SaveOutcome], None]) -> None:
        """Call `callback(outcome)` after each save, commit or pull request (e.g. to show the new card).

        Args:
            callback: Takes the `SaveOutcome`; it runs after the editor shows the result.
        """
        self._saved_callbacks.append(callback)

    def _saved(self, outcome: SaveOutcome) -> None:
        self.show_problems(outcome.problems)
        if outcome.kind == "invalid":
            self.status.error(_("The card was not saved: fix the problems marked next to the fields."))
            return
        self._invalidate_review()
        try:
            self._show_saved(outcome)
        finally:
            for callback in list(self._saved_callbacks):
                callback(outcome)

    def _show_saved(self, outcome: SaveOutcome) -> None:
        if outcome.kind == "saved":
            path = Path(outcome.path)
            self.result.value = html.escape(_("Written: {path}").format(path=path))
            if path == self.path or self.path is None:
                self.path = path
                self._rebase(outcome.text)
            text = _("Saved to {path}.").format(path=path)
            if outcome.hub_check_failed:
                self.status.warning(text + " " + _("(checked locally only: the Hub could not be reached)"))
            else:
                self.status.success(text)
            return
        if outcome.kind == "pr":
            self.pr_title.value = self.pr_description.value = ""  # the next pull request is another one
            self.result.value = link(outcome.url, _("Open the pull request"))
            self.status.success(_("Pull request opened."))
            return
        self.parent_commit = outcome.commit_oid
        self.commit_message.value = ""  # said once: the next commit gets its own message
        self._rebase(outcome.text)
        self.result.value = link(outcome.url, _("See the commit"))
        self.status.success(_("Card pushed."))

    def _rebase(self, text: str) -> None:
        """Make `text` (just saved) the baseline of diffs; the form and edits made meanwhile stay."""
        try:
            document = parse_card(text)
        except ValidationError:
            document = CardDocument(text=text, body=text)
        self.document = document
        self._yaml_base = None

    # -- plumbing -------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        for button in (self.validate_button, self.review_button, self.confirm_button):
            button.disabled = busy
        self.body.disabled = busy and not self.body.value

    def _submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> HubTask:
        self.task = self.submit(fn, *args, **kwargs)
        return self.task


def _same_input(a: Any, b: Any) -> bool:
    """True when a control shows `a` unchanged as `b` (a single text shown as a one-item list)."""
    if isinstance(a, list) and isinstance(b, str):
        return a == [b]
    if isinstance(a, str) and isinstance(b, list):
        return [a] == b
    return type(a) is type(b) and a == b
