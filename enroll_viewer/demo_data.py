"""Built-in sample enrollments served by the demo API (invented people and values)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEMO_KEY = "demo-key-not-secret"


@dataclass(frozen=True)
class DemoCase:
    """One demo id and what it shows."""

    id: int
    shows: str
    kind: str = "record"  # record, not_found, invalid_key, api_error, delay, http503
    record: dict[str, Any] | None = None


def _record(ident: int, **changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "Id": ident,
        "ExternalId": f"E3G5YZ{ident:010d}",
        "UserId": 897615,
        "ClassId": 4421,
        "EnrollmentStatusId": 60,
        "CompletionStatusId": 0,
        "LateCancel": False,
        "Retake": False,
        "LocationTypeId": 0,
        "ClassroomId": 3456,
        "HoursSpent": 20,
        "Grade": 10,
        "CustomFields": [
            {"Name": "Unique Text", "TextValue": "AXY12345", "CustomFieldId": 5089},
            {"Name": "Unique Number", "TextValue": "44", "CustomFieldId": 5090},
            {"Name": "Dropdown-01", "TextValue": "Second Choice", "CustomFieldId": 5087},
        ],
    }
    base.update(changes)
    return base


def _many_fields(count: int) -> list[dict[str, Any]]:
    return [
        {"Name": f"Field {n:04d}", "TextValue": f"Value {n * 7 % 1000}", "CustomFieldId": 6000 + n}
        for n in range(1, count + 1)
    ]


def _cases() -> list[DemoCase]:
    cases = [
        DemoCase(
            10,
            "the reference page's example: Enroll, Unknown, To Be Determined",
            record=_record(10, ExternalId="E3G5YZFREFEQ9371"),
        ),
    ]
    enrollment = ["Request", "Cancel", "Waitlist", "Approve", "Deny", "Audit", "Enroll"]
    for n, label in enumerate(enrollment):
        cases.append(
            DemoCase(
                11 + n,
                f"EnrollmentStatus {label}",
                record=_record(11 + n, EnrollmentStatusId=n * 10, LateCancel=label == "Cancel"),
            )
        )
    completion = ["Unknown", "Attending", "Complete", "Incomplete", "NoShow", "Failed"]
    for n, label in enumerate(completion):
        cases.append(
            DemoCase(
                21 + n,
                f"CompletionStatus {label}",
                record=_record(
                    21 + n, CompletionStatusId=n * 10, Retake=label == "Failed", Grade=60 + n
                ),
            )
        )
    location = ["To Be Determined", "Classroom", "Remote Classroom", "Virtual"]
    for n, label in enumerate(location):
        cases.append(
            DemoCase(
                31 + n,
                f"LocationType {label}",
                record=_record(31 + n, LocationTypeId=n * 10, ClassroomId=3456 if n == 1 else None),
            )
        )
    cases += [
        DemoCase(
            40,
            "every nullable field null, no custom fields",
            record=_record(
                40,
                ExternalId=None,
                LocationTypeId=None,
                ClassroomId=None,
                HoursSpent=None,
                Grade=None,
                CustomFields=[],
            ),
        ),
        DemoCase(50, "500 custom fields", record=_record(50, CustomFields=_many_fields(500))),
        DemoCase(51, "1,000 custom fields", record=_record(51, CustomFields=_many_fields(1000))),
        DemoCase(
            70,
            "codes the reference does not list, camelCase keys, values sent as "
            "strings, a field the app does not know, text that looks like markup",
            record={
                "id": 70,
                "externalId": "<b>not bold</b>",
                "userId": "897615",
                "classId": 4421,
                "enrollmentStatusId": 70,
                "completionStatusId": 99,
                "lateCancel": "False",
                "retake": "true",
                "locationTypeId": 40,
                "classroomId": None,
                "hoursSpent": "12",
                "grade": None,
                "SurveyCompleted": True,
                "customFields": [
                    {"name": "Notes <i>", "textValue": "<a href='x'>link</a>", "customFieldId": 1}
                ],
            },
        ),
        DemoCase(404, "not found (Status 20)", kind="not_found"),
        DemoCase(401, "invalid key (Status 30)", kind="invalid_key"),
        DemoCase(500, "an API error (Status 10)", kind="api_error"),
        DemoCase(
            3000,
            "answers after a 3-second delay",
            kind="delay",
            record=_record(3000, CompletionStatusId=10),
        ),
        DemoCase(503, "HTTP 503 every time (retried, then reported)", kind="http503"),
    ]
    return cases


DEMO_CASES: tuple[DemoCase, ...] = tuple(_cases())
DEMO_BY_ID = {case.id: case for case in DEMO_CASES}


def describe_cases() -> str:
    """The demo ids and what each shows, one a line."""
    return "\n".join(f"  {case.id:>5}  {case.shows}" for case in DEMO_CASES)
