"""Routes of the inference engines, under /inference: `InferenceClient(base_url=...)` works offline.

The handlers live beside the engines (`sandbox.inference.handlers`); this is their URL table.
"""

from __future__ import annotations

from ..http.base import SEG, Route
from ..inference.handlers import ChatHandler, ControlHandler, ModelHandler, ModelsListHandler

ROUTES: list[Route] = [
    (r"/inference/_control", ControlHandler),
    (r"/inference/v1/models", ModelsListHandler),
    (r"/inference/v1/chat/completions", ChatHandler),
    (rf"/inference/models/{SEG}/{SEG}/(?:v1/)?chat/completions", ChatHandler),
    (rf"/inference/models/{SEG}/{SEG}/pipeline/{SEG}", ModelHandler),
    (rf"/inference/models/{SEG}/{SEG}/?", ModelHandler),
]
