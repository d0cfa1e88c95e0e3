"""Generation tasks: chat (a streamed conversation) and text generation (a streamed continuation)."""

from __future__ import annotations

from typing import Any

from hub_widgets._i18n import N_, _
from hub_widgets.playground.render import text_block
from hub_widgets.playground.tasks.base import (
    TEMPERATURE,
    Call,
    Field,
    TaskSpec,
    positive_int,
    temperature,
    text,
    unit_interval,
)


def build_chat_call(messages: list[dict[str, str]], values: dict[str, Any], model: str | None) -> Call:
    """The streaming `chat_completion` call for a conversation.

    Args:
        messages: The conversation so far, ending with the user's new message.
        values: The chat form (temperature, max_tokens, top_p).
        model: Sent as the payload's model (an OpenAI-compatible server may need it); None lets the
            client choose.
    """
    kwargs: dict[str, Any] = {
        "max_tokens": positive_int(values.get("max_tokens"), _("Max tokens")),
        "temperature": temperature(values.get("temperature")),
        "top_p": unit_interval(values.get("top_p"), _("Top p")),
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    if model:
        kwargs["model"] = model
    return Call("chat_completion", ([dict(m) for m in messages],), kwargs)


def _chat_first_turn(values: dict[str, Any]) -> Call:
    # The playground builds each turn from the lane's conversation (build_chat_call); this is the
    # first turn of a fresh one, from the form alone.
    system = str(values.get("system") or "").strip()
    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": text(values, "message", _("a message"))})
    return build_chat_call(messages, values, None)


def _chat_card_entry(key: str, value: Any) -> dict[str, Any] | None:
    """A card example's `messages` list: the system prompt and the user's message."""
    if key != "messages" or not isinstance(value, list):
        return None
    values: dict[str, Any] = {}
    for message in value:
        if isinstance(message, dict) and message.get("role") == "system":
            values["system"] = str(message.get("content", ""))
        elif isinstance(message, dict) and message.get("role") == "user":
            values["message"] = str(message.get("content", ""))
    return values


def _text_generation(values: dict[str, Any]) -> Call:
    return Call(
        "text_generation",
        (text(values, "text", _("a prompt")),),
        {
            "max_new_tokens": positive_int(values.get("max_new_tokens"), _("Max new tokens")),
            "temperature": temperature(values.get("temperature")),
            "stream": True,
        },
    )


def _streamed_text(result: Any, values: dict[str, Any]) -> str:
    return text_block(str(result))


TASKS = (
    TaskSpec(
        "chat",
        N_("Chat"),
        (
            Field("system", N_("System prompt"), "text", "You are a helpful assistant."),
            Field("message", N_("Message"), "text", "Tell me a fun fact about the moon."),
            TEMPERATURE,
            Field("max_tokens", N_("Max tokens"), "int", 256),
            Field("top_p", N_("Top p"), "float", 0.95),
        ),
        build=_chat_first_turn,
        method="chat_completion",
        render=_streamed_text,
        streams=True,
        aliases=("conversational", "image-text-to-text"),
        card_keys={"text": "message"},
        card_entry=_chat_card_entry,
    ),
    TaskSpec(
        "text-generation",
        N_("Text generation"),
        (
            Field("text", N_("Prompt"), "text", "Once upon a time, in a small village,"),
            Field("max_new_tokens", N_("Max new tokens"), "int", 64),
            TEMPERATURE,
        ),
        build=_text_generation,
        render=_streamed_text,
        streams=True,
    ),
)
