"""The playground's task registry: one module per task family, each declaring its tasks' inputs, the
`InferenceClient` call they build, how their result is shown and whether they stream (`TaskSpec`).

Adding a task: see CHECKLIST.md next to this file. Pure data and small pure helpers: no widgets, no I/O.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from hub_widgets._i18n import _
from hub_widgets.errors import ValidationError
from hub_widgets.playground.tasks import audio, embeddings, generation, language, vision
from hub_widgets.playground.tasks.base import (
    FILE_KINDS,
    TEMPERATURE,
    TEXT,
    Call,
    Field,
    RegistrationError,
    TaskSpec,
    check_spec,
    split_labels,
    split_lines,
)
from hub_widgets.playground.tasks.generation import build_chat_call
from hub_widgets.token_rule import same_origin

__all__ = [
    "TASKS",
    "TASK_ALIASES",
    "TEMPERATURE",
    "TEXT",
    "Call",
    "Field",
    "RegistrationError",
    "TaskSpec",
    "build_call",
    "build_chat_call",
    "default_values",
    "examples_from_widget_data",
    "register",
    "render_result",
    "resolve_example_file",
    "split_labels",
    "split_lines",
    "task_for_model",
]

# In the order the task dropdown lists them.
FAMILIES = (generation, language, embeddings, vision, audio)

_registry: dict[str, TaskSpec] = {}
TASKS = MappingProxyType(_registry)  # name -> TaskSpec, read-only: tasks are added with register()
TASK_ALIASES: dict[str, str] = {}  # pipeline tags that open another task's view


def register(spec: TaskSpec) -> TaskSpec:
    """Add a task to the playground.

    Args:
        spec: The task; it must have a renderer and a build function (see `check_spec`).

    Raises:
        RegistrationError: when the task is incomplete or its name or an alias is taken.
    """
    check_spec(spec, _registry)
    _registry[spec.name] = spec
    TASK_ALIASES.update(dict.fromkeys(spec.aliases, spec.name))
    return spec


for _family in FAMILIES:
    for _spec in _family.TASKS:
        register(_spec)


def task_for_model(pipeline_tag: str | None, tags: list[str] | None = None) -> str | None:
    """The playground task for a model's pipeline tag (None if the playground has no view for it).

    A text-generation model tagged "conversational" opens the chat view, as on the Hub.
    """
    if not pipeline_tag:
        return None
    if pipeline_tag == "text-generation" and "conversational" in (tags or []):
        return "chat"
    task = TASK_ALIASES.get(pipeline_tag, pipeline_tag)
    return task if task in TASKS else None


def examples_from_widget_data(task: str, widget_data: Any) -> list[tuple[str, dict[str, Any]]]:
    """Turn a model card's `widget:` entries into (title, form values) examples for `task`.

    Unknown keys are ignored; entries that fill no field of the task are dropped.
    """
    spec = TASKS[task]
    kinds = {f.name: f.kind for f in spec.fields}
    files = [f.name for f in spec.fields if f.kind in FILE_KINDS]
    examples: list[tuple[str, dict[str, Any]]] = []
    for i, entry in enumerate(widget_data if isinstance(widget_data, list) else []):
        if not isinstance(entry, dict):
            continue
        values: dict[str, Any] = {}
        for key, value in entry.items():
            read = spec.card_entry(key, value) if spec.card_entry else None
            if read is not None:
                values.update(read)
                continue
            if key == "src" and files and isinstance(value, str):
                values[files[0]] = {"src": value}  # fetched when the example is picked
                continue
            target = spec.card_keys.get(key, key)
            if target not in kinds or isinstance(value, dict):
                continue
            if isinstance(value, list):
                value = "\n".join(map(str, value)) if kinds[target] == "lines" else ", ".join(map(str, value))
            values[target] = value
        if values:
            title = str(entry.get("example_title") or "").strip()
            first = next(iter(values.values()))
            first = first.get("src", "").rsplit("/", 1)[-1] if isinstance(first, dict) else first
            examples.append((title or _short(str(first)) or _("Example {n}").format(n=i + 1), values))
    return examples


def resolve_example_file(src: str, model: str, endpoint: str) -> tuple[str, str, str, str] | None:
    """Where a widget example's `src` lives on the Hub: (repo_id, repo_type, revision, path), or None.

    `src` is a path in the model's own repo, or a `/resolve/` URL on the Hub; files elsewhere are not
    fetched (the playground downloads nothing from unknown hosts).
    """
    if "://" not in src:
        return (model, "model", "main", src.lstrip("/")) if model and ".." not in src else None
    endpoint = endpoint.rstrip("/")
    # Compared by origin: the session's Hub, or the Hugging Face Hub itself (its repos' URLs).
    site = next(
        (p for p in (endpoint, "https://huggingface.co", "https://hf.co") if same_origin(src, p)), None
    )
    if site is None:
        return None
    path = urlsplit(src).path
    prefix = urlsplit(site).path.rstrip("/")
    if prefix and not path.startswith(prefix + "/"):
        return None
    parts = path[len(prefix) :].lstrip("/").split("/")
    if ".." in parts:
        return None
    repo_type = "model"
    if parts and parts[0] in ("datasets", "spaces"):
        repo_type, parts = parts[0][:-1], parts[1:]
    if len(parts) < 5 or parts[2] != "resolve":
        return None
    return f"{parts[0]}/{parts[1]}", repo_type, parts[3], "/".join(parts[4:])


def default_values(task: str) -> dict[str, Any]:
    return {f.name: f.default for f in TASKS[task].fields}


def build_call(task: str, values: dict[str, Any]) -> Call:
    """The `InferenceClient` call for `task` with the form's `values`.

    Raises:
        ValidationError: with a message for the user when an input is missing or malformed.
    """
    spec = TASKS.get(task)
    if spec is None:
        raise ValidationError(_("Unknown task: {task}").format(task=task))
    return spec.build(values)


def render_result(task: str, result: Any, values: dict[str, Any]) -> str:
    """HTML for the result of `task` run with the form `values` (every registered task has a renderer)."""
    return TASKS[task].render(result, values)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
