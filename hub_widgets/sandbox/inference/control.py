"""Error models for the sandbox inference routes: switchable from tests, notebooks or over HTTP."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("loading", "rate_limit", "credits", "gated", "server_error", "midstream", "slow")


@dataclass
class InferenceFault:
    """One armed fault. `times` is the number of requests left (None: every matching request)."""

    kind: str
    model: str = "*"
    times: int | None = None
    estimated_time: float = 3.0
    retry_after: int = 2
    after_tokens: int = 3
    delay: float = 5.0

    def matches(self, model: str) -> bool:
        return self.model in ("*", "", None) or self.model == model


class InferenceControl:
    """The fault switch of the inference routes (one per SandboxHub, thread-safe).

    Example:
        ```python
        hub.inference.fail("loading", model="demo/tiny-chat", times=1, estimated_time=2.0)
        hub.inference.fail("midstream", after_tokens=5)
        hub.inference.token_delay = 0.05
        hub.inference.real_models = False  # hashed embeddings even if the real model is installed
        hub.inference.clear()
        ```
    """

    def __init__(self, token_delay: float = 0.01, real_models: bool | None = None) -> None:
        self._lock = threading.Lock()
        self._faults: list[InferenceFault] = []
        self.token_delay = token_delay
        # Real all-MiniLM-L6-v2 embeddings when installed (None: when importable; False: never).
        self.real_models = real_models

    def fail(
        self,
        kind: str,
        model: str = "*",
        times: int | None = None,
        estimated_time: float = 3.0,
        retry_after: int = 2,
        after_tokens: int = 3,
        delay: float = 5.0,
    ) -> InferenceFault:
        """Arm a fault for the inference routes.

        Args:
            kind: One of "loading" (503 + estimated_time), "rate_limit" (429 + RateLimit/Retry-After),
                "credits" (402), "gated" (403 GatedRepo), "server_error" (500), "midstream" (an error
                chunk after `after_tokens` streamed tokens; 500 without streaming), "slow" (wait
                `delay` seconds before answering).
            model: "namespace/name" of the model it applies to, or "*" for every model.
            times: How many matching requests it affects; None for all of them until `clear()`.
            estimated_time: Seconds reported by "loading".
            retry_after: Seconds reported by "rate_limit" (headers `Retry-After` and `RateLimit`).
            after_tokens: Tokens streamed before a "midstream" error.
            delay: Seconds a "slow" answer waits.

        Returns:
            The armed fault.
        """
        if kind not in KINDS:
            raise ValueError(f"Unknown inference fault {kind!r}: use one of {', '.join(KINDS)}.")
        if times is not None and int(times) < 1:
            raise ValueError("times must be None (always) or a positive number of requests.")
        fault = InferenceFault(
            kind=kind,
            model=model or "*",
            times=None if times is None else int(times),
            estimated_time=float(estimated_time),
            retry_after=int(retry_after),
            after_tokens=max(0, int(after_tokens)),
            delay=max(0.0, float(delay)),
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self, model: str | None = None) -> None:
        """Disarm every fault, or only those armed for `model`.

        Args:
            model: "namespace/name" (or "*") whose faults are removed; None removes all of them.
        """
        with self._lock:
            if model is None:
                self._faults.clear()
            else:
                self._faults = [f for f in self._faults if f.model != model]

    def take(self, model: str) -> list[InferenceFault]:
        """The faults that apply to one request for `model`: every "slow" one, then the first other one.

        One use of each returned counted fault is consumed; faults that do not fire are left untouched.

        Args:
            model: "namespace/name" of the requested model.
        """
        taken: list[InferenceFault] = []
        with self._lock:
            fired = False
            for fault in list(self._faults):
                if not fault.matches(model) or (fired and fault.kind != "slow"):
                    continue
                fired = fired or fault.kind != "slow"
                taken.append(fault)
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
        return taken

    def active(self) -> list[dict[str, Any]]:
        """The armed faults as dicts (what GET /inference/_control returns)."""
        with self._lock:
            return [asdict(f) for f in self._faults]

    def __repr__(self) -> str:
        return f"InferenceControl(token_delay={self.token_delay}, faults={self.active()})"
