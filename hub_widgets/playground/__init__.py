"""The inference playground: every common task, streaming chat, two backends side by side."""
