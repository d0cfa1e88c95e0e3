"""Text generation and chat for the sandbox: a trigram model over the built-in corpus plus the prompt.

Deterministic: the same prompt and parameters always give the same tokens; the seed, temperature, top_k,
top_p, stop sequences and token limits change the output the way they do on a real server.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .common import ALNUM_RE, STOPWORDS, WORD_RE, rng_for, stable_hash, text_of
from .corpus import CORPUS

SENTENCE_END = {".", "!", "?"}
NO_SPACE_BEFORE = {".", ",", "!", "?", ";", ":", ")", "'"}
DETERMINERS = {"the", "a", "an", "of", "his", "her", "their", "my", "your", "our", "about"}
VOCAB_SIZE = 32000
MAX_NEW_TOKENS = 4096


@dataclass
class GenToken:
    """One generated token: its text (with its leading space), a stable id and its log-probability."""

    text: str
    id: int
    logprob: float


@dataclass
class Generation:
    """The result of one generation."""

    tokens: list[GenToken]
    finish_reason: str  # "length" | "eos_token" | "stop_sequence" | "stop"
    prompt_tokens: int
    seed: int
    prefix: str = ""  # echoed prompt when return_full_text is set

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.tokens)


def token_id(text: str) -> int:
    """A stable vocabulary id for a token text.

    Args:
        text: The token text (leading space ignored).
    """
    return 100 + stable_hash("tok", text.strip()) % (VOCAB_SIZE - 100)


def count_tokens(text: str) -> int:
    """How many tokens the sandbox tokenizer sees in `text`.

    Args:
        text: Any text.
    """
    return len(WORD_RE.findall(text))


def pieces(text: str) -> list[str]:
    """Split `text` into token pieces (each with the whitespace before it) that join back to `text`.

    Args:
        text: Any text.
    """
    out: list[str] = []
    last = 0
    for m in WORD_RE.finditer(text):
        out.append(text[last : m.end()])
        last = m.end()
    if last < len(text):
        if out:
            out[-1] += text[last:]
        else:
            out.append(text[last:])
    return out


@dataclass
class NGrams:
    """Bigram and trigram counts keyed by lower-cased tokens, with the usual surface form of each."""

    bigrams: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    trigrams: dict[tuple[str, str], Counter] = field(default_factory=lambda: defaultdict(Counter))
    surface: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, text: str, weight: int = 1) -> None:
        toks = ["."] + [m.group(0) for m in WORD_RE.finditer(text)]
        for prev, tok in zip(["."] + toks, toks, strict=False):
            # A capital after a full stop says nothing about the word: only count it elsewhere.
            self.surface[tok.lower()][tok] += 0 if prev in SENTENCE_END else weight
        low = [t.lower() for t in toks]
        for a, b in zip(low, low[1:], strict=False):
            self.bigrams[a][b] += weight
        for a, b, c in zip(low, low[1:], low[2:], strict=False):
            self.trigrams[(a, b)][c] += weight

    def form(self, key: str) -> str:
        forms = self.surface.get(key)
        return forms.most_common(1)[0][0] if forms else key


@lru_cache(maxsize=1)
def base_model() -> tuple[NGrams, Counter]:
    """The corpus n-grams, and what tends to follow a noun (the successors of words seen after "the")."""
    model = NGrams()
    for paragraph in CORPUS.strip().split("\n\n"):
        model.add(" ".join(paragraph.split()))
    after_noun: Counter = Counter()
    for noun in model.bigrams["the"]:
        after_noun.update(model.bigrams.get(noun, Counter()))
    return model, after_noun


def _candidates(
    base: NGrams, extra: NGrams, after_noun: Counter, w1: str, w2: str, prompt_words: list[str]
) -> Counter:
    cands: Counter = Counter()
    for model in (base, extra):
        tri = model.trigrams.get((w1, w2))
        if tri:
            cands.update({k: v * 3 for k, v in tri.items()})
        bi = model.bigrams.get(w2)
        if bi:
            cands.update(bi)
    if w2 in DETERMINERS and prompt_words:
        for word in prompt_words:
            cands[word] += 2
    if not cands:
        cands.update(after_noun)
    if not ALNUM_RE.match(w2):  # no two punctuation marks in a row
        words_only = Counter({k: v for k, v in cands.items() if ALNUM_RE.match(k)})
        cands = words_only or Counter(after_noun)
    return cands


def _pick(
    cands: Counter,
    rng: random.Random,
    recent: list[str],
    temperature: float | None,
    top_k: int | None,
    top_p: float | None,
) -> tuple[str, float]:
    items = []
    for tok, count in cands.items():
        weight = float(count)
        if tok in recent and ALNUM_RE.match(tok) and tok not in STOPWORDS:
            weight *= 0.25  # a light repetition penalty keeps the text moving
        items.append((tok, weight))
    items.sort(key=lambda kv: (-kv[1], kv[0]))
    if temperature is not None and temperature <= 1e-6:
        total = sum(w for _, w in items)
        return items[0][0], math.log(items[0][1] / total)
    temp = 1.0 if temperature is None else temperature
    logits = [math.log(w) / temp for _, w in items]
    top = max(logits)
    probs = [math.exp(x - top) for x in logits]
    total = sum(probs)
    probs = [p / total for p in probs]
    ranked = list(zip([t for t, _ in items], probs, strict=True))
    if top_k:
        ranked = ranked[: max(1, int(top_k))]
    if top_p is not None and 0 < top_p < 1:
        kept, acc = [], 0.0
        for tok, p in ranked:
            kept.append((tok, p))
            acc += p
            if acc >= top_p:
                break
        ranked = kept
    norm = sum(p for _, p in ranked)
    x = rng.random() * norm
    for tok, p in ranked:
        x -= p
        if x <= 0:
            return tok, math.log(p / norm)
    tok, p = ranked[-1]
    return tok, math.log(p / norm)


def _surface(model: NGrams, extra: NGrams, key: str, sentence_start: bool) -> str:
    form = extra.form(key) if key in extra.surface and key not in model.surface else model.form(key)
    return form[:1].upper() + form[1:] if sentence_start else form


def _continue(
    *,
    context: str,
    rng: random.Random,
    limit: int,
    temperature: float | None,
    top_k: int | None,
    top_p: float | None,
    leading_space: bool,
    min_tokens: int | None,
    eos_chance: float,
) -> tuple[list[GenToken], bool]:
    """Generate up to `limit` tokens after `context`; returns (tokens, ended by itself)."""
    base, after_noun = base_model()
    extra = NGrams()
    extra.add(context, weight=2)
    ctx = [m.group(0).lower() for m in WORD_RE.finditer(context)]
    prompt_words = [w for w in ctx if ALNUM_RE.match(w) and w not in STOPWORDS and len(w) > 2][-12:]
    w1, w2 = (["."] + ["."] + ctx)[-2:]
    out: list[GenToken] = []
    recent: list[str] = ctx[-6:]
    for _ in range(limit):
        cands = _candidates(base, extra, after_noun, w1, w2, prompt_words)
        key, logprob = _pick(cands, rng, recent, temperature, top_k, top_p)
        start = w2 in SENTENCE_END
        surface = _surface(base, extra, key, start)
        space = "" if key in NO_SPACE_BEFORE or (not out and not leading_space) else " "
        out.append(GenToken(space + surface, token_id(surface), round(logprob, 4)))
        recent = (recent + [key])[-6:]
        w1, w2 = w2, key
        if key in SENTENCE_END:
            if min_tokens is not None and len(out) >= min_tokens:
                return out, True
            if min_tokens is None and len(out) >= 12 and rng.random() < eos_chance:
                return out, True
    return out, False


def _apply_stop(tokens: list[GenToken], stop: list[str], keep: bool) -> tuple[list[GenToken], bool]:
    """Cut `tokens` at the first stop sequence (kept, as TGI does, or dropped, as OpenAI does)."""
    text = "".join(t.text for t in tokens)
    hits = [(text.find(s), s) for s in stop if s and s in text]
    if not hits:
        return tokens, False
    index, seq = min(hits)
    cut = index + (len(seq) if keep else 0)
    kept: list[GenToken] = []
    pos = 0
    for tok in tokens:
        if pos >= cut:
            break
        end = pos + len(tok.text)
        if end <= cut:
            kept.append(tok)
        else:
            kept.append(GenToken(tok.text[: cut - pos], tok.id, tok.logprob))
        pos = end
    return [t for t in kept if t.text], True


def _stops(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


def generate_text(prompt: str, params: dict[str, Any]) -> Generation:
    """TGI-style text generation.

    Args:
        prompt: The prompt.
        params: `max_new_tokens` (default 50), `temperature`, `top_k`, `top_p`, `seed`, `stop`
            (or `stop_sequences`), `return_full_text`, `do_sample`.
    """
    max_new = int(params.get("max_new_tokens") or 50)
    seed = params.get("seed")
    temperature = params.get("temperature")
    if params.get("do_sample") is False and temperature is None:
        temperature = 0.0
    rng = rng_for("text", prompt, seed, temperature, params.get("top_k"), params.get("top_p"))
    tokens, ended = _continue(
        context=prompt,
        rng=rng,
        limit=max_new,
        temperature=temperature,
        top_k=params.get("top_k"),
        top_p=params.get("top_p"),
        leading_space=bool(prompt) and not prompt[-1].isspace(),
        min_tokens=None,
        eos_chance=0.12,
    )
    tokens, stopped = _apply_stop(tokens, _stops(params.get("stop") or params.get("stop_sequences")), True)
    reason = "stop_sequence" if stopped else ("eos_token" if ended else "length")
    return Generation(
        tokens=tokens,
        finish_reason=reason,
        prompt_tokens=count_tokens(prompt),
        seed=int(seed) if seed is not None else stable_hash("seed", prompt) % (2**32),
        prefix=prompt if params.get("return_full_text") else "",
    )


OPENERS = [
    "You asked about {a}.",
    "Let me tell you about {a} and {b}.",
    "Good question about {a}!",
    "Here is what I know about {a}.",
    "{A} is an interesting topic.",
]
FOLLOW_UPS = ["As I said before, {a} matters.", "Back to {a}, then.", "More about {a}:"]
GREETINGS = {"hi", "hello", "hey", "bonjour", "hallo", "greetings"}
_REQUEST = (
    "tell explain describe please know want give show write like think say let help need make "
    "something anything thing things really question answer"
)
REQUEST_WORDS = set(_REQUEST.split())


def _keywords(text: str) -> list[str]:
    seen: list[str] = []
    for m in WORD_RE.finditer(text):
        word = m.group(0)
        low = word.lower()
        if ALNUM_RE.match(word) and low not in STOPWORDS | REQUEST_WORDS and len(low) > 2 and low not in seen:
            seen.append(low)
    return sorted(seen, key=lambda w: (-len(w), seen.index(w)))[:2]


LONG_WORDS = {"long", "story", "essay", "detailed", "details", "lengthy"}


def chat_reply(messages: list[dict[str, Any]], params: dict[str, Any]) -> Generation:
    """An assistant reply that depends on the conversation (its last user message above all).

    Args:
        messages: OpenAI-style messages `{role, content}`.
        params: `max_tokens` (or `max_completion_tokens`), `temperature`, `top_p`, `seed`, `stop`.
    """
    convo = [(str(m.get("role", "user")), text_of(m.get("content"))) for m in messages if isinstance(m, dict)]
    last_user = next((text for role, text in reversed(convo) if role == "user"), "")
    answered_before = any(role == "assistant" for role, _ in convo)
    seed = params.get("seed")
    temperature = params.get("temperature")
    top_p = params.get("top_p")
    rng = rng_for("chat", convo, seed, temperature, top_p)
    limit_raw = params.get("max_tokens") or params.get("max_completion_tokens")
    limit = int(limit_raw) if limit_raw else 512
    keys = _keywords(last_user)
    first_words = {w.lower() for w in last_user.split()[:2]}
    greeting = bool(first_words & GREETINGS) or not keys
    if greeting:
        opener = rng.choice(
            ["Hello! How can I help you today?", "Hi there! What would you like to talk about?"]
        )
    else:
        a, b = keys[0], keys[-1] if len(keys) > 1 else "the details"
        templates = FOLLOW_UPS if answered_before and rng.random() < 0.5 else OPENERS
        opener = rng.choice(templates).format(a=a, b=b, A=a[:1].upper() + a[1:])
    opener_tokens = [GenToken(p, token_id(p), -0.05) for p in pieces(opener)]
    sep = " " if last_user.rstrip()[-1:] in SENTENCE_END else " . "
    context = f"{last_user}{sep}{opener}" + ("" if greeting else f" The {keys[0]}")
    # Asked for something long (a story, an essay…): a long answer, so that Stop has something to stop.
    wants_long = bool(LONG_WORDS & {w.strip(".,!?").lower() for w in last_user.split()})
    target = rng.randint(250, 400) if wants_long else rng.randint(18, 40)
    tokens = opener_tokens[:limit]
    ended = False
    if greeting:
        ended = len(tokens) == len(opener_tokens)
    elif len(tokens) < limit:
        lead = [GenToken(" The", token_id("The"), -0.3), GenToken(" " + keys[0], token_id(keys[0]), -0.6)]
        rest, ended = _continue(
            context=context,
            rng=rng,
            limit=max(0, limit - len(tokens) - len(lead)),
            temperature=temperature,
            top_k=None,
            top_p=top_p,
            leading_space=True,
            min_tokens=max(1, target - len(tokens) - len(lead)),
            eos_chance=0.0,
        )
        tokens = (tokens + lead + rest)[:limit]
    tokens, stopped = _apply_stop(tokens, _stops(params.get("stop")), False)
    reason = "stop" if stopped or ended else "length"
    prompt_tokens = sum(count_tokens(text) + 3 for _, text in convo)
    return Generation(
        tokens=tokens,
        finish_reason=reason,
        prompt_tokens=prompt_tokens,
        seed=int(seed) if seed is not None else 0,
    )
