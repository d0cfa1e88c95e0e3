"""Deterministic, input-dependent engines for the text tasks of the sandbox (stdlib only).

Each engine takes the request's `inputs` and `parameters` and returns the JSON the hosted service returns;
`EngineError` means a 400 (or another status) with a clear message.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from .common import (
    ALNUM_RE,
    content_stems,
    rng_for,
    sentences_with_offsets,
    sigmoid,
    softmax,
    stable_hash,
    stem,
    tokens_with_offsets,
    words,
)
from .generation import base_model, token_id
from .lexicons import (
    DICTIONARIES,
    LANG_NAMES,
    LOCATIONS,
    NEGATIONS,
    NEGATIVE,
    ORG_SUFFIXES,
    ORGS,
    PERSONS,
    POSITIVE,
    RELATED,
    SENTENCE_START_COMMON,
)


class EngineError(Exception):
    """A request the engine cannot serve (answered with `status`, 400 by default)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _text(inputs: Any, what: str = "inputs") -> str:
    if isinstance(inputs, str):
        return inputs
    raise EngineError(f"'{what}' must be a string, got {type(inputs).__name__}.")


def _top_k(params: dict[str, Any], default: int | None) -> int | None:
    value = params.get("top_k", default)
    if value is None:
        return None
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        raise EngineError(f"top_k must be a positive integer, got {value!r}.") from None


# -- text classification ---------------------------------------------------------------------------


def sentiment(text: str) -> float:
    """The probability that `text` is positive (a negation-aware lexicon score through a sigmoid).

    Args:
        text: The text to score.
    """
    score = 0.0
    toks = words(text)
    for i, word in enumerate(toks):
        value = POSITIVE.get(word, 0.0) - NEGATIVE.get(word, 0.0)
        if value and any(t in NEGATIONS for t in toks[max(0, i - 3) : i]):
            value = -0.8 * value
        score += value
    score += text.count("!") * 0.2 * (1 if score >= 0 else -1)
    bias = (stable_hash("sentiment", text) % 1000 - 500) / 10000  # breaks ties, input-dependent
    return sigmoid(1.4 * score + bias)


def text_classification(inputs: Any, params: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """POSITIVE/NEGATIVE scores: `[[{label, score}, ...]]` (one list per input text).

    Args:
        inputs: A text or a list of texts.
        params: `top_k` (default: both labels), `function_to_apply` (ignored).
    """
    texts = inputs if isinstance(inputs, list) else [_text(inputs)]
    top_k = _top_k(params, None)
    out = []
    for text in texts:
        p = sentiment(_text(text))
        labels = sorted(
            [{"label": "POSITIVE", "score": p}, {"label": "NEGATIVE", "score": 1 - p}],
            key=lambda d: -d["score"],
        )
        out.append(labels[:top_k] if top_k else labels)
    return out


# -- zero-shot classification ------------------------------------------------------------------------


def _label_terms(label: str) -> set[str]:
    terms = set(content_stems(label))
    for term in list(terms):
        for key, related in RELATED.items():
            if term.startswith(key) or key.startswith(term):
                terms.update(stem(w) for w in related.split())
    return terms


def zero_shot_classification(inputs: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Word-overlap zero-shot classification: `[{label, score}]`, best first.

    Args:
        inputs: The text.
        params: `candidate_labels` (list or comma-separated string), `multi_label` (independent
            sigmoid scores instead of a softmax), `hypothesis_template` (ignored).
    """
    text = _text(inputs)
    labels = params.get("candidate_labels")
    if isinstance(labels, str):
        labels = [part.strip() for part in labels.split(",") if part.strip()]
    if not labels or not isinstance(labels, list):
        raise EngineError("You must include at least one label in 'candidate_labels'.")
    labels = [str(label) for label in labels]
    stems = Counter(content_stems(text))
    logits = []
    for label in labels:
        terms = _label_terms(label)
        hits = sum(count for s, count in stems.items() if s in terms)
        bias = (stable_hash("zs", text, label) % 1000) / 4000
        logits.append(2.2 * hits + bias)
    scores = [sigmoid(x - 1.2) for x in logits] if params.get("multi_label") else softmax(logits)
    ranked = sorted(zip(labels, scores, strict=True), key=lambda kv: -kv[1])
    return [{"label": label, "score": score} for label, score in ranked]


# -- fill-mask ---------------------------------------------------------------------------------------

MASKS = ("[MASK]", "<mask>")


def fill_mask(inputs: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Bigram fill-mask over the built-in corpus: `[{sequence, score, token, token_str}]`.

    Args:
        inputs: A text with one `[MASK]` (or `<mask>`).
        params: `top_k` (default 5), `targets` (restrict the candidates).
    """
    text = _text(inputs)
    mask = next((m for m in MASKS if m in text), None)
    if mask is None:
        raise EngineError(f"No mask_token ({MASKS[0]}) found on the input")
    before, after = text.split(mask, 1)
    prev_words = [t.lower() for t, _, _ in tokens_with_offsets(before)]
    next_words = [t.lower() for t, _, _ in tokens_with_offsets(after)]
    prev = prev_words[-1] if prev_words else "."
    nxt = next_words[0] if next_words else "."
    model, _ = base_model()
    unigram: Counter = Counter()
    for counter in model.bigrams.values():
        unigram.update(counter)
    targets = params.get("targets")
    if isinstance(targets, str):
        targets = [targets]
    candidates = [t.lower() for t in targets] if targets else [w for w in unigram if ALNUM_RE.match(w)]
    scored = []
    for word in candidates:
        left = model.bigrams.get(prev, Counter()).get(word, 0)
        right = model.bigrams.get(word, Counter()).get(nxt, 0)
        score = (left + 0.1) * (right + 0.1) + 0.01 * unigram.get(word, 0)
        if word in prev_words[-2:]:
            score *= 0.2
        scored.append((score, word))
    scored.sort(key=lambda kv: (-kv[0], kv[1]))
    top_k = _top_k(params, 5) or 5
    best = scored[:top_k]
    probs = softmax([math.log(s) * 1.5 for s, _ in scored[: max(top_k, 20)]])[: len(best)]
    out = []
    for (_, word), prob in zip(best, probs, strict=True):
        token_str = model.form(word) if word in model.surface else word
        if not prev_words or prev in {".", "!", "?"}:
            token_str = token_str[:1].upper() + token_str[1:]
        out.append(
            {
                "sequence": (before + token_str + after).replace(mask, token_str),
                "score": prob,
                "token": token_id(token_str),
                "token_str": token_str,
            }
        )
    return out


# -- token classification ----------------------------------------------------------------------------


def _entity_type(words_: list[str]) -> str | None:
    low = [w.lower() for w in words_]
    if low[-1] in ORG_SUFFIXES or any(w in ORGS for w in low):
        return "ORG"
    if any(w in LOCATIONS for w in low):
        return "LOC"
    if any(w in PERSONS for w in low):
        return "PER"
    return "MISC"


def token_classification(inputs: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Capitalised-word NER (PER/LOC/ORG/MISC), grouped: `[{entity_group, score, word, start, end}]`.

    Args:
        inputs: The text.
        params: `ignore_labels` (entity groups to drop), `aggregation_strategy` (always grouped).
    """
    text = _text(inputs)
    toks = tokens_with_offsets(text)
    groups: list[list[tuple[str, int, int]]] = []
    current: list[tuple[str, int, int]] = []
    for i, (tok, start, end) in enumerate(toks):
        sentence_start = i == 0 or toks[i - 1][0] in {".", "!", "?", '"', ":"}
        capital = tok[:1].isupper() and ALNUM_RE.match(tok) is not None
        known = tok.lower() in PERSONS | LOCATIONS | ORGS
        keep = capital and not (sentence_start and tok.lower() in SENTENCE_START_COMMON and not known)
        if keep and sentence_start and not known and not (i + 1 < len(toks) and toks[i + 1][0][:1].isupper()):
            keep = False  # a lone capital at the start of a sentence is just a capital
        if tok == "I":
            keep = False
        if keep and current and start - current[-1][2] > 1:
            groups.append(current)
            current = []
        if keep:
            current.append((tok, start, end))
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    ignore = set(params.get("ignore_labels") or [])
    out = []
    for group in groups:
        label = _entity_type([w for w, _, _ in group])
        if label is None or label in ignore:
            continue
        start, end = group[0][1], group[-1][2]
        score = 0.86 + (stable_hash("ner", text, start) % 1300) / 10000
        out.append(
            {"entity_group": label, "score": score, "word": text[start:end], "start": start, "end": end}
        )
    return out


# -- question answering ------------------------------------------------------------------------------

NUMBER_RE = re.compile(r"\b\d[\d,.]*\b")
CAPITALS_RE = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'-]*)*")


def _qa_candidates(question: str, context: str) -> list[dict[str, Any]]:
    qstems = set(content_stems(question))
    qwords = {w.lower() for w in words(question)}
    qtype = next(
        (w for w in words(question) if w in {"who", "when", "where", "how", "what", "which", "why"}), ""
    )
    results = []
    for sentence, s_start, _ in sentences_with_offsets(context):
        sstems = content_stems(sentence)
        overlap = len(qstems & set(sstems)) / max(1, len(qstems))
        span: tuple[int, int] | None = None
        if qtype in ("when", "how") or "year" in qwords or "many" in qwords:
            m = NUMBER_RE.search(sentence)
            span = (m.start(), m.end()) if m else None
        if span is None and qtype in ("who", "where", "which", "what"):
            for m in CAPITALS_RE.finditer(sentence):
                if m.group(0).lower() not in qwords and m.start() > 0:
                    span = (m.start(), m.end())
                    break
        if span is None:  # the longest run of words the question does not contain
            best: tuple[int, int] | None = None
            run_start = None
            last_end = 0
            for tok, start, end in tokens_with_offsets(sentence) + [("", len(sentence), len(sentence))]:
                fresh = ALNUM_RE.match(tok or "") and tok.lower() not in qwords
                if fresh and run_start is None:
                    run_start = start
                if not fresh and run_start is not None:
                    if best is None or last_end - run_start > best[1] - best[0]:
                        best = (run_start, last_end)
                    run_start = None
                if fresh:
                    last_end = end
            span = best or (0, len(sentence.rstrip(".!?")))
        start, end = s_start + span[0], s_start + span[1]
        score = min(0.99, 0.15 + 0.8 * overlap) * (0.9 + (stable_hash("qa", question, start) % 100) / 1000)
        results.append({"answer": context[start:end], "score": score, "start": start, "end": end})
    results.sort(key=lambda r: (-r["score"], r["start"]))
    return results


def question_answering(inputs: Any, params: dict[str, Any]) -> dict[str, Any] | list[dict[str, Any]]:
    """Extractive QA: `{answer, score, start, end}` (a list when `top_k` > 1); offsets index the context.

    Args:
        inputs: `{question, context}`.
        params: `top_k`, others ignored.
    """
    if not isinstance(inputs, dict) or "question" not in inputs or "context" not in inputs:
        raise EngineError("'inputs' must be an object with 'question' and 'context'.")
    question, context = _text(inputs["question"], "question"), _text(inputs["context"], "context")
    if not context.strip():
        raise EngineError("'context' is empty.")
    found = _qa_candidates(question, context)
    top_k = _top_k(params, 1) or 1
    return found[:top_k] if top_k > 1 else found[0]


# -- summarization -----------------------------------------------------------------------------------


def summarization(inputs: Any, params: dict[str, Any]) -> list[dict[str, str]]:
    """Extractive summary (sentences with the highest term frequencies, in their original order).

    Args:
        inputs: The text.
        params: `generate_parameters.max_length` / `max_new_tokens` (words, roughly).
    """
    text = _text(inputs)
    sentences = sentences_with_offsets(text)
    if len(sentences) <= 1:
        return [{"summary_text": text.strip()}]
    tf = Counter(content_stems(text))
    scored = []
    for i, (sentence, _, _) in enumerate(sentences):
        stems = content_stems(sentence)
        score = sum(tf[s] for s in stems) / (1 + len(stems)) ** 0.5
        scored.append((score, i))
    keep = max(1, round(len(sentences) / 3))
    chosen = sorted(i for _, i in sorted(scored, key=lambda kv: (-kv[0], kv[1]))[:keep])
    summary = " ".join(sentences[i][0] for i in chosen)
    gen = params.get("generate_parameters") or {}
    limit = gen.get("max_length") or gen.get("max_new_tokens") or params.get("max_length")
    if limit:
        toks = summary.split()
        if len(toks) > int(limit):
            summary = " ".join(toks[: int(limit)])
    return [{"summary_text": summary}]


# -- translation -------------------------------------------------------------------------------------


def normalize_lang(code: str | None) -> str | None:
    """ "en", "en_XX", "eng_Latn", "fr-FR", "French" -> "en"/"fr"/...; None stays None.

    Args:
        code: A language code or name.
    """
    if not code:
        return None
    low = str(code).strip().lower()
    head = re.split(r"[_\-]", low)[0]
    return LANG_NAMES.get(head, LANG_NAMES.get(low, head[:2]))


def translation(
    inputs: Any, params: dict[str, Any], default_pair: tuple[str, str] = ("en", "fr")
) -> list[dict[str, str]]:
    """Word-by-word dictionary translation (unknown words pass through): `[{translation_text}]`.

    Args:
        inputs: The text.
        params: `src_lang`, `tgt_lang` (default: `default_pair`).
        default_pair: The model's language pair.
    """
    text = _text(inputs)
    src = normalize_lang(params.get("src_lang")) or default_pair[0]
    tgt = normalize_lang(params.get("tgt_lang")) or default_pair[1]
    if src == tgt:
        return [{"translation_text": text}]
    table = DICTIONARIES.get((src, tgt))
    if table is None:
        pairs = ", ".join(f"{a}->{b}" for a, b in DICTIONARIES)
        raise EngineError(f"The sandbox translator does not support {src}->{tgt} (supported: {pairs}).")
    out = []
    last = 0
    for tok, start, end in tokens_with_offsets(text):
        out.append(text[last:start])
        low = tok.lower()
        word = table.get(low)
        if word is None:
            out.append(tok)
        else:
            if tok[:1].isupper() and not word[:1].isupper():
                word = word[:1].upper() + word[1:]
            out.append(word)
        last = end
    out.append(text[last:])
    return [{"translation_text": "".join(out)}]


# -- sentence similarity and embeddings --------------------------------------------------------------


def _tfidf(docs: list[list[str]]) -> list[dict[str, float]]:
    df: Counter = Counter()
    for doc in docs:
        df.update(set(doc))
    n = len(docs)
    vectors = []
    for doc in docs:
        tf = Counter(doc)
        vectors.append({t: c * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in tf.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def sentence_similarity(inputs: Any, params: dict[str, Any]) -> list[float]:
    """TF-IDF cosine similarity of `source_sentence` with each of `sentences`: `[float]`.

    Args:
        inputs: `{source_sentence, sentences}`.
        params: Ignored.
    """
    if not isinstance(inputs, dict) or "source_sentence" not in inputs or "sentences" not in inputs:
        raise EngineError("'inputs' must be an object with 'source_sentence' and 'sentences'.")
    source = _text(inputs["source_sentence"], "source_sentence")
    others = inputs["sentences"]
    if not isinstance(others, list) or not all(isinstance(s, str) for s in others):
        raise EngineError("'sentences' must be a list of strings.")
    docs = [[stem(w) for w in words(s)] for s in [source, *others]]
    vectors = _tfidf(docs)
    return [round(_cosine(vectors[0], v), 6) for v in vectors[1:]]


DIM = 384


def _token_vector(token: str) -> list[float]:
    rng = rng_for("emb", token)
    return [rng.gauss(0.0, 1.0) for _ in range(DIM)]


def _normalize(vec: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vec)) or 1.0
    return [x / norm for x in vec]


def feature_extraction(inputs: Any, params: dict[str, Any], pooled: bool) -> list[Any]:
    """Hashed 384-dimension embeddings: one vector per text (`pooled`) or one per token.

    Args:
        inputs: A text or a list of texts.
        params: `normalize` (default True when pooled), `truncate`, `prompt_name` (ignored).
        pooled: Sentence-level vectors (sentence-transformers models) instead of token-level ones.
    """
    texts = inputs if isinstance(inputs, list) else [_text(inputs)]
    out: list[Any] = []
    for text in texts:
        toks = [t.lower() for t, _, _ in tokens_with_offsets(_text(text))] or ["[empty]"]
        vecs = [_cached_vector(t) for t in toks]
        if pooled:
            mean = [sum(col) / len(vecs) for col in zip(*vecs, strict=True)]
            normalize = params.get("normalize")
            out.append(_normalize(mean) if normalize is None or normalize else mean)
        else:
            out.append([_cached_vector(t) for t in ["[CLS]", *toks, "[SEP]"]])
    return out


_VECTORS: dict[str, list[float]] = {}


def _cached_vector(token: str) -> list[float]:
    vec = _VECTORS.get(token)
    if vec is None:
        if len(_VECTORS) > 20000:
            _VECTORS.clear()
        vec = _VECTORS[token] = [round(x, 6) for x in _token_vector(token)]
    return vec
