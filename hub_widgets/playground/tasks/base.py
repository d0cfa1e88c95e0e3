"""What a playground task is: its inputs, the call it builds, how its result is shown, whether it streams.

Pure data and small pure helpers: no widgets, no I/O. A `Call` is both what the playground runs and
what "Copy as Python" prints, so the snippet reproduces exactly the call that was made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from hub_widgets._i18n import N_, _
from hub_widgets.errors import ValidationError

FIELD_KINDS = ("text", "line", "labels", "lines", "check", "int", "float", "image", "audio")
FILE_KINDS = ("image", "audio")


@dataclass(frozen=True)
class Field:
    """One input of a task.

    Args:
        name: Key in the form's values (and in the model card's `widget` examples).
        label: What the user reads next to the control.
        kind: "text" (multi-line), "line", "labels" (comma-separated), "lines" (one item per line),
            "check", "int", "float", "image" or "audio" (an uploaded file).
        default: The value of a fresh form.
    """

    name: str
    label: str
    kind: str = "text"
    default: Any = ""


@dataclass
class Call:
    """One `InferenceClient` method call: `method(*args, **kwargs)`; `files` name uploaded inputs."""

    method: str
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)  # positional index -> uploaded file name

    def run(self, client: Any) -> Any:
        return getattr(client, self.method)(*self.args, **self.kwargs)


Build = Callable[[dict[str, Any]], Call]
Render = Callable[[Any, dict[str, Any]], str]
CardEntry = Callable[[str, Any], "dict[str, Any] | None"]


@dataclass(frozen=True)
class TaskSpec:
    """A task the playground can run: everything the playground knows about it, in one place.

    Args:
        name: The task id (a Hub pipeline tag, or "chat").
        label: What the task dropdown shows.
        fields: The form's inputs, in order.
        build: The form's values -> the `Call` (raises `ValidationError` with a message for the user).
        render: (result, form values) -> the HTML shown for a result (everything in it escaped).
        method: The `InferenceClient` method the call uses (default: the name with underscores).
        streams: The call returns a stream of text (shown as it arrives) rather than one result.
        aliases: Other pipeline tags whose models open this task's view.
        card_keys: A card `widget:` example's key -> the field it fills, where the names differ.
        card_entry: Reads a card example key the generic rule cannot (returns the values it fills,
            or None to fall back to the generic rule).
    """

    name: str
    label: str
    fields: tuple[Field, ...]
    build: Build
    render: Render
    method: str = ""  # default: the name with underscores ("text-classification" -> text_classification)
    streams: bool = False
    aliases: tuple[str, ...] = ()
    card_keys: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    card_entry: CardEntry | None = None

    def __post_init__(self) -> None:
        if not self.method:
            object.__setattr__(self, "method", self.name.replace("-", "_"))


class RegistrationError(ValueError):
    """A task declared incompletely (no renderer, no build, an unknown field kind, a duplicate name)."""


def check_spec(spec: TaskSpec, known: Mapping[str, TaskSpec]) -> None:
    """Raise RegistrationError unless `spec` can be registered next to the `known` tasks.

    A task without a renderer would show its result as raw JSON without anyone noticing: refused here.

    Args:
        spec: The task to register.
        known: The tasks registered so far.
    """
    if spec.name in known:
        raise RegistrationError(f"task {spec.name!r} is registered twice")
    if not callable(spec.build):
        raise RegistrationError(f"task {spec.name!r} has no build function")
    if not callable(spec.render):
        raise RegistrationError(f"task {spec.name!r} has no renderer: its results would show as raw JSON")
    if not spec.method.isidentifier():
        raise RegistrationError(f"task {spec.name!r}: {spec.method!r} is not an InferenceClient method name")
    names = [f.name for f in spec.fields]
    if len(set(names)) != len(names):
        raise RegistrationError(f"task {spec.name!r} has two fields with the same name")
    for f in spec.fields:
        if f.kind not in FIELD_KINDS:
            raise RegistrationError(f"task {spec.name!r}: unknown field kind {f.kind!r}")
    for alias in spec.aliases:
        taken = next((t.name for t in known.values() if alias in t.aliases or alias == t.name), None)
        if taken:
            raise RegistrationError(f"task {spec.name!r}: the pipeline tag {alias!r} already opens {taken!r}")


# -- reading the form (for build functions) -----------------------------------------------------------


def text(values: dict[str, Any], name: str, what: str | None = None) -> str:
    """The stripped text of field `name`; ValidationError ("Enter … first.") when empty."""
    value = str(values.get(name) or "").strip()
    if not value:
        raise ValidationError(_("Enter {what} first.").format(what=what or _("some text")))
    return value


def upload(values: dict[str, Any], name: str, what: str) -> tuple[bytes, str]:
    """(content, file name) of the uploaded file in field `name`; ValidationError when none."""
    file = values.get(name)
    if not file or not file.get("content"):
        raise ValidationError(_("Upload {what} first.").format(what=what))
    return bytes(file["content"]), str(file.get("name") or name)


def split_labels(text: str) -> list[str]:
    return [label.strip() for label in text.split(",") if label.strip()]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def positive_int(value: Any, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("{what} must be a whole number.").format(what=what)) from None
    if number < 1:
        raise ValidationError(_("{what} must be at least 1.").format(what=what))
    return number


def temperature(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("Temperature must be a number.")) from None
    if not 0 <= number <= 2:
        raise ValidationError(_("Temperature must be between 0 and 2."))
    return number


def unit_interval(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("{what} must be a number.").format(what=what)) from None
    if not 0 < number <= 1:
        raise ValidationError(_("{what} must be above 0 and at most 1.").format(what=what))
    return number


def get(item: Any, key: str, default: Any = None) -> Any:
    """`item[key]` of a dict, or the attribute of a typed output (`InferenceClient` returns either)."""
    return item.get(key, default) if isinstance(item, dict) else getattr(item, key, default)


TEXT = N_("Text")
TEMPERATURE = Field("temperature", N_("Temperature"), "float", 0.7)
