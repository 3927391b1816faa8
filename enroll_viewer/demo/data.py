"""Built-in sample enrollments served by the demo API (invented people and values)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
                    21 + n,
                    CompletionStatusId=n * 10,
                    Retake=label == "Failed",
                    Grade=60 + n,
                    UserId=897616,
                ),
            )
        )
    location = ["To Be Determined", "Classroom", "Remote Classroom", "Virtual"]
    for n, label in enumerate(location):
        cases.append(
            DemoCase(
                31 + n,
                f"LocationType {label}",
                record=_record(
                    31 + n,
                    LocationTypeId=n * 10,
                    ClassroomId=3456 if n == 1 else None,
                    ClassId=4423,
                ),
            )
        )
    cases += [
        DemoCase(
            41,
            "a learner whose GetUser fails and a class with unusual values",
            record=_record(41, UserId=555000, ClassId=4422),
        ),
        DemoCase(
            42,
            "an external id that needs encoding: Ä B/12 &x=1?#",
            record=_record(42, ExternalId="Ä B/12 &x=1?#", UserId=897617, ClassId=4423),
        ),
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
DEMO_BY_EXTERNAL_ID = {
    str(case.record.get("ExternalId") or case.record.get("externalId")).casefold(): case
    for case in DEMO_CASES
    if case.record and (case.record.get("ExternalId") or case.record.get("externalId"))
}

# Learners (GetUser). 555000 fails: the demo answers Status 10 for it.
FAILING_USER_ID = 555000
DEMO_USERS: dict[int, dict[str, Any]] = {
    897615: {"Id": 897615, "UserName": "alovelace", "FirstName": "Ada", "MiddleName": None,
             "LastName": "Lovelace", "Email": "ada.lovelace@example.edu", "Title": "Analyst",
             "OrganizationId": 12, "ExternalId": "HR-1815", "Disabled": False},
    897616: {"Id": 897616, "UserName": "ghopper", "FirstName": "Grace", "MiddleName": "Brewster",
             "LastName": "Hopper", "Email": "grace.hopper@example.edu", "OrganizationId": 12},
    897617: {"Id": 897617, "UserName": "kjohnson", "FirstName": "Katherine",
             "LastName": "Johnson", "Email": "k.johnson@example.edu", "OrganizationId": 14},
}  # fmt: skip
# Classes (GetClass). 4422 has unusual values: markup in the name, a .NET date, no end date,
# and a ConfirmationStatusId the reference does not list.
DEMO_CLASSES: dict[int, dict[str, Any]] = {
    4421: {"Id": 4421, "ExternalId": "AZ900-0302", "Name": "Azure Fundamentals (AZ-900)",
           "Start": "2026-03-02T09:00:00Z", "End": "2026-03-04T17:00:00Z", "CourseId": 77,
           "CourseName": "AZ-900 Microsoft Azure Fundamentals", "ConfirmationStatusId": 1,
           "Enabled": True, "OrganizationName": "Example Training"},
    4422: {"Id": 4422, "Name": "<i>Evening</i> cohort & friends", "Start": "/Date(1772442000000)/",
           "End": None, "CourseId": 78, "ConfirmationStatusId": 42, "Enabled": "true"},
    4423: {"Id": 4423, "Name": "Security Operations Analyst (SC-200)", "Start": 1775120400,
           "End": 1775383200, "CourseId": 79, "ConfirmationStatusId": 0},
    4424: {"Id": 4424, "Name": "Python for Data Analysis", "Start": "2026-04-13T08:30:00Z",
           "End": "2026-04-17T16:30:00Z", "CourseId": 80, "ConfirmationStatusId": 1},
    4425: {"Id": 4425, "Name": "Project Management Essentials", "Start": "2026-05-04T09:00:00Z",
           "End": "2026-05-05T17:00:00Z", "CourseId": 81, "ConfirmationStatusId": 4},
}  # fmt: skip


def describe_cases() -> str:
    """The demo ids and what each shows, one a line."""
    return "\n".join(f"  {case.id:>5}  {case.shows}" for case in DEMO_CASES)
