"""Small text helpers shared by the sandbox engines: tokens with offsets, sentences, stable hashes."""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from typing import Any

WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9]+(?:['’][A-Za-zÀ-ÖØ-öø-ÿ]+)?|[^\sA-Za-zÀ-ÖØ-öø-ÿ0-9]")
ALNUM_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9]")
SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")

_STOPWORDS = """a an the and or but if of to in on at by for with from as is are was were be been being am do does
    did has have had it its it's this that these those there here i me my we our you your he him his she her
    they them their what which who whom whose when where why how not no yes so than then too very can could
    would should will shall may might must just about into over under up down out off again once all any
    both each few more most other some such only own same s t don't isn't i'm"""
STOPWORDS = frozenset(_STOPWORDS.split())


def stable_hash(*parts: Any) -> int:
    """A hash of `parts` that is the same in every process (unlike `hash()`).

    Args:
        parts: JSON-serialisable values.
    """
    raw = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()
    return int.from_bytes(hashlib.sha256(raw).digest()[:8], "big")


def rng_for(*parts: Any) -> random.Random:
    """A `random.Random` seeded from `parts` (deterministic across runs).

    Args:
        parts: JSON-serialisable values the randomness depends on.
    """
    return random.Random(stable_hash(*parts))


def tokens_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Words and punctuation marks of `text` with their character offsets.

    Args:
        text: Any text.
    """
    return [(m.group(0), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def words(text: str) -> list[str]:
    """Lower-cased words of `text` (punctuation dropped).

    Args:
        text: Any text.
    """
    return [t.lower() for t, _, _ in tokens_with_offsets(text) if ALNUM_RE.match(t)]


def stem(word: str) -> str:
    """A crude English stem, enough to match "movies" with "movie" or "cooking" with "cook".

    Args:
        word: A lower-cased word.
    """
    for suffix in ("ingly", "edly", "ing", "ed", "ies", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + "y" if suffix == "ies" else base
    return word


def content_stems(text: str) -> list[str]:
    """Stems of the non-stopword words of `text`.

    Args:
        text: Any text.
    """
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def sentences_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Sentences of `text` (stripped) with their character offsets.

    Args:
        text: Any text.
    """
    found = []
    for m in SENTENCE_RE.finditer(text):
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            start = m.start() + lead
            found.append((body, start, start + len(body)))
    return found


def softmax(logits: list[float]) -> list[float]:
    """Softmax of `logits`.

    Args:
        logits: Real numbers.
    """
    if not logits:
        return []
    top = max(logits)
    exps = [math.exp(x - top) for x in logits]
    total = sum(exps)
    return [e / total for e in exps]


def sigmoid(x: float) -> float:
    """The logistic function.

    Args:
        x: A real number.
    """
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


def text_of(value: Any) -> str:
    """The text of a chat message `content` (a string or a list of parts).

    Args:
        value: A string, a list of `{type: text, text}` parts, or None.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(
            str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in value
        ).strip()
    return str(value)
