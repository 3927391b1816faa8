"""Which server lookups go to, and how it is named on screen."""

from __future__ import annotations

from dataclasses import dataclass

from enroll_viewer.validation import DEFAULT_BASE_URL, is_loopback_host, url_host

PRODUCTION_HOST = "lms.learnondemand.net"


@dataclass(frozen=True)
class Connection:
    """Where lookups go: a display name, the base URL, the timeout, and the demo key if demo."""

    name: str
    base_url: str
    demo_key: str | None = None  # the demo API's own key; None for a real server
    timeout: float = 20.0
    proxy: str = "system"  # "system", "none", or a proxy URL

    @property
    def is_demo(self) -> bool:
        """True for the embedded demo API."""
        return self.demo_key is not None

    @property
    def host(self) -> str:
        """The host (and port) for display."""
        return url_host(self.base_url)

    @property
    def caption(self) -> str:
        """What the window shows, e.g. ``Production · lms.learnondemand.net``."""
        if self.is_demo:
            return "DEMO · sample data on this computer"
        return f"{self.name} · {self.host}"

    @classmethod
    def for_base_url(
        cls, base_url: str, timeout: float = 20.0, proxy: str = "system"
    ) -> Connection:
        """A connection named after its host: Production, Local, or the tenant's host."""
        host = (url_host(base_url).split(":")[0] or "").lower()
        if host == PRODUCTION_HOST:
            name = "Production"
        elif is_loopback_host(host.strip("[]")):
            name = "Local"
        else:
            name = "Custom"
        return cls(name, base_url or DEFAULT_BASE_URL, None, timeout, proxy)

    @classmethod
    def demo(cls, base_url: str, demo_key: str) -> Connection:
        """The embedded demo API."""
        return cls("DEMO", base_url, demo_key, 10.0)
