from mentorbadges.programs.models import Program
from tests.api.conftest import Api
from tests.conftest import export_text, import_events
from tests.history import History


def test_the_csv_is_the_same_bytes_as_the_export(
    api: Api, program: Program, history: History
) -> None:
    history.person("ana", "=Ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for day in range(2, 8):
        history.meeting("l1", f"m{day}", day)
    history.kudos("l1", "ben", "ana", 9, "trust", 'Said "thanks", twice')
    import_events(program, history.events)

    response = api.get("/programs/north/badges.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "north-badges.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbfawarded_at,type,badge")
    assert body.decode("utf-8-sig") == export_text(program)
    assert "'=Ana" in body.decode()


def test_an_empty_program_has_only_the_header(api: Api) -> None:
    body = b"".join(api.get("/programs/north/badges.csv").streaming_content)

    assert body == (
        b"\xef\xbb\xbfawarded_at,type,badge,level,recipient_id,recipient_name,"
        b"giver_id,giver_name,loop_id,feedback\r\n"
    )
