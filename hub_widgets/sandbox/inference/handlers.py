"""Tornado handlers of the sandbox inference routes (their URL table: `sandbox.routes.inference`)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from tornado.iostream import StreamClosedError

from ..http.base import BaseHandler
from ..store import Repo, StoreError
from . import realmodel
from .control import InferenceControl, InferenceFault
from .engines import EngineError
from .generation import Generation, chat_reply, generate_text
from .registry import CHAT_TASKS, ENGINES, TASK_ALIASES, Job, Real

CREDITS_MESSAGE = (
    "You have exceeded your monthly included credits for Inference Providers. "
    "Subscribe to PRO to get 20x more monthly included credits."
)


class ClientGone(Exception):
    """The client closed the connection: stop quietly (logged with status 499)."""


class InferenceHandler(BaseHandler):
    """Shared behaviour: model lookup with the Hub's access rules, error models, SSE streaming."""

    body_kind = "media"  # inputs may be raw images or audio
    _client_gone = False

    @property
    def control(self) -> InferenceControl:
        if self.state.inference is None:  # a state made without one: the error models start empty
            self.state.inference = InferenceControl()
        return self.state.inference  # type: ignore[no-any-return]

    def on_connection_close(self) -> None:
        self._client_gone = True
        super().on_connection_close()

    async def _guarded(self, serve: Callable[..., Any], *args: Any) -> None:
        """Run `serve`, turning engine errors into JSON error answers (StoreErrors go to BaseHandler)."""
        try:
            await serve(*args)
        except EngineError as exc:
            self.send_json_error(exc.status, exc.message)
        except ClientGone:
            self._log_entry["status"] = 499
            if not self._finished:
                self.finish()

    # -- access ------------------------------------------------------------------------------------

    def model_repo(self, repo_id: str) -> Repo:
        """The model `repo_id` if the caller may run it (404 RepoNotFound / 403 GatedRepo otherwise)."""
        repo = self.state.repo("model", repo_id)
        if repo is None or not self.accounts.can_read(self.ident, repo):
            raise StoreError(404, f"Model {repo_id} does not exist", "RepoNotFound")
        if repo.gated and repo.namespace not in self.accounts.namespaces(self.ident):
            raise StoreError(403, _gated_message(repo_id), "GatedRepo")
        return repo

    async def apply_faults(self, repo_id: str, stream: bool) -> InferenceFault | None:
        """Apply the armed error models for `repo_id`; returns a "midstream" fault left for the stream."""
        faults = self.control.take(repo_id)
        for fault in faults:
            if fault.kind == "slow":
                await asyncio.sleep(fault.delay)
                if self._client_gone:  # the client timed out meanwhile
                    raise ClientGone
        for fault in faults:
            kind = fault.kind
            if kind == "loading":
                raise StoreError(
                    503,
                    f"Model {repo_id} is currently loading",
                    extra={"estimated_time": fault.estimated_time},
                )
            if kind == "rate_limit":
                n = fault.retry_after
                raise StoreError(
                    429,
                    "You have exceeded your rate limit for inference requests. Please retry later.",
                    headers={
                        "RateLimit": f'"api";r=0;t={n}',
                        "RateLimit-Policy": '"fixed window";"api";q=1000;w=300',
                        "Retry-After": str(n),
                    },
                )
            if kind == "credits":
                raise StoreError(402, CREDITS_MESSAGE)
            if kind == "gated":
                raise StoreError(403, _gated_message(repo_id), "GatedRepo")
            if kind == "server_error":
                raise StoreError(500, "Internal Server Error (sandbox fault)")
            if kind == "midstream":
                if not stream:
                    raise StoreError(
                        500,
                        f"Generation failed: the model crashed after {fault.after_tokens} tokens (sandbox fault)",
                    )
                return fault
        return None

    # -- answers -----------------------------------------------------------------------------------

    async def run_engine(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a (CPU-bound) engine on a worker thread so the server keeps answering."""
        return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args))

    async def send_events(
        self, events: list[dict[str, Any]], fault: InferenceFault | None, done: bool
    ) -> None:
        """Write `events` as server-sent events, one flush per event, `control.token_delay` apart.

        Args:
            events: The JSON payloads, in order.
            fault: A "midstream" fault: after `fault.after_tokens` events, an error event ends the stream.
            done: Send `data: [DONE]` after the last event (OpenAI style).
        """
        self.set_status(200)
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        try:
            for i, payload in enumerate(events):
                if fault is not None and (i >= fault.after_tokens or i == len(events) - 1):
                    error = {
                        "error": f"Generation failed after {fault.after_tokens} tokens (sandbox fault)",
                        "error_type": "generation",
                    }
                    self.write(f"data: {json.dumps(error)}\n\n")
                    await self.flush()
                    break
                if self._client_gone:
                    self._log_entry["status"] = 499
                    return
                self.write(f"data: {json.dumps(payload)}\n\n")
                await self.flush()
                delay = float(self.control.token_delay or 0)
                if delay > 0 and i < len(events) - 1:
                    await asyncio.sleep(delay)
            else:
                if done:
                    self.write("data: [DONE]\n\n")
            self.finish()
        except StreamClosedError:  # the client stopped reading: nothing left to do
            self._client_gone = True
            self._log_entry["status"] = 499

    def on_finish(self) -> None:
        status = self._log_entry.get("status") if hasattr(self, "_log_entry") else None
        super().on_finish()
        if status == 499:
            self._log_entry["status"] = 499


def _gated_message(repo_id: str) -> str:
    return (
        f"Access to model {repo_id} is restricted. You must have access to it and be authenticated to "
        "access it. Please log in."
    )


# -- the model route ---------------------------------------------------------------------------------


class ModelHandler(InferenceHandler):
    """POST /inference/models/{ns}/{name}[/pipeline/{task}]: the task of the model (or `?task=`)."""

    async def do_post(self, namespace: str, name: str, path_task: str | None = None) -> None:
        await self._guarded(self._serve, f"{namespace}/{name}", path_task)

    def do_get(self, namespace: str, name: str, path_task: str | None = None) -> None:
        repo = self.model_repo(f"{namespace}/{name}")
        self.send_json(
            {
                "model_id": repo.id,
                "pipeline_tag": repo.card.get("pipeline_tag"),
                "library_name": repo.card.get("library_name"),
                "state": "Loaded",
                "framework": "sandbox",
            }
        )

    def _task(self, repo: Repo, path_task: str | None, inputs: Any) -> str:
        task = self.arg("task") or path_task
        if not task:
            tag = repo.card.get("pipeline_tag")
            if not tag:
                raise StoreError(
                    400,
                    f"Model {repo.id} has no pipeline_tag in its model card: the sandbox cannot tell which task "
                    "to run. Add `pipeline_tag:` to its README front matter, or pass ?task=<task>.",
                )
            task = str(tag)
            if task in ("sentence-similarity", "feature-extraction"):  # embedding models serve both
                is_pair = isinstance(inputs, dict) and "source_sentence" in inputs
                task = "sentence-similarity" if is_pair else "feature-extraction"
        task = TASK_ALIASES.get(task, task)
        if task not in ENGINES:
            raise StoreError(
                400,
                f"Task {task!r} is not supported by the sandbox inference engines. Supported: "
                + ", ".join(ENGINES)
                + ".",
            )
        return task

    def _payload(self, binary: bool) -> tuple[Any, dict[str, Any], dict[str, Any]]:
        """(inputs, parameters, whole body) of the request; binary tasks accept raw bytes too."""
        raw = self.body_bytes()
        if binary and raw.lstrip()[:1] != b"{":  # raw image or audio bytes
            return raw, {}, {}
        body = self.json_body()
        if "inputs" not in body:
            raise StoreError(400, "The request body must have an 'inputs' field.")
        params = body.get("parameters") or {}
        if not isinstance(params, dict):
            raise StoreError(400, "'parameters' must be an object.")
        inputs = body["inputs"]
        if binary:
            if not isinstance(inputs, str):
                raise StoreError(400, "'inputs' must be base64-encoded bytes.")
            try:
                inputs = base64.b64decode(inputs, validate=False)
            except (binascii.Error, ValueError):
                raise StoreError(400, "'inputs' is not valid base64.") from None
        return inputs, params, body

    async def _serve(self, repo_id: str, path_task: str | None) -> None:
        repo = self.model_repo(repo_id)
        declared = self.arg("task") or path_task or str(repo.card.get("pipeline_tag") or "")
        engine = ENGINES.get(TASK_ALIASES.get(declared, declared))
        binary = engine is not None and engine.binary
        inputs, params, body = self._payload(binary)
        task = self._task(repo, path_task, inputs)
        engine = ENGINES[task]
        stream = bool(body.get("stream")) and engine.streams
        fault = await self.apply_faults(repo_id, stream)
        if engine.streams:
            await self._text_generation(inputs, params, stream, fault)
            return
        real = self.control.real_models is not False and realmodel.available()
        job = Job(inputs, params, body, repo.card, repo.name, real)
        result = await self.run_engine(engine.run, job)
        if isinstance(result, Real):
            self.set_header("X-Sandbox-Engine", realmodel.NAME)
            result = result.value
        if isinstance(result, bytes):
            self.set_header("Content-Type", "image/png")
            self.finish(result)
        else:
            self.send_json(result)

    async def _text_generation(
        self, inputs: Any, params: dict[str, Any], stream: bool, fault: InferenceFault | None
    ) -> None:
        if not isinstance(inputs, str):
            raise StoreError(422, "'inputs' must be a string.", extra={"error_type": "validation"})
        _validate_limit(params.get("max_new_tokens"), "max_new_tokens")
        gen = await self.run_engine(generate_text, inputs, params)
        details = {"finish_reason": gen.finish_reason, "generated_tokens": len(gen.tokens), "seed": gen.seed}
        if not stream:
            out: dict[str, Any] = {"generated_text": gen.prefix + gen.text}
            if params.get("details"):
                out["details"] = {
                    **details,
                    "prefill": [],
                    "tokens": [
                        {"id": t.id, "text": t.text, "logprob": t.logprob, "special": False}
                        for t in gen.tokens
                    ],
                }
            self.send_json([out])
            return
        await self.send_events(_tgi_events(gen, details), fault, done=False)


def _validate_limit(value: Any, name: str) -> None:
    if value is None:
        return
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 1 or number > 4096:
        raise StoreError(
            422,
            f"Input validation error: `{name}` must be between 1 and 4096 (got {value!r})",
            extra={"error_type": "validation"},
        )


def _tgi_events(gen: Generation, details: dict[str, Any]) -> list[dict[str, Any]]:
    tokens = gen.tokens or []
    events = []
    for i, tok in enumerate(tokens):
        last = i == len(tokens) - 1
        events.append(
            {
                "index": i + 1,
                "token": {"id": tok.id, "text": tok.text, "logprob": tok.logprob, "special": False},
                "generated_text": gen.prefix + gen.text if last else None,
                "details": details if last else None,
                "top_tokens": None,
            }
        )
    if not events:
        events.append(
            {
                "index": 1,
                "token": {"id": 2, "text": "", "logprob": 0.0, "special": True},
                "generated_text": gen.prefix,
                "details": details,
                "top_tokens": None,
            }
        )
    return events


# -- chat --------------------------------------------------------------------------------------------


class ChatHandler(InferenceHandler):
    """POST /inference/models/{ns}/{name}[/v1]/chat/completions and POST /inference/v1/chat/completions."""

    async def do_post(self, namespace: str | None = None, name: str | None = None) -> None:
        await self._guarded(self._serve, f"{namespace}/{name}" if namespace else None)

    async def _serve(self, repo_id: str | None) -> None:
        body = self.json_body()
        if repo_id is None:
            repo_id = body.get("model")
            if not isinstance(repo_id, str) or "/" not in repo_id:
                raise StoreError(
                    400, "The body's 'model' must be the id of a model on the sandbox Hub ('namespace/name')."
                )
            repo_id = repo_id.split(":", 1)[0]  # "org/model:provider" as the router accepts
        repo = self.model_repo(repo_id)
        tag = repo.card.get("pipeline_tag")
        if tag not in CHAT_TASKS:
            raise StoreError(
                400,
                f"Model {repo_id} does not support chat completion (pipeline_tag: {tag or 'none'}); "
                "use a text-generation model.",
            )
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise StoreError(400, "'messages' must be a non-empty list of {role, content} objects.")
        stream = bool(body.get("stream"))
        _validate_limit(body.get("max_tokens") or body.get("max_completion_tokens"), "max_tokens")
        fault = await self.apply_faults(repo_id, stream)
        gen = await self.run_engine(chat_reply, messages, body)
        model = body.get("model") if body.get("model") not in (None, "", "dummy") else repo_id
        ident = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        usage = {
            "prompt_tokens": gen.prompt_tokens,
            "completion_tokens": len(gen.tokens),
            "total_tokens": gen.prompt_tokens + len(gen.tokens),
        }
        base = {"id": ident, "created": created, "model": model, "system_fingerprint": "sandbox engine"}
        if not stream:
            self.send_json(
                {
                    **base,
                    "object": "chat.completion",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": gen.text},
                            "logprobs": None,
                            "finish_reason": gen.finish_reason,
                        }
                    ],
                    "usage": usage,
                }
            )
            return
        chunk = {**base, "object": "chat.completion.chunk"}

        def delta(content: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
            choice = {"index": 0, "delta": content, "logprobs": None, "finish_reason": finish}
            return {**chunk, "choices": [choice], **extra}

        events = [delta({"role": "assistant", "content": ""})]
        events += [delta({"content": tok.text}) for tok in gen.tokens]
        events.append(delta({}, gen.finish_reason, usage=usage))
        if fault is not None:  # count the role chunk as free: the error comes after N content tokens
            fault = InferenceFault(kind=fault.kind, after_tokens=fault.after_tokens + 1)
        await self.send_events(events, fault, done=True)


class ModelsListHandler(InferenceHandler):
    """GET /inference/v1/models: the text-generation models the caller may chat with (OpenAI format)."""

    def do_get(self) -> None:
        repos, _ = self.store.list_repos(
            "model", visible_to=self.accounts.namespaces(self.ident), tags=["text-generation"], limit=1000
        )
        data = [
            {"id": r.id, "object": "model", "created": int(r.created_at), "owned_by": r.namespace}
            for r in repos
            if r.card.get("pipeline_tag") in CHAT_TASKS
        ]
        self.send_json({"object": "list", "data": data})


class ControlHandler(InferenceHandler):
    """GET/POST /inference/_control: the error models, for demos where the hub runs in another process.

    Only for an admin's write token (`--admin NAME`, `SandboxHub(admins=...)`): anyone else could make
    every call fail. From Python, `hub.inference` needs no token.
    """

    def check_admin(self) -> None:
        if self.ident.anonymous:
            raise StoreError(401, "The fault switches need an admin's write token (see --admin).")
        if not self.accounts.is_admin(self.ident):
            raise StoreError(403, "Only an admin's write token may use the fault switches (see --admin).")

    def precheck(self) -> None:
        self.check_admin()  # before the body is read

    def do_get(self) -> None:
        self.check_admin()
        self.send_json({"faults": self.control.active(), "token_delay": self.control.token_delay})

    def do_post(self) -> None:
        self.check_admin()
        body = self.json_body()
        action = body.pop("action", None)
        try:
            if action == "fail":
                self.control.fail(**body)
            elif action == "clear":
                self.control.clear(body.get("model"))
            elif action == "token_delay":
                value = float(body.get("value", 0.01))
                if value < 0:
                    raise ValueError("token_delay must be >= 0")
                self.control.token_delay = value
            else:
                raise StoreError(400, "action must be 'fail', 'clear' or 'token_delay'.")
        except (TypeError, ValueError) as exc:
            raise StoreError(400, f"Invalid control request: {exc}") from None
        self.do_get()
