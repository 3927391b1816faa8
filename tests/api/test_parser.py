"""The parser: documented shapes, lenient spellings, and hypothesis: any JSON in, record or typed
error out."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enroll_viewer.api.errors import ApiError, AppError, KeyProblem, NotFound, UnusableResponse
from enroll_viewer.api.parser import decode_json, parse_enrollment_envelope
from enroll_viewer.api.presentation import record_as_text
from enroll_viewer.api.records import ClassEnrollment
from tests.servers import envelope, sample


def test_reference_example() -> None:
    record = parse_enrollment_envelope(envelope(sample(10)), 10)
    assert record.to_json()["EnrollmentStatus"] == "Enroll"
    assert record.to_json()["LocationType"] == "To Be Determined"
    assert record.custom_fields[0].custom_field_id == 5089


def test_camel_case_strings_and_unknown_keys() -> None:
    data = {
        "status": "0",
        "error": None,
        "results": [
            {
                "id": "10",
                "userId": "897615",
                "lateCancel": "False",
                "retake": "TRUE",
                "hoursSpent": "12",
                "enrollmentStatusId": 70,
                "NewThing": [1, 2],
                "customFields": [{"name": "A", "textValue": 44, "customFieldId": "5"}],
            }
        ],
    }
    record = parse_enrollment_envelope(data, 10)
    assert (record.user_id, record.late_cancel, record.retake, record.hours_spent) == (
        897615,
        False,
        True,
        12,
    )
    assert record.enrollment_status is not None
    assert record.enrollment_status.label == "Unknown (70)"
    assert record.extra == (("NewThing", [1, 2]),)
    assert record.to_json()["NewThing"] == [1, 2]
    assert record.custom_fields[0].text_value == "44"


def test_nulls_stay_null() -> None:
    record = parse_enrollment_envelope(
        envelope(
            sample(
                5,
                LocationTypeId=None,
                Grade=None,
                LateCancel=None,
                ExternalId=None,
                CustomFields=None,
            )
        ),
        5,
    )
    assert record.location_type is None and record.grade is None and record.late_cancel is None
    assert record.to_json()["LocationType"] is None
    assert "—" in record_as_text(record)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (envelope(status=20), NotFound),
        (envelope(status=0), NotFound),
        (envelope(status=30, error="Invalid integration key"), KeyProblem),
        (envelope(status=10, error="Database down"), ApiError),
        (envelope(status=77), ApiError),
        ({"Results": []}, UnusableResponse),
        ([1, 2], UnusableResponse),
        (envelope(sample(1, Grade="A+")), UnusableResponse),
        (envelope(sample(1, Id=None)), UnusableResponse),
        (envelope(sample(1, Retake="maybe")), UnusableResponse),
        (envelope(sample(1, CustomFields={"a": 1})), UnusableResponse),
        (envelope(sample(1, Grade=2**40)), UnusableResponse),
    ],
)
def test_typed_errors(data: Any, error: type[AppError]) -> None:
    with pytest.raises(error):
        parse_enrollment_envelope(data, 1)


def test_api_error_text_is_shown() -> None:
    with pytest.raises(ApiError, match="Database down"):
        parse_enrollment_envelope(envelope(status=10, error="Database down"), 1)


def test_wrong_kind_names_the_field() -> None:
    with pytest.raises(UnusableResponse, match='"A\\+" for Grade'):
        parse_enrollment_envelope(envelope(sample(1, Grade="A+")), 1)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
field_names = st.sampled_from(
    [
        "Id",
        "id",
        "ID",
        "ExternalId",
        "UserId",
        "ClassId",
        "EnrollmentStatusId",
        "completionstatusid",
        "LateCancel",
        "Retake",
        "LocationTypeId",
        "ClassroomId",
        "HoursSpent",
        "Grade",
        "CustomFields",
        "Other",
    ]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.text(max_size=8)
    | st.sampled_from(["12", "False", "true", " 7 ", "-3", "1e3", "0x10"])
    | st.floats(allow_nan=True, allow_infinity=True)
)
custom = st.lists(
    st.one_of(
        st.dictionaries(st.sampled_from(["Name", "name", "TextValue", "CustomFieldId"]), scalars),
        scalars,
    ),
    max_size=3,
)
records = st.dictionaries(field_names, scalars | custom, max_size=14)
envelopes = st.fixed_dictionaries(
    {"Status": st.sampled_from([0, "0", 10, 20, 30, 99, None, "x"])},
    optional={"Error": scalars, "Results": st.lists(records, max_size=2) | scalars},
)


def _outcome(data: Any) -> ClassEnrollment | AppError:
    try:
        return parse_enrollment_envelope(data, None)
    except AppError as exc:
        assert exc.title and exc.message
        return exc


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_any_json_gives_record_or_typed_error(data: Any) -> None:
    _outcome(data)


@settings(max_examples=600, deadline=None)
@given(envelopes)
def test_near_valid_envelopes_give_record_or_typed_error(data: Any) -> None:
    result = _outcome(data)
    if isinstance(result, ClassEnrollment):
        json.dumps(result.to_json())  # always serialisable for --json and export
        record_as_text(result)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_typed_error(body: bytes) -> None:
    with contextlib.suppress(UnusableResponse):
        decode_json(body)


def test_deeply_nested_json_is_a_typed_error() -> None:
    with pytest.raises(UnusableResponse):
        decode_json(b"[" * 100000 + b"]" * 100000)
