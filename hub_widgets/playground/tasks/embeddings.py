"""Embedding tasks: sentence similarity (scores against a source sentence) and feature extraction."""

from __future__ import annotations

from typing import Any

from hub_widgets._i18n import N_, _
from hub_widgets.errors import ValidationError
from hub_widgets.playground.render import feature_summary, score_bars
from hub_widgets.playground.tasks.base import TEXT, Call, Field, TaskSpec, split_lines, text


def _similarity(values: dict[str, Any]) -> Call:
    sentences = split_lines(str(values.get("sentences") or ""))
    if not sentences:
        raise ValidationError(_("Enter at least one sentence to compare with (one per line)."))
    return Call("sentence_similarity", (text(values, "source_sentence", _("a source sentence")), sentences))


def _similarities(result: Any, values: dict[str, Any]) -> str:
    sentences = split_lines(str(values.get("sentences", "")))
    items = [(sentences[i] if i < len(sentences) else f"#{i + 1}", float(s)) for i, s in enumerate(result)]
    return score_bars(items, percent=False)


TASKS = (
    TaskSpec(
        "sentence-similarity",
        N_("Sentence similarity"),
        (
            Field("source_sentence", N_("Source sentence"), "line", "That is a happy person"),
            Field(
                "sentences",
                N_("Sentences to compare (one per line)"),
                "lines",
                "That is a happy dog\nThat is a very happy person\nToday is a sunny day",
            ),
        ),
        build=_similarity,
        render=_similarities,
    ),
    TaskSpec(
        "feature-extraction",
        N_("Feature extraction"),
        (Field("text", TEXT, "text", "Today is a sunny day and I will get some ice cream."),),
        build=lambda values: Call("feature_extraction", (text(values, "text"),)),
        render=lambda result, values: feature_summary(result),
    ),
)
