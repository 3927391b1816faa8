"""Records as CSV and JSON; no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import json

from enroll_viewer.api.export import (
    ENROLLMENT_COLUMNS,
    UTF8_BOM,
    csv_cell,
    csv_line,
    enrollment_cells,
    record_json,
    wide_csv,
)
from enroll_viewer.api.parser import parse_enrollment_envelope
from tests.servers import envelope, sample


def test_cells_that_would_run_are_guarded() -> None:
    for risky in ("=cmd()", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(risky) == "'" + risky
    assert csv_cell("plain") == "plain"
    assert next(csv.reader(io.StringIO(csv_line(["=x", "a,b", 'q"q'])))) == ["'=x", "a,b", 'q"q']


def test_enrollment_columns() -> None:
    record = parse_enrollment_envelope(envelope(sample(10, Grade=None)), 10)
    cells = dict(zip(ENROLLMENT_COLUMNS, enrollment_cells(record), strict=True))
    assert cells["Id"] == "10" and cells["EnrollmentStatus"] == "Enroll"
    assert cells["LateCancel"] == "false" and cells["Grade"] == ""
    assert cells["CustomFields"] == "Unique Text: AXY12345"
    assert enrollment_cells(None) == [""] * len(ENROLLMENT_COLUMNS)
    assert json.loads(record_json(record, {"Links": None}))["Links"] is None


def test_wide_csv_has_a_bom_and_a_column_per_custom_field() -> None:
    first = parse_enrollment_envelope(envelope(sample(1)), 1)
    second = parse_enrollment_envelope(
        envelope(
            sample(
                2,
                CustomFields=[
                    {"Name": "Région", "TextValue": "Île-de-France", "CustomFieldId": 9},
                    {"Name": "Unique Text", "TextValue": "=HYPERLINK()", "CustomFieldId": 5089},
                ],
            )
        ),
        2,
    )
    text = wide_csv(
        ["Input"],
        [(["1"], first, ["Ada"]), (["x"], None, [""]), (["2"], second, [""])],
        ["Learner"],
    )
    assert text.startswith(UTF8_BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:3] == ["Input", "Id", "ExternalId"]
    assert rows[0][-3:] == ["Unique Text", "Région", "Learner"]
    assert rows[1][-3:] == ["AXY12345", "", "Ada"]
    assert rows[3][-3:] == ["'=HYPERLINK()", "Île-de-France", ""]
    assert rows[2][1] == ""  # a row without a record keeps its place
