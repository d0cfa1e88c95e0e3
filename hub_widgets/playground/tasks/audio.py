"""Audio tasks: speech recognition (an uploaded audio file -> its transcript)."""

from __future__ import annotations

from typing import Any

from hub_widgets._i18n import N_, _
from hub_widgets.playground.render import text_block, upload_preview
from hub_widgets.playground.tasks.base import Call, Field, TaskSpec, get, upload


def _transcribe(values: dict[str, Any]) -> Call:
    content, name = upload(values, "audio", _("an audio file"))
    return Call("automatic_speech_recognition", (content,), files={0: name})


TASKS = (
    TaskSpec(
        "automatic-speech-recognition",
        N_("Speech recognition"),
        (Field("audio", N_("Audio file"), "audio", None),),
        build=_transcribe,
        render=lambda result, values: (
            upload_preview(values.get("audio")) + text_block(str(get(result, "text", "")))
        ),
    ),
)
