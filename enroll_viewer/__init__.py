"""Enrollment Viewer: look up Skillable TMS class enrollments."""

__version__ = "0.1.0"
APP_NAME = "Enrollment Viewer"
APP_ID = "enroll-viewer"
ORG_NAME = "EnrollViewer"
