"""What went wrong with an inference call, as one clear line (and what the user can do about it)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from hub_widgets._i18n import _
from hub_widgets.session import HubSession, http_error_kinds, scrub_secrets


@dataclass(frozen=True)
class Problem:
    """A failed call, for the user.

    Args:
        kind: loading, rate_limit, credits, gated, invalid_token, timeout, unreachable, not_found,
            login, invalid_input, stream or error.
        message: One translated line (no token, no traceback).
        wait_seconds: How long to wait before retrying (loading, rate limit), when known.
        link: A page that fixes it (accept a gated model's terms, buy credits, get a token).
    """

    kind: str
    message: str
    wait_seconds: float | None = None
    link: str | None = None


def _status(exc: BaseException) -> int | None:
    return getattr(getattr(exc, "response", None), "status_code", None)


def _headers(exc: BaseException) -> dict:
    headers = getattr(getattr(exc, "response", None), "headers", None)
    return {k.lower(): v for k, v in headers.items()} if headers is not None else {}


def _body(exc: BaseException) -> dict:
    response = getattr(exc, "response", None)
    try:
        data = json.loads(response.content) if response is not None else None
    except Exception:  # a streamed body not read, or not JSON
        data = None
    return data if isinstance(data, dict) else {}


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else ""


def _retry_after(headers: dict) -> float | None:
    for value in (headers.get("retry-after"), *re.findall(r"t=(\d+)", headers.get("ratelimit", ""))):
        try:
            return float(value) if value is not None else None
        except ValueError:
            continue
    return None


def diagnose(exc: BaseException, *, session: HubSession, model: str = "", url: str | None = None) -> Problem:
    """Turn an exception raised by an `InferenceClient` call into a `Problem`.

    Args:
        exc: What the call raised.
        session: For the Hub's URLs (gated model page, token settings) and scrubbing the token.
        model: The model id, named in messages and links.
        url: The custom endpoint, named when it cannot be reached.
    """
    problem = _diagnose(exc, session, model, url)
    token = session._token()
    return Problem(
        problem.kind,
        scrub_secrets(problem.message, [token] if token else []),
        problem.wait_seconds,
        problem.link,
    )


def _diagnose(exc: BaseException, session: HubSession, model: str, url: str | None) -> Problem:  # noqa: C901
    from huggingface_hub import errors as hf_errors

    where = urlsplit(url).netloc if url else "router.huggingface.co"
    status = _status(exc)
    headers = _headers(exc)
    body = _body(exc)
    server = _first_line(str(body.get("error") or getattr(exc, "server_message", "") or ""))
    name = model or where
    code = headers.get("x-error-code", "")

    if isinstance(exc, hf_errors.GatedRepoError) or (status == 403 and code == "GatedRepo"):
        return Problem(
            "gated",
            _("{model} is gated: accept its terms on the model page, then run again.").format(model=name),
            link=session.url(model) if model else None,
        )
    if status == 503 and ("estimated_time" in body or "loading" in server.lower()):
        wait = body.get("estimated_time")
        wait = float(wait) if isinstance(wait, int | float) else None
        if wait is not None:
            message = _("{model} is loading: ready in about {seconds:.0f} s.").format(
                model=name, seconds=wait
            )
        else:
            message = _("{model} is loading: try again in a moment.").format(model=name)
        return Problem("loading", message, wait_seconds=wait)
    if status == 429:
        wait = _retry_after(headers)
        if wait is not None:
            message = _("Rate limited: retry after {seconds:.0f} s.").format(seconds=wait)
        else:
            message = _("Rate limited: wait a moment and retry.")
        return Problem("rate_limit", message, wait_seconds=wait)
    if status == 402:
        return Problem(
            "credits",
            _("Out of inference credits for this billing period: add credits or try another provider."),
            link=f"{session.endpoint}/settings/billing",
        )
    if status == 401:
        return Problem(
            "invalid_token",
            _("The token was refused (invalid, expired or without inference permission): log in again."),
            link=f"{session.endpoint}/settings/tokens",
        )
    if status == 403:
        return Problem("forbidden", _("Access denied by {where}.").format(where=where) + _suffix(server))
    if status == 404 or isinstance(exc, hf_errors.RepositoryNotFoundError):
        return Problem(
            "not_found",
            _("{model} was not found, or no provider serves it (check the name and the provider).").format(
                model=name
            ),
        )
    if status in (400, 422):
        return Problem("invalid_input", _("The server refused the input.") + _suffix(server))
    if status is not None and status >= 500:
        return Problem(
            "error", _("Server error {status} from {where}: try again.").format(status=status, where=where)
        )
    if status is not None:
        return Problem(
            "error", _("{where} answered {status}.").format(where=where, status=status) + _suffix(server)
        )
    kinds = http_error_kinds(exc)
    if (
        kinds & {"TimeoutException"}
        or isinstance(exc, TimeoutError)
        or type(exc).__name__ == "InferenceTimeoutError"
    ):
        return Problem(
            "timeout", _("No answer from {where} in time: raise the timeout or retry.").format(where=where)
        )
    if kinds & {"ConnectError"} or isinstance(exc, ConnectionError):
        if url is None:
            return Problem(
                "unreachable",
                _(
                    "Cannot reach {where}: Inference Providers need internet access (offline, use an endpoint URL)."
                ).format(where=where),
            )
        return Problem(
            "unreachable",
            _("Cannot reach {where}: check the URL or that the server runs.").format(where=where),
        )
    if kinds & {"RemoteProtocolError", "ReadError", "StreamClosed"}:
        return Problem(
            "stream", _("The connection to {where} broke off during the answer.").format(where=where)
        )
    if isinstance(exc, hf_errors.TextGenerationError) or type(exc).__name__.endswith("GenerationError"):
        return Problem(
            "stream", _("The server stopped with an error: {text}").format(text=_first_line(str(exc)))
        )
    text = _first_line(str(exc))
    if isinstance(exc, ValueError) and "provider mapping" in text.lower():
        return Problem(
            "not_found",
            _(
                "No Inference Provider serves {model} for this task: try another model, or an endpoint URL."
            ).format(model=name),
        )
    if isinstance(exc, ValueError) and "api_key" in text:
        return Problem("login", _("Log in first: Inference Providers need a Hugging Face token."))
    if isinstance(exc, ImportError):
        return Problem("error", _("A package is missing: {text}").format(text=text))
    return Problem("error", _("Unexpected error ({kind}): {text}").format(kind=type(exc).__name__, text=text))


def _suffix(server: str) -> str:
    return f" ({server})" if server else ""
