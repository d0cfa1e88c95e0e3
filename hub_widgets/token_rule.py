"""Where the user's token may go: a pure rule on URL origins (scheme, host, effective port).

Two servers on one host are different parties, so the rule compares whole origins, never host
names alone. The token goes, without asking, to the Hub the session logs in to (its exact origin)
and to Hugging Face's own API hosts over https; `*.hf.space` is not one of them (Spaces run user
code). Anything the rule cannot read with certainty (user info, backslashes, control characters,
a bad port) counts as foreign: the safe answer is "do not send".
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
# Hugging Face's API hosts: the host itself and any of its subdomains (router.huggingface.co, …).
HF_DOMAINS = ("huggingface.co", "hf.co")
# Inference Endpoints: only below this domain, not huggingface.cloud itself.
HF_ENDPOINT_DOMAINS = ("endpoints.huggingface.cloud",)

# Characters that parsers disagree about (what urllib drops or splits on, a browser or httpx may not).
_AMBIGUOUS = re.compile(r"[\x00-\x20\x7f\\]")

Origin = tuple[str, str, int]


def url_origin(url: str) -> Origin | None:
    """The origin of an http(s) URL: (scheme, host, effective port), normalised; None if unclear.

    The scheme and host are lower-cased, a trailing dot of the host is dropped and the scheme's
    default port filled in. URLs with user info (`https://huggingface.co@evil.com`), whitespace,
    control characters or backslashes, an empty host or an invalid port give None.

    Args:
        url: The URL to read.
    """
    if not isinstance(url, str) or _AMBIGUOUS.search(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or "@" in parts.netloc:
        return None
    host = (parts.hostname or "").lower()
    if host.endswith(".") and not host.endswith(".."):
        host = host[:-1]
    if not host or host.startswith(".") or ".." in host or "%" in host:
        return None
    return scheme, host, port if port is not None else DEFAULT_PORTS[scheme]


def is_hugging_face_origin(url: str) -> bool:
    """True for Hugging Face's API hosts over https on the default port (not `*.hf.space`).

    Args:
        url: The URL the token would be sent to.
    """
    origin = url_origin(url)
    if origin is None:
        return False
    scheme, host, port = origin
    if scheme != "https" or port != 443:
        return False
    if any(host == d or host.endswith("." + d) for d in HF_DOMAINS):
        return True
    return any(host.endswith("." + d) for d in HF_ENDPOINT_DOMAINS)


def same_origin(url: str, other: str) -> bool:
    """True when both URLs have one and the same (readable) origin."""
    origin = url_origin(url)
    return origin is not None and origin == url_origin(other)


def token_may_go_to(url: str, hub_endpoint: str) -> bool:
    """The token rule: True if the token may be sent to `url` without the user opting in.

    Args:
        url: Where a request is about to go.
        hub_endpoint: The Hub the session logs in to (its token belongs there).
    """
    return same_origin(url, hub_endpoint) or is_hugging_face_origin(url)
