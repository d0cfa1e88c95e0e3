"""What went wrong, once: `classify` reads an exception (status code, headers, body), `describe` says it.

This is the one module that looks at status codes and headers of failed Hub or inference calls.
Widgets switch on `Problem.kind`; the sentence comes from `describe`. Free text taken from the
exception (server message, paths) is scrubbed of tokens when the `Problem` is built, so no sentence
built from it can leak one.

It imports nothing of the package above it (no session, no widgets): the caller passes the endpoint,
the model and the secrets to scrub.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from hub_widgets._i18n import _, format_number
from hub_widgets.errors import CancelledError, HubWidgetsError

Kind = Literal[
    "cancelled",  # the user pressed Cancel or Stop
    "explained",  # hub_widgets raised it itself: its message is already a sentence
    "gated",
    "not_found",  # `subject`: "repo", "revision", "file", "provider" (for the model) or "" (other)
    "disabled",
    "device_login_failed",
    "not_logged_in",
    "offline",  # HF_HUB_OFFLINE is set
    "invalid_repo_id",
    "invalid_token",  # 401 (`subject` "repo": the Hub cannot tell a bad token from a missing repo)
    "forbidden",  # 403
    "out_of_credits",  # 402
    "conflict",  # 409
    "precondition_failed",  # 412: the branch moved since `parent_commit`
    "too_large",  # 413
    "rate_limited",  # 429
    "loading",  # 503 while a model loads
    "bad_request",  # 400, 422
    "server_error",  # 5xx
    "http_error",  # any other status
    "timeout",
    "broken_connection",  # the connection ended before the answer did
    "unreachable",
    "generation_failed",  # a text generation server stopped with an error
    "missing_package",
    "file_missing",  # a local file or folder
    "no_permission",  # a local file or folder
    "invalid_value",
    "unknown",
]

Service = Literal["hub", "inference"]

ROUTER = "router.huggingface.co"
DEFAULT_ENDPOINT = "https://huggingface.co"

_TOKEN_PATTERN = re.compile(r"\b(hf_|api_org_)[A-Za-z0-9_\-]{6,}")
_BEARER_PATTERN = re.compile(r"(Bearer\s+)\S+", re.IGNORECASE)


def scrub_secrets(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """Remove tokens from `text`: the given secrets and anything shaped like a Hugging Face token."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _BEARER_PATTERN.sub(r"\1***", text)
    return _TOKEN_PATTERN.sub(lambda m: m.group(1) + "***", text)


def http_error_kinds(exc: BaseException) -> set[str]:
    """Names of the HTTP library's exception classes `exc` is an instance of ({} for other errors).

    Matched by name so that widget code never imports the HTTP library huggingface_hub uses.
    """
    return {cls.__name__ for cls in type(exc).__mro__ if cls.__module__.split(".")[0] in ("httpx2", "httpx")}


@dataclass(frozen=True)
class Problem:
    """A failed call, as the user needs to know it (no token, no traceback).

    Args:
        kind: What went wrong (see `Kind`); widgets switch on it.
        status: The HTTP status, when an answer arrived.
        retry_after: Seconds to wait before retrying (rate limit, model loading), when known.
        server_message: The first line of the server's own explanation ("" if none).
        link: A page that fixes it (accept a gated model's terms, buy credits, get a token).
        subject: For `not_found` and `invalid_token`: "repo", "revision", "file", "provider" or "".
        detail: Kind-specific text (a path, a reason, hub_widgets' own sentence).
        exc_type: The exception's class name, for unexpected errors.
        exc_text: The first line of the exception's text.
        service: "hub" (Hub API calls) or "inference" (InferenceClient calls): who is talked to.
        endpoint: The Hub URL, named in connection errors.
        model: The model id of an inference call.
        url: The custom inference endpoint (None: Inference Providers through the router).
    """

    kind: Kind
    status: int | None = None
    retry_after: float | None = None
    server_message: str = ""
    link: str | None = None
    subject: str = ""
    detail: str = ""
    exc_type: str = ""
    exc_text: str = ""
    service: Service = "hub"
    endpoint: str | None = None
    model: str = ""
    url: str | None = None

    @property
    def message(self) -> str:
        """`describe(self)`: one translated sentence."""
        return describe(self)


# -- classify ---------------------------------------------------------------------------------------


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else ""


def _headers(exc: BaseException) -> dict[str, str]:
    headers = getattr(getattr(exc, "response", None), "headers", None)
    return {k.lower(): v for k, v in headers.items()} if headers is not None else {}


def _body(exc: BaseException) -> dict:
    response = getattr(exc, "response", None)
    try:
        data = json.loads(response.content) if response is not None else None
    except Exception:  # a streamed body not read, or not JSON
        data = None
    return data if isinstance(data, dict) else {}


def _retry_after(headers: dict[str, str]) -> float | None:
    # Retry-After first (seconds; an HTTP date is skipped), then the IETF RateLimit header's t=.
    candidates = [headers.get("retry-after"), *re.findall(r"t=(\d+)", headers.get("ratelimit", ""))]
    for value in filter(None, candidates):
        try:
            return float(value)
        except ValueError:
            continue
    return None


_STATUS_KINDS: dict[int, Kind] = {
    401: "invalid_token",
    402: "out_of_credits",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    422: "bad_request",
    400: "bad_request",
    429: "rate_limited",
}


def _hub_error_kind(exc: BaseException, status: int | None) -> tuple[Kind, str] | None:
    """(kind, subject) for huggingface_hub's own exception classes, or None."""
    from huggingface_hub import errors as hf_errors

    table: list[tuple[type[BaseException], Kind, str]] = [
        (hf_errors.GatedRepoError, "gated", ""),
        (hf_errors.RepositoryNotFoundError, "invalid_token" if status == 401 else "not_found", "repo"),
        (hf_errors.RevisionNotFoundError, "not_found", "revision"),
        (hf_errors.EntryNotFoundError, "not_found", "file"),
        (hf_errors.DisabledRepoError, "disabled", ""),
        (hf_errors.DeviceCodeError, "device_login_failed", ""),
        (hf_errors.LocalTokenNotFoundError, "not_logged_in", ""),
        (hf_errors.OfflineModeIsEnabled, "offline", ""),
        (hf_errors.HFValidationError, "invalid_repo_id", ""),
    ]
    for cls, kind, subject in table:
        if isinstance(exc, cls):
            return kind, subject
    return None


def _status_kind(status: int, headers: dict[str, str], body: dict, server: str) -> Kind:
    if status == 403 and headers.get("x-error-code") == "GatedRepo":
        return "gated"
    if status == 503 and ("estimated_time" in body or "loading" in server.lower()):
        return "loading"
    if 500 <= status < 600:
        return "server_error"
    return _STATUS_KINDS.get(status, "http_error")


def _other_kind(exc: BaseException, text: str) -> Kind:
    """The kind of an error that carries no HTTP answer (transport, local, programming)."""
    transport = http_error_kinds(exc)
    checks: list[tuple[bool, Kind]] = [
        (
            bool(transport & {"TimeoutException"})
            or isinstance(exc, TimeoutError)
            or type(exc).__name__ == "InferenceTimeoutError",
            "timeout",
        ),
        (
            bool(transport & {"RemoteProtocolError", "ReadError", "WriteError", "StreamClosed"}),
            "broken_connection",
        ),
        (
            bool(transport & {"ConnectError", "NetworkError"}) or isinstance(exc, ConnectionError),
            "unreachable",
        ),
        (type(exc).__name__.endswith("GenerationError"), "generation_failed"),
        (isinstance(exc, FileNotFoundError), "file_missing"),
        (isinstance(exc, PermissionError), "no_permission"),
        (isinstance(exc, ValueError) and "provider mapping" in text.lower(), "not_found"),
        (isinstance(exc, ValueError) and "api_key" in text, "not_logged_in"),
        (isinstance(exc, ValueError) and bool(str(exc)), "invalid_value"),
        (isinstance(exc, ImportError), "missing_package"),
    ]
    return next((kind for matched, kind in checks if matched), "unknown")


def _detail(exc: BaseException, kind: Kind) -> str:
    if kind == "explained":
        return str(exc)
    if kind == "device_login_failed":
        return str(exc).split(":")[-1].strip() or str(exc)
    if kind in ("file_missing", "no_permission"):
        return str(getattr(exc, "filename", None) or exc)
    if kind in ("invalid_repo_id", "invalid_value", "not_found"):
        return str(exc).splitlines()[0] if str(exc) else ""
    return ""


def _link(kind: Kind, status: int | None, endpoint: str | None, model: str) -> str | None:
    base = endpoint or DEFAULT_ENDPOINT
    if kind == "gated":
        return f"{base}/{model}" if model else None
    if kind == "out_of_credits":
        return f"{base}/settings/billing"
    if status == 401:
        return f"{base}/settings/tokens"
    return None


def classify(
    exc: BaseException,
    *,
    service: Service = "hub",
    endpoint: str | None = None,
    model: str = "",
    url: str | None = None,
    secrets: list[str] | tuple[str, ...] = (),
) -> Problem:
    """Turn an exception from `huggingface_hub` (or the network, or the file system) into a `Problem`.

    Args:
        exc: What the call raised.
        service: "hub" for Hub API calls, "inference" for `InferenceClient` calls (other sentences).
        endpoint: The Hub URL (named in messages, base of the links).
        model: The model id of an inference call, named in messages and links.
        url: The custom inference endpoint, named when it cannot be reached.
        secrets: Strings to remove from any text taken from the exception (the session's token).

    Returns:
        The problem; `describe(problem)` is its sentence.
    """
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    headers = _headers(exc)
    body = _body(exc)
    server = _first_line(str(getattr(exc, "server_message", "") or body.get("error") or ""))
    text = _first_line(str(exc))
    subject = ""
    if isinstance(exc, CancelledError):
        kind: Kind = "cancelled"
    elif isinstance(exc, HubWidgetsError):
        kind = "explained"
    elif (known := _hub_error_kind(exc, status)) is not None:
        kind, subject = known
    elif status is not None:
        kind = _status_kind(status, headers, body, server)
    else:
        kind = _other_kind(exc, text)
        subject = "provider" if kind == "not_found" else ""  # huggingface_hub found no provider mapping
    retry_after = None
    if kind == "loading":
        wait = body.get("estimated_time")
        retry_after = float(wait) if isinstance(wait, int | float) else None
    elif kind == "rate_limited":
        retry_after = _retry_after(headers)
    return Problem(
        kind,
        status=status,
        retry_after=retry_after,
        server_message=scrub_secrets(server, secrets),
        link=_link(kind, status, endpoint, model),
        subject=subject,
        detail=scrub_secrets(_detail(exc, kind), secrets),
        exc_type=type(exc).__name__,
        exc_text=scrub_secrets(text, secrets),
        service=service,
        endpoint=endpoint,
        model=model,
        url=url,
    )


# -- describe ---------------------------------------------------------------------------------------


def _suffix(p: Problem) -> str:
    return f" ({p.server_message})" if p.server_message else ""


def _seconds(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _unexpected(p: Problem) -> str:
    return _("Unexpected error ({kind}): {text}").format(kind=p.exc_type, text=p.exc_text)


def _hub_not_found(p: Problem) -> str:
    if p.subject == "repo":
        return _("Repository not found, or it is private and your token cannot see it.")
    if p.subject == "revision":
        return _("This branch, tag or commit does not exist in the repository.")
    if p.subject == "file":
        return _("This file or folder does not exist at this revision.")
    if p.subject == "provider":  # huggingface_hub's own sentence (a ValueError)
        return p.detail
    return _("Not found on the Hub.") + _suffix(p)


def _hub_invalid_token(p: Problem) -> str:
    if p.subject == "repo":
        return _(
            "Repository not found, or your token is invalid or expired: check the name, or log in again."
        )
    return _("Your token is invalid, expired or missing: log in again.")


def _hub_rate_limited(p: Problem) -> str:
    if p.retry_after is not None:
        return _("Rate limited by the Hub: retry after {seconds} s.").format(seconds=_seconds(p.retry_after))
    return _("Rate limited by the Hub: wait a moment and retry.")


def _hub_server_error(p: Problem) -> str:
    return _("The Hub had a server error ({status}): try again in a moment.").format(status=p.status)


_HUB: dict[str, Callable[[Problem], str]] = {
    "cancelled": lambda p: _("Cancelled: nothing was changed on the Hub."),
    "explained": lambda p: p.detail,
    "gated": lambda p: _("This repo is gated: accept its access conditions on its page, then try again."),
    "not_found": _hub_not_found,
    "disabled": lambda p: _("This repository has been disabled by its owner or by Hugging Face."),
    "device_login_failed": lambda p: _("Browser login failed: {reason}").format(reason=p.detail),
    "not_logged_in": lambda p: _("You are not logged in: log in first."),
    "offline": lambda p: (
        _("HF_HUB_OFFLINE is set, so no request can reach {where}: unset it.").format(where=p.endpoint)
        if p.endpoint
        else _("HF_HUB_OFFLINE is set, so no request can reach the Hub: unset it.")
    ),
    "invalid_repo_id": lambda p: _("Invalid repo id or name: {reason}").format(reason=p.detail),
    "invalid_token": _hub_invalid_token,
    "forbidden": lambda p: (
        _("Permission denied: your token cannot do this (a read-only token, or not your namespace).")
        + _suffix(p)
    ),
    "conflict": lambda p: _("Conflict: it already exists or was changed meanwhile.") + _suffix(p),
    "precondition_failed": lambda p: _(
        "The repository changed since this page loaded (someone pushed): refresh and try again."
    ),
    "too_large": lambda p: _("Too large for the Hub: split the file or push it as a large (LFS) file."),
    "rate_limited": _hub_rate_limited,
    "out_of_credits": lambda p: _(
        "You have exceeded your included credits: add credits or wait for the next period."
    ),
    "bad_request": lambda p: _("The Hub refused the request as invalid.") + _suffix(p),
    "loading": _hub_server_error,
    "server_error": _hub_server_error,
    "http_error": lambda p: (
        _("The Hub answered with an error ({status}).").format(status=p.status) + _suffix(p)
    ),
    "timeout": lambda p: (
        _("{where} did not answer in time: check your connection and retry.").format(where=p.endpoint)
        if p.endpoint
        else _("The Hub did not answer in time: check your connection and retry.")
    ),
    "broken_connection": lambda p: (
        _("The connection to {where} broke off before the answer arrived: try again.").format(
            where=p.endpoint
        )
        if p.endpoint
        else _("The connection to the Hub broke off before the answer arrived: try again.")
    ),
    "unreachable": lambda p: (
        _("Cannot reach {where}: check your network or the endpoint address.").format(where=p.endpoint)
        if p.endpoint
        else _("Cannot reach the Hub: check your network or the endpoint address.")
    ),
    "file_missing": lambda p: _("File or folder not found: {path}").format(path=p.detail),
    "no_permission": lambda p: _("No permission to read or write {path}.").format(path=p.detail),
    "invalid_value": lambda p: p.detail,
}


def _where(p: Problem) -> str:
    return urlsplit(p.url).netloc if p.url else ROUTER


def _name(p: Problem) -> str:
    return p.model or _where(p)


def _loading(p: Problem) -> str:
    if p.retry_after is not None:
        return _("{model} is loading: ready in about {seconds} s.").format(
            model=_name(p), seconds=format_number(p.retry_after)
        )
    return _("{model} is loading: try again in a moment.").format(model=_name(p))


def _rate_limited(p: Problem) -> str:
    if p.retry_after is not None:
        return _("Rate limited: retry after {seconds} s.").format(seconds=format_number(p.retry_after))
    return _("Rate limited: wait a moment and retry.")


def _not_found(p: Problem) -> str:
    if p.subject == "provider":
        return _(
            "No Inference Provider serves {model} for this task: try another model, or an endpoint URL."
        ).format(model=_name(p))
    return _("{model} was not found, or no provider serves it (check the name and the provider).").format(
        model=_name(p)
    )


def _forbidden(p: Problem) -> str:
    return _("Access denied by {where}.").format(where=_where(p)) + _suffix(p)


def _answered(p: Problem) -> str:
    return _("{where} answered {status}.").format(where=_where(p), status=p.status) + _suffix(p)


def _unreachable(p: Problem) -> str:
    if p.url is None:
        return _(
            "Cannot reach {where}: Inference Providers need internet access (offline, use an endpoint URL)."
        ).format(where=_where(p))
    return _("Cannot reach {where}: check the URL or that the server runs.").format(where=_where(p))


_INFERENCE: dict[str, Callable[[Problem], str]] = {
    "gated": lambda p: _("{model} is gated: accept its terms on the model page, then run again.").format(
        model=_name(p)
    ),
    "loading": _loading,
    "rate_limited": _rate_limited,
    "out_of_credits": lambda p: _(
        "Out of inference credits for this billing period: add credits or try another provider."
    ),
    "invalid_token": lambda p: _(
        "The token was refused (invalid, expired or without inference permission): log in again."
    ),
    "forbidden": _forbidden,
    "disabled": _forbidden,
    "not_found": _not_found,
    "bad_request": lambda p: _("The server refused the input.") + _suffix(p),
    "server_error": lambda p: _("Server error {status} from {where}: try again.").format(
        status=p.status, where=_where(p)
    ),
    "conflict": _answered,
    "precondition_failed": _answered,
    "too_large": _answered,
    "http_error": _answered,
    "timeout": lambda p: _("No answer from {where} in time: raise the timeout or retry.").format(
        where=_where(p)
    ),
    "unreachable": _unreachable,
    "offline": _unreachable,
    "broken_connection": lambda p: _("The connection to {where} broke off during the answer.").format(
        where=_where(p)
    ),
    "generation_failed": lambda p: _("The server stopped with an error: {text}").format(text=p.exc_text),
    "not_logged_in": lambda p: _("Log in first: Inference Providers need a Hugging Face token."),
    "missing_package": lambda p: _("A package is missing: {text}").format(text=p.exc_text),
}


def describe(problem: Problem) -> str:
    """One translated sentence for the user: what went wrong and what to do.

    Never contains a token (free text was scrubbed by `classify`) nor a traceback.

    Args:
        problem: What `classify` made of the exception.

    Returns:
        The sentence, in the words of the service that was called (Hub or inference).
    """
    table = _INFERENCE if problem.service == "inference" else _HUB
    return table.get(problem.kind, _unexpected)(problem)
