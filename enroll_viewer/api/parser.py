"""Turn the API's JSON envelope into records (one, or a page of them) or a typed error.

Keys are matched case-insensitively; numbers and booleans sent as strings are accepted; a value
of the wrong kind becomes :class:`UnusableResponse` naming the field, never a crash.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from enroll_viewer.api.dates import read_when
from enroll_viewer.api.errors import ApiError, KeyIssue, KeyProblem, NotFound, UnusableResponse
from enroll_viewer.api.limits import INT32_MAX, INT32_MIN
from enroll_viewer.api.records import (
    CLASS_STATUS,
    COMPLETION_STATUS,
    ENROLLMENT_STATUS,
    LOCATION_TYPE,
    ClassDetails,
    ClassEnrollment,
    Code,
    CustomField,
    Page,
    UserDetails,
)

KNOWN_KEYS = frozenset(
    k.lower()
    for k in (
        "Id", "ExternalId", "UserId", "ClassId", "EnrollmentStatusId", "CompletionStatusId",
        "LateCancel", "Retake", "LocationTypeId", "ClassroomId", "HoursSpent", "Grade",
        "CustomFields",
    )
)  # fmt: skip


class _Fields:
    """Case-insensitive view of one JSON object."""

    def __init__(self, obj: Mapping[str, Any], what: str) -> None:
        self.what = what
        self.by_lower: dict[str, tuple[str, Any]] = {}
        for key, value in obj.items():
            # The first spelling wins, so a record cannot be changed by a later duplicate.
            self.by_lower.setdefault(key.lower(), (key, value))

    def get(self, name: str) -> Any:
        return self.by_lower.get(name.lower(), (name, None))[1]

    def has(self, name: str) -> bool:
        return name.lower() in self.by_lower

    def wrong(self, name: str, expected: str) -> UnusableResponse:
        value = self.get(name)
        shown = json.dumps(value, ensure_ascii=False)
        if len(shown) > 40:
            shown = shown[:37] + "..."
        return UnusableResponse(
            f"The server sent {shown} for {name} of {self.what}, where {expected} was expected.",
            "Unexpected value",
        )

    def integer(self, name: str) -> int | None:
        value = self.get(name)
        if value is None:
            return None
        number = _as_int(value)
        if number is None or not INT32_MIN <= number <= INT32_MAX:
            raise self.wrong(name, "a whole number")
        return number

    def boolean(self, name: str) -> bool | None:
        value = self.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise self.wrong(name, "true or false")

    def text(self, name: str) -> str | None:
        value = self.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise self.wrong(name, "text")

    def code(self, name: str, labels: Mapping[int, str]) -> Code | None:
        number = self.integer(name)
        return None if number is None else Code.of(number, labels)


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isascii() and digits.isdigit() and len(digits) <= 12:
            return int(text)
    return None


def decode_json(body: bytes) -> Any:
    """Decode a JSON body, or raise :class:`UnusableResponse` saying why it is not JSON."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnusableResponse("The server's answer is not UTF-8 text.", "Not JSON") from None
    stripped = text.lstrip()
    if stripped[:1] == "<":
        raise UnusableResponse(
            "The server sent a web page (HTML) instead of API data. The base URL may point at the "
            "TMS website rather than its API (…/api/2.0).",
            "Web page instead of data",
        )
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise UnusableResponse(
            "The server's answer is not valid JSON (it may be cut off).", "Not JSON"
        ) from None


def envelope_status(data: Any) -> tuple[int | None, str | None] | None:
    """Return ``(Status, Error)`` when ``data`` looks like the API's envelope, else ``None``."""
    if not isinstance(data, dict):
        return None
    fields = _Fields(data, "the answer")
    if not fields.has("Status"):
        return None
    status = _as_int(fields.get("Status"))
    error = fields.get("Error")
    return status, (error.strip() or None) if isinstance(error, str) else None


def check_status(data: Any, what: str) -> _Fields:
    """Honour the envelope's ``Status``; returns the answer's fields when it is 0 (success).

    ``what`` names the thing asked for in messages (for example "class enrollment with id 10").

    Raises:
        NotFound, KeyProblem, ApiError, UnusableResponse.
    """
    status_error = envelope_status(data)
    if status_error is None:
        raise UnusableResponse(
            "The server's answer is not the TMS API's envelope (no Status field).",
            "Unexpected answer",
        )
    status, error = status_error
    if status == 20:
        raise NotFound(f"No {what} was found.", "Not found")
    if status == 30:
        raise KeyProblem(
            "The API rejected the key (invalid integration key). Check the key in Settings, "
            "and that it belongs to this TMS host.",
            "Invalid API key",
            KeyIssue.REJECTED,
        )
    if status == 10:
        raise ApiError(error or "The API reported an error but gave no details.")
    if status != 0:
        detail = f" ({error})" if error else ""
        raise ApiError(
            f"The API answered with status {status}, which this app does not know{detail}."
        )
    return _Fields(data, "the answer")


def envelope_items(
    data: Any,
    what: str,
    list_keys: tuple[str, ...] = ("Results",),
    object_keys: tuple[str, ...] = ("Result",),
) -> list[dict[str, Any]]:
    """The objects an answer carries, after its ``Status`` has been honoured.

    Each endpoint says where it answers: a list under one of ``list_keys`` (``null`` is an empty
    list) or one object under one of ``object_keys`` (a Get* method may answer either way).

    Raises:
        NotFound, KeyProblem, ApiError, UnusableResponse.
    """
    fields = check_status(data, what)
    for key in list_keys:
        if fields.has(key):
            items = fields.get(key)
            if items is None:
                return []
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise UnusableResponse(
                    f"The answer's {key} is not a list of objects.", "Unexpected answer"
                )
            return items
    for key in object_keys:
        item = fields.get(key)
        if isinstance(item, dict):
            return [item]
        if item is not None:
            raise UnusableResponse(f"The answer's {key} is not an object.", "Unexpected answer")
    return []


def first_result(
    data: Any,
    what: str,
    list_keys: tuple[str, ...] = ("Results",),
    object_keys: tuple[str, ...] = ("Result",),
) -> dict[str, Any]:
    """The first object of an answer; none at all means not found.

    Raises:
        NotFound, KeyProblem, ApiError, UnusableResponse.
    """
    items = envelope_items(data, what, list_keys, object_keys)
    if not items:
        raise NotFound(f"No {what} was found.", "Not found")
    return items[0]


ENROLLMENT_SHAPE = (("Results",), ("ClassEnrollment", "Result"))
USER_SHAPE = (("Results",), ("User", "Result"))
CLASS_SHAPE = (("Results",), ("Class", "Result"))
SEARCH_LIST_KEYS = ("Results", "ClassEnrollmentSearchResults", "SearchResults", "ClassEnrollments")


def parse_enrollment_envelope(data: Any, requested_id: int | None = None) -> ClassEnrollment:
    """Read a decoded GetClassEnrollment answer.

    Args:
        data: the decoded JSON of the whole answer.
        requested_id: the id asked for; an answer about another enrollment is refused.

    Raises:
        NotFound, KeyProblem, ApiError, UnusableResponse.
    """
    what = f"class enrollment with id {requested_id}" if requested_id else "class enrollment"
    record = parse_enrollment(first_result(data, what, *ENROLLMENT_SHAPE), "the enrollment")
    if requested_id is not None and record.id != requested_id:
        raise UnusableResponse(
            f"The server answered with enrollment {record.id} when {requested_id} was asked for; "
            "it is not shown.",
            "Wrong record",
        )
    return record


def parse_external_envelope(data: Any, external_id: str) -> ClassEnrollment:
    """Read a GetClassEnrollmentByExternalId answer; the record must carry that external id."""
    what = f"class enrollment with external id {external_id}"
    record = parse_enrollment(first_result(data, what, *ENROLLMENT_SHAPE), "the enrollment")
    if (record.external_id or "").strip().casefold() != external_id.strip().casefold():
        raise UnusableResponse(
            f"The server answered with enrollment {record.id}, whose external id is not "
            f"{external_id}; it is not shown.",
            "Wrong record",
        )
    return record


def parse_user(obj: Mapping[str, Any], what: str) -> UserDetails:
    """Read one user object (field names from Skillable's CreateUser; shape unconfirmed)."""
    fields = _Fields(obj, what)
    ident = fields.integer("Id")
    if ident is None:
        raise UnusableResponse(f"The answer for {what} has no Id.", "Unexpected answer")
    names = [fields.text(k) for k in ("FirstName", "MiddleName", "LastName")]
    name = " ".join(n.strip() for n in names if n and n.strip()) or None
    return UserDetails(
        id=ident,
        name=name,
        email=fields.text("Email"),
        user_name=fields.text("UserName"),
        raw=_raw(fields),
    )


def parse_user_envelope(data: Any, user_id: int) -> UserDetails:
    """Read a GetUser answer; an answer about another user is refused."""
    obj = dict(first_result(data, f"user {user_id}", *USER_SHAPE))
    obj.setdefault("Id", user_id)
    user = parse_user(obj, f"user {user_id}")
    if user.id != user_id:
        raise UnusableResponse(f"The server answered with user {user.id}.", "Wrong record")
    return user


def parse_user_by_email_envelope(data: Any, email: str) -> UserDetails:
    """Read a GetUserByEmail answer (a top-level ``User`` object, or a ``Results`` list).

    Raises:
        NotFound: no learner with that (primary) email is visible with this key.
    """
    what = f"learner with email {email}"
    user = parse_user(first_result(data, what, *USER_SHAPE), what)
    if user.email and user.email.strip().casefold() != email.strip().casefold():
        raise UnusableResponse(
            f"The server answered with user {user.id}, whose email is not {email}.",
            "Wrong record",
        )
    return user


def parse_class_envelope(data: Any, class_id: int) -> ClassDetails:
    """Read a GetClass answer (schema from GetClassByExternalId; dates' form unconfirmed)."""
    fields = _Fields(first_result(data, f"class {class_id}", *CLASS_SHAPE), f"class {class_id}")
    ident = fields.integer("Id")
    if ident is not None and ident != class_id:
        raise UnusableResponse(f"The server answered with class {ident}.", "Wrong record")
    course_name = fields.text("CourseName")
    course_id = fields.integer("CourseId")
    course = course_name or (f"Course {course_id}" if course_id is not None else None)
    status_number = _as_int(fields.get("ConfirmationStatusId"))
    return ClassDetails(
        id=class_id,
        name=fields.text("Name"),
        start=read_when(fields.get("Start")),
        end=read_when(fields.get("End")),
        course=course,
        status=Code.of(status_number, CLASS_STATUS) if status_number is not None else None,
        raw=_raw(fields),
    )


def parse_search_page(data: Any) -> Page:
    """Read one SearchClassEnrollments page: the list (under ``Results`` or an older name) and
    ``TotalCount``/``TotalPages`` when sent. Items that cannot be read are left out and counted.

    Raises:
        KeyProblem, ApiError, UnusableResponse (a Status 20 is an empty page).
    """
    try:
        items = envelope_items(data, "enrollment", SEARCH_LIST_KEYS, ())
    except NotFound:
        return Page(())
    fields = _Fields(data, "the answer")
    records: list[ClassEnrollment] = []
    skipped = 0
    for index, item in enumerate(items):
        try:
            records.append(parse_enrollment(item, f"search result {index + 1}"))
        except UnusableResponse:
            skipped += 1
    return Page(
        tuple(records),
        _count(fields, "TotalCount"),
        _count(fields, "TotalPages"),
        skipped,
    )


def _count(fields: _Fields, name: str) -> int | None:
    number = _as_int(fields.get(name))
    return number if number is not None and number >= 0 else None


def _raw(fields: _Fields) -> dict[str, Any]:
    return {key: value for key, value in fields.by_lower.values()}


def parse_enrollment(obj: Mapping[str, Any], what: str = "the enrollment") -> ClassEnrollment:
    """Read one ClassEnrollment object; raises :class:`UnusableResponse` for a wrong value."""
    fields = _Fields(obj, what)
    ident = fields.integer("Id")
    if ident is None:
        raise UnusableResponse(f"The answer for {what} has no Id.", "Unexpected answer")
    custom = fields.get("CustomFields")
    if custom is not None and not isinstance(custom, list):
        raise fields.wrong("CustomFields", "a list")
    extra = tuple(
        (key, value) for key, value in fields.by_lower.values() if key.lower() not in KNOWN_KEYS
    )
    return ClassEnrollment(
        id=ident,
        external_id=fields.text("ExternalId"),
        user_id=fields.integer("UserId"),
        class_id=fields.integer("ClassId"),
        enrollment_status=fields.code("EnrollmentStatusId", ENROLLMENT_STATUS),
        completion_status=fields.code("CompletionStatusId", COMPLETION_STATUS),
        late_cancel=fields.boolean("LateCancel"),
        retake=fields.boolean("Retake"),
        location_type=fields.code("LocationTypeId", LOCATION_TYPE),
        classroom_id=fields.integer("ClassroomId"),
        hours_spent=fields.integer("HoursSpent"),
        grade=fields.integer("Grade"),
        custom_fields=tuple(
            _custom_field(item, index, what) for index, item in enumerate(custom or [])
        ),
        extra=extra,
        raw=dict(obj),
    )


def _custom_field(item: Any, index: int, what: str) -> CustomField:
    if not isinstance(item, dict):
        raise UnusableResponse(
            f"Custom field {index + 1} of {what} is not an object.", "Unexpected value"
        )
    fields = _Fields(item, f"custom field {index + 1} of {what}")
    return CustomField(
        name=fields.text("Name") or "",
        text_value=fields.text("TextValue"),
        custom_field_id=fields.integer("CustomFieldId"),
    )
