"""Search over real sockets: paging (spanning, capped, overlapping, repeating), the filters on
the wire, learners by email, and the command line's formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from enroll_viewer.api.errors import InvalidInput
from enroll_viewer.cli.main import main
from enroll_viewer.work.search import epoch, parse_filters
from tests.servers import Handler, sample

KEY = "Search-Key-3344"
ROSTER = [sample(1000 + n, ClassId=4421, UserId=500 + n % 7) for n in range(250)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def query(h: Handler) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(h.path).query).items()}


def method(h: Handler) -> str:
    return urlsplit(h.path).path.rsplit("/", 1)[-1]


def pager(cap: int = 100, total: bool = True, step: int | None = None, repeat: bool = False):
    """A SearchClassEnrollments that pages ROSTER: at most ``cap`` a page; ``TotalCount`` only
    when ``total``; pages starting every ``step`` items (overlapping when step < cap);
    ``repeat``: the same first page, forever."""

    def respond(h: Handler) -> None:
        if method(h) != "SearchClassEnrollments":
            h.send_json({"Status": 0, "Results": [{"Id": 4421, "Name": "Azure Fundamentals"}]})
            return
        q = query(h)
        size = min(cap, int(q["pageSize"]))
        index = 0 if repeat else int(q["pageIndex"])
        start = index * (step or size)
        body: dict[str, Any] = {"Status": 0, "Error": None, "Results": ROSTER[start : start + size]}
        if total:
            body["TotalCount"] = len(ROSTER)
        h.send_json(body)

    return respond


@pytest.fixture
def server(serve, monkeypatch) -> Any:
    def start(responder: Any) -> Any:
        made = serve(responder)
        monkeypatch.setenv("ENROLL_VIEWER_API_KEY", KEY)
        return made

    return start


def pages_asked(made: Any) -> list[int]:
    return [int(parse_qs(urlsplit(p).query)["pageIndex"][0]) for p in made.seen.paths
            if "SearchClassEnrollments" in p]  # fmt: skip


def ids(out: str) -> list[int]:
    return [int(r["Id"]) for r in csv.DictReader(io.StringIO(out))]


def test_a_class_of_250_spans_three_pages(capsys, server) -> None:
    made = server(pager())
    code, out, _ = run(capsys, "search", "--class", "4421", "--csv", "--base-url", made.base_url)
    assert code == 0 and ids(out) == [r["Id"] for r in ROSTER]
    assert pages_asked(made) == [0, 1, 2]  # TotalCount reached: no fourth page
    header = out.splitlines()[0]
    assert header.startswith("Id,ExternalId,UserId") and "Input" not in header


def test_pages_capped_at_40_without_total_count(capsys, server) -> None:
    made = server(pager(cap=40, total=False))
    code, out, _ = run(capsys, "search", "--class", "4421", "--csv", "--base-url", made.base_url)
    assert code == 0 and ids(out) == [r["Id"] for r in ROSTER]  # a short page is not the end
    assert pages_asked(made) == list(range(8))  # 6 full, one of 10, then an empty one


def test_overlapping_pages_give_each_enrollment_once(capsys, server) -> None:
    made = server(pager(step=70, total=False))
    code, out, _ = run(capsys, "search", "--class", "4421", "--jsonl", "--base-url", made.base_url)
    got = [json.loads(line)["Id"] for line in out.splitlines()]
    assert code == 0 and got == [r["Id"] for r in ROSTER]


def test_a_server_repeating_the_same_page_forever(capsys, server) -> None:
    made = server(pager(repeat=True, total=False))
    code, out, _ = run(capsys, "search", "--class", "4421", "--csv", "--base-url", made.base_url)
    assert code == 0 and len(ids(out)) == 100
    assert pages_asked(made) == [0, 1]  # the second page added nothing: stop


def test_filters_on_the_wire(capsys, server) -> None:
    made = server(pager())
    code, _, _ = run(
        capsys, "search", "--class-name", "Azure", "--status", "waitlist", "--created-after",
        "2026-03-01", "--created-before", "2026-04-01", "--base-url", made.base_url,
    )  # fmt: skip
    assert code == 0
    asked = query_of(made, "SearchClassEnrollments")
    assert asked["className"] == "Azure" and asked["enrollmentStatusId"] == "20"
    assert asked["createdAfter"] == "1772323200" == str(epoch(date(2026, 3, 1)))
    assert asked["createdBefore"] == "1775001600"
    assert asked["pageIndex"] == "0" and asked["pageSize"] == "100"
    again = server(pager())
    run(capsys, "search", "--class", "4421", "--status", "50", "--base-url", again.base_url)
    assert query_of(again, "SearchClassEnrollments")["enrollmentStatusId"] == "50"


def query_of(made: Any, name: str) -> dict[str, str]:
    path = next(p for p in made.seen.paths if name in p)
    return {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}


def test_learner_by_email_with_plus_and_accents(capsys, server) -> None:
    def respond(h: Handler) -> None:
        if method(h) == "GetUserByEmail":
            h.send_json({"Status": 0, "User": {"Id": 501, "FirstName": "Zoë", "LastName": "X",
                                                "Email": query(h)["email"]}})  # fmt: skip
        else:
            pager()(h)

    made = server(respond)
    code, out, _ = run(capsys, "search", "--learner", "zoë+tag@exämple.de", "--json",
                       "--base-url", made.base_url)  # fmt: skip
    assert code == 0
    asked = next(p for p in made.seen.paths if "GetUserByEmail" in p)
    assert asked.endswith("GetUserByEmail?email=zo%C3%AB%2Btag%40ex%C3%A4mple.de")
    assert query_of(made, "SearchClassEnrollments")["studentId"] == "501"
    data = json.loads(out)
    assert data["Count"] == len(data["Results"]) == 250 and data["TotalCount"] == 250


def test_a_learner_not_found_exits_3(capsys, server) -> None:
    made = server(lambda h: h.send_json({"Status": 20, "Error": None, "User": None}))
    code, _out, err = run(capsys, "search", "--learner", "nobody@example.edu", "--csv",
                         "--base-url", made.base_url)  # fmt: skip
    assert code == 3 and "No learner with email nobody@example.edu" in err
    assert not any("SearchClassEnrollments" in p for p in made.seen.paths)


def test_a_user_id_goes_straight_to_student_id(capsys, server) -> None:
    made = server(pager())
    assert run(capsys, "search", "--learner", "501", "--base-url", made.base_url)[0] == 0
    assert query_of(made, "SearchClassEnrollments")["studentId"] == "501"
    assert not any("GetUserByEmail" in p for p in made.seen.paths)


def test_limit_cuts_the_list_and_says_how_to_narrow_it(capsys, server) -> None:
    made = server(pager())
    code, out, err = run(capsys, "search", "--class", "4421", "--limit", "120", "--csv",
                         "--base-url", made.base_url)  # fmt: skip
    assert code == 0 and len(ids(out)) == 120
    assert "cut at 120" in err and "--status" in err


def test_no_results_exit_3_and_errors_as_lookup(capsys, server) -> None:
    empty = server(lambda h: h.send_json({"Status": 0, "Results": [], "TotalCount": 0}))
    assert run(capsys, "search", "--class", "1", "--base-url", empty.base_url)[0] == 3
    broken = server(lambda h: h.send_json({"Status": 30, "Error": "Invalid integration key"}))
    code, _, err = run(capsys, "search", "--class", "1", "--base-url", broken.base_url)
    assert code == 4 and "Invalid API key" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--status", "Enroll"],
        ["--class", "abc"],
        ["--class", "1", "--status", "Sleeping"],
        ["--class", "1", "--created-after", "2026-13-01"],
        ["--class", "1", "--created-after", "2026-02-01", "--created-before", "2026-01-01"],
        ["--learner", "not an email@"],
    ],
)
def test_bad_searches_exit_2(capsys, argv: list[str]) -> None:
    code, out, err = run(capsys, "search", *argv, "--demo")
    assert code == 2 and out == "" and err.startswith("enroll-viewer: ")


def test_status_names_any_case() -> None:
    assert parse_filters("1", status="WaitList").status == 20
    with pytest.raises(InvalidInput):
        parse_filters(status="Enroll")


def test_the_demo_serves_search(capsys) -> None:
    code, out, _ = run(capsys, "search", "--class", "4421", "--demo", "--csv", "--details")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 265
    assert {r["EnrollmentStatus"] for r in rows} == {
        "Request", "Cancel", "Waitlist", "Approve", "Deny", "Audit", "Enroll",
    }  # fmt: skip
    assert rows[0]["Class"] == "Azure Fundamentals (AZ-900)" and rows[0]["Learner"]
    code, out, _ = run(capsys, "search", "--learner", "alan.turing0@example.edu", "--demo",
                       "--jsonl")  # fmt: skip
    assert code == 0 and {json.loads(line)["UserId"] for line in out.splitlines()} == {910000}
