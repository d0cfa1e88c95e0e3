"""F6 and F7: the InferencePlayground's cost over a bare InferenceClient, against a sandbox subprocess.

- F6: p50 time of a text-classification call made by clicking Run (until the result is shown) next
  to the same call made with a bare `InferenceClient` on the same endpoint; the difference is the
  playground's overhead (goal <= 5 ms).
- F7: a streamed chat answer of several hundred tokens: widget updates per second (goal <= 20) and
  the time from the first token received to it being shown (goal <= 50 ms); also printed: from the
  first streamed byte (the role-only chunk) to the first token shown, which adds the server's pause.

The sandbox runs in its own process so that the client's timings do not include the server's work
on the same interpreter.

Usage: python bench/playground.py [--calls N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sandbox_common import TOKEN, USER, SandboxProcess, isolate_client_env  # noqa: E402

isolate_client_env()

from huggingface_hub import HfApi, InferenceClient  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

OVERHEAD_GOAL_MS = 5.0
UPDATES_GOAL = 20.0
FIRST_SHOWN_GOAL_MS = 50.0
TEXT = "I love this movie, the acting was wonderful!"


def p50(values: list[float]) -> float:
    return statistics.median(values)


def make_models(endpoint: str) -> tuple[str, str]:
    api = HfApi(endpoint=endpoint, token=TOKEN)
    models = {"text-classification": f"{USER}/bench-sentiment", "chat": f"{USER}/bench-chat"}
    for task, repo_id in models.items():
        tag = "text-generation\ntags:\n- conversational" if task == "chat" else task
        api.create_repo(repo_id, exist_ok=True)
        api.upload_file(
            path_or_fileobj=f"---\npipeline_tag: {tag}\n---\n# {repo_id}\n".encode(),
            path_in_repo="README.md",
            repo_id=repo_id,
        )
    return models["text-classification"], models["chat"]


def max_per_second(times: list[float]) -> int:
    """The most updates that fell within any one second."""
    return max((sum(1 for t in times[i:] if t - start < 1.0) for i, start in enumerate(times)), default=0)


def set_token_delay(endpoint: str, seconds: float) -> None:
    response = get_session().post(
        f"{endpoint}/inference/_control",
        json={"action": "token_delay", "value": seconds},
        headers={"Authorization": f"Bearer {TOKEN}"},  # an admin's token (see SandboxProcess)
    )
    response.raise_for_status()


def f6(endpoint: str, model: str, calls: int) -> None:
    from hub_widgets.playground.panel import InferencePlayground
    from hub_widgets.session import HubSession

    url = f"{endpoint}/inference/models/{model}"
    bare_client = InferenceClient(base_url=url, timeout=60)
    session = HubSession(endpoint=endpoint, token=TOKEN)
    playground = InferencePlayground(
        model=model,
        task="text-classification",
        endpoint=endpoint + "/inference/models/{model}",
        session=session,
    )
    playground.form().controls["text"].value = TEXT
    bare, widget = [], []
    for i in range(calls + 5):  # interleaved so that drift hits both alike; 5 warm-up rounds
        start = time.perf_counter()
        bare_client.text_classification(TEXT)
        bare_time = time.perf_counter() - start
        start = time.perf_counter()
        for task in playground.run():
            task.wait()
        widget_time = time.perf_counter() - start
        assert playground.lanes[0].problem is None, playground.lanes[0].problem
        if i >= 5:
            bare.append(bare_time)
            widget.append(widget_time)
    overhead_ms = (p50(widget) - p50(bare)) * 1000
    verdict = "ok" if overhead_ms <= OVERHEAD_GOAL_MS else "OVER GOAL"
    print(
        f"F6 playground call p50 {p50(widget) * 1000:.2f} ms vs bare InferenceClient {p50(bare) * 1000:.2f} ms "
        f"({calls} calls each): overhead {overhead_ms:.2f} ms (goal <= {OVERHEAD_GOAL_MS:.0f} ms: {verdict}); "
        f"ratio {p50(widget) / p50(bare):.2f}x"
    )
    session.close()


def f7(endpoint: str, model: str, rounds: int = 3) -> None:
    from hub_widgets.playground.panel import InferencePlayground
    from hub_widgets.session import HubSession

    set_token_delay(endpoint, 0.004)  # ~250 tokens/s: far more chunks than updates allowed
    session = HubSession(endpoint=endpoint, token=TOKEN)
    rates, first_shown, chunk_rates, first_gap = [], [], [], []
    for _ in range(rounds):
        playground = InferencePlayground(
            model=model, task="chat", endpoint=endpoint + "/inference/models/{model}", session=session
        )
        form = playground.form()
        form.controls["message"].value = "Tell me a long story about the sea."
        form.controls["max_tokens"].value = 400
        for task in playground.run():
            task.wait()
        stats = playground.lanes[0].stats
        streamed = stats.finished - stats.first_chunk
        rates.append(max_per_second(stats.update_times))
        chunk_rates.append(stats.chunks / streamed)
        first_shown.append((stats.first_shown - stats.first_token) * 1000)
        first_gap.append((stats.first_token - stats.first_chunk) * 1000)
    rate, shown = max(rates), max(first_shown)
    print(
        f"F7 streaming chat: {statistics.mean(chunk_rates):.0f} chunks/s arrive, widget updates "
        f"{rate}/s at most (most in any one second) (goal <= {UPDATES_GOAL:.0f}: {'ok' if rate <= UPDATES_GOAL else 'OVER GOAL'}); "
        f"first token received to shown {shown:.2f} ms at most "
        f"(goal <= {FIRST_SHOWN_GOAL_MS:.0f} ms: {'ok' if shown <= FIRST_SHOWN_GOAL_MS else 'OVER GOAL'}); "
        f"updates/chunks ratio {statistics.mean(r / c for r, c in zip(rates, chunk_rates, strict=True)):.2f}; "
        f"first streamed byte to first token shown {max(g + s for g, s in zip(first_gap, first_shown, strict=True)):.2f} ms "
        "(includes the server's wait before its first token)"
    )
    set_token_delay(endpoint, 0.01)
    session.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hubw-bench-playground-") as data:
        sandbox = SandboxProcess(data).start()
        try:
            classifier, chat = make_models(sandbox.endpoint)
            f6(sandbox.endpoint, classifier, args.calls)
            f7(sandbox.endpoint, chat)
        finally:
            sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
