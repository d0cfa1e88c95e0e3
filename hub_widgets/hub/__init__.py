"""Hub services: the only modules that call the Hub (`HfApi`, `InferenceClient`, `hf_hub_download`,
`snapshot_download`, `HfFileSystem`) or open a downloaded file.

Plain blocking functions taking a session (a `HubSession` or a widget's `SessionScope`), no widgets:
the views submit them (`self.submit(hub.repos.read_text, self.session, ...)`, see `ui.base.HubWidget`)
and show what they return. Errors are raised as `huggingface_hub` raised them; the views describe them.

- `auth`: who the token is, log in with a token or the browser (device code), switch, log out.
- `repos`: namespaces' repos, search, summary + card, refs, tree pages, read a file, downloads.
- `history`: commit pages, the files of two revisions (for a diff).
- `cards`: load a repo's card, save it back (with the 412 rule).
- `push`: plan and push a folder or Python objects (the former `push/upload.py`).
- `inference`: model info, example files, run a playground call.
"""
