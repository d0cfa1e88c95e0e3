"""Routes of the inference engines, under /inference: `InferenceClient(base_url=...)` works offline.

The handlers live beside the engines (`sandbox.inference.handlers`); this is their URL table.
"""

from __future__ import annotations

from ..http.base import SEG, Rule, ServerState, bind
from ..inference.control import InferenceControl
from ..inference.handlers import ChatHandler, ControlHandler, ModelHandler, ModelsListHandler


def routes(state: ServerState) -> list[Rule]:
    """The inference routes; `state` gets an `InferenceControl` (error models) if it has none."""
    if state.inference is None:
        state.inference = InferenceControl()
    return bind(
        state,
        [
            (r"/inference/_control", ControlHandler),
            (r"/inference/v1/models", ModelsListHandler),
            (r"/inference/v1/chat/completions", ChatHandler),
            (rf"/inference/models/{SEG}/{SEG}/(?:v1/)?chat/completions", ChatHandler),
            (rf"/inference/models/{SEG}/{SEG}/pipeline/{SEG}", ModelHandler),
            (rf"/inference/models/{SEG}/{SEG}/?", ModelHandler),
        ],
    )
