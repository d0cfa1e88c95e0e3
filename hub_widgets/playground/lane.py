"""One configuration of the playground (model, provider or endpoint) and what it answered.

The playground shows one lane, or two side by side in compare mode. A lane holds its own chat
history, so two models can hold the same conversation in parallel.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W

from hub_widgets._i18n import _, format_number, ngettext
from hub_widgets.hub import inference
from hub_widgets.playground import render
from hub_widgets.playground.backend import PROVIDERS, Backend, client_kwargs, python_snippet
from hub_widgets.playground.tasks import Call, render_result
from hub_widgets.problems import Problem
from hub_widgets.session import HubSession
from hub_widgets.ui import link, shorten

MAX_UPDATES_PER_SECOND = 20


@dataclass
class StreamStats:
    """Timings of one streamed answer (perf_counter seconds), for the user and the benchmarks."""

    started: float = 0.0
    first_chunk: float | None = None
    first_token: float | None = None  # the first chunk that carried text
    first_shown: float | None = None
    finished: float | None = None
    updates: int = 0
    chunks: int = 0
    served_by: str = ""  # the answer's model and system fingerprint (chat), e.g. "org/model (3.0.1)"
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    update_times: list[float] = field(default_factory=list)


class Throttle:
    """Lets an update through at most `rate` times a second; the first one at once."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.last = float("-inf")

    def ready(self, now: float) -> bool:
        if now - self.last >= self.interval:
            self.last = now
            return True
        return False


class Lane:
    """A backend configuration (`config`, shown above the inputs) and its answers (`view`)."""

    def __init__(
        self,
        session: HubSession,
        title: str,
        model: str = "",
        provider: str = "auto",
        endpoint: str = "",
    ) -> None:
        self.session = session
        self.name = title
        self.title = W.HTML(f"<b>{html.escape(title)}</b>")
        self.title_copy = W.HTML(f"<b>{html.escape(title)}</b>")
        self.model = W.Text(
            value=model, description=_("Model"), placeholder=_("owner/name"), continuous_update=False
        )
        self.backend_kind = W.ToggleButtons(
            options=[(_("Inference Providers"), "providers"), (_("Endpoint URL"), "endpoint")],
            value="endpoint" if endpoint else "providers",
        )
        self.provider = W.Dropdown(
            description=_("Provider"), options=PROVIDERS if provider in PROVIDERS else (provider, *PROVIDERS)
        )
        self.provider.value = provider
        self.endpoint = W.Text(
            value=endpoint,
            description=_("URL"),
            placeholder=_("https://host/…/{model}"),
            tooltip=_("A TGI, vLLM or Inference Endpoint URL; {model} is replaced by the model id."),
            continuous_update=False,
            layout=W.Layout(width="100%"),
        )
        self.send_token = W.Checkbox(
            value=False, description=_("Send my Hugging Face token to this endpoint")
        )
        self.token_note = W.HTML()
        self.latency = W.HTML()
        self.problem_view = W.HTML()
        self.output = W.HTML(layout=W.Layout(min_height="2em"))
        self.raw = W.HTML(layout=W.Layout(display="none"))
        # Two lanes share a row while each gets 240 px, else they stack (ui/style.py).
        box = {"flex": "1 1 240px", "min_width": "0", "padding": "4px"}
        self.config = W.VBox(
            [
                self.title,
                self.model,
                self.backend_kind,
                self.provider,
                self.endpoint,
                self.send_token,
                self.token_note,
            ],
            layout=W.Layout(**box),
        )
        self.view = W.VBox(
            [self.title_copy, self.problem_view, self.latency, self.output, self.raw],
            layout=W.Layout(border="1px solid #e5e7eb", **box),
        )
        # The answers' box shows once it has something (no empty box before the first run); `shown`
        # is the playground's say (lane B only in compare mode).
        self.shown = True
        self._has_content = False
        self._refresh_view()
        self.history: list[dict[str, str]] = []
        self.result: Any = None
        self.last_call: Call | None = None
        self.last_backend: Backend | None = None
        self.problem: Problem | None = None
        self.stats = StreamStats()
        # The URL the opt-in was given for: it holds for that URL only.
        self._url = self._current_url()
        for control in (self.backend_kind, self.endpoint, self.model):
            control.observe(self._on_url_change, "value")
        self.send_token.observe(self._refresh_backend_view, "value")
        self._refresh_backend_view()

    # -- configuration ----------------------------------------------------------------------------

    def backend(self, timeout: float | None) -> Backend:
        endpoint = self.endpoint.value.strip() if self.backend_kind.value == "endpoint" else ""
        return Backend(
            model=self.model.value.strip(),
            provider=self.provider.value,
            endpoint=endpoint,
            send_token=self.send_token.value,
            timeout=timeout,
        )

    def _current_url(self) -> str | None:
        return self.backend(None).url if self.backend_kind.value == "endpoint" else None

    def _on_url_change(self, change: dict | None = None) -> None:
        url = self._current_url()
        if url != self._url:
            self._url = url
            self.send_token.value = False  # an opt-in is for the URL it was given for, not the next one
        self._refresh_backend_view()

    def _refresh_backend_view(self, change: dict | None = None) -> None:
        endpoint_mode = self.backend_kind.value == "endpoint"
        self.provider.layout.display = "none" if endpoint_mode else ""
        self.endpoint.layout.display = "" if endpoint_mode else "none"
        url = self._current_url()
        hf_host = url is None or self.session.is_hf_host(url)
        self.send_token.layout.display = "" if endpoint_mode and url and not hf_host else "none"
        if not endpoint_mode:
            note = _("Your token goes to Hugging Face's router only.")
        elif not url:
            note = ""
        elif hf_host and self.session.is_own_hub(url):
            note = _("Your token is sent: this is the Hub you log in to.")
        elif hf_host:
            note = _("Your token is sent: this is a Hugging Face host.")
        elif self.send_token.value:
            note = _("Your token is sent to this endpoint (you opted in).")
        else:
            note = _("Your token is not sent to this endpoint.")
        self.token_note.value = (
            f"<span class='hubw-token-note' style='color:#666;font-size:90%'>{html.escape(note)}</span>"
        )

    def set_providers(self, providers: list[str]) -> None:
        """Offer the providers that serve the model ("auto" first); every known one if none is listed."""
        options = ("auto", *providers) if providers else PROVIDERS
        current = self.provider.value
        self.provider.options = options
        self.provider.value = current if current in options else "auto"

    def token_allowed(self, backend: Backend) -> bool:
        return self.session.may_send_token(backend.url, backend.send_token)

    def client(self, backend: Backend) -> Any:
        return inference.client(self.session, **client_kwargs(backend))

    def snippet(self) -> str | None:
        """Python that reproduces this lane's last call, or None before the first call."""
        if self.last_call is None or self.last_backend is None:
            return None
        return python_snippet(self.last_backend, self.last_call, self.token_allowed(self.last_backend))

    # -- showing results --------------------------------------------------------------------------

    def show(self, shown: bool) -> None:
        """Show or hide this lane (configuration and answers): lane B shows in compare mode only."""
        self.shown = shown
        self.config.layout.display = "" if shown else "none"
        self._refresh_view()

    def _content(self, present: bool) -> None:
        self._has_content = present
        self._refresh_view()

    def _refresh_view(self) -> None:
        self.view.layout.display = "" if self.shown and self._has_content else "none"

    def show_raw(self, visible: bool) -> None:
        self.raw.layout.display = "" if visible else "none"

    def clear_output(self) -> None:
        self.result, self.problem = None, None
        self.output.value = ""
        self.raw.value = ""
        self.latency.value = ""
        self.problem_view.value = ""
        self._content(False)

    def show_busy(self, text: str) -> None:
        self.problem_view.value = ""
        self.latency.value = f"<span class='hubw-busy' style='color:#555'>{html.escape(text)}</span>"
        self._content(True)

    def show_stopped(self) -> None:
        """Replace a "waiting" line once the user stopped the call (a streamed answer updates itself)."""
        if "hubw-busy" in self.latency.value:
            self.latency.value = _latency_html(_("stopped"))

    def show_result(self, task: str, result: Any, values: dict[str, Any], seconds: float) -> None:
        self.result, self.problem = result, None
        self.problem_view.value = ""
        self.output.value = render_result(task, result, values)
        self.raw.value = render.raw_json(result)
        self.latency.value = _latency_html(_("answered in {ms} ms").format(ms=format_number(seconds * 1000)))
        self._content(True)

    def show_problem(self, problem: Problem) -> None:
        self.problem = problem
        extra = ""
        if problem.link:
            extra = " " + link(problem.link, _("Open the page"))
        self.problem_view.value = (
            f"<span class='hubw-problem hubw-{problem.kind}' style='color:#cf222e'>"
            '<i class="fa fa-times-circle" aria-hidden="true"></i> '
            f"{html.escape(shorten(problem.message, 2_000))}</span>{extra}"
        )
        self.latency.value = ""
        self._content(True)

    def show_chat(self, pending: str | None = None, note: str = "") -> None:
        self.output.value = render.chat_html(self.history, pending, note)
        shown = any(m.get("role") != "system" for m in self.history) or pending is not None or bool(note)
        self._content(shown or bool(self.problem_view.value))

    def show_stream_stats(self, stopped: bool) -> None:
        s = self.stats
        parts = []
        if s.first_chunk is not None:
            parts.append(
                _("first token {ms} ms").format(ms=format_number((s.first_chunk - s.started) * 1000))
            )
        if s.finished is not None:
            parts.append(_("total {seconds} s").format(seconds=format_number(s.finished - s.started, 2)))
        completion = s.completion_tokens if s.completion_tokens is not None else s.chunks
        if s.prompt_tokens is not None:
            parts.append(
                ngettext("{n} prompt token", "{n} prompt tokens", s.prompt_tokens).format(n=s.prompt_tokens)
            )
        parts.append(
            ngettext("{n} completion token", "{n} completion tokens", completion).format(n=completion)
        )
        if s.first_chunk is not None and s.finished is not None and s.finished > s.first_chunk and completion:
            parts.append(
                _("{rate} tokens/s").format(rate=format_number(completion / (s.finished - s.first_chunk), 1))
            )
        if stopped:
            parts.append(_("stopped"))
        if s.served_by:
            parts.append(_("served by {name}").format(name=s.served_by))
        self.latency.value = _latency_html(" · ".join(parts))

    # -- streaming --------------------------------------------------------------------------------

    def stream_answer(self, chunks: Any, is_chat: bool, cancelled: Any, on_text: Any) -> tuple[str, bool]:
        """Consume a stream, showing the text at most MAX_UPDATES_PER_SECOND times a second.

        Args:
            chunks: The iterator `InferenceClient` returned (chat chunks or text tokens).
            is_chat: Chat chunks (`choices[0].delta.content`) rather than plain text tokens.
            cancelled: A callable: True once the user pressed Stop.
            on_text: Called with the text so far (on the worker thread) when an update is due.

        Returns:
            The text received, and whether the user stopped it.
        """
        throttle = Throttle(MAX_UPDATES_PER_SECOND)
        stats = self.stats
        pieces: list[str] = []
        stopped = False
        try:
            for chunk in _until_stopped(chunks, cancelled):
                now = time.perf_counter()
                if stats.first_chunk is None:
                    stats.first_chunk = now
                if cancelled():
                    stopped = True
                    break
                if is_chat:
                    if not stats.served_by and getattr(chunk, "model", None):
                        fingerprint = getattr(chunk, "system_fingerprint", None)
                        stats.served_by = chunk.model + (f" ({fingerprint})" if fingerprint else "")
                    usage = getattr(chunk, "usage", None)
                    if usage:
                        stats.prompt_tokens = getattr(usage, "prompt_tokens", None)
                        stats.completion_tokens = getattr(usage, "completion_tokens", None)
                    choices = getattr(chunk, "choices", None) or []
                    piece = (choices[0].delta.content or "") if choices and choices[0].delta else ""
                else:
                    piece = str(chunk)
                if not piece:
                    continue
                stats.chunks += 1
                if stats.first_token is None:
                    stats.first_token = now
                pieces.append(piece)
                if throttle.ready(now):
                    on_text("".join(pieces))
                    self._count_update()
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # frees the connection when stopped early
        stopped = stopped or bool(cancelled())
        stats.finished = time.perf_counter()
        return "".join(pieces), stopped

    def _count_update(self) -> None:
        stats = self.stats
        now = time.perf_counter()
        if stats.first_shown is None:
            stats.first_shown = now
        stats.updates += 1
        stats.update_times.append(now)


def _until_stopped(chunks: Any, cancelled: Any) -> Any:
    """The chunks, ending quietly when Stop closed the connection under the stream."""
    iterator = iter(chunks)
    while True:
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except Exception:
            if cancelled():
                return  # the broken read is the Stop itself, not an error to show
            raise
        yield chunk


def _latency_html(text: str) -> str:
    return f"<span class='hubw-latency' style='color:#555;font-size:90%'>{html.escape(text)}</span>"
