"""Text tasks: classification, entities, zero-shot labels, fill-mask, question answering, summaries,
translation. Each answers at once (no stream)."""

from __future__ import annotations

import html
from typing import Any

from hub_widgets._i18n import N_, _, format_number
from hub_widgets.errors import ValidationError
from hub_widgets.playground.render import highlight_spans, score_bars, text_block
from hub_widgets.playground.tasks.base import TEXT, Call, Field, TaskSpec, get, split_labels, text
from hub_widgets.ui.html import shorten


def _one_text(method: str) -> Any:
    def build(values: dict[str, Any]) -> Call:
        return Call(method, (text(values, "text"),))

    return build


def _labels(result: Any, values: dict[str, Any]) -> str:
    return score_bars([(str(get(r, "label")), float(get(r, "score", 0.0))) for r in result])


def _fill_mask(result: Any, values: dict[str, Any]) -> str:
    bars = score_bars([(str(get(r, "token_str", "")).strip(), float(get(r, "score", 0.0))) for r in result])
    best = get(result[0], "sequence", "") if result else ""
    return text_block(best) + bars


def _entities(result: Any, values: dict[str, Any]) -> str:
    spans = [
        (
            int(get(r, "start", 0) or 0),
            int(get(r, "end", 0) or 0),
            str(get(r, "entity_group") or get(r, "entity") or "?"),
            float(get(r, "score", 0.0)),
        )
        for r in result
    ]
    if not spans:
        return text_block(_("No entities found."))
    return highlight_spans(str(values.get("text", "")), spans)


def _zero_shot(values: dict[str, Any]) -> Call:
    labels = split_labels(str(values.get("candidate_labels") or ""))
    if not labels:
        raise ValidationError(_("Enter at least one candidate label (comma-separated)."))
    return Call(
        "zero_shot_classification",
        (text(values, "text"),),
        {"candidate_labels": labels, "multi_label": bool(values.get("multi_label"))},
    )


def _question(values: dict[str, Any]) -> Call:
    return Call(
        "question_answering",
        (),
        {
            "question": text(values, "question", _("a question")),
            "context": text(values, "context", _("a context")),
        },
    )


def _answer(result: Any, values: dict[str, Any]) -> str:
    answers = result if isinstance(result, list) else [result]
    if not answers:
        return text_block(_("No answer found."))
    best = answers[0]
    start, end = int(get(best, "start", 0) or 0), int(get(best, "end", 0) or 0)
    context = str(values.get("context", ""))
    header = (
        f"<div><b>{html.escape(shorten(str(get(best, 'answer', '')), 1000))}</b> "
        f"<span style='color:#666'>({format_number(float(get(best, 'score', 0.0)) * 100, 1)}%)</span></div>"
    )
    return header + highlight_spans(context, [(start, end, _("answer"), float(get(best, "score", 0.0)))])


def _translation(values: dict[str, Any]) -> Call:
    kwargs = {k: str(values.get(k) or "").strip() or None for k in ("src_lang", "tgt_lang")}
    return Call("translation", (text(values, "text"),), {k: v for k, v in kwargs.items() if v})


TASKS = (
    TaskSpec(
        "fill-mask",
        N_("Fill mask"),
        (Field("text", TEXT, "text", "The goal of life is [MASK]."),),
        build=_one_text("fill_mask"),
        render=_fill_mask,
    ),
    TaskSpec(
        "text-classification",
        N_("Text classification"),
        (Field("text", TEXT, "text", "I love this movie, the acting was wonderful!"),),
        build=_one_text("text_classification"),
        render=_labels,
    ),
    TaskSpec(
        "token-classification",
        N_("Token classification"),
        (Field("text", TEXT, "text", "My name is Sarah and I live in London. I work for Acme Corp."),),
        build=_one_text("token_classification"),
        render=_entities,
    ),
    TaskSpec(
        "zero-shot-classification",
        N_("Zero-shot classification"),
        (
            Field("text", TEXT, "text", "The team scored twice in the last ten minutes to win the cup."),
            Field("candidate_labels", N_("Labels (comma-separated)"), "labels", "sports, politics, cooking"),
            Field("multi_label", N_("Several labels can be true"), "check", False),
        ),
        build=_zero_shot,
        render=_labels,
    ),
    TaskSpec(
        "question-answering",
        N_("Question answering"),
        (
            Field("question", N_("Question"), "line", "Where does Sarah live?"),
            Field(
                "context",
                N_("Context"),
                "text",
                "My name is Sarah and I live in London. I have a cat called Tom.",
            ),
        ),
        build=_question,
        render=_answer,
        card_keys={"text": "question"},
    ),
    TaskSpec(
        "summarization",
        N_("Summarization"),
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
        build=_one_text("summarization"),
        render=lambda result, values: text_block(str(get(result, "summary_text", ""))),
        aliases=("text2text-generation",),
    ),
    TaskSpec(
        "translation",
        N_("Translation"),
        (
            Field("text", TEXT, "text", "My name is Wolfgang and I live in Berlin."),
            Field("src_lang", N_("From (language code)"), "line", ""),
            Field("tgt_lang", N_("To (language code)"), "line", ""),
        ),
        build=_translation,
        render=lambda result, values: text_block(str(get(result, "translation_text", ""))),
    ),
)
