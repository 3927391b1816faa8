"""The demo's SearchClassEnrollments and GetUserByEmail, over every demo enrollment.

Pages as the real API is believed to (``pageIndex`` from 0, ``pageSize`` capped at 100) and
sends ``TotalCount`` and ``TotalPages``, which the app reads when present but never requires.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from enroll_viewer.demo.data import DEMO_CASES, DEMO_CLASSES, DEMO_USERS, FAILING_USER_ID
from enroll_viewer.demo.roster import batch_enrollments, created, learner, learner_ids

MAX_PAGE_SIZE = 100


def _all() -> list[dict[str, Any]]:
    plain = [
        c.record
        for c in DEMO_CASES
        if c.kind == "record" and c.record is not None and "Id" in c.record
    ]
    return sorted([*plain, *batch_enrollments()], key=lambda r: int(r["Id"]))


def _number(query: dict[str, str], name: str) -> int | None:
    for key, value in query.items():
        if key.lower() == name.lower():
            text = value.strip()
            return int(text) if text.lstrip("-").isdigit() else -1
    return None


def _text(query: dict[str, str], name: str) -> str:
    return next((v for k, v in query.items() if k.lower() == name.lower()), "").strip()


def search(query: dict[str, str]) -> dict[str, Any]:
    """The answer to ``SearchClassEnrollments`` with ``query``'s parameters."""
    class_id = _number(query, "classId")
    student_id = _number(query, "studentId")
    status = _number(query, "enrollmentStatusId")
    after = _number(query, "createdAfter")
    before = _number(query, "createdBefore")
    class_name = _text(query, "className").casefold()
    page_index = max(0, _number(query, "pageIndex") or 0)
    page_size = min(MAX_PAGE_SIZE, max(1, _number(query, "pageSize") or 100))
    found = []
    for record in _all():
        made = created(int(record["Id"])).timestamp()
        klass = DEMO_CLASSES.get(int(record["ClassId"]), {})
        if class_id is not None and record["ClassId"] != class_id:
            continue
        if student_id is not None and record["UserId"] != student_id:
            continue
        if status is not None and record["EnrollmentStatusId"] != status:
            continue
        if after is not None and made < after:
            continue
        if before is not None and made >= before:
            continue
        if class_name and class_name not in str(klass.get("Name", "")).casefold():
            continue
        found.append(record)
    start = page_index * page_size
    total_pages = (len(found) + page_size - 1) // page_size
    return {
        "Status": 0,
        "Error": None,
        "Results": found[start : start + page_size],
        "TotalCount": len(found),
        "TotalPages": total_pages,
    }


def user_by_email(email: str) -> dict[str, Any]:
    """The answer to ``GetUserByEmail``: a top-level ``User`` object, or Status 20."""
    wanted = email.strip().casefold()
    people = [*DEMO_USERS.values(), *(learner(i) for i in learner_ids())]
    for person in people:
        if person and str(person.get("Email", "")).casefold() == wanted:
            if person["Id"] == FAILING_USER_ID:
                break
            return {"Status": 0, "Error": None, "User": person}
    return {"Status": 20, "Error": None, "User": None}


def epoch(day: str) -> int:
    """``YYYY-MM-DD`` as Unix seconds at 00:00 UTC (for tests of the demo)."""
    return int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())
