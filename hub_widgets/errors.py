"""The one exception family of hub_widgets."""


class HubWidgetsError(Exception):
    """Base class of every error hub_widgets raises itself. Its message is user-facing and translated."""


class CancelledError(HubWidgetsError):
    """Raised inside a running task when the user pressed Cancel."""


class ValidationError(HubWidgetsError, ValueError):
    """Bad input from the user (a malformed repo id, a missing file, ...)."""
