"""The demo ids by group, each with a short label: what the window's empty state lists on the
Demo connection. Kept apart from the demo's data so the first paint does not build it."""

from __future__ import annotations

GROUPS: tuple[tuple[str, tuple[tuple[int, str], ...]], ...] = (
    ("The reference page's example", ((10, "Enroll · Unknown · To Be Determined"),)),
    ("Each enrollment status", tuple((11 + n, name) for n, name in enumerate(
        ("Request", "Cancel", "Waitlist", "Approve", "Deny", "Audit", "Enroll")))),
    ("Each completion status", tuple((21 + n, name) for n, name in enumerate(
        ("Unknown", "Attending", "Complete", "Incomplete", "NoShow", "Failed")))),
    ("Each location type", tuple((31 + n, name) for n, name in enumerate(
        ("To Be Determined", "Classroom", "Remote Classroom", "Virtual")))),
    ("Unusual records", (
        (40, "all nulls"), (41, "learner fails, odd class"), (42, "external id Ä B/12 &x=1?#"),
        (50, "500 custom fields"), (51, "1,000 custom fields"), (70, "unlisted codes, markup"))),
    ("Failures", (
        (404, "not found"), (401, "invalid key"), (500, "API error"),
        (503, "server unavailable"), (3000, "slow: 3 s (try Esc)"))),
    ("Many at once (Batch page)", ((100000, "to 100999"),)),
)  # fmt: skip
