"""Fault injection for reliability tests: latency, random errors and dropped upload connections."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

DEFAULT_ERROR_CODES = (500, 502, 503, 429)


@dataclass
class FaultSettings:
    latency: float = 0.0
    error_rate: float = 0.0
    error_codes: tuple[int, ...] = DEFAULT_ERROR_CODES
    drop_after: int | None = None
    path_prefix: str | None = None


@dataclass
class Faults:
    """The faults currently injected by the server; switchable at any time from any thread."""

    settings: FaultSettings = field(default_factory=FaultSettings)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def set(
        self,
        latency: float = 0.0,
        error_rate: float = 0.0,
        error_codes: tuple[int, ...] | list[int] = DEFAULT_ERROR_CODES,
        drop_after: int | None = None,
        path_prefix: str | None = None,
    ) -> None:
        """Replace the active faults.

        Args:
            latency: Seconds added before every answer.
            error_rate: Probability (0..1) that a request is answered with one of `error_codes`.
            error_codes: HTTP statuses to pick from (429 comes with `Retry-After: 1`).
            drop_after: Close the connection after this many bytes of a request body.
            path_prefix: Only requests whose path starts with this are affected.
        """
        with self._lock:
            self.settings = FaultSettings(
                float(latency), float(error_rate), tuple(error_codes), drop_after, path_prefix
            )

    def clear(self) -> None:
        """Stop injecting faults."""
        self.set()

    def applies(self, path: str) -> bool:
        prefix = self.settings.path_prefix
        return not prefix or path.startswith(prefix)

    def pick_error(self, path: str) -> int | None:
        """An error status to answer with, or None."""
        s = self.settings
        if s.error_rate <= 0 or not self.applies(path) or not s.error_codes:
            return None
        with self._lock:
            if self._random.random() >= s.error_rate:
                return None
            return self._random.choice(s.error_codes)


def parse_faults(spec: str | None) -> dict:
    """Parse a CLI spec like ``latency=0.2,error_rate=0.1,drop_after=1000000,codes=500+503`` into kwargs."""
    kwargs: dict = {}
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        key, _, value = part.partition("=")
        key = key.strip()
        if key == "latency":
            kwargs["latency"] = float(value)
        elif key == "error_rate":
            kwargs["error_rate"] = float(value)
        elif key in ("error_codes", "codes"):
            kwargs["error_codes"] = tuple(int(c) for c in value.replace("+", " ").replace(";", " ").split())
        elif key == "drop_after":
            kwargs["drop_after"] = int(value)
        elif key == "path_prefix":
            kwargs["path_prefix"] = value
        else:
            raise ValueError(
                f"Unknown fault {key!r}: use latency, error_rate, error_codes, drop_after, path_prefix."
            )
    return kwargs
