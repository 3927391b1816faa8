"""Turn the API's JSON envelope into a :class:`ClassEnrollment` or a typed error.

Keys are matched case-insensitively; numbers and booleans sent as strings are accepted; a value
of the wrong kind becomes :class:`UnusableResponse` naming the field, never a crash.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from enroll_viewer.errors import ApiError, KeyProblem, NotFound, UnusableResponse
from enroll_viewer.records import (
    CLASS_STATUS,
    COMPLETION_STATUS,
    ENROLLMENT_STATUS,
    LOCATION_TYPE,
    ClassDetails,
    ClassEnrollment,
    Code,
    CustomField,
    UserDetails,
)

INT32_MAX = 2_147_483_647
INT32_MIN = -2_147_483_648

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


def first_result(data: Any, what: str) -> dict[str, Any]:
    """The first object of an API answer, after its envelope ``Status`` has been honoured.

    ``what`` names the thing asked for in messages (for example "enrollment 10").

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
        )
    if status == 10:
        raise ApiError(error or "The API reported an error but gave no details.")
    if status != 0:
        detail = f" ({error})" if error else ""
        raise ApiError(
            f"The API answered with status {status}, which this app does not know{detail}."
        )
    fields = _Fields(data, "the answer")
    results = fields.get("Results")
    if results is None and isinstance(fields.get("Result"), dict):
        results = [fields.get("Result")]  # some Get* methods may answer one object
    if results is None or results == []:
        raise NotFound(f"No {what} was found.", "Not found")
    if not isinstance(results, list) or not isinstance(results[0], dict):
        raise UnusableResponse(
            "The answer's Results is not a list of objects.", "Unexpected answer"
        )
    return results[0]


def parse_enrollment_envelope(data: Any, requested_id: int | None = None) -> ClassEnrollment:
    """Read a decoded GetClassEnrollment answer.

    Args:
        data: the decoded JSON of the whole answer.
        requested_id: the id asked for; an answer about another enrollment is refused.

    Raises:
        NotFound, KeyProblem, ApiError, UnusableResponse.
    """
    what = f"class enrollment with id {requested_id}" if requested_id else "class enrollment"
    record = parse_enrollment(first_result(data, what), "the enrollment")
    if requested_id is not None and record.id != requested_id:
        raise UnusableResponse(
            f"The server answered with enrollment {record.id} when {requested_id} was asked for; "
            "it is not shown.",
            "Wrong record",
        )
    return record


def parse_external_envelope(data: Any, external_id: str) -> ClassEnrollment:
    """Read a GetClassEnrollmentByExternalId answer; the record must carry that external id."""
    record = parse_enrollment(
        first_result(data, f"class enrollment with external id {external_id}"), "the enrollment"
    )
    if (record.external_id or "").strip().casefold() != external_id.strip().casefold():
        raise UnusableResponse(
            f"The server answered with enrollment {record.id}, whose external id is not "
            f"{external_id}; it is not shown.",
            "Wrong record",
        )
    return record


def parse_user_envelope(data: Any, user_id: int) -> UserDetails:
    """Read a GetUser answer (field names from Skillable's CreateUser; shape unconfirmed)."""
    fields = _Fields(first_result(data, f"user {user_id}"), f"user {user_id}")
    ident = fields.integer("Id")
    if ident is not None and ident != user_id:
        raise UnusableResponse(f"The server answered with user {ident}.", "Wrong record")
    names = [fields.text(k) for k in ("FirstName", "MiddleName", "LastName")]
    name = " ".join(n.strip() for n in names if n and n.strip()) or None
    return UserDetails(
        id=user_id,
        name=name,
        email=fields.text("Email"),
        user_name=fields.text("UserName"),
        raw=_raw(fields),
    )


def parse_class_envelope(data: Any, class_id: int) -> ClassDetails:
    """Read a GetClass answer (schema from GetClassByExternalId; dates' form unconfirmed)."""
    fields = _Fields(first_result(data, f"class {class_id}"), f"class {class_id}")
    ident = fields.integer("Id")
    if ident is not None and ident != class_id:
        raise UnusableResponse(f"The server answered with class {ident}.", "Wrong record")
    course_name = fields.text("CourseName")
    course_id = fields.integer("CourseId")
    course = course_name or (f"Course {course_id}" if course_id is not None else None)
    status = fields.get("ConfirmationStatusId")
    status_number = _as_int(status)
    return ClassDetails(
        id=class_id,
        name=fields.text("Name"),
        start=format_date(fields.get("Start")),
        end=format_date(fields.get("End")),
        course=course,
        status=Code.of(status_number, CLASS_STATUS) if status_number is not None else None,
        raw=_raw(fields),
    )


def _raw(fields: _Fields) -> dict[str, Any]:
    return {key: value for key, value in fields.by_lower.values()}


_DOTNET_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def format_date(value: Any) -> str | None:
    """A date the API may send as ISO 8601, .NET ``/Date(ms)/`` or Unix seconds, as
    ``YYYY-MM-DD HH:MM`` (UTC where the value says so); anything else is shown as sent."""
    if value is None or value == "":
        return None
    moment: datetime | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        seconds = value / 1000 if abs(value) > 10**11 else value
        try:
            moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return str(value)
    elif isinstance(value, str):
        text = value.strip()
        match = _DOTNET_DATE.match(text)
        try:
            if match:
                moment = datetime.fromtimestamp(int(match.group(1)) / 1000, tz=timezone.utc)
            else:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except (OverflowError, OSError, ValueError):
            return text[:40]
    else:
        return None
    if moment is None:
        return None
    offset = moment.utcoffset()
    suffix = " UTC" if offset is not None and not offset else ""
    return moment.strftime("%Y-%m-%d %H:%M") + suffix


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
