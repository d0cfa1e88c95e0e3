"""The sandbox Hub's small website: plain HTML pages for the links the widgets show (no JavaScript).

`render` turns store data into escaped HTML and repo markdown into sanitized HTML; the routes that
serve the pages are in `sandbox.routes.pages`. Nothing here imports the widgets: the sandbox has its
own renderer (the same libraries, markdown-it-py and nh3, not the same module).
"""
