"""Routes of the caller's account: whoami, the agent harnesses list, the index page."""

from __future__ import annotations

from ..http.base import BaseHandler, Route
from ..store import StoreError, git_blob_sha1, now_iso


class WhoamiHandler(BaseHandler):
    def do_get(self) -> None:
        if self.ident.anonymous:
            raise StoreError(401, "Invalid user token. Pass a valid token in the Authorization header.")
        user = self.ident.user or ""
        orgs = [
            {
                "type": "org",
                "name": org,
                "fullname": self.accounts.fullname(org),
                "roleInOrg": "write",
                "isEnterprise": False,
            }
            for org in self.accounts.orgs_of(user)
        ]
        self.send_json(
            {
                "type": "user",
                "id": git_blob_sha1(user.encode())[:24],
                "name": user,
                "fullname": self.accounts.fullname(user),
                "email": f"{user}@sandbox.local",
                "emailVerified": True,
                "canPay": False,
                "isPro": False,
                "avatarUrl": "",
                "orgs": orgs,
                "auth": {
                    "type": "access_token",
                    "accessToken": {
                        "displayName": self.ident.token_name or user,
                        "role": self.ident.role,
                        "createdAt": now_iso(),
                    },
                },
            }
        )


class HarnessesHandler(BaseHandler):
    def do_get(self) -> None:
        self.send_json({"standardEnvVars": [], "harnesses": {}})


class IndexHandler(BaseHandler):
    def do_get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            "<!doctype html><title>Sandbox Hub</title><h1>Sandbox Hub</h1>"
            "<p>A local Hugging Face Hub-compatible server. Point <code>HF_ENDPOINT</code> here.</p>"
        )


ROUTES: list[Route] = [
    (r"/", IndexHandler),
    (r"/api/whoami-v2", WhoamiHandler),
    (r"/api/agent-harnesses", HarnessesHandler),
]
