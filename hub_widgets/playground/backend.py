"""Where a playground call goes (a Hub model through Inference Providers, or a custom endpoint URL),
and the Python snippet that reproduces the call. Pure helpers: the session builds the client."""

from __future__ import annotations

import pprint
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from hub_widgets._i18n import _
from hub_widgets.errors import ValidationError
from hub_widgets.playground.tasks import Call

PROVIDERS = (
    "auto", "hf-inference", "cerebras", "cohere", "fal-ai", "featherless-ai", "fireworks-ai", "groq",
    "hyperbolic", "nebius", "novita", "nscale", "nvidia", "ovhcloud", "publicai", "replicate",
    "sambanova", "scaleway", "together", "wavespeed", "zai-org",
)  # fmt: skip
DEFAULT_TIMEOUT = 60.0


@dataclass(frozen=True)
class Backend:
    """One configuration of the playground.

    Args:
        model: A Hub model id. With an endpoint it names the model (for its task and examples, and
            for `{model}` in the URL); without one it is the model Inference Providers serve.
        provider: "auto" or a provider name (Inference Providers only).
        endpoint: A custom endpoint URL; "" means Inference Providers. `{model}` is replaced by
            the model id, so one URL pattern serves many models.
        send_token: The user ticked "send my token to this endpoint".
        timeout: Seconds to wait for an answer; None or 0 waits forever.
    """

    model: str = ""
    provider: str = "auto"
    endpoint: str = ""
    send_token: bool = False
    timeout: float | None = DEFAULT_TIMEOUT

    @property
    def url(self) -> str | None:
        """The endpoint URL with `{model}` filled in; None for Inference Providers."""
        if not self.endpoint.strip():
            return None
        return self.endpoint.strip().replace("{model}", self.model.strip())

    @property
    def timeout_seconds(self) -> float | None:
        return self.timeout if self.timeout and self.timeout > 0 else None

    def label(self) -> str:
        """A short name for this configuration, shown above its results."""
        if self.url:
            host = urlsplit(self.url).netloc or self.url
            return f"{self.model} @ {host}" if self.model and "{model}" in self.endpoint else host
        return f"{self.model} ({self.provider})"

    def check(self) -> None:
        """Raise ValidationError with a message for the user if this configuration cannot run."""
        if self.url:
            if "{model}" in self.endpoint and not self.model.strip():
                raise ValidationError(_("The endpoint URL contains {model}: enter a model id."))
            parts = urlsplit(self.url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValidationError(
                    _("The endpoint must be an http:// or https:// URL, not {url!r}.").format(url=self.url)
                )
        elif not self.model.strip():
            raise ValidationError(_("Enter a model id (owner/name) or an endpoint URL."))


def client_kwargs(backend: Backend) -> dict[str, Any]:
    """Arguments for `HubSession.inference_client` (the session adds the token per the token rule)."""
    if backend.url:
        return {"base_url": backend.url, "timeout": backend.timeout_seconds, "send_token": backend.send_token}
    return {"model": backend.model.strip(), "provider": backend.provider, "timeout": backend.timeout_seconds}


def python_snippet(backend: Backend, call: Call, token_allowed: bool) -> str:
    """Python code that reproduces `call` on `backend` with `InferenceClient`. Never contains a token.

    Args:
        backend: Where the call goes.
        call: The call the playground made.
        token_allowed: Whether the token goes to this backend (else the snippet withholds it too).
    """
    lines = ["from huggingface_hub import InferenceClient", ""]
    options = []
    if backend.url:
        options.append(f"base_url={backend.url!r}")
    else:
        options.append(f"model={backend.model.strip()!r}")
        options.append(f"provider={backend.provider!r}")
    if backend.timeout_seconds:
        options.append(f"timeout={backend.timeout_seconds:g}")
    if not token_allowed:
        options.append('headers={"authorization": ""}')
        lines.append("# Your Hugging Face token is not sent to this host (an empty header replaces it).")
    lines.append(f"client = InferenceClient({', '.join(options)})")
    args = [
        _literal(value) if i not in call.files else repr(call.files[i]) for i, value in enumerate(call.args)
    ]
    args += [f"{key}={_literal(value)}" for key, value in call.kwargs.items()]
    if call.files:
        lines.append("# Reads the file you uploaded: put it next to this notebook.")
    invocation = f"client.{call.method}({', '.join(args)})"
    if call.kwargs.get("stream") and call.method == "chat_completion":
        lines += [
            "text = ''",
            f"for chunk in {invocation}:",
            "    if chunk.choices and chunk.choices[0].delta.content:",
            "        text += chunk.choices[0].delta.content",
            "        print(chunk.choices[0].delta.content, end='')",
            "result = text",
        ]
    elif call.kwargs.get("stream"):
        lines += ["text = ''", f"for token in {invocation}:", "    text += token", "    print(token, end='')"]
        lines.append("result = text")
    else:
        lines.append(f"result = {invocation}")
    return "\n".join(lines) + "\n"


def _literal(value: Any) -> str:
    text = pprint.pformat(value, width=100, sort_dicts=False)
    return text if "\n" not in text else repr(value)
