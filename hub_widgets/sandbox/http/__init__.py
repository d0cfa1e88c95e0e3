"""The transport of the sandbox Hub: the base handler and the state its handlers share (`base`)."""
