"""The playground's tasks: their inputs, default examples, and the `InferenceClient` call each one makes.

Pure data and small pure helpers: no widgets, no I/O. A `Call` is both what the playground runs and
what "Copy as Python" prints, so the snippet reproduces exactly the call that was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from hub_widgets._i18n import _
from hub_widgets.errors import ValidationError
from hub_widgets.token_rule import same_origin


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


@dataclass(frozen=True)
class TaskSpec:
    """A task the playground can run."""

    name: str
    label: str
    method: str
    fields: tuple[Field, ...]
    streams: bool = False


@dataclass
class Call:
    """One `InferenceClient` method call: `method(*args, **kwargs)`; `files` name uploaded inputs."""

    method: str
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)  # positional index -> uploaded file name

    def run(self, client: Any) -> Any:
        return getattr(client, self.method)(*self.args, **self.kwargs)


TEXT = _("Text")
TEMPERATURE = Field("temperature", _("Temperature"), "float", 0.7)
TASKS: dict[str, TaskSpec] = {
    spec.name: spec
    for spec in (
        TaskSpec(
            "chat",
            _("Chat"),
            "chat_completion",
            (
                Field("system", _("System prompt"), "text", "You are a helpful assistant."),
                Field("message", _("Message"), "text", "Tell me a fun fact about the moon."),
                TEMPERATURE,
                Field("max_tokens", _("Max tokens"), "int", 256),
                Field("top_p", _("Top p"), "float", 0.95),
            ),
            streams=True,
        ),
        TaskSpec(
            "text-generation",
            _("Text generation"),
            "text_generation",
            (
                Field("text", _("Prompt"), "text", "Once upon a time, in a small village,"),
                Field("max_new_tokens", _("Max new tokens"), "int", 64),
                TEMPERATURE,
            ),
            streams=True,
        ),
        TaskSpec(
            "fill-mask",
            _("Fill mask"),
            "fill_mask",
            (Field("text", TEXT, "text", "The goal of life is [MASK]."),),
        ),
        TaskSpec(
            "text-classification",
            _("Text classification"),
            "text_classification",
            (Field("text", TEXT, "text", "I love this movie, the acting was wonderful!"),),
        ),
        TaskSpec(
            "token-classification",
            _("Token classification"),
            "token_classification",
            (Field("text", TEXT, "text", "My name is Sarah and I live in London. I work for Acme Corp."),),
        ),
        TaskSpec(
            "zero-shot-classification",
            _("Zero-shot classification"),
            "zero_shot_classification",
            (
                Field("text", TEXT, "text", "The team scored twice in the last ten minutes to win the cup."),
                Field(
                    "candidate_labels", _("Labels (comma-separated)"), "labels", "sports, politics, cooking"
                ),
                Field("multi_label", _("Several labels can be true"), "check", False),
            ),
        ),
        TaskSpec(
            "question-answering",
            _("Question answering"),
            "question_answering",
            (
                Field("question", _("Question"), "line", "Where does Sarah live?"),
                Field(
                    "context",
                    _("Context"),
                    "text",
                    "My name is Sarah and I live in London. I have a cat called Tom.",
                ),
            ),
        ),
        TaskSpec(
            "summarization",
            _("Summarization"),
            "summarization",
            (
                Field(
                    "text",
                    TEXT,
                    "text",
                    "The tower is 324 metres tall, about the same height as an 81-storey building, and "
                    "the tallest structure in Paris. Its base is square, measuring 125 metres on each side. "
                    "During its construction, the Eiffel Tower surpassed the Washington Monument to become "
                    "the tallest man-made structure in the world, a title it held for 41 years.",
                ),
            ),
        ),
        TaskSpec(
            "translation",
            _("Translation"),
            "translation",
            (
                Field("text", TEXT, "text", "My name is Wolfgang and I live in Berlin."),
                Field("src_lang", _("From (language code)"), "line", ""),
                Field("tgt_lang", _("To (language code)"), "line", ""),
            ),
        ),
        TaskSpec(
            "sentence-similarity",
            _("Sentence similarity"),
            "sentence_similarity",
            (
                Field("source_sentence", _("Source sentence"), "line", "That is a happy person"),
                Field(
                    "sentences",
                    _("Sentences to compare (one per line)"),
                    "lines",
                    "That is a happy dog\nThat is a very happy person\nToday is a sunny day",
                ),
            ),
        ),
        TaskSpec(
            "feature-extraction",
            _("Feature extraction"),
            "feature_extraction",
            (Field("text", TEXT, "text", "Today is a sunny day and I will get some ice cream."),),
        ),
        TaskSpec(
            "image-classification",
            _("Image classification"),
            "image_classification",
            (Field("image", _("Image"), "image", None),),
        ),
        TaskSpec(
            "text-to-image",
            _("Text to image"),
            "text_to_image",
            (Field("text", _("Prompt"), "text", "An astronaut riding a horse on the moon"),),
        ),
        TaskSpec(
            "automatic-speech-recognition",
            _("Speech recognition"),
            "automatic_speech_recognition",
            (Field("audio", _("Audio file"), "audio", None),),
        ),
    )
}

# Pipeline tags that open another task's view.
TASK_ALIASES = {
    "conversational": "chat",
    "image-text-to-text": "chat",
    "text2text-generation": "summarization",
}


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


def split_labels(text: str) -> list[str]:
    return [label.strip() for label in text.split(",") if label.strip()]


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def examples_from_widget_data(task: str, widget_data: Any) -> list[tuple[str, dict[str, Any]]]:
    """Turn a model card's `widget:` entries into (title, form values) examples for `task`.

    Unknown keys are ignored; entries that fill no field of the task are dropped.
    """
    spec = TASKS[task]
    names = {f.name for f in spec.fields}
    examples: list[tuple[str, dict[str, Any]]] = []
    for i, entry in enumerate(widget_data if isinstance(widget_data, list) else []):
        if not isinstance(entry, dict):
            continue
        values: dict[str, Any] = {}
        for key, value in entry.items():
            if key == "messages" and task == "chat" and isinstance(value, list):
                for message in value:
                    if isinstance(message, dict) and message.get("role") == "system":
                        values["system"] = str(message.get("content", ""))
                    elif isinstance(message, dict) and message.get("role") == "user":
                        values["message"] = str(message.get("content", ""))
                continue
            target = {"text": "message"}.get(key, key) if task == "chat" else key
            if task == "question-answering" and key == "text":
                target = "question"
            files = [f.name for f in spec.fields if f.kind in ("image", "audio")]
            if key == "src" and files and isinstance(value, str):
                values[files[0]] = {"src": value}  # fetched when the example is picked
                continue
            if target not in names or isinstance(value, dict):
                continue
            if isinstance(value, list):
                value = "\n".join(map(str, value)) if target == "sentences" else ", ".join(map(str, value))
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
    spec = TASKS[task]

    def text(name: str, what: str | None = None) -> str:
        value = str(values.get(name) or "").strip()
        if not value:
            raise ValidationError(_("Enter {what} first.").format(what=what or _("some text")))
        return value

    def upload(name: str, what: str) -> tuple[bytes, str]:
        file = values.get(name)
        if not file or not file.get("content"):
            raise ValidationError(_("Upload {what} first.").format(what=what))
        return bytes(file["content"]), str(file.get("name") or name)

    if task == "chat":
        raise ValueError("chat calls are built from the conversation (build_chat_call)")
    if task == "text-generation":
        return Call(
            spec.method,
            (text("text", _("a prompt")),),
            {
                "max_new_tokens": _positive_int(values.get("max_new_tokens"), _("Max new tokens")),
                "temperature": _temperature(values.get("temperature")),
                "stream": True,
            },
        )
    if task == "fill-mask":
        return Call(spec.method, (text("text"),))
    if task in ("text-classification", "token-classification", "summarization", "feature-extraction"):
        return Call(spec.method, (text("text"),))
    if task == "zero-shot-classification":
        labels = split_labels(str(values.get("candidate_labels") or ""))
        if not labels:
            raise ValidationError(_("Enter at least one candidate label (comma-separated)."))
        return Call(
            spec.method,
            (text("text"),),
            {"candidate_labels": labels, "multi_label": bool(values.get("multi_label"))},
        )
    if task == "question-answering":
        return Call(
            spec.method,
            (),
            {"question": text("question", _("a question")), "context": text("context", _("a context"))},
        )
    if task == "translation":
        kwargs = {k: str(values.get(k) or "").strip() or None for k in ("src_lang", "tgt_lang")}
        return Call(spec.method, (text("text"),), {k: v for k, v in kwargs.items() if v})
    if task == "sentence-similarity":
        sentences = split_lines(str(values.get("sentences") or ""))
        if not sentences:
            raise ValidationError(_("Enter at least one sentence to compare with (one per line)."))
        return Call(spec.method, (text("source_sentence", _("a source sentence")), sentences))
    if task == "text-to-image":
        return Call(spec.method, (text("text", _("a prompt")),))
    if task == "image-classification":
        content, name = upload("image", _("an image"))
        return Call(spec.method, (content,), files={0: name})
    if task == "automatic-speech-recognition":
        content, name = upload("audio", _("an audio file"))
        return Call(spec.method, (content,), files={0: name})
    raise ValidationError(_("Unknown task: {task}").format(task=task))


def build_chat_call(messages: list[dict[str, str]], values: dict[str, Any], model: str | None) -> Call:
    """The streaming `chat_completion` call for a conversation.

    Args:
        messages: The conversation so far, ending with the user's new message.
        values: The chat form (temperature, max_tokens, top_p).
        model: Sent as the payload's model (an OpenAI-compatible server may need it); None lets the
            client choose.
    """
    kwargs: dict[str, Any] = {
        "max_tokens": _positive_int(values.get("max_tokens"), _("Max tokens")),
        "temperature": _temperature(values.get("temperature")),
        "top_p": _unit_interval(values.get("top_p"), _("Top p")),
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if model:
        kwargs["model"] = model
    return Call("chat_completion", ([dict(m) for m in messages],), kwargs)


def _positive_int(value: Any, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("{what} must be a whole number.").format(what=what)) from None
    if number < 1:
        raise ValidationError(_("{what} must be at least 1.").format(what=what))
    return number


def _temperature(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("Temperature must be a number.")) from None
    if not 0 <= number <= 2:
        raise ValidationError(_("Temperature must be between 0 and 2."))
    return number


def _unit_interval(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(_("{what} must be a number.").format(what=what)) from None
    if not 0 < number <= 1:
        raise ValidationError(_("{what} must be above 0 and at most 1.").format(what=what))
    return number


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
