"""A minimal Django project holding both peers, on DATABASE_URL."""

import os
from typing import Any

import dj_database_url
from django import dispatch
from django.utils import translation

# pinax-badges 3.0, its latest release, was written for Django 3: it imports
# ugettext_lazy and passes providing_args to Signal, both removed in Django
# 4.0. These two shims, made here at run time rather than by editing the
# installed package, are all it needs for the award path measured.
translation.ugettext_lazy = translation.gettext_lazy  # type: ignore[attr-defined]
_signal_init = dispatch.Signal.__init__


def _signal_accepting_providing_args(
    self: dispatch.Signal, providing_args: Any = None, **options: Any
) -> None:
    _signal_init(self, **options)


dispatch.Signal.__init__ = _signal_accepting_providing_args  # type: ignore[method-assign]

SECRET_KEY = "bench-peers-not-secret"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "pinax.badges",
    "badgify",
    "bench.peers",
]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "sqlite:///peers.sqlite3")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Only the award rows are compared; the badge counters are denormalised after.
BADGIFY_BATCH_SIZE = 500
