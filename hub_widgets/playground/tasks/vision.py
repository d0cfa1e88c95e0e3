"""Vision tasks: image classification (an uploaded image -> labels) and text to image (a prompt -> a
picture)."""

from __future__ import annotations

from typing import Any

from hub_widgets._i18n import _
from hub_widgets.playground.render import image_html, image_to_png, score_bars, upload_preview
from hub_widgets.playground.tasks.base import Call, Field, TaskSpec, get, text, upload


def _classify(values: dict[str, Any]) -> Call:
    content, name = upload(values, "image", _("an image"))
    return Call("image_classification", (content,), files={0: name})


def _labels(result: Any, values: dict[str, Any]) -> str:
    items = [(str(get(r, "label")), float(get(r, "score", 0.0))) for r in result]
    return upload_preview(values.get("image")) + score_bars(items)


TASKS = (
    TaskSpec(
        "image-classification",
        _("Image classification"),
        "image_classification",
        (Field("image", _("Image"), "image", None),),
        build=_classify,
        render=_labels,
    ),
    TaskSpec(
        "text-to-image",
        _("Text to image"),
        "text_to_image",
        (Field("text", _("Prompt"), "text", "An astronaut riding a horse on the moon"),),
        build=lambda values: Call("text_to_image", (text(values, "text", _("a prompt")),)),
        render=lambda result, values: image_html(image_to_png(result), str(values.get("text", ""))),
    ),
)
