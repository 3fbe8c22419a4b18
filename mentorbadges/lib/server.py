"""Serve the web app and API with gunicorn, the production WSGI server."""

from typing import Any

from django.db import connections
from gunicorn.app.base import BaseApplication

from mentorbadges.wsgi import application


class _Server(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


def serve(bind: str, workers: int, threads: int = 4) -> None:
    """Run until stopped; ``threads`` above 1 means a thread pool per worker."""
    # Starting up (migrations) opened connections in this process. A forked
    # worker would inherit them and share one socket or SQLite handle with its
    # siblings, mixing their queries: each worker must open its own.
    connections.close_all()
    _Server(
        {
            "bind": bind,
            "workers": workers,
            "threads": threads,
            "accesslog": "-",
            "timeout": 120,
            # Nothing here drives gunicorn through its control socket, whose
            # one path per user would be shared by every server started.
            "control_socket_disable": True,
        }
    ).run()
