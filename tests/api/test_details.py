"""Names, not numbers: learner and class details, lookup by external id, --details."""

from __future__ import annotations

import contextlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enroll_viewer.api.dates import format_date
from enroll_viewer.api.errors import AppError, InvalidInput, NotFound, UnusableResponse
from enroll_viewer.api.parser import parse_class_envelope, parse_user_envelope
from enroll_viewer.api.records import LookupKind
from enroll_viewer.api.tms_api import TmsApi
from enroll_viewer.api.validation import parse_lookup_input
from enroll_viewer.cli.main import main
from tests.helpers import (
    KEY,
    local_connection,
    look_up,
    named,
    server_window,
    store_key,
    wine_limit,
)
from tests.servers import Handler, envelope, sample

# conftest sets TZ=UTC; Wine's C runtime keeps two letters of a TZ zone name (its _tzset copies
# the name with lstrcpynA(..., 3)), so the local zone reads "UT". Windows' own keeps "UTC".
WINE_TZ = wine_limit("its C runtime reads TZ=UTC as the zone name 'UT' (Windows reads 'UTC')")

ENCODED = "Ä B/12 &x=1?#"


def wait_details(qtbot, window, count: int = 2, timeout: int = 5000) -> None:
    seen: list[str] = []
    window.lookup.details_shown.connect(seen.append)
    qtbot.waitUntil(lambda: len(seen) >= count, timeout=timeout)
    window.lookup.details_shown.disconnect(seen.append)


@WINE_TZ
def test_learner_and_class_names_fill_in(qtbot, demo_window) -> None:
    look_up(qtbot, demo_window, "10")
    learner, klass = named(demo_window, "Learner"), named(demo_window, "Class")
    assert learner.text() == "Loading…"  # the enrollment first, details after
    wait_details(qtbot, demo_window)
    assert learner.text() == "Ada Lovelace · ada.lovelace@example.edu"
    assert klass.text().startswith("Azure Fundamentals (AZ-900) · 2026-03-02 09:00 UTC")
    assert "Guaranteed To Run" in klass.text()
    assert named(demo_window, "User ID").text() == "897615"  # the id stays beside the name


def test_one_detail_failing_leaves_a_quiet_note(qtbot, demo_window) -> None:
    look_up(qtbot, demo_window, "41")
    wait_details(qtbot, demo_window)
    learner = named(demo_window, "Learner")
    assert learner.text() == "—"
    assert "could not be loaded" in learner.toolTip()
    assert "could not be loaded" in named(demo_window, "User ID").toolTip()
    assert named(demo_window, "User ID").text() == "555000"
    assert named(demo_window, "Class").text().startswith("<i>Evening</i> cohort & friends")
    assert "Unknown (42)" in named(demo_window, "Class").text()
    assert not demo_window.lookup.banner.isVisible()


def detail_server(serve, slow_user: int | None = None) -> Any:
    def responder(h: Handler) -> None:
        parts = urlsplit(h.path)
        method = parts.path.rsplit("/", 2)[-1] if "?" in h.path else parts.path.split("/")[-2]
        query = parse_qs(parts.query)
        if method == "GetUser":
            ident = int(query["id"][0])
            if ident == slow_user:
                h.wait(1.0)
            h.send_json(envelope({"Id": ident, "FirstName": "User", "LastName": str(ident)}))
        elif method == "GetClass":
            ident = int(query["id"][0])
            h.send_json(envelope({"Id": ident, "Name": f"Class {ident}"}))
        else:
            ident = int(h.path.rstrip("/").rsplit("/", 1)[-1])
            h.send_json(envelope(sample(ident, UserId=ident * 10, ClassId=ident * 100)))

    return serve(responder)


def test_late_detail_for_an_old_lookup_is_dropped(
    qtbot,
    make_window,
    memory_keyring,
    serve,
) -> None:
    server = detail_server(serve, slow_user=10)
    window = server_window(make_window, memory_keyring, server)
    look_up(qtbot, window, "1")  # its learner (user 10) answers only after 1 s
    look_up(qtbot, window, "2")
    qtbot.waitUntil(lambda: named(window, "Learner").text() == "User 20", timeout=5000)
    qtbot.wait(1500)  # let the old answer arrive, if it still could
    assert named(window, "Learner").text() == "User 20"
    assert named(window, "Class").text() == "Class 200"


def test_details_are_cached_for_the_session(
    qtbot,
    make_window,
    memory_keyring,
    serve,
) -> None:
    server = detail_server(serve)
    window = server_window(make_window, memory_keyring, server)
    look_up(qtbot, window, "3")
    wait_details(qtbot, window)
    look_up(qtbot, window, "3")
    # From the cache, the names are on screen as soon as the record is.
    assert named(window, "Learner").text() == "User 30"
    assert named(window, "Class").text() == "Class 300"
    assert sum("GetUser" in p for p in server.seen.paths) == 1
    assert sum("GetClass?" in p for p in server.seen.paths) == 1


def test_detail_fetching_can_be_turned_off(
    qtbot,
    make_window,
    memory_keyring,
    serve,
    prefs,
) -> None:
    prefs.set_details_enabled(False)
    server = detail_server(serve)
    window = server_window(make_window, memory_keyring, server)
    look_up(qtbot, window, "4")
    qtbot.wait(300)
    assert named(window, "Learner").text() == "—"
    assert "turned off" in named(window, "Learner").toolTip()
    assert not any("GetUser" in p or "GetClass?" in p for p in server.seen.paths)


def test_external_id_lookup_in_the_window(qtbot, demo_window) -> None:
    look_up(qtbot, demo_window, f"  {ENCODED} ")
    assert demo_window.lookup.record is not None
    assert demo_window.lookup.record.id == 42
    assert f"found by external id {ENCODED}" in demo_window.status_text.text()
    assert named(demo_window, "External ID").text() == ENCODED
    look_up(qtbot, demo_window, "NO-SUCH-EXTERNAL")
    assert demo_window.lookup.banner.text.startswith("External id NO-SUCH-EXTERNAL not found")


def test_external_id_is_query_encoded(serve) -> None:
    def responder(h: Handler) -> None:
        h.send_json(envelope(sample(7, ExternalId=ENCODED)))

    server = serve(responder)
    record = TmsApi(server.base_url, KEY).lookup(parse_lookup_input(ENCODED))
    assert record.id == 7
    assert server.seen.paths == [
        "/api/2.0/GetClassEnrollmentByExternalId?id=%C3%84+B%2F12+%26x%3D1%3F%23"
    ]


def test_external_id_answer_for_another_record_is_refused(serve) -> None:
    server = serve(lambda h: h.send_json(envelope(sample(7, ExternalId="OTHER"))))
    with pytest.raises(UnusableResponse, match=r"not ABC"):
        TmsApi(server.base_url, KEY).lookup(parse_lookup_input("ABC"))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("10", LookupKind.ID),
        (" 10 ", LookupKind.ID),
        ("E3G5", LookupKind.EXTERNAL),
        ("a b", LookupKind.EXTERNAL),
        ("12a", LookupKind.EXTERNAL),
    ],
)
def test_lookup_input_kinds(text: str, kind: LookupKind) -> None:
    assert parse_lookup_input(text).kind is kind


@pytest.mark.parametrize("text", ["", "   ", "x" * 101, "a\tb", "a\nb", "0", "2147483648"])
def test_lookup_input_refused_before_sending(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_lookup_input(text)


def test_cli_details_json_and_failures(capsys) -> None:
    assert main(["lookup", "10", "--demo", "--details", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["User"]["FirstName"] == "Ada" and data["Class"]["ConfirmationStatus"] == (
        "Guaranteed To Run"
    )
    assert main(["lookup", "41", "--demo", "--details", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["User"] is None
    assert "learner (555000) could not be loaded" in err
    assert main(["lookup", ENCODED, "--demo", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["Id"] == 42


# --- parsing the partly documented endpoints ------------------------------------------------


@WINE_TZ
def test_user_and_class_parsing() -> None:
    user = parse_user_envelope(
        envelope({"Id": 5, "firstName": "A", "LASTNAME": "B", "Email": "a@b"}), 5
    )
    assert user.summary() == "A B · a@b"
    klass = parse_class_envelope(
        envelope({"Id": 6, "Name": "N", "Start": "/Date(0)/", "ConfirmationStatusId": "7"}), 6
    )
    assert klass.summary() == "N · 1970-01-01 00:00 UTC · Completed"
    with pytest.raises(NotFound):
        parse_user_envelope(envelope(status=20), 5)
    with pytest.raises(UnusableResponse):
        parse_class_envelope(envelope({"Id": 99}), 6)


anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "Id",
                    "Name",
                    "Start",
                    "End",
                    "FirstName",
                    "Email",
                    "CourseId",
                    "ConfirmationStatusId",
                    "x",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {"Status": st.sampled_from([0, 10, 20, "0"]), "Results": st.lists(anything, max_size=2)}
    )
)
def test_detail_parsers_never_crash(data: Any) -> None:
    for parse in (parse_user_envelope, parse_class_envelope):
        with contextlib.suppress(AppError):
            parse(data, 5).summary()  # type: ignore[operator]


@settings(max_examples=300, deadline=None)
@given(anything)
def test_format_date_never_crashes(value: Any) -> None:
    result = format_date(value)
    assert result is None or isinstance(result, str)


def test_switching_servers_drops_and_does_not_cache_old_answers(
    qtbot, make_window, memory_keyring, serve
) -> None:
    old = detail_server(serve, slow_user=10)
    new = detail_server(serve)
    window = server_window(make_window, memory_keyring, old)
    look_up(qtbot, window, "1")  # the old server answers GetUser 10 only after 1 s
    qtbot.waitUntil(lambda: any("GetUser" in p for p in old.seen.paths), timeout=3000)
    other = local_connection(new.base_url, 10, name="Other server")
    store_key(memory_keyring, other)
    with qtbot.assertNotEmitted(window.lookup.details_shown, wait=1500):
        window.switch_connection(other)  # the old answer comes back (or is cancelled) meanwhile
    assert window.lookup.record is None
    look_up(qtbot, window, "1")
    qtbot.waitUntil(lambda: named(window, "Learner").text() == "User 10", timeout=5000)
    assert any("GetUser" in p for p in new.seen.paths)  # not served from the old cache


def test_saving_settings_while_names_load_does_not_leave_loading(
    qtbot, make_window, memory_keyring, serve
) -> None:
    server = detail_server(serve, slow_user=10)
    window = server_window(make_window, memory_keyring, server)
    look_up(qtbot, window, "1")
    assert named(window, "Learner").text() == "Loading…"
    window.open_settings()
    dialog = window.settings_dialog
    assert dialog is not None
    dialog.timeout.setValue(30)
    dialog.accept()
    qtbot.waitUntil(lambda: named(window, "Learner").text() == "User 10", timeout=5000)
    assert named(window, "Class").text() == "Class 100"
