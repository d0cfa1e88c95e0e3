"""The sandbox Hub's routes, one module per area.

Each module exports `routes(state) -> list[Rule]` (its URL table, bound to the shared state); the
handlers parse the request, call the store or a domain module (`auth`, `lfs`, `cards`, `oauth`,
`inference`) and answer. `sandbox.app` mounts them all, in one place.
"""
