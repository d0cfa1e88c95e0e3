"""What every hub-widgets view does when it is closed: stop listening, cancel its work.

A view works through its own `SessionScope` (`self.session = scoped(session)`), which records the
listeners it registers and the tasks it submits; `close()` closes that scope, the hub widgets it
hosts, and finally the widget itself. A view hosting another one passes it `self.session`, so the
inner view's scope is a child of the outer one and is cancelled with it even if never closed.
"""

from __future__ import annotations

from typing import Any

from hub_widgets.session import SessionScope


class ClosesItsWork:
    """Mixin for ipywidgets views: `close()` unsubscribes from the session and cancels the view's tasks.

    Subclasses with more to stop (timers, secrets in fields) override `close()` and call `super()`.
    Hosted hub widgets listed by `_hosted()` are closed too.
    """

    def _hosted(self) -> list[Any]:
        """The hub widgets this view built and shows (closed with it)."""
        return []

    def close(self) -> None:
        session = self.__dict__.get("session")
        if isinstance(session, SessionScope):
            session.close()
        for widget in self._safe_hosted():
            if widget is not None and widget is not self:
                widget.close()
        # Then every control below: a live box holding a closed child could not even report its state.
        for widget in _descendants(self):
            widget.close()
        super().close()  # type: ignore[misc]

    def _safe_hosted(self) -> list[Any]:
        try:
            return list(self._hosted())
        except AttributeError:  # closed while half-built (close() also runs from __del__)
            return []


def _descendants(root: Any) -> list[Any]:
    """The widgets below `root` (through `children`), deepest first."""
    found: list[Any] = []
    stack = list(root.__dict__.get("_trait_values", {}).get("children", ()) or ())
    seen = {id(root)}
    while stack:
        widget = stack.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        found.append(widget)
        stack.extend(getattr(widget, "children", ()) or ())
    return found[::-1]
