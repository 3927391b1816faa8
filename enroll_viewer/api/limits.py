"""Limits shared by the checks, the widgets people type into, and the request runner.

Plain constants, so the window's first paint can use them without importing what checks them.
"""

MAX_EXTERNAL_ID = 100  # characters of an external id
MAX_KEY_LENGTH = 1000  # characters of an API key (Windows Credential Manager holds ~1,280)
INT32_MAX = 2_147_483_647  # the API's ids are Int32
INT32_MIN = -2_147_483_648
DEFAULT_WORKERS = 4  # requests at once, unless Settings says otherwise
MAX_WORKERS = 8
