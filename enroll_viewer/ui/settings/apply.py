"""Turn what Settings collected into saved connections and key changes. No widgets."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from enroll_viewer.store import connections as store
from enroll_viewer.store.connection import Connection, ConnectionKind, Connections

if TYPE_CHECKING:
    from enroll_viewer.ui.settings.values import SettingsResult


def apply(
    current: Connections, result: SettingsResult
) -> tuple[Connections, list[tuple[Connection, str | None]]]:
    """Write the connections file and list the key changes to make: ``(connection, new key)``
    to save a key, ``(connection, None)`` to forget one (also for removed connections).

    Raises:
        OSError: the file cannot be written. InvalidInput: a name in use, a locked connection.
    """
    updated = current
    keys: list[tuple[Connection, str | None]] = []
    for removed in result.removed:
        updated, gone = store.remove(updated, removed.name)
        keys.append((gone, None))
    for edit in result.edits:
        original = edit.original
        if original is None:
            updated = store.add(
                updated, edit.name, edit.base_url, edit.site_url, edit.timeout, edit.proxy
            )
            target = updated.get(edit.name)
        elif (
            original.kind in (ConnectionKind.USER, ConnectionKind.PRODUCTION)
            and not original.locked
        ):
            changed = replace(
                original,
                base_url=edit.base_url,
                site_url=edit.site_url,
                timeout=float(edit.timeout),
                proxy=edit.proxy,
            )
            updated = store.update(updated, changed, edit.name)
            target = next(c for c in updated.items if c.id == original.id)
        else:
            target = next((c for c in updated.items if c.id == original.id), original)
        if edit.new_key is not None:
            keys.append((target, edit.new_key))
        elif edit.forget_key:
            keys.append((target, None))
    return updated, keys
