"""Enrollment Viewer: look up Skillable TMS class enrollments."""

__version__ = "0.1.0"
APP_NAME = "Enrollment Viewer"
APP_ID = "enroll-viewer"
ORG_NAME = "EnrollViewer"
DEMO_NAME = "Demo"  # the built-in demo connection (the first paint shows it by name)
DEMO_ID = "demo"
# The demo API's key: public on purpose (the demo serves sample data on this computer only).
DEMO_KEY = "demo-key-not-secret"
# Enrollment links (enroll-viewer://enrollment/ID); the installers register this scheme.
URL_SCHEME = "enroll-viewer"
