import json

from django.core.management import call_command

from mentorbadges.badges.models import Award
from mentorbadges.badges.services import withdraw_kudos
from mentorbadges.privacy.models import AuditEntry
from mentorbadges.programs.models import Participant, StaffRole
from tests.security.conftest import Cast, signed_in, staff


def ben_url(cast: Cast, tail: str) -> str:
    ben = Participant.objects.get(program=cast.north, external_id="ben")
    return f"/p/north/people/{ben.pk}/{tail}"


def test_an_admin_downloads_everything_held_about_a_participant(cast: Cast) -> None:
    response = signed_in(cast.admin).get(ben_url(cast, "data.json"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["participant"]["name"] == "ben Brown"
    assert data["account"]["username"] == "ben"
    assert [m["loop"] for m in data["memberships"]] == ["l1", "quiet"]
    [given] = [k for k in data["kudos_given"] if k["badge"] == "Trust"]
    assert given["feedback"].startswith("Always made me feel heard")
    assert {e["type"] for e in data["events"]} >= {"participant.upserted"}
    assert AuditEntry.objects.filter(action=AuditEntry.EXPORTED).count() == 1


def test_coordinators_may_neither_export_nor_erase(cast: Cast) -> None:
    client = signed_in(cast.coordinator)

    assert client.get(ben_url(cast, "data.json")).status_code == 404
    assert client.get(ben_url(cast, "erase/")).status_code == 404
    assert client.post(ben_url(cast, "erase/"), {"confirm": "on"}).status_code == 404
    assert Participant.objects.filter(erased_at__isnull=False).count() == 0


def test_erasing_needs_the_box_ticked(cast: Cast) -> None:
    response = signed_in(cast.admin).post(ben_url(cast, "erase/"), {})

    assert response.status_code == 422
    assert "Tick the box to confirm the erasure." in response.content.decode()
    assert Participant.objects.filter(erased_at__isnull=False).count() == 0


def test_an_admin_erases_a_participant_and_lands_on_the_audit_trail(
    cast: Cast,
) -> None:
    client = signed_in(cast.admin)

    response = client.post(ben_url(cast, "erase/"), {"confirm": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == "/p/north/audit/"
    page = response.content.decode()
    assert "Participant erased" in page
    assert "ben Brown" not in page


def test_the_audit_trail_lists_withdrawals_tokens_and_staff_changes(
    cast: Cast,
) -> None:
    kudos = Award.objects.get(giver__external_id="ana", badge="commitment")
    withdraw_kudos(kudos, cast.coordinator, "Posted in the wrong loop.")
    call_command("token", "create", "--program", "north", "--name", "Platform X")
    role = StaffRole.objects.get(user=cast.coordinator)
    role.role = StaffRole.ADMIN
    role.save()
    helper = staff(cast.north, "helper", StaffRole.COORDINATOR)
    StaffRole.objects.filter(user=helper).delete()

    page = signed_in(cast.coordinator).get("/p/north/audit/").content.decode()

    assert "Posted in the wrong loop." in page
    assert "API token created" in page
    assert "Platform X" in page
    assert "Staff role changed" in page
    assert "Staff member added" in page
    assert "Staff member removed" in page
    assert "helper as Coordinator" in page


def test_revoking_a_token_is_audited(cast: Cast) -> None:
    call_command("token", "create", "--program", "north")
    prefix = AuditEntry.objects.get(action=AuditEntry.TOKEN_CREATED).subject
    prefix = prefix.split("(")[1][:12]

    call_command("token", "revoke", "--program", "north", prefix)

    assert AuditEntry.objects.filter(action=AuditEntry.TOKEN_REVOKED).count() == 1


def test_the_audit_trail_of_another_program_is_not_found(cast: Cast) -> None:
    assert signed_in(cast.other_coordinator).get("/p/north/audit/").status_code == 404
    assert signed_in(cast.participant).get("/p/north/audit/").status_code == 404
