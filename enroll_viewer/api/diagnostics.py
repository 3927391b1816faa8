"""What IT and support ask for about the network: proxy, trust store, ignored CA variables."""

from __future__ import annotations

import os
import ssl
import sys
from urllib.parse import urlsplit

from enroll_viewer.api.transport import library_versions, resolve_proxies
from enroll_viewer.api.validation import hide_credentials, is_loopback_host


def network_diagnostics(base_url: str, proxy: str) -> list[tuple[str, str]]:
    """What a transport would do for ``base_url``: proxy, trust store, ignored CA variables."""
    found = resolve_proxies(base_url, proxy)
    if is_loopback_host(urlsplit(base_url).hostname or ""):
        proxy_text = "none (this computer, direct)"
    elif proxy == "system":
        effective = found.get(urlsplit(base_url).scheme) or found.get("all") or "none (direct)"
        proxy_text = f"system settings → {hide_credentials(effective)}"
    elif proxy == "none":
        proxy_text = "none (direct, system settings ignored)"
    else:
        proxy_text = f"manual → {hide_credentials(proxy)}"
    paths = ssl.get_default_verify_paths()
    trust = "the operating system's store (truststore)"
    if sys.platform.startswith("linux"):
        trust += f"; CA file {os.environ.get('SSL_CERT_FILE') or paths.cafile or 'default'}"
    ignored = [name for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE") if os.environ.get(name)]
    return [
        ("Proxy", proxy_text),
        ("Certificates", trust),
        ("Ignored on purpose", ", ".join(ignored) + " (set, not used)" if ignored else "none"),
        ("requests / urllib3", library_versions()),
    ]
