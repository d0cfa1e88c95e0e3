"""The token rule compares origins: the pure function, then the playground against two loopback servers."""

from __future__ import annotations

import pytest

from hub_widgets.playground.panel import InferencePlayground
from hub_widgets.token_rule import is_hugging_face_origin, token_may_go_to, url_origin
from tests.conftest import ALICE, wait_for
from tests.loopback import RecordingServer

HUB = "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    "url",
    [
        "https://huggingface.co/api/models",
        "https://HuggingFace.CO/api",
        "HTTPS://huggingface.co/",
        "https://huggingface.co:443/x",
        "https://huggingface.co./x",  # the same host, written fully qualified
        "https://router.huggingface.co/v1/chat/completions",
        "https://hf.co/x",
        "https://api.hf.co/x",
        "https://my-endpoint.us-east-1.aws.endpoints.huggingface.cloud/",
        "http://127.0.0.1:8765/inference/models/a/b",  # the session's own Hub
        "http://127.0.0.1:8765",
        "HTTP://127.0.0.1:8765/x",
        "http://127.0.0.1:80/x".replace(":80/", ":8765/"),
    ],
)
def test_the_token_goes_to_hugging_face_and_the_own_hub(url):
    assert token_may_go_to(url, HUB)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9999/x",  # same host, another port: another server
        "https://127.0.0.1:8765/x",  # same host and port, another scheme
        "http://localhost:8765/x",  # another name for the host is another origin
        "http://[::1]:8765/x",
        "http://[::ffff:127.0.0.1]:8765/x",
        "http://huggingface.co/api",  # plain http to Hugging Face
        "https://huggingface.co:8443/api",
        "https://huggingface.co.evil.com/api",
        "https://evilhuggingface.co/api",
        "https://huggingface.co@evil.com/api",  # user info: the host is evil.com
        "https://user:pass@huggingface.co/api",  # any user info is refused
        "https://evil.com\\@huggingface.co/api",  # parsers disagree on backslashes
        "https://evil.com#@huggingface.co/",
        "https://evil.com?@huggingface.co/",
        "https://huggingface.co\t.evil.com/",
        "https://huggingface.co%2eevil.com/",
        "https://hugging%66ace.co/",
        "https://huggingface.co../x",
        "https://.huggingface.co/x",
        "https://user.hf.space/",  # Spaces run user code
        "https://hf.space/",
        "https://huggingface.cloud/",
        "https://evil.com/.endpoints.huggingface.cloud",
        "https://endpoints.huggingface.cloud.evil.com/",
        "https://huggingface.co:99999/",
        "https://huggingface.co:port/",
        "ftp://huggingface.co/",
        "huggingface.co/api",
        "//huggingface.co/api",
        "",
    ],
)
def test_the_token_does_not_go_anywhere_else(url):
    assert not token_may_go_to(url, HUB)


def test_origins_are_normalised():
    assert url_origin("HTTPS://HuggingFace.co./x") == ("https", "huggingface.co", 443)
    assert url_origin("http://[::1]:8765/x") == ("http", "::1", 8765)
    assert url_origin("http://127.0.0.1/x") == ("http", "127.0.0.1", 80)
    assert url_origin("https://huggingface.co@evil.com") is None
    # An IPv6 Hub is its own origin (and only that one).
    assert token_may_go_to("http://[::1]:8765/a", "http://[::1]:8765")
    assert not token_may_go_to("http://[::1]:8766/a", "http://[::1]:8765")
    # A Hub on huggingface.co over https takes the default port either way.
    assert token_may_go_to("https://huggingface.co:443/a", "https://huggingface.co")
    assert not is_hugging_face_origin("https://user.hf.space")


def run_and_wait(playground: InferencePlayground) -> None:
    playground.run_button.click()
    wait_for(lambda: not playground._running, 60, "the call")


def test_an_endpoint_on_another_port_gets_the_token_only_with_the_opt_in(hub_session, sandbox):
    """Two loopback servers: the sandbox (the Hub's origin) and another port on the same host."""
    bearer = f"Bearer {ALICE}"
    with RecordingServer() as other:
        assert other.url.split(":")[1] == sandbox.endpoint.split(":")[1]  # same host, other port
        playground = InferencePlayground(
            task="text-classification", endpoint=other.url + "/classify", session=hub_session
        )
        lane = playground.lanes[0]
        # The user is offered the opt-in and told the token stays home.
        assert lane.send_token.layout.display == ""
        assert "not sent" in lane.token_note.value

        run_and_wait(playground)
        assert lane.problem is None, lane.problem
        assert "POSITIVE" in lane.output.value
        assert bearer not in other.authorizations()
        assert not any(a.lower().startswith("bearer") for a in other.authorizations())

        lane.send_token.value = True
        assert "opted in" in lane.token_note.value
        run_and_wait(playground)
        assert other.authorizations()[-1] == bearer

        # Another URL: the opt-in was for the previous one.
        lane.endpoint.value = other.url + "/elsewhere"
        assert lane.send_token.value is False
        assert "not sent" in lane.token_note.value
        run_and_wait(playground)
        assert len(other.requests) == 3
        assert other.authorizations()[-1] != bearer
        assert other.requests[-1]["path"] == "/elsewhere"

        # The Hub's own origin still gets the token without asking.
        lane.endpoint.value = sandbox.endpoint + "/inference/models/{model}"
        assert lane.send_token.layout.display == "none"
        assert "the Hub you log in to" in lane.token_note.value
