"""Vision tasks: image classification (an uploaded image -> labels), object detection (-> boxes drawn
over it) and text to image (a prompt -> a picture)."""

from __future__ import annotations

import html
import io
from typing import Any

from hub_widgets._i18n import N_, _, format_number
from hub_widgets.errors import ValidationError
from hub_widgets.playground.render import (
    MAX_BARS,
    MAX_LABEL_CHARS,
    MAX_PREVIEW_BYTES,
    PALETTE,
    image_html,
    image_to_png,
    score_bars,
    text_block,
    upload_preview,
)
from hub_widgets.playground.tasks.base import Call, Field, TaskSpec, get, text, upload
from hub_widgets.ui.html import shorten


def _classify(values: dict[str, Any]) -> Call:
    content, name = upload(values, "image", _("an image"))
    return Call("image_classification", (content,), files={0: name})


def _labels(result: Any, values: dict[str, Any]) -> str:
    items = [(str(get(r, "label")), float(get(r, "score", 0.0))) for r in result]
    return upload_preview(values.get("image")) + score_bars(items)


def _detect(values: dict[str, Any]) -> Call:
    content, name = upload(values, "image", _("an image"))
    try:
        threshold = float(values.get("threshold"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        threshold = -1.0
    if not 0 <= threshold <= 1:
        raise ValidationError(_("The score threshold must be between 0 and 1."))
    return Call("object_detection", (content,), {"threshold": threshold}, files={0: name})


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) read from the image's header; None if Pillow cannot tell."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:  # reads the header only: no pixel is decoded
            width, height = image.size
    except Exception:  # any unreadable upload: the boxes are listed without the picture
        return None
    return (width, height) if width > 0 and height > 0 else None


def _percent(value: Any, whole: int) -> float:
    """A pixel coordinate from the model as a percentage of the image, kept inside it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = 0.0
    return max(0.0, min(100.0, number / whole * 100)) if number == number else 0.0  # NaN -> 0


def _boxes(result: Any, values: dict[str, Any]) -> str:
    """The uploaded image with each detected box drawn over it (positioned HTML), then the scores."""
    found = [(str(get(r, "label")), float(get(r, "score", 0.0) or 0.0), get(r, "box")) for r in result or []]
    if not found:
        return upload_preview(values.get("image")) + text_block(_("No objects found."))
    bars = score_bars([(label, score) for label, score, _box in found])
    picked = values.get("image") or {}
    content = bytes(picked.get("content") or b"")
    size = _image_size(content) if content and len(content) <= MAX_PREVIEW_BYTES else None
    if size is None:
        return bars
    width, height = size
    colors: dict[str, str] = {}
    overlays = []
    for label, score, box in found[:MAX_BARS]:
        label = shorten(label, MAX_LABEL_CHARS)
        color = colors.setdefault(label, PALETTE[len(colors) % len(PALETTE)])
        left, top = _percent(get(box, "xmin"), width), _percent(get(box, "ymin"), height)
        right, bottom = _percent(get(box, "xmax"), width), _percent(get(box, "ymax"), height)
        overlays.append(
            f"<div class='hubw-box' title='{html.escape(label, quote=True)} {format_number(score, 2)}' "
            f"style='position:absolute;left:{left:.2f}%;top:{top:.2f}%;width:{max(0.0, right - left):.2f}%;"
            f"height:{max(0.0, bottom - top):.2f}%;border:2px solid {color};box-sizing:border-box'>"
            f"<span class='hubw-box-label' style='position:absolute;left:0;top:0;background:{color};"
            "color:#111;font-size:11px;line-height:1.3;padding:0 3px;white-space:nowrap'>"
            f"{html.escape(label)} {format_number(score * 100)}%</span></div>"
        )
    mime = str(picked.get("type") or "")
    picture = image_html(
        content, str(picked.get("name", "")), mime if mime.startswith("image/") else "image/png"
    )
    return (
        "<div class='hubw-detections' style='position:relative;display:inline-block;line-height:0;"
        f"max-width:100%'>{picture}{''.join(overlays)}</div>{bars}"
    )


TASKS = (
    TaskSpec(
        "image-classification",
        N_("Image classification"),
        (Field("image", N_("Image"), "image", None),),
        build=_classify,
        render=_labels,
    ),
    TaskSpec(
        "object-detection",
        N_("Object detection"),
        (Field("image", N_("Image"), "image", None), Field("threshold", N_("Score threshold"), "float", 0.5)),
        build=_detect,
        render=_boxes,
    ),
    TaskSpec(
        "text-to-image",
        N_("Text to image"),
        (Field("text", N_("Prompt"), "text", "An astronaut riding a horse on the moon"),),
        build=lambda values: Call("text_to_image", (text(values, "text", _("a prompt")),)),
        render=lambda result, values: image_html(image_to_png(result), str(values.get("text", ""))),
    ),
)
