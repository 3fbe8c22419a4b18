"""The program admin's API token page."""

import re

from django.contrib.auth.models import User
from django.test import Client

from mentorbadges.api.models import ApiToken
from mentorbadges.privacy.models import AuditEntry
from mentorbadges.programs.models import Program, StaffRole


def signed_in(program: Program, role: str) -> Client:
    user = User.objects.create_user(role)
    StaffRole.objects.create(program=program, user=user, role=role)
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_creates_a_token_that_is_shown_once_and_opens_the_api(
    program: Program,
) -> None:
    admin = signed_in(program, StaffRole.ADMIN)

    created = admin.post("/p/north/tokens/", {"name": "Our platform"}, follow=True)
    secret = re.search(r'<code class="token">([^<]+)</code>', created.content.decode())

    assert secret is not None
    api = Client(headers={"Authorization": f"Bearer {secret.group(1)}"})
    assert api.get("/api/v1/programs/north/badges").status_code == 200
    listing = admin.get("/p/north/tokens/").content.decode()
    assert "Our platform" in listing
    assert secret.group(1) not in listing
    assert AuditEntry.objects.filter(action=AuditEntry.TOKEN_CREATED).count() == 1


def test_reloading_after_creating_a_token_makes_no_second_one(
    program: Program,
) -> None:
    admin = signed_in(program, StaffRole.ADMIN)

    created = admin.post("/p/north/tokens/", {"name": "Our platform"})
    admin.get(created["Location"])
    reloaded = admin.get(created["Location"]).content.decode()

    assert created.status_code == 302
    assert ApiToken.objects.count() == 1
    assert 'class="token"' not in reloaded


def test_a_revoked_token_no_longer_opens_the_api(program: Program) -> None:
    admin = signed_in(program, StaffRole.ADMIN)
    token, secret = ApiToken.issue(program, "Old")

    response = admin.post(f"/p/north/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/programs/north/badges").status_code == 401
    entry = AuditEntry.objects.get(action=AuditEntry.TOKEN_REVOKED)
    assert entry.actor_name == StaffRole.ADMIN


def test_a_token_needs_a_name(program: Program) -> None:
    response = signed_in(program, StaffRole.ADMIN).post(
        "/p/north/tokens/", {"name": ""}
    )

    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_a_coordinator_cannot_see_or_make_tokens(program: Program) -> None:
    coordinator = signed_in(program, StaffRole.COORDINATOR)

    assert coordinator.get("/p/north/tokens/").status_code == 404
    assert coordinator.post("/p/north/tokens/", {"name": "x"}).status_code == 404
    assert not ApiToken.objects.exists()
