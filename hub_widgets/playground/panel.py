"""InferencePlayground: try a model's task (or chat with it) from a notebook, one or two backends at once."""

from __future__ import annotations

import keyword
import mimetypes
import os
import threading
import time
from datetime import datetime, timezone
from typing import Any

import ipywidgets as W

from hub_widgets._i18n import _, format_number, marked, use_language
from hub_widgets.errors import ValidationError
from hub_widgets.hub import inference
from hub_widgets.playground import render
from hub_widgets.playground.backend import DEFAULT_TIMEOUT, client_kwargs
from hub_widgets.playground.lane import Lane, StreamStats
from hub_widgets.playground.tasks import (
    TASKS,
    Call,
    Field,
    build_call,
    build_chat_call,
    default_values,
    examples_from_widget_data,
    resolve_example_file,
    task_for_model,
)
from hub_widgets.session import HubSession, HubTask, current_task, scoped
from hub_widgets.ui import StatusLine
from hub_widgets.ui.base import HubWidget
from hub_widgets.ui.html import MAX_SHOWN_CHARS, copy_button
from hub_widgets.ui.style import style_root

RETRYABLE = ("loading", "rate_limited")
# What the playground reads about a model (the task, examples, who serves it, its mask token).
MODEL_INFO_FIELDS = [
    "pipeline_tag",
    "tags",
    "cardData",
    "widgetData",
    "inferenceProviderMapping",
    "mask_token",
]
# A default endpoint URL for every playground (e.g. a team's TGI gateway); `{model}` is the model id.
ENDPOINT_VARIABLE = "HUB_WIDGETS_INFERENCE_ENDPOINT"
MAX_AUTO_RETRIES = 5


class TaskForm(W.VBox):
    """The inputs of one task, built from its fields."""

    def __init__(self, task: str) -> None:
        self.task = task
        self.controls: dict[str, W.Widget] = {f.name: _control(f) for f in TASKS[task].fields}
        super().__init__(list(self.controls.values()))
        self.add_class("hubw-form")

    def on_edit(self, callback: Any) -> None:
        """Call `callback()` whenever a control's value changes (the user's typing, or an example)."""
        for control in self.controls.values():
            control.observe(lambda _c: callback(), "value")

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, control in self.controls.items():
            if isinstance(control, W.FileUpload):
                files = control.value
                values[name] = (
                    {
                        "name": files[0]["name"],
                        "type": files[0].get("type") or mimetypes.guess_type(files[0]["name"])[0] or "",
                        "content": bytes(files[0]["content"]),
                    }
                    if files
                    else None
                )
            else:
                values[name] = control.value
        return values

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            control = self.controls.get(name)
            if control is None or isinstance(control, W.FileUpload) or value is None:
                continue
            try:
                control.value = type(control.value)(value)
            except (TypeError, ValueError):  # an example of the wrong type: keep the current value
                continue


def _row(*children: W.Widget) -> W.HBox:
    """A row of controls that wraps when it does not fit (ui/style.py's `.hubw-row`)."""
    row = W.HBox(list(children))
    row.add_class("hubw-row")
    return row


def _control(spec: Field) -> W.Widget:
    wide = W.Layout(width="auto")  # stretched by the form (100% plus the margins would stick out)
    if spec.kind == "text":
        return W.Textarea(value=spec.default, description=marked(spec.label), rows=3, layout=wide)
    if spec.kind == "lines":
        return W.Textarea(value=spec.default, description=marked(spec.label), rows=4, layout=wide)
    if spec.kind in ("line", "labels"):
        return W.Text(value=spec.default, description=marked(spec.label), layout=wide)
    if spec.kind == "check":
        return W.Checkbox(value=bool(spec.default), description=marked(spec.label))
    if spec.kind == "int":
        return W.BoundedIntText(value=spec.default, min=1, max=32768, description=marked(spec.label))
    if spec.kind == "float":
        return W.BoundedFloatText(
            value=spec.default, min=0.0, max=2.0, step=0.05, description=marked(spec.label)
        )
    if spec.kind == "image":
        return W.FileUpload(accept="image/*", multiple=False, description=marked(spec.label))
    if spec.kind == "audio":
        return W.FileUpload(accept="audio/*", multiple=False, description=marked(spec.label))
    raise ValueError(f"unknown field kind {spec.kind!r}")


class InferencePlayground(HubWidget, W.VBox):
    """Try hosted inference for a model: every common task, chat with streaming, two backends side by side.

    Args:
        model: A Hub model id; its pipeline tag picks the task and its card's widget data the examples.
        task: The task to open (default: the model's, else chat).
        provider: "auto" or an Inference Providers name.
        endpoint: A custom endpoint URL instead of Inference Providers (TGI, vLLM, an Inference
            Endpoint, a local server); `{model}` in it is replaced by the model id. Default: the
            `HUB_WIDGETS_INFERENCE_ENDPOINT` environment variable, if set.
        session: The `HubSession` to use (default: the shared one).
        timeout: Seconds to wait for an answer (0: forever).
    """

    def __init__(
        self,
        model: str | None = None,
        task: str | None = None,
        provider: str = "auto",
        endpoint: str | None = None,
        session: HubSession | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        **kwargs: Any,
    ) -> None:
        if task is not None and task not in TASKS:
            raise ValueError(
                _("Unknown task {task!r}: use one of {tasks}.").format(task=task, tasks=", ".join(TASKS))
            )
        self.session = scoped(session)
        if endpoint is None:
            endpoint = os.environ.get(ENDPOINT_VARIABLE) or None
        self.lanes = [
            Lane(self.session, _("A"), model or "", provider, endpoint or ""),
            Lane(self.session, _("B"), model or "", provider, endpoint or ""),
        ]
        self.task = W.Dropdown(
            description=_("Task"),
            options=[(marked(spec.label), name) for name, spec in TASKS.items()],
            value=task or "chat",
        )
        self.compare = W.ToggleButton(value=False, description=_("Compare"), icon="columns")
        self.raw_toggle = W.ToggleButton(value=False, description=_("Raw JSON"), icon="code")
        self.timeout = W.BoundedFloatText(value=timeout, min=0, max=3600, description=_("Timeout (s)"))
        self.examples = W.Dropdown(description=_("Example"), options=[])
        # Opened without a model (the JupyterLab command): the recent models and the task's most used.
        self.model_picker = W.Dropdown(options=[(_("Choose a model…"), "")], value="")
        self.model_picker.add_class("hubw-model-picker")
        self.form_box = W.VBox()
        self.run_button = W.Button(description=_("Run"), button_style="primary", icon="play")
        self.stop_button = W.Button(description=_("Stop"), icon="stop", disabled=True)
        self.retry_button = W.Button(description=_("Wait and retry"), icon="clock-o")
        self.retry_button.layout.display = "none"
        self.auto_retry = W.Checkbox(value=False, description=_("Wait and retry automatically"))
        self.new_chat_button = W.Button(description=_("New chat"), icon="eraser")
        # "Copy as Python" copies in the page (the kernel cannot reach the clipboard): an HTML button.
        self.copy_view = W.HTML()
        self.copy_view.add_class("hubw-copy-python")
        self.save_name = W.Text(placeholder=_("variable name"), layout=W.Layout(width="auto"))
        self.save_button = W.Button(description=_("Save result to a variable"), icon="save")
        self.status = StatusLine()
        # Side by side when there is room, stacked when narrow (ui/style.py, InferencePlayground).
        self.configs_box = W.HBox([lane.config for lane in self.lanes], layout=W.Layout(width="100%"))
        self.views_box = W.HBox([lane.view for lane in self.lanes], layout=W.Layout(width="100%"))
        for box in (self.configs_box, self.views_box):
            box.add_class("hubw-lanes")
        self.inputs_box = W.VBox(
            [
                self.examples,
                self.form_box,
                _row(
                    self.run_button,
                    self.stop_button,
                    self.retry_button,
                    self.new_chat_button,
                    self.auto_retry,
                ),
                self.status,
            ]
        )
        # The answers sit above the inputs for chat, below them for other tasks. Only they move
        # (between these two slots): the inputs and the Run button keep their views.
        self.views_above = W.VBox()
        self.views_below = W.VBox([self.views_box])
        super().__init__(
            [
                _row(self.task, self.compare, self.raw_toggle, self.timeout),
                self.model_picker,  # a row of its own: the whole width, whatever the model ids' length
                self.configs_box,
                self.views_above,
                self.inputs_box,
                self.views_below,
                _row(self.copy_view, self.save_name, self.save_button),
            ],
            **kwargs,
        )
        self.add_class("hubw-playground")
        style_root(self)
        self._forms: dict[str, TaskForm] = {}
        # The info callback (a worker) and the caller may both ask for a form first: build it once.
        self._forms_lock = threading.Lock()
        self._widget_data: Any = None
        self._running: dict[int, HubTask] = {}
        self._lock = threading.RLock()
        self._countdown: HubTask | None = None
        self._retries = 0
        self._last_values: dict[str, Any] = {}
        self._task_given = task is not None
        # Lane B follows lane A (a model of the same task) until the user sets it.
        self._lane_b_chosen = False
        self._suggested: dict[str, list[tuple[str, int]]] = {}
        self._recent: list[dict[str, str]] = []
        self._edited: set[str] = set()  # the tasks whose form the user changed since its last example
        self._model_task: str | None = None  # lane A's model's task, once the Hub said it
        self._models_task: HubTask | None = None
        self.info_task: HubTask | None = None

        self.task.observe(lambda _c: self._show_task(), "value")
        self.compare.observe(lambda _c: self._on_compare(), "value")
        self.raw_toggle.observe(lambda c: [lane.show_raw(c["new"]) for lane in self.lanes], "value")
        self.examples.observe(self._apply_example, "value")
        self.lanes[0].model.observe(lambda _c: self.load_model_info(), "value")
        self.lanes[1].model.observe(self._on_lane_b_model, "value")
        self.model_picker.observe(self._on_pick, "value")
        self.run_button.on_click(lambda _b: self.run())
        self.stop_button.on_click(lambda _b: self.stop())
        self.retry_button.on_click(lambda _b: self.wait_and_retry())
        self.new_chat_button.on_click(lambda _b: self.new_chat())
        self.save_button.on_click(lambda _b: self.save_result())
        self._show_lanes()
        self._show_task()
        self._show_copy()
        if model:
            self.load_model_info()
        else:
            self.status.info(_("Choose a model: type its id, or pick a recent or suggested one."))

    # -- layout -----------------------------------------------------------------------------------

    def active_lanes(self) -> list[Lane]:
        return self.lanes if self.compare.value else self.lanes[:1]

    def form(self, task: str | None = None) -> TaskForm:
        """The input form of `task` (default: the current one); kept, so switching tasks loses nothing."""
        task = task or self.task.value
        with self._forms_lock, use_language(self.widget_language):  # also when built on a caller thread
            if task not in self._forms:
                form = TaskForm(task)
                form.on_edit(lambda task=task: self._on_form_edit(task))
                self._forms[task] = form
            return self._forms[task]

    def _hosted(self) -> list[Any]:
        # The forms of the tasks not shown now are outside the tree that close() walks.
        with self._forms_lock:
            return list(self._forms.values())

    def _show_lanes(self) -> None:
        compare = self.compare.value
        self.lanes[1].show(compare)
        for lane in self.lanes:
            lane.title.layout.display = lane.title_copy.layout.display = "" if compare else "none"

    def _show_task(self) -> None:
        task = self.task.value
        chat = task == "chat"
        self.form_box.children = [self.form(task)]
        self.load_models(task)
        self.run_button.description = _("Send") if chat else _("Run")
        self.new_chat_button.layout.display = "" if chat else "none"
        # Chat reads top-down like a conversation (answers above the message box); tasks input-first.
        slot, other = (self.views_above, self.views_below) if chat else (self.views_below, self.views_above)
        if not slot.children:
            other.children = ()
            slot.children = (self.views_box,)
        for lane in self.lanes:
            lane.clear_output()
            if chat:
                lane.show_chat()
        self._refresh_examples()

    def _refresh_examples(self) -> None:
        task = self.task.value
        from_card = examples_from_widget_data(task, self._widget_data)
        self._examples = from_card or [(_("Default"), default_values(task))]
        self.examples.unobserve(self._apply_example, "value")
        self.examples.options = [(title, i) for i, (title, _values) in enumerate(self._examples)]
        # The first example is in the form (the card's, or the default one) unless the user edited it.
        self.examples.value = None if task in self._edited and not from_card else 0
        self.examples.observe(self._apply_example, "value")
        if from_card:
            self.use_example(from_card[0][1])

    def _apply_example(self, change: dict) -> None:
        if change["new"] is not None:
            self.use_example(self._examples[change["new"]][1])

    def _on_form_edit(self, task: str) -> None:
        # The user changed the input: the Example dropdown no longer claims it holds an example
        # (picking the example again restores it).
        if self.is_quiet:
            return
        self._edited.add(task)
        if task != self.task.value or self.examples.value is None:
            return
        self.examples.unobserve(self._apply_example, "value")
        self.examples.value = None
        self.examples.observe(self._apply_example, "value")

    def use_example(self, values: dict[str, Any]) -> HubTask | None:
        """Fill the form with an example; an example file (image, audio) is fetched from the Hub."""
        form = self.form()
        self._edited.discard(form.task)
        with self.quiet():
            form.set_values(values)
        files = {k: v["src"] for k, v in values.items() if isinstance(v, dict) and v.get("src")}
        if not files:
            return None
        name, src = next(iter(files.items()))
        where = resolve_example_file(src, self.lanes[0].model.value.strip(), self.session.endpoint)
        if where is None:
            self.status.warning(
                _("The example file is on another site: upload it yourself ({src}).").format(src=src)
            )
            return None
        self.status.busy(_("Fetching the example file…"))
        return self.submit(
            self._fetch_example_file,
            where,
            on_result=lambda content: self._set_upload(form, name, where[3], content),
            on_error=lambda exc: self.status.error(
                _("Could not fetch the example file: {reason}").format(
                    reason=self.session.describe_error(exc)
                )
            ),
            key=f"playground-example-{id(self)}",
        )

    def _fetch_example_file(self, where: tuple[str, str, str, str]) -> bytes:
        repo_id, repo_type, revision, path = where
        return inference.example_file(self.session, repo_id, path, repo_type=repo_type, revision=revision)

    def _set_upload(self, form: TaskForm, name: str, path: str, content: bytes) -> None:
        filename = path.rsplit("/", 1)[-1]
        mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        with self.quiet():  # the example's own file: the example still holds
            form.controls[name].value = (
                {
                    "name": filename,
                    "type": mime,
                    "size": len(content),
                    "content": memoryview(content),
                    "last_modified": datetime.now(timezone.utc),
                },
            )
        self.status.info(_("Example file {name} loaded.").format(name=filename))

    # -- which models to offer -----------------------------------------------------------------------

    def load_models(self, task: str | None = None) -> HubTask:
        """Fill the model picker: the recent models, then the ones most downloaded for `task` (default: the current)."""
        task = task or self.task.value
        self._models_task = self.submit(
            self._fetch_models,
            task,
            on_result=lambda found: self._on_models(task, *found),
            on_error=lambda _exc: (
                None
            ),  # no suggestions (offline, a Hub without search): the field still works
            key=f"playground-models-{id(self)}",
        )
        return self._models_task

    def _fetch_models(self, task: str) -> tuple[list[dict[str, str]], list[tuple[str, int]]]:
        recent = inference.recent_models(self.session.endpoint)
        suggested = self._suggested.get(task)
        if suggested is None:
            # Chat models are text-generation models tagged conversational, as on the Hub.
            tag, tags = ("text-generation", ["conversational"]) if task == "chat" else (task, [])
            suggested = inference.suggested_models(self.session, tag, tags)
        return recent, suggested

    def _on_models(self, task: str, recent: list[dict[str, str]], suggested: list[tuple[str, int]]) -> None:
        self._suggested[task], self._recent = suggested, recent
        if task != self.task.value:
            return
        listed = [e["model"] for e in recent]
        options = [(_("Choose a model…"), "")]
        options += [(_("{model} (recent)").format(model=model), model) for model in listed]
        options += [(model, model) for model, _n in suggested if model not in listed]
        with self.quiet():
            self.model_picker.options = options
            self.model_picker.value = ""
        self.model_picker.layout.display = "" if len(options) > 1 else "none"
        if not self._lane_b_chosen:
            self._set_lane_b(self._default_lane_b())

    def _on_pick(self, change: dict) -> None:
        model = change["new"]
        if self.is_quiet or not model:
            return
        with self.quiet():
            self.model_picker.value = ""  # a menu of models to open, not a second model field
        if self.lanes[0].model.value.strip() == model:
            self.load_model_info()
        else:
            self.lanes[0].model.value = model  # loads it (its task, examples, providers)

    def _default_lane_b(self) -> str:
        """Lane B's model until the user sets one: another model of lane A's task, else lane A's own."""
        model_a = self.lanes[0].model.value.strip()
        task = self._model_task
        for model, _n in self._suggested.get(task, []) if task else []:
            if model != model_a:
                return model
        return model_a

    def _set_lane_b(self, model: str) -> None:
        with self.quiet():
            self.lanes[1].model.value = model

    def _on_lane_b_model(self, change: dict) -> None:
        if not self.is_quiet:
            self._lane_b_chosen = bool(change["new"].strip())  # cleared: it follows lane A again

    def _on_compare(self) -> None:
        self._show_lanes()
        self._show_copy()
        if self.compare.value and not self._lane_b_chosen:
            self._set_lane_b(self._default_lane_b())

    # -- the model's task and examples ----------------------------------------------------------------

    def load_model_info(self) -> HubTask | None:
        """Read the model's pipeline tag and widget examples from the Hub; the task follows the model."""
        model_id = self.lanes[0].model.value.strip()
        if not model_id or model_id.startswith(("http://", "https://")):
            return None
        self._model_task = None
        if not self._lane_b_chosen:
            self._set_lane_b(model_id)  # never the previous model, of another task; see _default_lane_b
        self.status.busy(_("Reading {model} from the Hub…").format(model=model_id))
        self.info_task = self.submit(
            self._fetch_info,
            model_id,
            on_result=self._on_info,
            on_error=lambda exc: self.status.warning(
                _("Could not read the model's task ({reason}): choose the task yourself.").format(
                    reason=self.session.describe_error(exc)
                )
            ),
            key=f"playground-info-{id(self)}",
        )
        return self.info_task

    def _fetch_info(self, model_id: str) -> Any:
        info = inference.model_info(self.session, model_id, expand=MODEL_INFO_FIELDS)
        task = task_for_model(getattr(info, "pipeline_tag", None), list(getattr(info, "tags", None) or []))
        inference.remember_model(self.session.endpoint, info.id, task)
        return info

    def _on_info(self, info: Any) -> None:
        card = getattr(info, "card_data", None)
        widget_data = getattr(info, "widget_data", None) or (card.get("widget") if card is not None else None)
        self._widget_data = widget_data
        task = task_for_model(getattr(info, "pipeline_tag", None), list(getattr(info, "tags", None) or []))
        if info.id == self.lanes[0].model.value.strip():
            self._model_task = task
        if task and not self._task_given:
            if self.task.value != task:
                self.task.value = task  # redraws the form and examples
            else:
                self._refresh_examples()
        else:
            self._refresh_examples()
        self._task_given = False  # from now on a new model brings its own task
        providers = [
            m.provider for m in getattr(info, "inference_provider_mapping", None) or [] if m.status == "live"
        ]
        for lane in self.lanes:
            if lane.model.value.strip() == info.id:
                lane.set_providers(providers)
        mask = getattr(info, "mask_token", None)
        if task == "fill-mask" and mask and mask != "[MASK]":
            text = self.form(task).controls["text"]
            with self.quiet():  # the example, in the model's own words: still the example
                text.value = text.value.replace("[MASK]", mask)
        self.load_models(self.task.value)  # the picker lists this model as recent now
        if self._running or self.status.kind != "busy":
            return  # a run started meanwhile: its status line matters more
        if task:
            self.status.info(_("{model}: {task}.").format(model=info.id, task=marked(TASKS[task].label)))
        else:
            self.status.warning(
                _("{model} has no task the playground knows ({tag}): choose one.").format(
                    model=info.id, tag=getattr(info, "pipeline_tag", None) or _("none")
                )
            )

    # -- running ----------------------------------------------------------------------------------

    def run(self, lanes: list[Lane] | None = None, values: dict[str, Any] | None = None) -> list[HubTask]:
        """Run the current task with the form's input on every shown backend (both in compare mode).

        Returns:
            The running tasks (`task.wait()` blocks until one has finished and shown its result).
        """
        task = self.task.value
        lanes = lanes or self.active_lanes()
        timeout = self.timeout.value or None
        values = dict(values) if values is not None else self.form(task).values()
        self._hide_retry()
        try:
            backends = [lane.backend(timeout) for lane in lanes]
            for backend in backends:
                backend.check()
            if task == "chat":
                message = str(values.get("message") or "").strip()
                if not message:
                    raise ValidationError(_("Type a message first."))
                build_chat_call([], values, None)  # checks the parameters
            else:
                call = build_call(task, values)
        except ValidationError as exc:
            self.status.error(str(exc))
            return []
        self._last_values = values
        if task == "chat":
            self.form(task).controls["message"].value = ""
        self.status.busy(_("Running…") if len(lanes) == 1 else _("Running on both…"))
        tasks = []
        # Under the lock: a call that answers at once must find itself in `_running`, and its "done"
        # (which enables Run again) must come after this "running".
        with self._lock:
            self._set_running(True)
            for lane, backend in zip(lanes, backends, strict=True):
                if task == "chat":
                    lane.history.append({"role": "user", "content": message})
                    messages = (
                        [{"role": "system", "content": values["system"].strip()}]
                        if values.get("system", "").strip()
                        else []
                    ) + lane.history
                    model = backend.model if backend.url and "{model}" not in backend.endpoint else None
                    call = build_chat_call(messages, values, model)
                    lane.show_chat(pending="")
                lane.last_call, lane.last_backend = call, backend
                lane.problem = None
                lane.show_busy(_("Waiting for the answer…"))
                index = self.lanes.index(lane)
                hub_task = self.submit(
                    self._work,
                    lane,
                    backend,
                    task,
                    call,
                    values,
                    on_error=lambda exc, lane=lane, backend=backend: self._on_error(lane, backend, task, exc),
                    on_done=lambda index=index: self._on_done(index),
                    key=f"playground-{id(self)}-{index}",
                    lane="long",
                    abortable=True,  # Stop closes the request: a silent endpoint cannot hold a worker
                )
                self._running[index] = hub_task
                tasks.append(hub_task)
        self._show_copy()
        return tasks

    def wait(self, timeout: float | None = 120) -> bool:
        """Block until the running calls, any retry countdown and the model's info and suggested models
        have arrived (for scripts and demos).

        Errors are not raised: they are shown in the widget (and kept in `lane.problem`).

        Returns:
            False if still running after `timeout` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                running = [*self._running.values(), self._countdown, self.info_task, self._models_task]
            pending = [t for t in running if t is not None and not t.done()]
            if not pending:
                return True
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            try:
                pending[0].wait(remaining)
            except Exception:  # shown in the widget already
                pass

    def _work(self, lane: Lane, backend: Any, task: str, call: Call, values: dict[str, Any]) -> None:
        hub_task = current_task()
        cancelled = (lambda: hub_task.cancelled or hub_task.stale) if hub_task else (lambda: False)
        options = client_kwargs(backend)
        lane.stats = StreamStats(started=time.perf_counter())
        started = time.perf_counter()
        if not TASKS[task].streams:
            result = inference.run(lane.session, call, **options)
            if not cancelled():
                lane.show_result(task, result, values, time.perf_counter() - started)
            return
        is_chat = task == "chat"

        def show(text: str) -> None:
            if is_chat:
                lane.show_chat(pending=text)
            else:
                lane.output.value = render.text_block(text)

        text, stopped = lane.stream_answer(
            inference.run(lane.session, call, **options), is_chat, cancelled, show
        )
        lane.result = text
        if is_chat:
            lane.history.append({"role": "assistant", "content": text})
            lane.show_chat(note=_("Stopped.") if stopped else "")
        else:
            lane.output.value = render.text_block(text)
        lane.raw.value = render.raw_json({"generated_text": text})
        lane.show_stream_stats(stopped)

    def _on_error(self, lane: Lane, backend: Any, task: str, exc: BaseException) -> None:
        problem = self.session.problem(exc, service="inference", model=backend.model, url=backend.url)
        if task == "chat" and lane.history and lane.history[-1]["role"] == "user":
            lane.history.pop()  # this side did not answer it: the conversation stays as it was
            lane.show_chat()
        lane.show_problem(problem)

    def _on_done(self, index: int) -> None:
        # Runs on the finished task's worker: a task that was stopped or replaced reports nothing.
        with self._lock:
            if self._running.get(index) is not current_task():
                return
            del self._running[index]
            if self._running:
                return
            self._set_running(False)
        problems = [lane.problem for lane in self.active_lanes() if lane.problem is not None]
        message = self.form("chat").controls["message"] if self.task.value == "chat" else None
        if message is not None and len(problems) == len(self.active_lanes()) and not message.value.strip():
            message.value = self._last_values.get("message", "")  # no side got it: nothing typed is lost
        if not problems:
            self.status.success(_("Done."))
            self._retries = 0
            return
        self.status.error(
            problems[0].message if len(problems) == 1 else _("Both calls failed; see each side.")
        )
        waits = [p.retry_after for p in problems if p.kind in RETRYABLE]
        if waits:
            seconds = max(w or 5.0 for w in waits)
            self.retry_button.description = _("Wait {seconds} s and retry").format(
                seconds=format_number(seconds)
            )
            self.retry_button.layout.display = ""
            if self.auto_retry.value and self._retries < MAX_AUTO_RETRIES:
                self.wait_and_retry()

    def _set_running(self, running: bool) -> None:
        self.run_button.disabled = running
        self.stop_button.disabled = not running

    def stop(self) -> None:
        """Stop what runs: a streamed answer stops at its next token; a countdown is cancelled."""
        stopped = False
        for hub_task in list(self._running.values()):
            hub_task.cancel()
            stopped = True
        if self._countdown is not None and not self._countdown.done():
            self._countdown.cancel()
            self._countdown = None
            stopped = True
        for lane in self.active_lanes():
            lane.show_stopped()
        with self._lock:
            self._running.clear()
            self._set_running(False)
        if stopped:
            self.status.warning(_("Stopped."))

    def wait_and_retry(self) -> HubTask | None:
        """Count down the wait the server asked for (loading, rate limit), then run the failed sides again."""
        failed = [
            lane
            for lane in self.active_lanes()
            if lane.problem is not None and lane.problem.kind in RETRYABLE
        ]
        if not failed:
            return None
        seconds = max((lane.problem.retry_after or 5.0) for lane in failed)  # type: ignore[union-attr]
        values = dict(self._last_values)
        self._retries += 1
        self._hide_retry()
        self._set_running(True)
        self._countdown = self.submit(
            self._count_down, seconds, failed, values, key=f"playground-retry-{id(self)}", lane="long"
        )
        return self._countdown

    def _count_down(self, seconds: float, lanes: list[Lane], values: dict[str, Any]) -> None:
        hub_task = current_task()
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if hub_task is not None and hub_task.cancelled:
                return
            self.status.busy(
                _("Retrying in {seconds} s… (Stop cancels)").format(seconds=format_number(left + 0.49))
            )
            time.sleep(min(0.25, left))
        if hub_task is not None and hub_task.cancelled:
            return
        self._countdown = None
        for task in self.run(lanes=lanes, values=values):
            task.wait()

    def _hide_retry(self) -> None:
        self.retry_button.layout.display = "none"

    def new_chat(self) -> None:
        """Forget the conversation (on both sides)."""
        for lane in self.lanes:
            lane.history.clear()
            lane.clear_output()
            lane.show_chat()
        self.status.info(_("New conversation."))

    # -- reuse --------------------------------------------------------------------------------------

    def snippet(self) -> str | None:
        """Python reproducing the last call(s) with `InferenceClient` (None before the first run)."""
        parts = []
        for lane in self.active_lanes():
            code = lane.snippet()
            if code:
                parts.append((lane, code))
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0][1]
        return "\n".join(f"# {lane.last_backend.label()}\n{code}" for lane, code in parts)  # type: ignore[union-attr]

    def _show_copy(self) -> None:
        """Redraw "Copy as Python" for the last call(s): one click copies them (disabled before a run)."""
        code = self.snippet()
        if code is not None and len(code) > MAX_SHOWN_CHARS:
            code, hint = (
                None,
                _("The call is too long to copy from here: print(playground.snippet()) instead."),
            )
        elif code is None:
            hint = _("Run something first: the snippet reproduces the last call.")
        else:
            hint = _("Copies the InferenceClient call that reproduces the last run.")
        self.copy_view.value = copy_button(
            code, _("Copy as Python"), _("Copied"), _("Could not copy"), icon="clipboard", hint=hint
        )

    def save_result(self, name: str | None = None) -> bool:
        """Set `name` in the notebook's namespace to the last result (a dict of both in compare mode)."""
        name = (name or self.save_name.value).strip()
        if not name.isidentifier() or keyword.iskeyword(name):
            self.status.error(_("{name!r} is not a valid Python variable name.").format(name=name))
            return False
        done = [lane for lane in self.active_lanes() if lane.result is not None]
        if not done:
            self.status.warning(_("No result to save yet: run something first."))
            return False
        if len(done) == 1:
            value = done[0].result
        else:
            value = {
                lane.last_backend.label() if lane.last_backend else lane.name: lane.result for lane in done
            }
        _user_namespace()[name] = value
        self.status.success(_("Saved as {name}.").format(name=name))
        return True


def _user_namespace() -> dict[str, Any]:
    """The notebook's global namespace (the `__main__` module outside IPython)."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:
        return shell.user_ns
    import __main__

    return __main__.__dict__
