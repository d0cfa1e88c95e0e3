"""The sandbox Hub's routes, one module per area.

Each module exports `ROUTES`, its URL table: (pattern, handler class) pairs in matching order. Its
handlers parse the request, call the store or a domain module (`auth`, `lfs`, `cards`, `oauth`,
`inference`) and answer. `sandbox.app` mounts every table, in one place, with the shared state.
"""
