"""A tag input from core controls: a text field, and one removable button per tag.

ipywidgets' `TagsInput` ignores Enter and merges what is typed after a tag into one junk tag. Here a
comma or Enter turns the typed text into tags, the field is emptied, and each tag is a button that
removes it when clicked.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import traitlets

from hub_widgets._i18n import _


def split_tags(text: str) -> tuple[list[str], str]:
    """ "a, b,c" -> (["a", "b"], "c"): the finished tags before the last comma, and what follows it."""
    *done, rest = text.split(",")
    return [t.strip() for t in done if t.strip()], rest


class TagInput(W.VBox):
    """Tags as removable buttons above a text field; a comma or Enter adds what was typed.

    `value` is the list of tags (set it from code, observe it like any widget value).

    Args:
        placeholder: The text field's placeholder.
        value: The tags to start with.
    """

    value = traitlets.List(traitlets.Unicode())

    def __init__(self, placeholder: str = "", value: list[str] | None = None, **kwargs: Any) -> None:
        self.text = W.Text(placeholder=placeholder, continuous_update=True)
        self.chips = W.Box(layout=W.Layout(flex_flow="row wrap"))
        self.chips.add_class("hubw-row")
        self.chips.add_class("hubw-tag-chips")
        super().__init__([self.chips, self.text], **kwargs)
        self.add_class("hubw-tags")
        self.text.observe(self._on_typing, names="value")
        # Enter sends the Text's "submit" event; reading it here needs no deprecated on_submit.
        self.text.on_msg(self._on_text_msg)
        self.observe(lambda _c: self._draw(), names="value")
        self.value = list(value or [])
        self._draw()

    def add(self, text: str) -> None:
        """Add each comma-separated tag of `text` that is not there yet."""
        tags = [t.strip() for t in text.split(",") if t.strip()]
        new = [t for i, t in enumerate(tags) if t not in self.value and t not in tags[:i]]
        if new:
            self.value = [*self.value, *new]

    def remove(self, tag: str) -> None:
        """Remove `tag` (as its button's click does)."""
        self.value = [t for t in self.value if t != tag]

    def commit(self) -> None:
        """Turn what is typed in the field into tags (Enter does this; so does saving)."""
        typed = self.text.value
        if typed.strip():
            self.text.value = ""
            self.add(typed)

    def _on_typing(self, change: dict) -> None:
        if "," not in change["new"]:
            return
        done, rest = split_tags(change["new"])
        # The rest stays in the field: the next keystrokes go on with it, never into a finished tag.
        self.text.value = rest.lstrip()
        for tag in done:
            self.add(tag)

    def _on_text_msg(self, _widget: Any, content: dict, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "submit":
            self.commit()

    def _draw(self) -> None:
        buttons = []
        for tag in self.value:
            button = W.Button(
                description=tag,
                icon="times",
                tooltip=_("Remove this tag"),
                layout=W.Layout(width="auto"),
            )
            button.add_class("hubw-tag")
            button.on_click(lambda _b, tag=tag: self.remove(tag))
            buttons.append(button)
        old = self.chips.children
        self.chips.children = buttons
        for button in old:
            button.close()
        self.chips.layout.display = "" if buttons else "none"
