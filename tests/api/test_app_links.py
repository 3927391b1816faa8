"""Enrollment links and ``enroll-viewer ID``: every accepted form, every refused one (nothing
to look up, a reason given), and properties: no text crashes the parser, and whatever it
accepts can be written as a link again and means the same."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from enroll_viewer import URL_SCHEME
from enroll_viewer.api.app_links import (
    MAX_CONNECTION_NAME,
    MAX_TARGET,
    OpenRequest,
    app_link,
    looks_like_link,
    parse_app_link,
    parse_target,
)
from enroll_viewer.api.errors import InvalidInput
from enroll_viewer.api.records import LookupKey, LookupKind
from enroll_viewer.store.connection import MAX_NAME

ID = LookupKind.ID
EXTERNAL = LookupKind.EXTERNAL


@pytest.mark.parametrize(
    ("text", "connection", "kind", "value", "named"),
    [
        ("12345", None, ID, "12345", None),
        (" 0012345 ", None, ID, "12345", None),
        ("E3G5YZFREFEQ9371", None, EXTERNAL, "E3G5YZFREFEQ9371", None),
        ("12345", "Test", ID, "12345", "Test"),
        ("enroll-viewer://enrollment/12345", None, ID, "12345", None),
        ("enroll-viewer://enrollment/E3G5YZFREFEQ9371", None, EXTERNAL, "E3G5YZFREFEQ9371", None),
        ("enroll-viewer://enrollment/12345?connection=Test", None, ID, "12345", "Test"),
        ("enroll-viewer://enrollment/12345/", None, ID, "12345", None),  # browsers add a /
        ("ENROLL-VIEWER://Enrollment/12345", None, ID, "12345", None),
        ("enroll-viewer://enrollment/12345?connection=My+Test", None, ID, "12345", "My Test"),
        ("enroll-viewer://enrollment/12345?connection=Pr%C3%BCfung", None, ID, "12345", "Prüfung"),
        ("enroll-viewer://enrollment/12345?connection=test", "Test", ID, "12345", "test"),
        ("enroll-viewer://enrollment/12345", "Test", ID, "12345", "Test"),
        (
            "enroll-viewer://enrollment/%C3%84%20B%2F12%20%26x%3D1%3F%23",  # demo 42's external id
            None,
            EXTERNAL,
            "Ä B/12 &x=1?#",
            None,
        ),
    ],
)
def test_accepted_forms(
    text: str, connection: str | None, kind: LookupKind, value: str, named: str | None
) -> None:
    assert parse_target(text, connection) == OpenRequest(LookupKey(kind, value), named)


def test_space_around_an_id_or_a_link_is_trimmed() -> None:
    expected = OpenRequest(LookupKey(ID, "12345"), None)
    assert parse_target(" enroll-viewer://enrollment/12345\t") == expected
    assert parse_target("-1") == OpenRequest(LookupKey(EXTERNAL, "-1"))  # as typed in the window


def test_a_plain_start_asks_only_for_the_window() -> None:
    assert parse_target("") == OpenRequest(None, None)
    assert parse_target("", "Test") == OpenRequest(None, "Test")


REFUSED_LINKS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "file:///etc/passwd",
    "file:C:/Windows/System32/calc.exe",
    "C:\\Windows\\System32\\calc.exe",
    "https://lms.learnondemand.net/ClassEnrollment/12345",
    "data:text/html,<script>alert(1)</script>",
    "enroll-viewer://enrollment/12345?base=https://evil.example",
    "enroll-viewer://enrollment/12345?connection=Test&base=https://evil.example",
    "enroll-viewer://enrollment/12345?key=abc",
    "enroll-viewer://enrollment/12345?api_key=abc",
    "enroll-viewer://enrollment/12345?connection=Test&connection=Production",
    "enroll-viewer://enrollment/12345?connection=",
    "enroll-viewer://enrollment/12345?connection",
    "enroll-viewer://enrollment/12345?connection=" + "x" * (MAX_CONNECTION_NAME + 1),
    "enroll-viewer://enrollment/12345?connection=Te%00st",
    "enroll-viewer://enrollment/12345#fragment",
    "enroll-viewer://enrollment/12%00",
    "enroll-viewer://enrollment/%00",
    "enroll-viewer://enrollment/12%0A34",
    "enroll-viewer://enrollment/%zz",
    "enroll-viewer://enrollment/%C3",  # not UTF-8
    "enroll-viewer://enrollment/",
    "enroll-viewer://enrollment",
    "enroll-viewer://enrollment/0",
    "enroll-viewer://enrollment/2147483648",
    "enroll-viewer://enrollment/" + "x" * 101,  # an external id is at most 100 characters
    "enroll-viewer://enrollment/1/2",
    "enroll-viewer://enrollment//12345",
    "enroll-viewer://settings/12345",
    "enroll-viewer://user@enrollment/12345",
    "enroll-viewer://enrollment:80/12345",
    "enroll-viewer:enrollment/12345",
    "enroll-viewer:///enrollment/12345",
    "enroll-viewer://enrollment/12 345",
    "enroll-viewer://enroll\nment/12345",
    "enroll-viewer://enrollment/" + "1" * (MAX_TARGET - len("enroll-viewer://enrollment/") + 1),
]


@pytest.mark.parametrize("text", REFUSED_LINKS)
def test_refused_links_say_why_and_look_nothing_up(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_target(text)
    assert refused.value.exit_code == 2
    assert "Nothing was looked up." in refused.value.message
    assert refused.value.title


@pytest.mark.parametrize(
    ("text", "connection"),
    [
        ("x" * 10_000, None),  # a 10,000-character id
        ("1" * 10_000, None),
        (" " * 300 + "12345", None),  # the length counts as given, before trimming
        ("0", None),
        ("2147483648", None),
        ("a\tb", None),
        ("x" * 101, None),
        ("12345", ""),
        ("12345", " "),
        ("12345", "x" * 41),
        ("12345", "Te\x00st"),
        ("enroll-viewer://enrollment/12345?connection=Test", "Production"),
        ("search:now", None),  # looks like a link (a scheme), and is not ours
    ],
)
def test_refused_ids_and_names(text: str, connection: str | None) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_target(text, connection)
    assert "Nothing was looked up." in refused.value.message


def test_a_link_never_carries_settings() -> None:
    """Whatever a link says besides the id and a connection's name is refused, not ignored."""
    for extra in ("base", "base_url", "key", "api_key", "timeout", "proxy", "site", "default"):
        with pytest.raises(InvalidInput, match=extra):
            parse_app_link(f"enroll-viewer://enrollment/12345?{extra}=x")


def test_limits_match_the_stores() -> None:
    assert MAX_CONNECTION_NAME == MAX_NAME
    assert URL_SCHEME == "enroll-viewer"


def test_app_link() -> None:
    assert app_link(12345) == "enroll-viewer://enrollment/12345"
    assert app_link(10, "Demo") == "enroll-viewer://enrollment/10?connection=Demo"
    assert app_link(10, "My Test") == "enroll-viewer://enrollment/10?connection=My%20Test"
    external = LookupKey(EXTERNAL, "Ä B/12 &x=1?#")
    assert app_link(external) == "enroll-viewer://enrollment/%C3%84%20B%2F12%20%26x%3D1%3F%23"
    for bad in (0, -1, 2_147_483_648, True):
        assert app_link(bad) is None
    # 100 characters that each take 12 once encoded: written with the characters as they are.
    long = LookupKey(EXTERNAL, "é" * 100)
    assert app_link(long) == "enroll-viewer://enrollment/" + "é" * 100
    assert app_link(LookupKey(EXTERNAL, "😀" * 100), "x" * 40) is not None
    assert app_link(LookupKey(EXTERNAL, "%" * 100)) is None  # each one is %25, always


@given(st.text(max_size=300))
@example("enroll-viewer://enrollment/%C3%84%20B%2F12%20%26x%3D1%3F%23?connection=a+b%2Bc")
@example("enroll-viewer://enrollment/" + "é" * 100 + "?connection=" + "ü" * 40)
@example("enroll-viewer://enrollment/1?connection=%20a%20")
def test_no_text_crashes_the_parser_and_what_it_accepts_round_trips(text: str) -> None:
    try:
        request = parse_target(text)
    except InvalidInput:
        return
    if request.key is None:
        assert not text.strip()
        return
    link = app_link(request.key, request.connection)
    assert link is not None and len(link) <= MAX_TARGET
    assert parse_target(link) == request
    assert parse_app_link(link) == request


_LINK_ALPHABET = st.sampled_from(
    [*"0123456789abcXYZ%/?#&=+;:.-_~ é€😀", "%2F", "%20", "%C3%A9", "%00", "%zz"]
)


@given(
    st.lists(_LINK_ALPHABET, max_size=40).map("".join),
    st.one_of(st.none(), st.lists(_LINK_ALPHABET, max_size=20).map("".join)),
)
def test_link_shaped_text_never_crashes_and_round_trips(path: str, query: str | None) -> None:
    text = f"{URL_SCHEME}://enrollment/{path}" + (f"?{query}" if query is not None else "")
    try:
        request = parse_app_link(text)
    except InvalidInput as exc:
        assert "Nothing was looked up." in exc.message
        return
    assert request.key is not None
    link = app_link(request.key, request.connection)
    assert link is not None
    assert parse_app_link(link) == request


@given(st.builds(LookupKey, st.just(EXTERNAL), st.text(min_size=1, max_size=100)), st.text())
def test_every_valid_id_and_name_make_a_link_that_means_them(key: LookupKey, name: str) -> None:
    try:
        wanted = parse_target(key.value, name)
    except InvalidInput:
        return
    if wanted.key is None:  # only spaces: a plain start
        return
    link = app_link(wanted.key, wanted.connection)
    if link is not None:  # a name of 40 four-byte characters does not fit in 200
        assert parse_target(link) == wanted


def test_looks_like_link() -> None:
    for text in ("javascript:x", "file:///x", "C:\\x", "enroll-viewer://", "a+b.c-d:x"):
        assert looks_like_link(text)
    for text in ("12345", "E3G5YZFREFEQ9371", "Ä B/12 &x=1?#", ":x", "1a:x", "é:x", "a b:x"):
        assert not looks_like_link(text)
