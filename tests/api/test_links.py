"""Links into the TMS site: only from integer ids and the connection's site URL."""

from __future__ import annotations

from dataclasses import replace

from enroll_viewer.api.links import class_link, enrollment_link, links_json, user_link
from enroll_viewer.api.parser import parse_enrollment_envelope
from enroll_viewer.store.connection import Connection, production
from tests.servers import envelope, sample


def test_links_on_the_site_url() -> None:
    prod = production()
    assert enrollment_link(prod, 10) == "https://lms.learnondemand.net/ClassEnrollment/10"
    site = replace(prod, site_url="https://training.example.edu")
    assert user_link(site, 897615) == "https://training.example.edu/User/897615"
    assert class_link(site, 4421) == "https://training.example.edu/Class/4421"


def test_nothing_the_server_sent_becomes_a_link() -> None:
    prod = production()
    for bad in (None, 0, -1, 2**31, "10", "10/../../evil", True, 1.5):
        assert enrollment_link(prod, bad) is None
    record = parse_enrollment_envelope(envelope(sample(10, UserId=None, ClassId=None)), 10)
    assert links_json(prod, record) == {
        "Enrollment": "https://lms.learnondemand.net/ClassEnrollment/10",
        "User": None,
        "Class": None,
    }


def test_only_https_or_this_computer() -> None:
    insecure = Connection("x", "X", "https://x.example/api", site_url="http://x.example")
    assert enrollment_link(insecure, 10) is None
    local = Connection("l", "L", "http://127.0.0.1:5000/api/2.0")
    assert enrollment_link(local, 10) == "http://127.0.0.1:5000/ClassEnrollment/10"
