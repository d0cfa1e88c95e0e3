"""The sandbox's engine table: which task each engine serves and how its request reaches it.

One entry per task (`ENGINES`); the model route looks the task up here, so adding an engine is its
function in an engine module plus one line below. Knows nothing of HTTP (the handlers do).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import audio, engines, images, realmodel
from .generation import generate_text

# Pipeline tags the chat route serves (OpenAI chat completion).
CHAT_TASKS = {"text-generation", "image-text-to-text", "text2text-generation", "conversational"}
# Pipeline tags served by another task's engine.
TASK_ALIASES = {
    "sentiment-analysis": "text-classification",
    "ner": "token-classification",
    "text2text-generation": "text-generation",
}


@dataclass(frozen=True)
class Job:
    """One request to an engine.

    Args:
        inputs: The body's `inputs` (bytes for a binary task).
        params: The body's `parameters`.
        body: The whole JSON body (feature extraction reads parameters at its root).
        card: The model card's metadata.
        name: The model's repo name (without its namespace).
        real: The real small model may answer (installed, and not switched off).
    """

    inputs: Any
    params: dict[str, Any]
    body: dict[str, Any]
    card: dict[str, Any]
    name: str
    real: bool = False


@dataclass
class Real:
    """A result computed by the real model (answered with `X-Sandbox-Engine: all-MiniLM-L6-v2`)."""

    value: Any


@dataclass(frozen=True)
class Engine:
    """How the sandbox serves one task.

    Args:
        run: The job -> the JSON the hosted service returns (bytes for an image; `Real` for a result
            of the real model).
        binary: The inputs are raw image or audio bytes (or base64 in a JSON body).
        streams: The answer may stream (text generation: the handler streams the `Generation`).
    """

    run: Callable[[Job], Any]
    binary: bool = False
    streams: bool = False


def plain(fn: Callable[[Any, dict[str, Any]], Any]) -> Callable[[Job], Any]:
    """An engine of (inputs, parameters), the usual signature."""
    return lambda job: fn(job.inputs, job.params)


def _tags(card: dict[str, Any]) -> list[str]:
    tags = card.get("tags") or []
    return [str(t) for t in (tags if isinstance(tags, list) else [tags])]


def _pooled(card: dict[str, Any]) -> bool:
    return (
        card.get("library_name") == "sentence-transformers"
        or "sentence-transformers" in _tags(card)
        or card.get("pipeline_tag") == "sentence-similarity"
    )


def _language_pair(card: dict[str, Any], name: str) -> tuple[str, str]:
    hay = " ".join([name, *_tags(card)]).lower()
    m = re.search(r"\b([a-z]{2})[-_](?:to[-_])?([a-z]{2})\b", hay)
    if m:
        return m.group(1), m.group(2)
    langs = card.get("language")
    if isinstance(langs, list) and len(langs) == 2:
        return str(langs[0]), str(langs[1])
    return "en", "fr"


def _feature_extraction(job: Job) -> Any:
    root = {k: v for k, v in job.body.items() if k not in ("inputs", "parameters")}
    merged = {**job.params, **root}
    inputs = job.inputs
    if job.real and (
        isinstance(inputs, str) or (isinstance(inputs, list) and all(isinstance(t, str) for t in inputs))
    ):
        texts = [inputs] if isinstance(inputs, str) else inputs
        normalize = merged.get("normalize") is not False
        vectors = realmodel.embed(texts, normalize=normalize, pooled=_pooled(job.card))
        if vectors is not None:
            return Real(vectors)
    return engines.feature_extraction(inputs, merged, pooled=_pooled(job.card))


def _sentence_similarity(job: Job) -> Any:
    inputs = job.inputs
    if job.real and isinstance(inputs, dict):
        source, others = inputs.get("source_sentence"), inputs.get("sentences")
        if isinstance(source, str) and isinstance(others, list) and all(isinstance(t, str) for t in others):
            scores = realmodel.similarity(source, others)
            if scores is not None:
                return Real(scores)
    return engines.sentence_similarity(inputs, job.params)


ENGINES: dict[str, Engine] = {
    "text-classification": Engine(plain(engines.text_classification)),
    "zero-shot-classification": Engine(plain(engines.zero_shot_classification)),
    "fill-mask": Engine(plain(engines.fill_mask)),
    "token-classification": Engine(plain(engines.token_classification)),
    "question-answering": Engine(plain(engines.question_answering)),
    "summarization": Engine(plain(engines.summarization)),
    "translation": Engine(
        lambda job: engines.translation(job.inputs, job.params, _language_pair(job.card, job.name))
    ),
    "sentence-similarity": Engine(_sentence_similarity),
    "feature-extraction": Engine(_feature_extraction),
    "text-generation": Engine(plain(generate_text), streams=True),
    "image-classification": Engine(plain(images.classify_image), binary=True),
    "text-to-image": Engine(plain(images.text_to_image)),
    "automatic-speech-recognition": Engine(plain(audio.transcribe), binary=True),
    "object-detection": Engine(plain(images.detect_objects), binary=True),
}
