"""The window: menus, the connection switcher, the key notice, the pages, the status bar.

It is built in two steps so that it paints at once. ``MainWindow(...)`` builds what the first
paint shows (menus, the connection badge, the lookup bar with the focus in the id field, the
empty state, the tabs) from Qt and a few light modules; :meth:`MainWindow.attach` then builds
the rest (pages, key notice, Settings) around the same widgets, so what was typed meanwhile
stays, and an Enter pressed meanwhile still looks up.

Pages (Lookup, Batch, Search) each live in their own module; this shell routes the shared
things to them: the active connection, key state, Settings, export, history, closing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from enroll_viewer.store.preferences import Preferences, ShownConnection
from enroll_viewer.ui.connection_bar import ConnectionBar, as_shown, window_title
from enroll_viewer.ui.menus import MenuSlots, WindowMenus
from enroll_viewer.ui.pages.empty_state import EmptyState
from enroll_viewer.ui.pages.lookup_bar import LookupBar
from enroll_viewer.ui.widgets.tone import Tone

if TYPE_CHECKING:
    from enroll_viewer.store.connection import Connection, Connections
    from enroll_viewer.ui.commands import WindowCommands
    from enroll_viewer.ui.key_watch import KeyWatch
    from enroll_viewer.ui.pages.batch import BatchPage
    from enroll_viewer.ui.pages.lookup import LookupPage
    from enroll_viewer.ui.pages.page import Page
    from enroll_viewer.ui.pages.search import SearchPage
    from enroll_viewer.ui.pages.table import TablePage
    from enroll_viewer.ui.request_runner import RequestRunner
    from enroll_viewer.ui.settings.dialog import SettingsDialog
    from enroll_viewer.ui.settings.flow import Applied, SettingsFlow
    from enroll_viewer.ui.settings.values import SettingsResult
    from enroll_viewer.ui.widgets.banner import MessageBanner
    from enroll_viewer.work.jobs import KeyState
    from enroll_viewer.work.runner import Group

DemoStarter = Callable[["Connection"], "Connection"]
TAB_TITLES = ("&Lookup", "&Batch", "&Search")


class MainWindow(QMainWindow):
    """The main window. It talks to the request runner only (no network, no keyring).

    Signals:
        key_state_changed(KeyState): what is known of the active connection's key.
        connection_changed(Connection): another connection is active.
    """

    key_state_changed = Signal(object)
    connection_changed = Signal(object)

    # Built by attach(); the first paint does without them.
    runner: RequestRunner
    connections: Connections
    connection: Connection
    notice: MessageBanner
    keys: KeyWatch
    lookup: LookupPage
    settings: SettingsFlow
    commands: WindowCommands

    def __init__(
        self,
        prefs: Preferences,
        shown: ShownConnection | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.log_folder: Path | None = None
        self.ready = False
        self._start_demo: DemoStarter | None = None
        self._batch: BatchPage | None = None
        self._search: SearchPage | None = None
        self._closed = False
        self.setWindowTitle(window_title(shown))

        central = QWidget()
        self._layout = QVBoxLayout(central)
        self.connection_bar = ConnectionBar()
        self.connection_bar.show_first(shown)
        self._layout.addWidget(self.connection_bar)

        self.bar = LookupBar()
        self.empty = EmptyState()
        if shown is not None and shown.demo:
            from enroll_viewer.ui.pages.demo_ids import GROUPS  # noqa: PLC0415 - data, no imports

            self.empty.show_demo(GROUPS)
        elif shown is not None:
            self.empty.show_recent(shown.name, prefs.recent_ids(shown.ident))
        first = QWidget()
        first_layout = QVBoxLayout(first)
        first_layout.addWidget(self.bar)
        first_layout.addWidget(self.empty)
        first_layout.addStretch(1)  # top-aligned, as on the Lookup page
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Pages")
        self.pages.tabBar().setAccessibleName("Pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(first, TAB_TITLES[0])
        for title in TAB_TITLES[1:]:
            self.pages.addTab(QWidget(), title)
        self._layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.status_text = QLabel()  # plain text from attach() on (see Badge)
        self.statusBar().addWidget(self.status_text, 1)
        self.menus = WindowMenus(self)

        self.empty.chosen.connect(self._choose_early)  # until attach(), as Enter is (LookupBar)

        geometry = prefs.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(self.default_size())
        self.bar.id_field.setFocus()

    @Slot(str)
    def _choose_early(self, text: str) -> None:
        self.bar.id_field.setText(text)
        self.bar.remember_enter()

    def attach(
        self,
        runner: RequestRunner,
        connections: Connections,
        connection: Connection,
        start_demo: DemoStarter | None = None,
        log_folder: Path | None = None,
    ) -> None:
        """Build the rest of the window around what the first paint showed, and go live."""
        # The pages, the notice and Settings import the network side of the app: not before
        # the first paint.
        from PySide6.QtCore import Qt  # noqa: PLC0415 - see Badge

        from enroll_viewer.ui.commands import WindowCommands  # noqa: PLC0415
        from enroll_viewer.ui.key_watch import KeyWatch  # noqa: PLC0415
        from enroll_viewer.ui.pages.first_run import FirstRunGuide  # noqa: PLC0415
        from enroll_viewer.ui.pages.lookup import LookupPage  # noqa: PLC0415
        from enroll_viewer.ui.settings.flow import SettingsFlow  # noqa: PLC0415
        from enroll_viewer.ui.widgets.banner import MessageBanner  # noqa: PLC0415
        from enroll_viewer.work.runner import GroupKind  # noqa: PLC0415

        self.status_text.setTextFormat(Qt.TextFormat.PlainText)
        self.connection_bar.finish_setup()
        self.runner = runner
        self.connections = connections
        self.connection = connection
        self._start_demo = start_demo
        self.log_folder = log_folder
        self.settings_group: Group = runner.begin(GroupKind.SETTINGS)
        self.notice = MessageBanner("Key notice")
        self._layout.insertWidget(1, self.notice)
        self.keys = KeyWatch(runner, self.notice, self)

        typing = self.focusWidget() in (None, self.bar.id_field)
        enter = self.bar.take_early_enter()
        self.empty.chosen.disconnect(self._choose_early)
        # Children of the window from the start: a page that is briefly a top-level widget
        # would get a native window of its own when it adopts the (shown) lookup bar.
        self.lookup = LookupPage(runner, self.prefs, connection, self.bar, self.empty, self)
        self._put_page(0, self.lookup)
        self.first_run = FirstRunGuide(self, self.lookup.stack, self.bar.id_field)
        self.commands = c = WindowCommands(self, self)
        self.menus.fill(MenuSlots(
            export_json=c.export_json, export_csv=c.export_csv, quit=self.close,
            print_page=c.print_page, save_pdf=c.save_pdf, print_sign_in=c.print_sign_in,
            save_sign_in=c.save_sign_in_pdf,
            copy_text=c.copy_record_text, copy_json=c.copy_record_json,
            settings=self.open_settings, focus=self.focus_id, cancel=self.on_escape,
            clear_history=self.clear_history, log=c.open_log_folder,
            diagnostics=c.show_diagnostics, about=c.show_about,
        ))  # fmt: skip
        self._fill_connections()
        # Reading order: the connection above, the page tabs (the tab widget hands its focus to
        # its tab bar), then the id field and its button.
        order = (self.connection_bar.box, self.connection_bar.badge, self.pages)
        for first, then in zip(order, (*order[1:], self.bar.id_field), strict=True):
            self.setTabOrder(first, then)

        self.connection_bar.chosen.connect(self._on_connection_chosen)
        self.keys.changed.connect(self.key_state_changed)
        self.keys.settings_wanted.connect(self.open_settings)
        self.pages.currentChanged.connect(self._on_page_changed)
        self.lookup.history_changed.connect(self._refresh_history)
        self.lookup.settings_wanted.connect(self.open_settings)
        self.lookup.open_link.connect(self.commands.open_link)
        self.lookup.status.connect(self.status_text.setText)
        self.lookup.exportable_changed.connect(self._set_record_actions)
        self.settings = SettingsFlow(self, runner, self.prefs)
        self.keys.any_state.connect(self.settings.show_key_state)
        self.settings.applied.connect(self._on_settings_applied)
        self.settings.failed.connect(self._on_settings_failed)
        self._refresh_history()
        self._show_connection()
        self.ready = True
        if typing:
            self.bar.id_field.setFocus()
        if enter:
            self.lookup.look_up()

    def _put_page(self, index: int, page: Page) -> None:
        """``page`` in place of the first paint's stand-in (same title, same current tab)."""
        current = self.pages.currentIndex()
        self.pages.blockSignals(True)
        stand_in = self.pages.widget(index)
        self.pages.removeTab(index)
        self.pages.insertTab(index, page, TAB_TITLES[index])
        if stand_in is not None:
            stand_in.deleteLater()
        self.pages.setCurrentIndex(current)
        self.pages.blockSignals(False)

    @property
    def batch(self) -> BatchPage:
        """The Batch page, built the first time it is shown or asked for (most sessions are
        single lookups; it costs ~2 MiB)."""
        if self._batch is None:
            from enroll_viewer.ui.pages.batch import BatchPage  # noqa: PLC0415

            self._batch = BatchPage(self.runner, self.connection, self)
            self._add_table_page(1, self._batch)
        return self._batch

    @property
    def search(self) -> SearchPage:
        """The Search page, built like :attr:`batch`."""
        if self._search is None:
            from enroll_viewer.ui.pages.search import SearchPage  # noqa: PLC0415

            self._search = SearchPage(self.runner, self.connection, self)
            self._add_table_page(2, self._search)
        return self._search

    def _add_table_page(self, index: int, page: TablePage) -> None:
        page.details_enabled = self.lookup.details_enabled
        page.remember_columns(self.prefs)
        page.status.connect(self.status_text.setText)
        page.exportable_changed.connect(self._set_record_actions)
        page.open_row.connect(self._open_on_lookup)
        self._put_page(index, page)

    # --- what tests and pages reach ----------------------------------------------------------

    @property
    def id_field(self) -> Any:
        """The Lookup page's id field."""
        return self.lookup.id_field

    @property
    def all_pages(self) -> tuple[Page, ...]:
        """The pages built so far: Lookup, and Batch and Search once used."""
        built = (self._batch, self._search)
        return (self.lookup, *(page for page in built if page is not None))

    def look_up(self) -> None:
        """Look up what the id field holds."""
        self.lookup.look_up()

    def default_size(self) -> QSize:
        """Room for every field and a dozen custom fields, within 90 % of the screen."""
        metrics = self.fontMetrics()
        wanted = QSize(metrics.horizontalAdvance("M") * 84, metrics.height() * 54)
        screen = self.screen()
        if screen is not None:
            wanted = wanted.boundedTo(screen.availableGeometry().size() * 0.9)
        return wanted

    @property
    def key_state(self) -> KeyState | None:
        """What is known of the active connection's key (None until the first answer)."""
        return self.keys.state if self.ready else None

    def finish_setup(self) -> None:
        """After :meth:`attach`: check the key, then build the record view."""
        self.check_key()
        QTimer.singleShot(0, self.lookup.build_record_view)

    # --- connections -------------------------------------------------------------------------

    def _fill_connections(self) -> None:
        self.connection_bar.set_connections(self.connections.items, self.connection)

    def _show_connection(self) -> None:
        self.connection_bar.show_connection(self.connection)
        self.setWindowTitle(window_title(as_shown(self.connection)))

    @Slot(str)
    def _on_connection_chosen(self, ident: str) -> None:
        chosen = next((c for c in self.connections.items if c.id == ident), None)
        if chosen is not None and chosen.id != self.connection.id:
            self.switch_connection(chosen)

    def switch_connection(self, connection: Connection) -> None:
        """Make ``connection`` active: everything in flight is cancelled (its answers are
        dropped), pages start over, and the key for it is checked."""
        if connection.is_demo and not connection.base_url and self._start_demo is not None:
            connection = self._start_demo(connection)
        from enroll_viewer.work.runner import GroupKind  # noqa: PLC0415 - loaded by attach()

        self.runner.cancel_all()
        self.settings_group = self.runner.begin(GroupKind.SETTINGS)
        self.connection = connection
        self.prefs.set_active_connection(as_shown(connection))
        self._fill_connections()
        self._show_connection()
        self.notice.hide()
        for page in self.all_pages:
            page.set_connection(connection)
        self._refresh_history()
        self.connection_changed.emit(connection)
        self.status_text.setText(f"Connected to {connection.caption}.")
        self.check_key()

    def check_key(self) -> None:
        """Ask (off the GUI thread) whether a key is available for the active connection."""
        self.keys.check(self.connection)

    # --- settings ----------------------------------------------------------------------------

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        """The open Settings dialog, if any."""
        return self.settings.dialog

    @Slot()
    def open_settings(self) -> None:
        """Open Settings on the active connection."""
        self.settings.open(
            self.connections,
            self.connection,
            self.lookup.details_enabled,
            self.settings_group,
            self.key_state,
        )

    def apply_settings(self, result: SettingsResult) -> None:
        """Apply what Settings collected (as Save does)."""
        self.settings.group = self.settings_group
        self.settings.apply(self.connections, result)

    @Slot(str)
    def _on_settings_failed(self, text: str) -> None:
        self.notice.show_message("Settings not saved", text, Tone.BAD)

    @Slot(object)
    def _on_settings_applied(self, applied: Applied) -> None:
        self.connections = applied.connections
        self.lookup.set_details_enabled(applied.details)
        for table_page in (self._batch, self._search):
            if table_page is not None:
                table_page.details_enabled = applied.details
        active = next((c for c in applied.connections.items if c.id == self.connection.id), None)
        if self.connection.is_demo:
            active = self.connection
        if active is None:
            self.switch_connection(applied.connections.default_connection)
            return
        self._fill_connections()
        if active.base_url != self.connection.base_url:
            self.switch_connection(active)
            return
        self.connection = active
        if self.prefs.active_connection() == active.id:  # renamed: the next start shows it so
            self.prefs.set_active_connection(as_shown(active))
        for page in self.all_pages:
            page.set_connection(active)
        self._show_connection()
        if not applied.keys_changed:
            self.check_key()

    # --- history, copy, export -----------------------------------------------------------------

    @Slot()
    def _refresh_history(self) -> None:
        ids = self.prefs.recent_ids(self.connection.id)
        self.menus.set_history(ids, self._open_on_lookup)
        self.lookup.id_field.set_history(ids)
        if self.lookup.record is None:
            self.lookup.refresh_empty_state()

    @Slot(str)
    def _open_on_lookup(self, text: str) -> None:
        self.pages.setCurrentWidget(self.lookup)
        self.lookup.look_up_text(text)

    @Slot()
    def clear_history(self) -> None:
        """Forget the recent ids of the active connection."""
        self.prefs.clear_history(self.connection.id)
        self.prefs.sync()
        self._refresh_history()
        self.status_text.setText("History cleared.")

    def current_page(self) -> Page | None:
        """The page on screen (None before :meth:`attach`)."""
        if not self.ready:
            return None
        index = self.pages.currentIndex()
        return self.lookup if index == 0 else self.batch if index == 1 else self.search

    @Slot(bool)
    def _set_record_actions(self, enabled: bool) -> None:
        self.menus.copy_text.setEnabled(self.lookup.can_export())
        self.menus.copy_json.setEnabled(self.lookup.can_export())
        self.menus.set_page_actions(self.current_page())

    # --- keyboard ----------------------------------------------------------------------------

    @Slot(int)
    def _on_page_changed(self, index: int) -> None:
        self._set_record_actions(True)

    @Slot()
    def on_escape(self) -> None:
        """Esc: cancel what the current page is doing, or dismiss its message."""
        page = self.current_page()
        if page is not None:
            page.on_escape()

    @Slot()
    def focus_id(self) -> None:
        """Ctrl+L: the Lookup page's id field, text selected."""
        self.pages.setCurrentIndex(0)
        self.bar.id_field.setFocus()
        self.bar.id_field.selectAll()

    # --- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self._closed:
            self._closed = True
            self.prefs.set_geometry(self.saveGeometry())
            self.prefs.sync()
            if self.ready:
                self.runner.shutdown(0.9)
        super().closeEvent(event)
