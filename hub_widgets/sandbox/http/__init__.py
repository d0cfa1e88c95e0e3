"""The transport of the sandbox Hub: the base handler and shared state (`base`), app assembly (`app`)."""
