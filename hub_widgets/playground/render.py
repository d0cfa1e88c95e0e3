"""Task outputs as HTML: scores as bars, entities and answers highlighted in the text, images inline.

Pure functions from a result (what `InferenceClient` returned) to an HTML string; no widgets.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from typing import Any

from hub_widgets._i18n import _, format_number
from hub_widgets.ui.html import MAX_SHOWN_CHARS, clip, markdown_html, shorten, truncated_note

PALETTE = ("#fde68a", "#bfdbfe", "#bbf7d0", "#fecaca", "#ddd6fe", "#fed7aa", "#a5f3fc", "#f5d0fe")
MAX_BARS = 10
MAX_LABEL_CHARS = 200
# A chat message is rendered as markdown (the HTML is about 2.5 times as long).
MAX_MESSAGE_CHARS = MAX_SHOWN_CHARS * 2 // 5


def _save_hint() -> str:
    return _("Save the result to a variable to get all of it.")


def to_jsonable(value: Any) -> Any:
    """A JSON-ready copy of a result: typed outputs become dicts, arrays lists, images a short note."""
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()
    if hasattr(value, "save") and hasattr(value, "size"):  # a PIL image
        return {"image": f"{getattr(value, 'format', None) or 'PNG'} {value.size[0]}x{value.size[1]}"}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return {"bytes": len(value)}
    return value


def abridge(value: Any, limit: int = 32) -> Any:
    """`value` with long lists cut to `limit` items plus a note, so the raw view stays valid and short."""
    if isinstance(value, dict):
        return {k: abridge(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        head = [abridge(v, limit) for v in value[:limit]]
        return head + [f"… {len(value) - limit} more"] if len(value) > limit else head
    if isinstance(value, str) and len(value) > 4000:
        return value[:4000] + "…"
    return value


def raw_json(value: Any) -> str:
    """The result as indented JSON (long lists abridged)."""
    text, more = clip(
        json.dumps(abridge(to_jsonable(value)), indent=2, ensure_ascii=False), MAX_SHOWN_CHARS // 2
    )
    note = truncated_note(more, hint=_save_hint()) if more else ""
    return (
        f"<pre class='hubw-raw' style='max-height:300px;overflow:auto;font-size:12px'>{html.escape(text)}</pre>"
        + note
    )


def score_bars(items: list[tuple[str, float]], percent: bool = True) -> str:
    """Horizontal bars, one per (label, score); scores in [0, 1] (similarities may be negative)."""
    rows = []
    for label, score in items[:MAX_BARS]:
        label = shorten(label, MAX_LABEL_CHARS)
        width = max(0.0, min(1.0, float(score))) * 100
        shown = f"{format_number(score * 100, 1)}%" if percent else format_number(score, 3)
        rows.append(
            "<div class='hubw-bar-row' style='display:flex;align-items:center;gap:8px;margin:2px 0'>"
            f"<span style='width:40%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap' "
            f"title='{html.escape(label, quote=True)}'>{html.escape(label)}</span>"
            "<span style='flex:1;background:#eef2f7;border-radius:3px;height:14px'>"
            f"<span class='hubw-bar' style='display:block;width:{width:.1f}%;height:14px;"
            "background:#6366f1;border-radius:3px'></span></span>"
            f"<span class='hubw-score' style='width:64px;text-align:right;font-family:monospace'>{shown}</span>"
            "</div>"
        )
    return "<div class='hubw-bars'>" + "".join(rows) + "</div>"


def highlight_spans(text: str, spans: list[tuple[int, int, str, float]]) -> str:
    """`text` with each (start, end, label, score) span marked and labelled; overlaps are skipped."""
    colors: dict[str, str] = {}
    out, cursor = [], 0
    for start, end, label, score in sorted(spans):
        if start < cursor or end <= start or end > len(text):
            continue
        label = shorten(label, MAX_LABEL_CHARS)
        color = colors.setdefault(label, PALETTE[len(colors) % len(PALETTE)])
        out.append(html.escape(text[cursor:start]))
        out.append(
            f"<mark class='hubw-entity' title='{html.escape(label, quote=True)} {format_number(score, 2)}' "
            f"style='background:{color};padding:0 2px;border-radius:3px'>{html.escape(text[start:end])}"
            f"<sub style='font-size:70%;margin-left:2px'>{html.escape(label)}</sub></mark>"
        )
        cursor = end
    out.append(html.escape(text[cursor:]))
    return "<div class='hubw-text' style='line-height:1.9;white-space:pre-wrap'>" + "".join(out) + "</div>"


def text_block(text: str) -> str:
    """Plain text (a generated text, a summary…), escaped, cut at what one view may send."""
    shown, more = clip(text, MAX_SHOWN_CHARS // 2)
    note = truncated_note(more, hint=_save_hint()) if more else ""
    return f"<div class='hubw-text' style='white-space:pre-wrap'>{html.escape(shown)}</div>{note}"


MAX_PREVIEW_BYTES = 2_000_000  # inputs larger than this are not echoed back into the widget state


def image_html(data: bytes, alt: str = "", mime: str = "image/png") -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f"<img class='hubw-image' alt='{html.escape(alt, quote=True)}' "
        f"src='data:{html.escape(mime, quote=True)};base64,{encoded}' "
        "style='max-width:100%;max-height:384px;border-radius:4px'/>"
    )


def upload_preview(upload: dict[str, Any] | None) -> str:
    """The uploaded image or audio file, shown next to its result (small files only)."""
    if not upload or not upload.get("content") or len(upload["content"]) > MAX_PREVIEW_BYTES:
        return ""
    mime = str(upload.get("type") or "")
    if mime.startswith("image/"):
        return image_html(bytes(upload["content"]), str(upload.get("name", "")), mime) + "<br>"
    if mime.startswith("audio/"):
        encoded = base64.b64encode(bytes(upload["content"])).decode("ascii")
        return (
            f"<audio class='hubw-audio' controls src='data:{html.escape(mime, quote=True)};base64,{encoded}'>"
            "</audio><br>"
        )
    return ""


def image_to_png(image: Any) -> bytes:
    """PNG bytes of a PIL image (what `text_to_image` returns)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def feature_summary(array: Any) -> str:
    """Shape, norm and the first values of an embedding array."""
    values = to_jsonable(array)
    shape: list[int] = []
    level = values
    while isinstance(level, list):
        shape.append(len(level))
        level = level[0] if level else None
    first = values
    while isinstance(first, list) and first and isinstance(first[0], list):
        first = first[0]
    first = first if isinstance(first, list) else []
    norm = math.sqrt(sum(float(v) ** 2 for v in first))
    preview = ", ".join(f"{float(v):.4f}" for v in first[:8]) + (", …" if len(first) > 8 else "")
    return (
        f"<div><b>{html.escape(_('shape'))}</b> <code class='hubw-shape'>({', '.join(map(str, shape))})</code> · "
        f"{html.escape(_('norm of the first vector'))} {format_number(norm, 3)}</div>"
        f"<div style='font-family:monospace;font-size:12px'>[{html.escape(preview)}]</div>"
    )


def chat_html(messages: list[dict[str, str]], pending: str | None = None, note: str = "") -> str:
    """A conversation as bubbles; `pending` is the assistant answer still streaming."""
    rows = []
    for message in messages:
        role = message.get("role", "")
        if role == "system":
            continue
        mine = role == "user"
        rows.append(_bubble(message.get("content", ""), mine))
    if pending is not None:
        rows.append(_bubble(pending + "▍", False))
    if note:
        rows.append(f"<div class='hubw-chat-note' style='color:#666;font-size:90%'>{html.escape(note)}</div>")
    return (
        "<div class='hubw-chat' style='display:flex;flex-direction:column;gap:6px'>"
        + "".join(rows)
        + "</div>"
    )


def _bubble(text: str, mine: bool) -> str:
    side = "flex-end" if mine else "flex-start"
    color = "#dbeafe" if mine else "#f3f4f6"
    role = "user" if mine else "assistant"
    shown, more = clip(text, MAX_MESSAGE_CHARS)
    note = truncated_note(more, hint=_save_hint()) if more else ""
    if mine:  # what the user typed, as typed
        body, wrap = html.escape(shown), "pre-wrap"
    else:  # the model's answer is markdown, rendered and sanitized like a card
        body, wrap = markdown_html(shown), "normal"
    return (
        f"<div class='hubw-msg hubw-{role}' style='align-self:{side};background:{color};padding:6px 10px;"
        f"border-radius:10px;max-width:85%;white-space:{wrap}'>{body}{note}</div>"
    )
