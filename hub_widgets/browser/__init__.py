"""RepoBrowser: search the Hub, then explore a repo's card, files and history.

Pure logic (query building, row formatting, revision diffs) lives in `search`, `repo` and `diff`;
the widgets in `files`, `history` and `panel` only show what the session's workers fetched.
"""
