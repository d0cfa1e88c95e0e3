"""Inference routes of the sandbox Hub: `InferenceClient(base_url=...)` works offline.

Mounted under /inference (URL table: `sandbox.routes.inference`, handlers: `inference.handlers`, the
engine of each task: `inference.registry`):

- POST /inference/models/{ns}/{name}                      the model's task (pipeline_tag; `?task=` overrides)
- POST /inference/models/{ns}/{name}/pipeline/{task}      an explicit task
- POST /inference/models/{ns}/{name}[/v1]/chat/completions  OpenAI chat completion (+ SSE streaming)
- POST /inference/v1/chat/completions                     OpenAI router: the body's "model" is the repo id
- GET  /inference/v1/models                               text-generation models (OpenAI list format)
- GET/POST /inference/_control                            the error models (see InferenceControl); admin only

Control (one per SandboxHub, thread-safe): `hub.inference.fail(kind, model="*", times=None, ...)`,
`hub.inference.clear()`, `hub.inference.token_delay = 0.01`, `hub.inference.real_models = None|False`.
Over HTTP: POST /inference/_control `{"action": "fail", "kind": ..., ...}`, `{"action": "clear"}` or
`{"action": "token_delay", "value": 0.05}`; GET lists the armed faults. Over HTTP it needs an admin's
write token (`--admin NAME`); from Python it needs none.
"""

from __future__ import annotations

from .control import KINDS, InferenceControl, InferenceFault

__all__ = ["KINDS", "InferenceControl", "InferenceFault"]
