"""What people type, checked before anything is sent."""

from __future__ import annotations

import pytest

from enroll_viewer.api.errors import InvalidInput, KeyIssue, KeyProblem
from enroll_viewer.api.records import LookupKind
from enroll_viewer.api.validation import (
    check_api_key,
    is_loopback_host,
    normalize_base_url,
    parse_email,
    parse_enrollment_id,
    parse_lookup_input,
    url_host,
)
from enroll_viewer.store.connection import default_site_url, one_off


@pytest.mark.parametrize(("text", "number"), [("10", 10), (" 2147483647 ", 2147483647)])
def test_enrollment_ids(text: str, number: int) -> None:
    assert parse_enrollment_id(text) == number


@pytest.mark.parametrize("text", ["", "0", "-1", "2147483648", "1e3", "١٢", "12 3"])
def test_bad_enrollment_ids(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_enrollment_id(text)


def test_lookup_input() -> None:
    assert parse_lookup_input("  42 ").kind is LookupKind.ID
    assert parse_lookup_input("E3G5YZFREFEQ9371").kind is LookupKind.EXTERNAL
    assert parse_lookup_input("Ä B/12 &x=1?#").value == "Ä B/12 &x=1?#"
    for bad in ("", "a\tb", "x" * 101):
        with pytest.raises(InvalidInput):
            parse_lookup_input(bad)


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://lms.learnondemand.net/api/2.0/", "https://lms.learnondemand.net/api/2.0"),
        ("http://127.0.0.1:8080/api/2.0", "http://127.0.0.1:8080/api/2.0"),
        ("http://[::1]:8080/api/2.0", "http://[::1]:8080/api/2.0"),
        ("http://localhost/api", "http://localhost/api"),
    ],
)
def test_base_urls(url: str, normal: str) -> None:
    assert normalize_base_url(url) == normal


@pytest.mark.parametrize(
    "url",
    [
        "http://lms.learnondemand.net/api/2.0",
        "ftp://x.example",
        "https://user:pw@x.example/api",
        "https://x.example/api?x=1",
        "https://x.example:0/api",
        "https://x.example:99999/api",
        "not a url",
    ],
)
def test_bad_base_urls(url: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_base_url(url)


def test_ipv6_loopback_is_this_computer() -> None:
    url = "http://[::1]:8080/api/2.0"
    assert is_loopback_host("::1") and is_loopback_host("[::1]") and is_loopback_host("127.0.0.2")
    assert url_host(url) == "[::1]:8080"
    assert one_off(url).name == "This computer ([::1]:8080)"
    assert default_site_url(url) == "http://[::1]:8080"
    assert one_off("https://tms.example.org/api").name == "tms.example.org"


def test_keys() -> None:
    assert check_api_key("  abc-123 \n") == "abc-123"
    for bad in ("", "a b", "x" * 1001, "a\x7fb"):
        with pytest.raises(KeyProblem) as info:
            check_api_key(bad)
        assert info.value.issue is KeyIssue.INVALID


def test_emails() -> None:
    assert parse_email(" ada+tag@example.edu ") == "ada+tag@example.edu"
    assert parse_email("zoë@exämple.de") == "zoë@exämple.de"
    for bad in ("ada", "@example.edu", "ada@", "a b@example.edu", "a\n@b.c"):
        with pytest.raises(InvalidInput):
            parse_email(bad)
