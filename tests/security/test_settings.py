import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import Client

from tests.security.conftest import Cast, signed_in

ROOT = Path(__file__).resolve().parents[2]


def run_django(
    tmp_path: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' async switch is theirs, not a deployment's.
        if not key.startswith("MENTORBADGES_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="mentorbadges.settings",
        MENTORBADGES_DATA_DIR=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_checks_pass_with_https_on_and_a_secret_from_the_environment(
    tmp_path: Path,
) -> None:
    result = run_django(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        MENTORBADGES_HTTPS="true",
        MENTORBADGES_SECRET_KEY=secrets.token_urlsafe(50),
        MENTORBADGES_ALLOWED_HOSTS="badges.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_without_a_secret_key_in_the_environment_refuses_to_start(
    tmp_path: Path,
) -> None:
    result = run_django(tmp_path, "check", MENTORBADGES_HTTPS="true")

    assert result.returncode != 0
    assert "MENTORBADGES_SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_debug_is_off_unless_asked(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.DEBUG)"

    plain = run_django(tmp_path, "shell", "-c", code)
    asked = run_django(tmp_path, "shell", "-c", code, MENTORBADGES_DEBUG="1")

    assert plain.stdout.splitlines()[-1] == "False"
    assert asked.stdout.splitlines()[-1] == "True"


def test_plain_http_on_the_local_address_keeps_working(cast: Cast) -> None:
    response = Client().get("/accounts/login/")

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_pages_forbid_inline_script_and_framing(cast: Cast) -> None:
    response = signed_in(cast.coordinator).get("/p/north/kudos/")

    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split("; ")
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_holds_inline_script_or_event_handlers() -> None:
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)")
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    offenders = []
    for template in (ROOT / "mentorbadges").rglob("templates/**/*.html"):
        text = template.read_text()
        if inline_script.search(text) or handler.search(text) or "javascript:" in text:
            offenders.append(str(template.relative_to(ROOT)))

    assert offenders == []
