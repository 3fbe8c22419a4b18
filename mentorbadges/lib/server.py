"""Serve the web app and API with gunicorn, the production WSGI server."""

from typing import Any

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


def serve(bind: str, workers: int) -> None:
    _Server(
        {
            "bind": bind,
            "workers": workers,
            "threads": 4,
            "accesslog": "-",
            "timeout": 120,
        }
    ).run()
