"""What a screen reader gets from the running app, read through AT-SPI (as Orca reads it).

Run by tests/ui/a11y_session.py under Debian's own /usr/bin/python3 (pyatspi is not on PyPI),
with DISPLAY and the private session bus of the test in the environment. It takes a list of
steps as JSON on stdin and prints one JSON object: what each step saw.

Steps:
  {"do": "wait-app"}                        the app's frame is on the AT-SPI desktop
  {"do": "focus-window"}                    give the X window the keyboard focus (no WM here)
  {"do": "keys", "keys": ["Tab"], "each": true}   xdotool key presses; with "each", the focus
                                            event after each press is recorded
  {"do": "type", "text": "10"}              xdotool type
  {"do": "wait-name", "name": "...", "prefix": false, "timeout": 20}  an object with that
                                            name (or a name starting so) is showing
  {"do": "dump"}                            the tree of showing objects (names, roles, text,
                                            tables' headers and cells)
  {"do": "announcements"}                   the announcements heard so far
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

APP_NAMES = ("enroll-viewer", "Enrollment Viewer")
focus_events: list[dict[str, object]] = []
announcements: list[dict[str, object]] = []


def role(obj: Atspi.Accessible) -> str:
    return obj.get_role_name() or ""


def states(obj: Atspi.Accessible) -> set[str]:
    state_set = obj.get_state_set()
    return {
        Atspi.StateType(s).value_nick
        for s in range(Atspi.StateType.LAST_DEFINED)
        if state_set.contains(Atspi.StateType(s))
    }


def text_of(obj: Atspi.Accessible) -> str | None:
    text = obj.get_text_iface() if hasattr(obj, "get_text_iface") else None
    if text is None:
        return None
    count = text.get_character_count()
    return text.get_text(0, min(count, 4000))


def describe(obj: Atspi.Accessible) -> dict[str, object]:
    return {
        "role": role(obj),
        "name": obj.get_name() or "",
        "description": obj.get_description() or "",
    }


def table_of(obj: Atspi.Accessible) -> dict[str, object] | None:
    table = obj.get_table_iface() if hasattr(obj, "get_table_iface") else None
    if table is None:
        return None
    rows, columns = table.get_n_rows(), table.get_n_columns()
    headers = []
    for column in range(columns):
        header = table.get_column_header(column)
        name = header.get_name() if header is not None else table.get_column_description(column)
        headers.append(name)
    cells = []
    for row in range(min(rows, 5)):
        line = []
        for column in range(columns):
            cell = table.get_accessible_at(row, column)
            line.append(cell.get_name() if cell is not None else None)
        cells.append(line)
    return {"rows": rows, "columns": columns, "headers": headers, "cells": cells}


def dump(obj: Atspi.Accessible, depth: int = 0) -> dict[str, object] | None:
    if depth > 40:
        return None
    here = describe(obj)
    found = states(obj)
    if depth > 0 and "showing" not in found:
        return None
    here["states"] = sorted(found & {"focusable", "focused", "editable", "read-only", "selected"})
    text = text_of(obj)
    if text is not None:
        here["text"] = text
    table = table_of(obj)
    if table is not None:
        here["table"] = table
        return here  # its cells are in "table"
    children = []
    for index in range(obj.get_child_count()):
        child = obj.get_child_at_index(index)
        if child is None:
            continue
        part = dump(child, depth + 1)
        if part is not None:
            children.append(part)
    if children:
        here["children"] = children
    return here


def find_app() -> Atspi.Accessible | None:
    desktop = Atspi.get_desktop(0)
    for index in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(index)
        if app is not None and (app.get_name() or "") in APP_NAMES:
            return app
    return None


def spin(seconds: float) -> None:
    """Let AT-SPI events arrive for ``seconds``."""
    loop = GLib.MainLoop()
    GLib.timeout_add(int(seconds * 1000), loop.quit)
    loop.run()


def wait_for(check, timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            return None
        spin(0.1)


def names_showing(obj: Atspi.Accessible, depth: int = 0) -> list[str]:
    if depth > 40:
        return []
    out = [obj.get_name() or ""]
    for index in range(obj.get_child_count()):
        child = obj.get_child_at_index(index)
        if child is not None and "showing" in states(child):
            out += names_showing(child, depth + 1)
    return out


def on_focus(event: Atspi.Event) -> None:
    if event.detail1 == 1:
        focus_events.append(describe(event.source) | {"text": text_of(event.source)})


def on_announcement(event: Atspi.Event) -> None:
    value = event.any_data
    text = value if isinstance(value, str) else str(value)
    announcements.append({"text": text, "source": describe(event.source)})


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=30)


def main() -> int:
    Atspi.init()
    Atspi.set_timeout(5000, 15000)
    focus_listener = Atspi.EventListener.new(on_focus)
    focus_listener.register("object:state-changed:focused")
    announce_listener = Atspi.EventListener.new(on_announcement)
    announce_listener.register("object:announcement")
    steps = json.load(sys.stdin)
    results: list[object] = []
    app = None
    for step in steps:
        what = step["do"]
        if what == "wait-app":
            app = wait_for(find_app, step.get("timeout", 30))
            frame = wait_for(lambda found=app: found and found.get_child_at_index(0), 30)
            results.append({"app": bool(app), "frame": describe(frame) if frame else None})
            if not app:
                break
        elif what == "focus-window":
            window = subprocess.run(
                ["xdotool", "search", "--sync", "--limit", "1", "--name", "Enrollment Viewer"],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            ).stdout.split()[0]
            xdotool("windowfocus", "--sync", window)
            spin(0.5)
            results.append({"window": window})
        elif what == "keys":
            heard = []
            for key in step["keys"]:
                before = len(focus_events)
                xdotool("key", "--clearmodifiers", key)
                if step.get("each"):
                    wait_for(lambda seen=before: len(focus_events) > seen, step.get("timeout", 3))
                    spin(0.15)  # a focus change may come with a second event
                    heard.append(focus_events[-1] if len(focus_events) > before else None)
                else:
                    spin(0.2)
            results.append({"heard": heard})
        elif what == "type":
            xdotool("type", "--delay", "20", step["text"])
            spin(0.3)
            results.append({})
        elif what == "wait-name":
            name = step["name"]
            prefix = step.get("prefix", False)

            def showing(name: str = name, prefix: bool = prefix, found: object = app) -> bool:
                names = names_showing(found) if found is not None else []
                return any(n.startswith(name) if prefix else n == name for n in names)

            seen = wait_for(showing, step.get("timeout", 20))
            results.append({"seen": bool(seen)})
        elif what == "dump":
            results.append({"tree": dump(app) if app is not None else None})
        elif what == "announcements":
            spin(0.3)
            results.append({"announcements": list(announcements)})
        else:
            results.append({"error": f"unknown step {what}"})
    json.dump({"results": results, "focus": focus_events}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
