"""Generated demo data for batches and searches: 1,000 enrollments (100000–100999) of 200 more
learners in four classes, every status present. Made on demand from the id: nothing is stored.

A few ids are not found (the ``NOT_FOUND`` set) and a few are flaky (``FLAKY``: the demo server
answers their first request with HTTP 503 and ``Retry-After: 1``, then the record).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

FIRST_BATCH_ID = 100000
BATCH_SIZE = 1000
LEARNER_BASE = 910000
LEARNERS = 200
ROSTER_CLASSES = (4421, 4423, 4424, 4425)
NOT_FOUND = frozenset(FIRST_BATCH_ID + n for n in range(77, BATCH_SIZE, 125))
FLAKY = frozenset({100250, 100500, 100750})
_CREATED_FROM = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)

_FIRST = ("Alan", "Barbara", "Claude", "Dorothy", "Edsger", "Frances", "Grace", "Hedy",
          "Ivan", "Jean", "Ken", "Lynn", "Margaret", "Niklaus", "Ole", "Radia", "Shafi", "Tim",
          "Ursula", "Whitfield")  # fmt: skip
_LAST = ("Turing", "Liskov", "Shannon", "Vaughan", "Dijkstra", "Allen", "Hopper", "Lamarr",
         "Sutherland", "Sammet")  # fmt: skip
_ENROLLMENT = (0, 10, 20, 30, 40, 50, 60)
_COMPLETION = (0, 10, 20, 30, 40, 50)


def is_batch_id(ident: int) -> bool:
    """True for the generated range 100000–100999."""
    return FIRST_BATCH_ID <= ident < FIRST_BATCH_ID + BATCH_SIZE


def learner(user_id: int) -> dict[str, Any] | None:
    """A generated learner (910000–910199)."""
    n = user_id - LEARNER_BASE
    if not 0 <= n < LEARNERS:
        return None
    first, last = _FIRST[n % len(_FIRST)], _LAST[n // len(_FIRST) % len(_LAST)]
    return {
        "Id": user_id,
        "UserName": f"{first[0].lower()}{last.lower()}{n}",
        "FirstName": first,
        "LastName": last,
        "Email": f"{first.lower()}.{last.lower()}{n}@example.edu",
        "OrganizationId": 12,
    }


def learner_ids() -> range:
    """Every generated learner's id."""
    return range(LEARNER_BASE, LEARNER_BASE + LEARNERS)


def enrollment(ident: int) -> dict[str, Any] | None:
    """The generated enrollment ``ident`` (None outside the range, or for the not-found ids)."""
    if not is_batch_id(ident) or ident in NOT_FOUND:
        return None
    n = ident - FIRST_BATCH_ID
    status = _ENROLLMENT[n % len(_ENROLLMENT)]
    completion = _COMPLETION[n % len(_COMPLETION)] if status == 60 else 0
    return {
        "Id": ident,
        "ExternalId": f"B{ident}",
        "UserId": LEARNER_BASE + n % LEARNERS,
        "ClassId": ROSTER_CLASSES[n % len(ROSTER_CLASSES)],
        "EnrollmentStatusId": status,
        "CompletionStatusId": completion,
        "LateCancel": status == 10 and n % 3 == 0,
        "Retake": n % 17 == 0,
        "LocationTypeId": (0, 10, 20, 30)[n % 4],
        "ClassroomId": 3456 if n % 4 == 1 else None,
        "HoursSpent": (n * 7) % 40 if completion else None,
        "Grade": 50 + n % 50 if completion in (20, 50) else None,
        "CustomFields": [
            {"Name": "Cost centre", "TextValue": f"CC-{100 + n % 9}", "CustomFieldId": 5101},
            {"Name": "Région", "TextValue": ("Île-de-France", "Bayern", "Wales")[n % 3],
             "CustomFieldId": 5102},
        ],
    }  # fmt: skip


def created(ident: int) -> datetime:
    """When the demo says enrollment ``ident`` was created (one every three hours)."""
    if is_batch_id(ident):
        return _CREATED_FROM + timedelta(hours=3 * (ident - FIRST_BATCH_ID))
    return datetime(2025, 11, 3, 10, tzinfo=timezone.utc)


def batch_enrollments() -> Iterator[dict[str, Any]]:
    """Every generated enrollment, by id."""
    for ident in range(FIRST_BATCH_ID, FIRST_BATCH_ID + BATCH_SIZE):
        record = enrollment(ident)
        if record is not None:
            yield record
