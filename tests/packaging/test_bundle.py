"""The PyInstaller bundle, built from this checkout and started as a user would.

Slow (about a minute): skip locally with ``pytest -m "not bundle"``; ``.ci/run`` runs it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.servers import record_responder

pytestmark = pytest.mark.bundle
ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
KEY = "Bundle-Test-Key-9911"


def _load_build() -> Any:
    spec = importlib.util.spec_from_file_location("ev_build", ROOT / "build_scripts" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Build from this checkout, or use the bundle already in ENROLL_VIEWER_BUNDLE_DIST."""
    build = _load_build()
    ready = os.environ.get("ENROLL_VIEWER_BUNDLE_DIST")
    if ready:
        folder = Path(ready).resolve() / "enroll-viewer"
        archive = next(Path(ready).glob(f"enroll-viewer-*-{build.platform_tag()}.*"))
        return {
            "bundle": folder,
            "bundle_bytes": build.folder_size(folder),
            "archive": archive,
            "archive_bytes": archive.stat().st_size,
        }
    pytest.importorskip("PyInstaller")
    return dict(build.build(dist=tmp_path_factory.mktemp("dist")))


def frozen(
    bundle: dict[str, Any], *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    exe = Path(bundle["bundle"]) / (
        "enroll-viewer.exe" if sys.platform == "win32" else "enroll-viewer"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [str(exe), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )


def test_size_budget(bundle: dict[str, Any]) -> None:
    # 130 MiB until one window per user (QtNetwork's local sockets, and the Kerberos libraries
    # libQt6Network links: +6 MiB) and printing (QtPrintSupport, +1 MiB) came in; 136 MiB now.
    assert bundle["bundle_bytes"] <= 138 * MIB, bundle["bundle_bytes"] / MIB
    assert bundle["archive_bytes"] <= 55 * MIB, bundle["archive_bytes"] / MIB
    assert Path(bundle["archive"]).name.startswith("enroll-viewer-0.")


def test_frozen_self_test(bundle: dict[str, Any]) -> None:
    result = frozen(bundle, "--self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(frozen," in result.stdout
    assert "ok   keyring" in result.stdout and "ok   resources" in result.stdout


def test_frozen_demo_lookup_json(bundle: dict[str, Any]) -> None:
    result = frozen(bundle, "lookup", "10", "--demo", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["Id"] == 10 and data["EnrollmentStatus"] == "Enroll"
    assert frozen(bundle, "lookup", "404", "--demo").returncode == 3


def test_frozen_window_paints(bundle: dict[str, Any], tmp_path: Path) -> None:
    result = frozen(
        bundle,
        "--demo",
        env={"ENROLL_VIEWER_EXIT_AFTER_PAINT": "1", "XDG_CONFIG_HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "first-paint" in result.stdout


def test_frozen_https_lookup_trusts_ssl_cert_file_only(
    bundle: dict[str, Any], serve, tmp_path: Path
) -> None:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    server = serve(record_responder, tls=context)
    bundle_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle_file))
    empty = tmp_path / "no-certs"
    empty.mkdir()
    env = {
        "ENROLL_VIEWER_API_KEY": KEY,
        "SSL_CERT_DIR": str(empty),
        "REQUESTS_CA_BUNDLE": "",
        "CURL_CA_BUNDLE": "",
    }
    args = ["lookup", "5", "--base-url", server.base_url, "--json"]
    untrusted = frozen(bundle, *args, env={**env, "SSL_CERT_FILE": str(empty / "none.pem")})
    assert untrusted.returncode == 5 and "certificate" in untrusted.stderr.lower()
    trusted = frozen(bundle, *args, env={**env, "SSL_CERT_FILE": str(bundle_file)})
    assert trusted.returncode == 0, trusted.stderr
    assert json.loads(trusted.stdout)["Id"] == 5
    assert server.seen.headers[-1]["api_key"] == KEY


def test_frozen_keyring_with_a_real_secret_service(
    bundle: dict[str, Any], serve, tmp_path: Path
) -> None:
    from tests.secret_service import SecretServiceSession, available

    if not available():
        pytest.skip("needs dbus and gnome-keyring")
    server = serve(record_responder)
    session = SecretServiceSession(tmp_path / "home").start()
    try:
        env = {k: v for k, v in session.env.items() if not k.startswith("PYTHON")}
        checked = frozen(bundle, "--self-test", env=env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "picked keyring.backends.SecretService.Keyring (secure)" in checked.stdout
        assert (
            frozen(
                bundle, "connections", "add", "Test", "--base-url", server.base_url, env=env
            ).returncode
            == 0
        )
        saved = frozen_input(bundle, KEY + "\n", "key", "set", "--connection", "Test", env=env)
        assert saved.returncode == 0, saved.stderr
        looked = frozen(bundle, "lookup", "5", "--connection", "Test", "--json", env=env)
        assert looked.returncode == 0, looked.stderr
        assert server.seen.headers[-1]["api_key"] == KEY
        session.lock()
        status = frozen(bundle, "key", "status", "--connection", "Test", env=env)
        assert status.returncode == 4 and "locked" in status.stdout
        locked = frozen(bundle, "lookup", "5", "--connection", "Test", env=env)
        assert locked.returncode == 4 and "keyring is locked" in locked.stderr
    finally:
        session.stop()


def frozen_input(
    bundle: dict[str, Any], text: str, *args: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    exe = Path(bundle["bundle"]) / (
        "enroll-viewer.exe" if sys.platform == "win32" else "enroll-viewer"
    )
    return subprocess.run(
        [str(exe), *args], input=text, capture_output=True, text=True, timeout=60, env=env
    )


def test_a_bundle_that_lost_keyrings_metadata_fails_its_self_test(
    bundle: dict[str, Any], tmp_path: Path
) -> None:
    import shutil

    copy = tmp_path / "enroll-viewer"
    shutil.copytree(bundle["bundle"], copy, symlinks=True)
    removed = [p for p in copy.rglob("keyring-*.dist-info")]
    assert removed, "the bundle should carry keyring's metadata"
    for path in removed:
        shutil.rmtree(path)
    result = frozen({"bundle": copy}, "--self-test")
    assert result.returncode == 1
    assert "FAIL keyring" in result.stdout and "metadata" in result.stdout
