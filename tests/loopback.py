"""Small loopback servers for tests: one that records what it receives and answers, one that never answers."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RecordingServer:
    """A plain HTTP server on 127.0.0.1 that records each request's headers and answers with JSON.

    Args:
        answer: The JSON body sent for every POST (default: one text-classification label).
    """

    def __init__(self, answer: object | None = None) -> None:
        self.requests: list[dict] = []
        body = json.dumps(answer if answer is not None else [[{"label": "POSITIVE", "score": 0.9}]]).encode()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                server.requests.append({"path": self.path, "headers": dict(self.headers.items())})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def authorizations(self) -> list[str]:
        """The Authorization header of each request received ("" when absent or empty)."""
        return [
            next((v for k, v in r["headers"].items() if k.lower() == "authorization"), "")
            for r in self.requests
        ]

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class HangingServer:
    """Accepts connections on 127.0.0.1, reads the requests, never answers; counts closed connections.

    Args:
        stream: Words to send first as a streamed chat answer (server-sent events) before stalling.
    """

    def __init__(self, stream: tuple[str, ...] = ()) -> None:
        self._stream = stream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._lock = threading.Lock()
        self.accepted = 0
        self.requests = 0  # connections that sent a full request head
        self.closed = 0  # connections the client closed
        self._connections: list[socket.socket] = []
        self._stopping = False

    def count(self, what: str) -> int:
        with self._lock:
            return getattr(self, what)

    def _accept(self) -> None:
        while not self._stopping:
            try:
                conn, _addr = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.accepted += 1
                self._connections.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        seen = b""
        counted = False
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                with self._lock:
                    if not self._stopping:
                        self.closed += 1
                return
            seen += data
            if not counted and b"\r\n\r\n" in seen:
                counted = True
                with self._lock:
                    self.requests += 1
                if self._stream:
                    conn.sendall(_stream_head(self._stream))

    def __enter__(self) -> HangingServer:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping = True
        self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()


def _stream_head(words: tuple[str, ...]) -> bytes:
    """An OpenAI-style streamed chat answer that starts and never ends (no length, no final event)."""
    events = b"".join(
        b"data: "
        + json.dumps(
            {
                "id": "stall",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "stall",
                "choices": [
                    {"index": 0, "delta": {"role": "assistant", "content": w}, "finish_reason": None}
                ],
            }
        ).encode()
        + b"\n\n"
        for w in words
    )
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + events
