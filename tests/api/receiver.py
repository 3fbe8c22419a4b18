"""A webhook receiver on loopback that records what it is sent."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    failures_left: int = 0
    received: list[Received] = field(default_factory=list)


@contextmanager
def receiver(failures: int = 0) -> Iterator[Receiver]:
    """Serve on a free loopback port; answer 500 to the first ``failures`` posts."""
    state = Receiver(failures_left=failures)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            if state.failures_left > 0:
                state.failures_left -= 1
                self.send_response(500)
            else:
                state.received.append(Received(dict(self.headers.items()), body))
                self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
