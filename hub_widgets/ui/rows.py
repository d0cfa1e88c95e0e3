"""A list of clickable rows whose text wraps: what a `<select>` list cannot do in a 260 px sidebar.

A `Select`'s options are one line each, so a long repo id, file name or commit title is cut at any width
narrower than the text. Here each row is a core `Button` whose label wraps (the stylesheet's
`.hubw-rows` rules); the API is the part of `Select` / `SelectMultiple` the browser uses (`options`
as (label, value) pairs, `value`, observing "value"), so views swap one for the other.
"""

from __future__ import annotations

import threading
from typing import Any

import ipywidgets as W
import traitlets
from ipywidgets.widgets.widget_bool import ToggleButtonStyle

from hub_widgets._i18n import _


class RowList(W.VBox):
    """Rows of (label, value) as buttons; clicking a row selects it.

    With `multiple`, `value` is a tuple: a click on a row selects that row alone, and each row's
    side toggle adds it to (or takes it out of) the selection, for picking two to compare.

    Args:
        multiple: Allow several rows selected (via the side toggles).
        toggle_tooltip: The side toggle's tooltip (with `multiple`).
        max_height: The list scrolls beyond this height (CSS length).
    """

    options = traitlets.List()
    value = traitlets.Any(None, allow_none=True)

    def __init__(
        self,
        multiple: bool = False,
        toggle_tooltip: str = "",
        max_height: str = "24em",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.multiple = multiple
        self.toggle_tooltip = toggle_tooltip or _("Add to the comparison")
        self.layout.max_height = max_height
        self.layout.overflow_y = "auto"
        self.layout.width = "100%"
        self.add_class("hubw-rows")
        # Rows are kept and relabelled, not rebuilt: a redraw of a long list sends only new labels.
        self._pool: list[W.Widget] = []
        self._buttons: list[W.Button] = []
        self._toggles: list[W.ToggleButton] = []
        # One layout and one style model for every row: a row then costs one model, not three.
        self._row_layout = W.Layout(width="100%")
        self._row_style = W.ButtonStyle()
        self._toggle_layout = W.Layout(width="32px", flex="0 0 auto")
        self._toggle_style = ToggleButtonStyle()
        self._pair_layout = W.Layout(width="100%", flex_flow="row nowrap")
        self._drawing = False
        self._lock = threading.RLock()  # workers set options while the user clicks
        if multiple:
            self.value = ()
        self.observe(self._on_options, names="options")
        self.observe(lambda _c: self._mark(), names="value")

    # -- what Select offers ------------------------------------------------------------------

    @property
    def labels(self) -> list[str]:
        """The rows' labels, in order."""
        return [label for label, _value in self.options]

    def click(self, index: int) -> None:
        """Click row `index` (as the user does)."""
        value = self.options[index][1]
        self.value = (value,) if self.multiple else value

    def toggle(self, index: int) -> None:
        """Flip row `index`'s side toggle (with `multiple`): add it to the selection, or take it out."""
        value = self.options[index][1]
        picked = tuple(self.value or ())
        self.value = tuple(v for v in picked if v != value) if value in picked else (*picked, value)

    # -- drawing -------------------------------------------------------------------------------

    def _on_options(self, change: dict) -> None:
        values = {v for _l, v in change["new"]}
        if self.multiple:
            kept = tuple(v for v in (self.value or ()) if v in values)
            if kept != tuple(self.value or ()):
                self.value = kept
        elif self.value is not None and self.value not in values:
            self.value = None
        self._draw()

    def _grow(self, labels: list[str]) -> None:
        while len(self._buttons) < len(labels):
            index = len(self._buttons)
            # Classes given at creation: add_class afterwards would send one more message per row.
            button = W.Button(
                description=labels[index],
                layout=self._row_layout,
                style=self._row_style,
                _dom_classes=("hubw-row-button",),
            )
            button.on_click(lambda _b, i=index: self.click(i))
            self._buttons.append(button)
            if self.multiple:
                toggle = W.ToggleButton(
                    icon="plus",
                    tooltip=self.toggle_tooltip,
                    layout=self._toggle_layout,
                    style=self._toggle_style,
                    _dom_classes=("hubw-icon-only",),
                )
                toggle.observe(lambda change, i=index: self._on_toggle(i, change), names="value")
                self._toggles.append(toggle)
                row = W.HBox([toggle, button], layout=self._pair_layout, _dom_classes=("hubw-row-pair",))
                self._pool.append(row)
            else:
                self._pool.append(button)

    def _on_toggle(self, index: int, change: dict) -> None:
        if self._drawing or index >= len(self.options):
            return
        value = self.options[index][1]
        picked = tuple(self.value or ())
        if change["new"] and value not in picked:
            self.value = (*picked, value)
        elif not change["new"] and value in picked:
            self.value = tuple(v for v in picked if v != value)

    def _draw(self) -> None:
        with self._lock:
            options = list(self.options)
            self._grow([label for label, _value in options])
            for button, (label, _value) in zip(self._buttons, options, strict=False):
                if button.description != label:
                    button.description = label
            self.children = self._pool[: len(options)]
            self._mark()

    def _mark(self) -> None:
        with self._lock:
            options = list(self.options)[: len(self._buttons)]
            picked = set(self.value or ()) if self.multiple else {self.value}
            self._drawing = True
            try:
                for index, (_label, value) in enumerate(options):
                    on = value in picked
                    style = "info" if on else ""
                    if self._buttons[index].button_style != style:
                        self._buttons[index].button_style = style
                    if self.multiple:
                        toggle = self._toggles[index]
                        if toggle.value != on:
                            toggle.value = on
                        icon = "check" if on else "plus"
                        if toggle.icon != icon:
                            toggle.icon = icon
            finally:
                self._drawing = False

    def close(self) -> None:
        for widget in self._pool:
            if isinstance(widget, W.HBox):
                for child in widget.children:
                    child.close()
            widget.close()
        for shared in (
            self._row_layout,
            self._row_style,
            self._toggle_layout,
            self._toggle_style,
            self._pair_layout,
        ):
            shared.close()
        super().close()
