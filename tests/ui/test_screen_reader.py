"""What a screen reader hears, read through the real accessibility tree (AT-SPI, as Orca reads
it): the app runs on a private X display with Qt's accessibility on, and a client under Debian's
python3 reads the tree, presses keys with xdotool and records focus events and announcements.

One session drives the window with the keyboard only; the tests check what it heard.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.ui.a11y_session import desktop, missing

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="AT-SPI is Linux's"),
    pytest.mark.timeout(300),
]


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Everything the session saw, step by step, by label."""
    lacking = missing()
    if lacking:
        pytest.fail(f"the screen-reader test needs what .ci/run installs: {lacking}")
    folder = tmp_path_factory.mktemp("a11y")
    labels: list[str] = []
    steps: list[dict[str, Any]] = []

    def step(label: str, **what: Any) -> None:
        labels.append(label)
        steps.append(what)

    step("app", do="wait-app")
    step("ready", do="wait-name", name="Enrollment ID")
    step("window", do="focus-window")
    step("to id", do="keys", keys=["ctrl+l"])
    step("lookup tabs", do="keys", keys=["Tab"] * 8, each=True)
    step("empty tree", do="dump")
    step("to id 2", do="keys", keys=["ctrl+l"])
    step("type 10", do="type", text="10")
    step("enter 10", do="keys", keys=["Return"])
    step("record", do="wait-name", name="Enrollment status: Enroll")
    step("record tree", do="dump")
    step("to id 3", do="keys", keys=["ctrl+l"])
    step("record tabs", do="keys", keys=["Tab"] * 30, each=True)
    step("to id 4", do="keys", keys=["ctrl+l"])
    step("type 404", do="type", text="404")
    step("enter 404", do="keys", keys=["Return"])
    step("not found", do="wait-name", name="Enrollment 404 not found", prefix=True)
    step("error tree", do="dump")
    step("announced", do="announcements")
    step("to batch", do="keys", keys=["ctrl+Tab"])
    step("batch", do="wait-name", name="Batch ids")
    step("batch tabs", do="keys", keys=["Tab"] * 10, each=True)
    step("batch tree", do="dump")
    step("to search", do="keys", keys=["ctrl+Tab"])
    step("search", do="wait-name", name="Search class ID")
    step("search tabs", do="keys", keys=["Tab"] * 12, each=True)
    step("type class", do="type", text="4421")
    step("enter class", do="keys", keys=["Return"])
    step("searched", do="wait-name", name="265 enrollments", prefix=True)
    step("search tree", do="dump")
    step("search announced", do="announcements")
    step("settings", do="keys", keys=["ctrl+comma"])
    step("settings open", do="wait-name", name="API key")
    step("settings tabs", do="keys", keys=["Tab"] * 16, each=True)
    step("settings close", do="keys", keys=["Escape"])
    with desktop(folder) as session:
        app = session.run_app("--demo")
        seen = session.read(steps)
        app.terminate()
        app.wait(20)
    results = dict(zip(labels, seen["results"], strict=False))
    (folder / "heard.txt").write_text(repr(results), encoding="utf-8")
    yield results


def nodes(tree: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    if tree is None:
        return
    yield tree
    for child in tree.get("children", []):
        yield from nodes(child)


def names(tree: dict[str, Any]) -> list[str]:
    return [node["name"] for node in nodes(tree)]


def stops(heard: dict[str, Any], label: str) -> list[str]:
    return [f"{e['role']}:{e['name']}" if e else "SILENT" for e in heard[label]["heard"]]


def test_the_app_is_on_the_accessibility_desktop(heard) -> None:
    assert heard["app"]["app"] and heard["ready"]["seen"]


def test_every_focusable_widget_has_a_name(heard) -> None:
    for label in ("empty tree", "record tree", "error tree", "batch tree", "search tree"):
        unnamed = [
            (node["role"], node.get("description"))
            for node in nodes(heard[label]["tree"])
            if "focusable" in node.get("states", ()) and not node["name"].strip()
        ]
        assert unnamed == [], label


def test_the_contract_names_are_there(heard) -> None:
    lookup = names(heard["record tree"]["tree"])
    for name in ("Enrollment ID", "Look up", "Open in TMS", "Connection:"):
        assert name in lookup
    batch = names(heard["batch tree"]["tree"])
    for name in ("Batch ids", "Look up all", "Batch progress", "Batch results"):
        assert name in batch
    search = names(heard["search tree"]["tree"])
    for name in ("Search class ID", "Search learner", "Search", "Search results"):
        assert name in search


def test_tab_follows_reading_order_and_every_stop_is_heard(heard) -> None:
    lookup = stops(heard, "lookup tabs")
    assert "SILENT" not in lookup
    # From the id field: its button, the ids to try, then round to the top of the window.
    assert lookup[:5] == [
        "push button:Look up",
        "list:Ids to try",
        "combo box:Demo",
        "page tab list:Lookup",
        "text:Enrollment ID",
    ]
    for label in ("record tabs", "batch tabs", "search tabs", "settings tabs"):
        assert "SILENT" not in stops(heard, label), label
    assert stops(heard, "batch tabs")[:8] == [
        "page tab list:Batch",
        "text:Batch ids",
        "push button:Open ids file",
        "push button:Look up all",
        "combo box:All rows",  # "Show outcome", named by its current text as Qt does
        "push button:Choose columns",
        "table:Batch results",
        "combo box:Demo",
    ]
    assert stops(heard, "search tabs") == [
        "text:Search learner",
        "text:Search class name",
        "combo box:Any",
        "spin button:Created after",  # Tab leaves a date box (it does not walk its parts)
        "spin button:Created before",
        "push button:Search",
        "text:Filter results",
        "push button:Choose columns",
        "table:Search results",
        "combo box:Demo",
        "page tab list:Search",
        "text:Search class ID",
    ]
    settings = stops(heard, "settings tabs")
    start = settings.index("list:Connections")
    assert settings[start : start + 5] == [
        "list:Connections",
        "push button:Add connection",
        "text:Connection name",
        "text:Base URL",
        "text:TMS site URL",
    ]


def test_record_tab_order_goes_down_the_record(heard) -> None:
    record = stops(heard, "record tabs")
    # Down the record as it reads: the learner right after the user id's row, the class after
    # the class id's.
    start = record.index("push button:Open in TMS")
    assert record[start : start + 21] == [
        "push button:Open in TMS",
        "push button:Copy link",
        "text:External ID",
        "text:User ID",
        "push button:Open learner in TMS",
        "text:Learner",
        "text:Class ID",
        "push button:Open class in TMS",
        "text:Class",
        "label:Enrollment status: Enroll",
        "label:Completion status: Unknown",
        "text:Late cancel",
        "text:Retake",
        "label:Location type: To Be Determined",
        "text:Classroom ID",
        "text:Hours spent",
        "text:Grade",
        "text:Filter custom fields",
        "table:Custom fields",
        "combo box:Demo",
        "page tab list:Lookup",
    ]
    assert record.index("page tab list:Record") < start


def test_status_badges_say_their_word(heard) -> None:
    tree = names(heard["record tree"]["tree"])
    for name in (
        "Enrollment status: Enroll",
        "Completion status: Unknown",
        "Location type: To Be Determined",
    ):
        assert name in tree
    assert any(n.startswith("Enrollment 10") for n in tree)  # the heading gives its text


def test_a_not_found_lookup_is_read_and_announced_without_moving_the_focus(heard) -> None:
    tree = list(nodes(heard["error tree"]["tree"]))
    message = [n for n in tree if n["name"].startswith("Enrollment 404 not found")]
    assert message and message[0]["description"] == "Message"
    announced = [a["text"] for a in heard["announced"]["announcements"]]
    assert sum(text.startswith("Enrollment 404 not found") for text in announced) == 1
    focused = [n for n in tree if "focused" in n.get("states", ()) and n["role"] == "text"]
    assert [n["name"] for n in focused] == ["Enrollment ID"]


def test_tables_expose_headers_in_words_and_every_cell(heard) -> None:
    tables = {n["name"]: n["table"] for n in nodes(heard["record tree"]["tree"]) if "table" in n}
    fields = tables["Custom fields"]
    assert fields["headers"] == ["Name", "Value", "Field ID"]
    assert fields["rows"] == 3 and fields["cells"][0] == ["Unique Text", "AXY12345", "5089"]
    batch = {n["name"]: n["table"] for n in nodes(heard["batch tree"]["tree"]) if "table" in n}
    headers = batch["Batch results"]["headers"]
    assert headers[:6] == [
        "Input",
        "Outcome",
        "Learner",
        "Class",
        "Enrollment status",
        "Completion status",
    ]
    search = {n["name"]: n["table"] for n in nodes(heard["search tree"]["tree"]) if "table" in n}
    roster = search["Search results"]
    assert roster["headers"][:5] == [
        "Learner",
        "Email",
        "Enrollment status",
        "Completion status",
        "Enrollment ID",
    ]
    assert roster["rows"] == 265
    # Every cell is read through the Table interface; the status cells say the word.
    assert roster["cells"][0][:5] == [
        "Ada Lovelace",
        "ada.lovelace@example.edu",
        "Enroll",
        "Unknown",
        "10",
    ]
    announced = [a["text"] for a in heard["search announced"]["announcements"]]
    assert any(text.startswith("Search done: 265 enrollments") for text in announced)
