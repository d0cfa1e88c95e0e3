"""The sandbox Hub's website (issue 17 §2): the pages behind the links the widgets show.

Repos and commits are made with the real `huggingface_hub` client; the pages are read the way a browser
reads them (plain HTTP with `Accept: text/html`, a cookie jar per browser) and checked for their content,
for escaping (payload repo names, commit messages, cards and comments stay inert), for the API's read
rules (private repos: 404 for anyone else) and for CSRF on the tokens page.
"""

from __future__ import annotations

import re
import secrets

import httpx
import pytest
from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import HfHubHTTPError

from hub_widgets.sandbox.inference.images import solid_png
from tests import xss_payloads as X
from tests.conftest import ALICE, BOB

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PAYLOAD = '<script>window.__xss_1=1</script><img src=x onerror="window.__xss_2=1">'


def browser(endpoint: str) -> httpx.Client:
    """A fresh browser: its own cookie jar, asking for HTML."""
    return httpx.Client(base_url=endpoint, headers=HTML, follow_redirects=True, timeout=30)


def main_part(page: str) -> str:
    """The page's content (the layout's own <style> and header left out)."""
    match = re.search(r"<main>(.*)</main>", page, re.S)
    assert match, page[:500]
    return match.group(1)


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, "no CSRF field on the page"
    return match.group(1)


def sign_in(client: httpx.Client, token: str) -> httpx.Response:
    page = client.get("/settings/tokens")
    return client.post(
        "/settings/tokens", data={"csrf": csrf_of(page.text), "action": "signin", "token": token}
    )


@pytest.fixture
def payload_repo(api: HfApi, repo_name: str):
    """alice's repo with the XSS battery in its card, a payload commit message, files, a PR with comments."""
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id)
    files = {
        "README.md": X.readme(),
        "logo.png": solid_png(8, 8, (200, 30, 30)),
        "docs/guide.md": "# guide\n<script>window.__xss_1=1</script>\n",
        "bin.dat": bytes(range(256)),
        "weights.safetensors": secrets.token_bytes(2048),
    }
    ops = [CommitOperationAdd(p, c.encode() if isinstance(c, str) else c) for p, c in files.items()]
    api.create_commit(repo_id, ops, commit_message="add the payloads")
    info = api.create_commit(
        repo_id,
        [CommitOperationAdd("notes.txt", b"line one\n" + PAYLOAD.encode() + b"\n")],
        commit_message=PAYLOAD,
        commit_description="javascript:alert(1) " + PAYLOAD,
    )
    pr = api.create_pull_request(repo_id, title="PR " + PAYLOAD, description="**bold** " + PAYLOAD)
    api.comment_discussion(repo_id, pr.num, "[js](javascript:window.__xss_5=1) and " + PAYLOAD)
    api.change_discussion_status(repo_id, pr.num, "closed")
    yield repo_id, info, pr
    api.delete_repo(repo_id)


def test_client_requests_to_page_urls_keep_the_json_404(endpoint, payload_repo):
    repo_id, info, pr = payload_repo
    for path in (
        f"/{repo_id}",
        f"/{repo_id}/commit/{info.oid}",
        f"/{repo_id}/discussions/{pr.num}",
        f"/{repo_id}/tree/main",
        f"/{repo_id}/blob/main/README.md",
        "/settings/tokens",
    ):
        # What huggingface_hub sends (no text/html in Accept), with and without a token.
        for headers in (
            {},
            {"Accept": "*/*"},
            {"Authorization": f"Bearer {ALICE}", "Accept": "application/json"},
        ):
            answer = httpx.get(endpoint + path, headers=headers)
            assert answer.status_code == 404, path
            assert answer.headers["content-type"].startswith("application/json")
            assert answer.json() == {"error": f"Sorry, the route GET {path} does not exist on the sandbox."}
    # The API and file routes answer as before, even to a browser's Accept header.
    assert httpx.get(f"{endpoint}/api/models/{repo_id}", headers=HTML).json()["id"] == repo_id
    raw = httpx.get(f"{endpoint}/{repo_id}/resolve/main/notes.txt", headers=HTML)
    assert raw.status_code == 200 and raw.content.startswith(b"line one")


def test_repo_page_shows_the_sanitized_card_and_the_files(endpoint, payload_repo):
    repo_id, info, pr = payload_repo
    with browser(endpoint) as client:
        page = client.get(f"/{repo_id}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    body = main_part(page.text)
    assert X.dangerous(body) == []
    assert "<h1>Payload model card</h1>" in body and "<strong>bold</strong>" in body and "<table>" in body
    assert "do-not-show" not in body  # front matter is not part of the card
    # The relative image resolves against the repo's files; a relative link too.
    assert f'src="{endpoint}/{repo_id}/resolve/main/logo.png"' in body
    assert f'href="{endpoint}/{repo_id}/resolve/main/docs/guide.md"' in body
    # The file list links to the tree and blob pages.
    assert f'href="/{repo_id}/tree/main/docs"' in body and f'href="/{repo_id}/blob/main/notes.txt"' in body
    # Recent commits, escaped; the pull request with its escaped title.
    assert f'href="/{repo_id}/commit/{info.oid}"' in body
    assert "&lt;script&gt;window.__xss_1=1&lt;/script&gt;" in body
    assert f'href="/{repo_id}/discussions/{pr.num}"' in body and "PR &lt;script&gt;" in body


def test_commit_page_shows_the_message_and_the_escaped_diff(endpoint, payload_repo):
    repo_id, info, _ = payload_repo
    with browser(endpoint) as client:
        page = client.get(f"/{repo_id}/commit/{info.oid}")
        first = client.get(f"/{repo_id}/commit/{info.oid}".replace(info.oid, "main"))
    assert page.status_code == 200
    body = main_part(page.text)
    assert X.dangerous(body) == []
    assert "<h2>&lt;script&gt;window.__xss_1=1&lt;/script&gt;" in body
    assert "javascript:alert(1) &lt;script&gt;" in body  # the description, as text
    assert "notes.txt" in body and "added" in body and "1 file changed" in body
    assert '<span class="add">+line one</span>' in body
    assert '<span class="add">+&lt;script&gt;window.__xss_1=1&lt;/script&gt;' in body
    assert info.oid in first.text  # a branch name opens its head commit


def test_discussion_page_shows_its_events(endpoint, payload_repo):
    repo_id, info, pr = payload_repo
    with browser(endpoint) as client:
        page = client.get(f"/{repo_id}/discussions/{pr.num}")
        missing = client.get(f"/{repo_id}/discussions/999")
    assert page.status_code == 200
    body = main_part(page.text)
    assert X.dangerous(body) == []
    assert "PR &lt;script&gt;window.__xss_1=1&lt;/script&gt;" in body
    assert "Pull request" in body and f"refs/pr/{pr.num}" in body
    assert "<strong>bold</strong>" in body  # the description is markdown, sanitized
    assert "[js](javascript:window.__xss_5=1)" in body and ">js</a>" not in body  # no link: text
    assert "changed the status to <b>closed</b>" in body
    assert body.count('class="event comment"') == 2
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


def test_tree_and_blob_pages(endpoint, payload_repo):
    repo_id, _, _ = payload_repo
    with browser(endpoint) as client:
        tree = client.get(f"/{repo_id}/tree/main/docs")
        text = client.get(f"/{repo_id}/blob/main/docs/guide.md")
        image = client.get(f"/{repo_id}/blob/main/logo.png")
        binary = client.get(f"/{repo_id}/blob/main/bin.dat")
        lfs = client.get(f"/{repo_id}/blob/main/weights.safetensors")
        nothing = client.get(f"/{repo_id}/blob/main/nope.txt")
        bad_rev = client.get(f"/{repo_id}/tree/no-such-branch")
    assert f'href="/{repo_id}/blob/main/docs/guide.md"' in tree.text
    body = main_part(text.text)
    assert X.dangerous(body) == [] and "# guide\n&lt;script&gt;window.__xss_1=1&lt;/script&gt;" in body
    assert re.search(r'<img alt="logo.png" src="data:image/png;base64,[A-Za-z0-9+/=]+"', image.text)
    assert "Git LFS" in binary.text and "256 bytes" in binary.text  # the client puts binaries in LFS
    assert "Git LFS" in lfs.text and "2.0 kB" in lfs.text
    assert f'href="{endpoint}/{repo_id}/resolve/main/weights.safetensors?download=true"' in lfs.text
    assert nothing.status_code == 404 and bad_rev.status_code == 404


def test_a_payload_repo_name_is_escaped_and_dataset_pages_work(endpoint, api, repo_name):
    # Repo names cannot hold markup; the closest a name gets is quotes and dots, in an attribute.
    repo_id = f"alice/{repo_name}-x.y_z"
    api.create_repo(repo_id, repo_type="dataset")
    api.upload_file(
        path_or_fileobj=b"a,b\n1,2\n", path_in_repo="data/t.csv", repo_id=repo_id, repo_type="dataset"
    )
    try:
        with browser(endpoint) as client:
            page = client.get(f"/datasets/{repo_id}")
            model = client.get(f"/{repo_id}")  # not a model
            blob = client.get(f"/datasets/{repo_id}/blob/main/data/t.csv")
        assert page.status_code == 200 and ">dataset</span>" in page.text
        assert f'href="/datasets/{repo_id}/tree/main/data"' in page.text
        assert model.status_code == 404
        assert "a,b\n1,2" in blob.text
    finally:
        api.delete_repo(repo_id, repo_type="dataset")


def test_private_repo_pages_are_for_readers_only(endpoint, api, repo_name):
    repo_id = f"alice/{repo_name}"
    api.create_repo(repo_id, private=True)
    info = api.upload_file(path_or_fileobj=b"# secret card\n", path_in_repo="README.md", repo_id=repo_id)
    paths = [
        f"/{repo_id}",
        f"/{repo_id}/tree/main",
        f"/{repo_id}/blob/main/README.md",
        f"/{repo_id}/commit/{info.oid}",
    ]
    try:
        with browser(endpoint) as anonymous, browser(endpoint) as bob, browser(endpoint) as alice:
            assert sign_in(bob, BOB).status_code == 200
            assert sign_in(alice, ALICE).status_code == 200
            for path in paths:
                for client in (anonymous, bob):
                    answer = client.get(path)
                    assert answer.status_code == 404, path
                    assert (
                        "secret card" not in answer.text and repo_name in answer.text
                    )  # the asked-for id only
                assert alice.get(path).status_code == 200, path
            assert "<h1>secret card</h1>" in alice.get(f"/{repo_id}").text
            # A bearer token gives a page nothing: pages identify the browser's session only.
            sneaky = httpx.get(f"{endpoint}/{repo_id}", headers={**HTML, "Authorization": f"Bearer {ALICE}"})
            assert sneaky.status_code == 404
    finally:
        api.delete_repo(repo_id)


def test_tokens_page_creates_and_revokes_tokens(endpoint):
    with browser(endpoint) as client:
        signed_out = client.get("/settings/tokens")
        assert "Sign in" in signed_out.text and "Create token" not in signed_out.text
        page = sign_in(client, BOB)
        assert page.status_code == 200 and "Access tokens of bob" in page.text
        page = client.post(
            "/settings/tokens",
            data={
                "csrf": csrf_of(page.text),
                "action": "create",
                "name": "notebook <b>x</b>",
                "role": "write",
            },
        )
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        token = re.search(r'class="secret" readonly size="50" value="([^"]+)"', page.text).group(1)
        assert "notebook &lt;b&gt;x&lt;/b&gt;" in page.text
        me = HfApi(endpoint=endpoint, token=token).whoami()
        assert me["name"] == "bob" and me["auth"]["accessToken"]["role"] == "write"
        # Shown once: the next page lists the token (by name and id), never its value.
        again = client.get("/settings/tokens")
        assert token not in again.text and "notebook &lt;b&gt;x&lt;/b&gt;" in again.text
        row = re.search(
            r"notebook &lt;b&gt;x&lt;/b&gt;</td>.*?name=\"token_id\" value=\"([0-9a-f]+)\"", again.text, re.S
        )
        page = client.post(
            "/settings/tokens",
            data={"csrf": csrf_of(again.text), "action": "revoke", "token_id": row.group(1)},
        )
        assert page.status_code == 200 and "Revoked 1 token." in page.text
        with pytest.raises(HfHubHTTPError) as info:
            HfApi(endpoint=endpoint, token=token).whoami()
        assert info.value.response.status_code == 401
        assert HfApi(endpoint=endpoint, token=BOB).whoami()["name"] == "bob"  # the others still work


def test_tokens_page_refuses_forged_forms_and_foreign_tokens(endpoint, sandbox):
    carol_token = sandbox.accounts.new_token("carol", "read", name="carol-page-test")
    carol_id = next(t["id"] for t in sandbox.tokens("carol") if t["name"] == "carol-page-test")
    try:
        with browser(endpoint) as client:
            page = sign_in(client, BOB)
            csrf = csrf_of(page.text)
            # No CSRF token, or another browser's: nothing is created.
            before = len(sandbox.tokens("bob"))
            with browser(endpoint) as other:
                other_csrf = csrf_of(other.get("/settings/tokens").text)
            for forged in ("", other_csrf):
                answer = client.post(
                    "/settings/tokens", data={"csrf": forged, "action": "create", "role": "read"}
                )
                assert answer.status_code == 403 and 'class="secret"' not in answer.text
            assert len(sandbox.tokens("bob")) == before
            # Another user's token id cannot be revoked from bob's page.
            answer = client.post(
                "/settings/tokens", data={"csrf": csrf, "action": "revoke", "token_id": carol_id}
            )
            assert answer.status_code == 404
            assert HfApi(endpoint=endpoint, token=carol_token).whoami()["name"] == "carol"
        # Signed in with a read token: read tokens only.
        with browser(endpoint) as client:
            page = sign_in(client, carol_token)
            assert '<option value="write">' not in page.text
            answer = client.post(
                "/settings/tokens", data={"csrf": csrf_of(page.text), "action": "create", "role": "write"}
            )
            assert answer.status_code == 403
        # A wrong token does not sign in.
        with browser(endpoint) as client:
            answer = sign_in(client, "hf_sandbox_wrong_" + secrets.token_hex(4))
            assert answer.status_code == 403 and "Access tokens of" not in answer.text
    finally:
        sandbox.revoke_token(carol_token)


def test_the_device_page_session_signs_in_the_pages_too(endpoint):
    """One sign-in for the site: signing in on the device approval page opens the tokens page."""
    with browser(endpoint) as client:
        page = client.get("/oauth/device/verify")
        client.post(
            "/oauth/device/verify", data={"csrf": csrf_of(page.text), "action": "signin", "token": ALICE}
        )
        assert "Access tokens of alice" in client.get("/settings/tokens").text
        assert "Signed in as <b>alice</b>" in client.get("/alice/no-such-repo").text  # any page's header


def test_a_moved_repo_page_redirects_and_ids_ignore_case(endpoint, api, repo_name):
    api.create_repo(f"alice/{repo_name}")
    api.upload_file(path_or_fileobj=b"# moved card\n", path_in_repo="README.md", repo_id=f"alice/{repo_name}")
    api.move_repo(f"alice/{repo_name}", f"alice/{repo_name}-new")
    try:
        with browser(endpoint) as client:
            page = client.get(f"/alice/{repo_name}/tree/main")
            assert page.status_code == 200 and str(page.url).endswith(f"/alice/{repo_name}-new/tree/main")
            assert "README.md" in page.text
            upper = client.get(f"/ALICE/{repo_name.upper()}-NEW")
            assert upper.status_code == 200 and "<h1>moved card</h1>" in upper.text
    finally:
        api.delete_repo(f"alice/{repo_name}-new")
