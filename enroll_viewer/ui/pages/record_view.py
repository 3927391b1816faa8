"""The record: a header, a form of every field, the custom-fields grid, and the raw JSON."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPalette,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from enroll_viewer.api.presentation import NULL_TEXT, RECORD_FIELDS, display_value
from enroll_viewer.api.records import ClassDetails, ClassEnrollment, Code, UserDetails
from enroll_viewer.ui.widgets.accessibility import describe
from enroll_viewer.ui.widgets.badge import Badge
from enroll_viewer.ui.widgets.custom_fields_model import (
    COL_ID,
    COL_NAME,
    COL_VALUE,
    CustomFieldsModel,
    CustomFieldsProxy,
)
from enroll_viewer.ui.widgets.tables import RowsView
from enroll_viewer.ui.widgets.tones import tone_for

BADGE_KINDS = {
    "enrollment_status": "enrollment",
    "completion_status": "completion",
    "location_type": "location",
}
NOT_SET = "not set"


@dataclass(frozen=True)
class RecordLinks:
    """Where "Open in TMS" and the learner and class links go (None: no link)."""

    enrollment: str | None
    user: str | None
    klass: str | None
    app: str | None = None  # the enroll-viewer:// link "Copy link" copies


def on_window(widget: QWidget) -> None:
    """A read-only value drawn on the window's colour, not an input field's."""
    palette = widget.palette()
    palette.setColor(palette.ColorRole.Base, palette.color(palette.ColorRole.Window))
    widget.setPalette(palette)


class ValueField(QLineEdit):
    """A read-only, selectable value; "—" with the tooltip "not set" for null."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrame(False)
        self.setAccessibleName(name)
        self.setText(NULL_TEXT)
        self.setToolTip(NOT_SET)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        on_window(self)

    def show_value(self, value: object) -> None:
        """Show ``value`` as people read it."""
        self.setText(display_value(value))
        self.setToolTip(NOT_SET if value is None else "")
        self.setCursorPosition(0)


class WrappedValue(QPlainTextEdit):
    """A read-only value that wraps onto as many lines as it needs (the class line is long: it
    is never cut at the window's edge, at any size or scale). Tab leaves it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(name)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(1)
        on_window(self)
        self.textChanged.connect(self._fit)
        self.setText(NULL_TEXT)

    def setText(self, text: str) -> None:  # noqa: N802 - as QLineEdit's, which it stands for
        """Show ``text`` (plain), from its start."""
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def text(self) -> str:
        """The text shown."""
        return self.toPlainText()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    @Slot()
    def _fit(self) -> None:
        # A plain-text document's height is counted in lines once laid out at this width.
        lines = max(1, int(self.document().documentLayout().documentSize().height()))
        margin = 2 * int(self.document().documentMargin()) + 2
        height = lines * self.fontMetrics().lineSpacing() + margin
        if self.height() != height:
            self.setFixedHeight(height)


class StatusBadge(Badge):
    """A badge for a coded value; "—" with "not set" for null."""

    def __init__(self, name: str, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.field_name = name
        self.setObjectName(name)
        self.show_value(None)

    def show_value(self, value: Code | None) -> None:
        """Show the label of ``value`` and tint by its meaning; a screen reader hears the field
        and the word ("Enrollment status: Enroll"), never the colour alone."""
        text = display_value(value)
        self.setText(text)
        self.setToolTip(NOT_SET if value is None else f"{value.label} (code {value.value})")
        self.setAccessibleName(f"{self.field_name}: {NOT_SET if value is None else text}")
        self.setAccessibleDescription("" if value is None else f"code {value.value}")
        self.set_tone(tone_for(self.kind, value))


class CustomFieldsView(RowsView):
    """The custom-fields grid; Ctrl+C copies the selected rows as tab-separated text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Custom fields", parent)

    def size_columns(self) -> None:
        """Column widths from the font, not from scanning every row (1,000 rows stay fast)."""
        metrics = self.fontMetrics()
        header = self.horizontalHeader()
        header.resizeSection(COL_NAME, metrics.horizontalAdvance("M" * 16))
        header.resizeSection(COL_ID, metrics.horizontalAdvance("Field ID 000000"))
        header.setSectionResizeMode(COL_VALUE, QHeaderView.ResizeMode.Stretch)


class LinkButton(QToolButton):
    """A flat button that reads as a link: the palette's link colour, underlined."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        font = self.font()
        font.setUnderline(True)
        self.setFont(font)
        self._tint()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._tint()
        super().changeEvent(event)

    def _tint(self) -> None:
        palette = self.palette()
        link = palette.color(QPalette.ColorRole.Link)
        if palette.color(QPalette.ColorRole.ButtonText) != link:
            palette.setColor(QPalette.ColorRole.ButtonText, link)
            self.setPalette(palette)


class RecordView(QTabWidget):
    """Shows one :class:`ClassEnrollment`: the "Record" tab and the "Raw JSON" tab.

    Signals:
        open_link(str): "Open in TMS" or a learner/class link was clicked (the URL).
        link_copied(str): "Copy link" put the record's enroll-viewer:// link on the clipboard.
    """

    open_link = Signal(str)
    link_copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Record tabs")
        self.setDocumentMode(True)
        self.record: ClassEnrollment | None = None
        self.links = RecordLinks(None, None, None)
        self.values: dict[str, ValueField | StatusBadge] = {}

        top = QWidget()
        layout = QVBoxLayout(top)
        header = QHBoxLayout()
        self.title = QLabel("No enrollment shown")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        describe(self.title, "Enrollment heading")
        self.title.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.open_button = QPushButton("&Open in TMS")
        self.open_button.setAccessibleName("Open in TMS")
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self._open_enrollment)
        self.copy_link_button = QPushButton("Copy lin&k")
        self.copy_link_button.setAccessibleName("Copy link")
        self.copy_link_button.setAutoDefault(False)
        self.copy_link_button.clicked.connect(self._copy_link)
        header.addWidget(self.title, 1)
        header.addWidget(self.open_button)
        header.addWidget(self.copy_link_button)
        layout.addLayout(header)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.user_link = self._link_button("Open learner in TMS", self._open_user)
        self.class_link = self._link_button("Open class in TMS", self._open_class)
        beside = {"user_id": self.user_link, "class_id": self.class_link}
        for spec in RECORD_FIELDS:
            widget: ValueField | StatusBadge
            if spec.attr in BADGE_KINDS:
                widget = StatusBadge(spec.label, BADGE_KINDS[spec.attr])
            else:
                widget = ValueField(spec.label)
            label = QLabel(f"{spec.label}:")
            label.setBuddy(widget)
            if spec.attr in beside:
                # The id keeps a number's width so its link sits right beside it.
                widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
                widget.setFixedWidth(self.fontMetrics().horizontalAdvance("0" * 14))
                row = QHBoxLayout()
                row.addWidget(widget)
                row.addWidget(beside[spec.attr])
                row.addStretch(1)
                self.form.addRow(label, row)
            else:
                self.form.addRow(label, widget)
            self.values[spec.attr] = widget
        # The learner's and the class's names beside their ids (filled in by the details fetch).
        self.learner = WrappedValue("Learner")
        self.class_details = WrappedValue("Class")
        for row_index, text, wrapped in (
            (2, "Learner:", self.learner),
            (4, "Class:", self.class_details),
        ):
            label = QLabel(text)
            label.setBuddy(wrapped)
            self.form.insertRow(row_index, label, wrapped)
        layout.addLayout(self.form)
        self._tab_down_the_form()  # now that the form's widgets are in this window
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a container, not a stop: Tab goes inside
        scroll.setWidget(top)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName("Record details")

        bottom = QWidget()
        fields_layout = QVBoxLayout(bottom)
        self.fields_label = QLabel("Custom fields")
        bold = QFont(self.fields_label.font())
        bold.setBold(True)
        self.fields_label.setFont(bold)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter custom fields")
        self.filter.setAccessibleName("Filter custom fields")
        self.filter.setClearButtonEnabled(True)
        self.fields_label.setBuddy(self.filter)
        self.model = CustomFieldsModel(self)
        self.proxy = CustomFieldsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = CustomFieldsView()
        self.table.setModel(self.proxy)
        self.table.size_columns()
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 4)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        fields_layout.addWidget(self.fields_label)
        fields_layout.addWidget(self.filter)
        fields_layout.addWidget(self.table, 1)

        # The form keeps its natural height and the grid takes the rest; the user can drag.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setAccessibleName("Record and custom fields")
        self.splitter.handle(1).setAccessibleName("Resize custom fields")
        scroll.setMinimumHeight(self.fontMetrics().height() * 6)
        top.adjustSize()
        self.splitter.setSizes([top.sizeHint().height(), self.fontMetrics().height() * 12])
        self.addTab(self.splitter, "&Record")
        self.tabBar().setAccessibleName("Record tabs")

        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setAccessibleName("Raw JSON")
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.addTab(self.raw, "Raw &JSON")
        self.show_record(None)

    def _tab_down_the_form(self) -> None:
        # Tab in reading order: the header's buttons, then down the form row by row, left to
        # right (the learner and class rows were added last, yet read third and fifth).
        order: list[QWidget] = [self.open_button, self.copy_link_button]
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            inner = item.layout() if item is not None else None
            parts = [inner.itemAt(i) for i in range(inner.count())] if inner else [item]
            order += [w for p in parts if p is not None and (w := p.widget()) is not None]
        for first, then in itertools.pairwise(order):
            QWidget.setTabOrder(first, then)

    def _link_button(self, name: str, slot: object) -> QToolButton:
        button = LinkButton("Open in TMS")
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    @Slot()
    def _copy_link(self) -> None:
        if self.links.app:
            QGuiApplication.clipboard().setText(self.links.app)
            self.link_copied.emit(self.links.app)

    @Slot()
    def _open_enrollment(self) -> None:
        if self.links.enrollment:
            self.open_link.emit(self.links.enrollment)

    @Slot()
    def _open_user(self) -> None:
        if self.links.user:
            self.open_link.emit(self.links.user)

    @Slot()
    def _open_class(self) -> None:
        if self.links.klass:
            self.open_link.emit(self.links.klass)

    def show_details_pending(self, enabled: bool) -> None:
        """Before details arrive: "Loading…", or a note that fetching is off."""
        for widget, what in ((self.learner, "learner"), (self.class_details, "class")):
            if enabled:
                widget.setText("Loading…")
                widget.setToolTip(f"Fetching the {what}'s name from the TMS")
            else:
                widget.setText(NULL_TEXT)
                widget.setToolTip("Names are not fetched (turned off in Settings)")

    def show_user(self, user: UserDetails) -> None:
        """The learner's name and email beside the User ID."""
        self._show_summary(self.learner, self.values["user_id"], user.summary(), user.summary())

    def show_class(self, klass: ClassDetails) -> None:
        """The class beside the Class ID: dates in this computer's time zone, UTC on hover."""
        local = klass.summary()
        utc = klass.summary_utc()
        self._show_summary(self.class_details, self.values["class_id"], local, f"{utc}")

    def _show_summary(
        self, widget: WrappedValue, id_widget: QWidget, text: str, tip: str
    ) -> None:
        widget.setText(text)
        widget.setToolTip(tip)
        id_widget.setToolTip("")

    def show_detail_problem(self, kind: str, problem: str) -> None:
        """A quiet note when the learner (``kind == "user"``) or class could not be loaded."""
        widget = self.learner if kind == "user" else self.class_details
        id_widget = self.values["user_id" if kind == "user" else "class_id"]
        what = "learner" if kind == "user" else "class"
        note = f"The {what}'s details could not be loaded: {problem}"
        widget.setText(NULL_TEXT)
        widget.setToolTip(note)
        id_widget.setToolTip(note)

    def show_record(self, record: ClassEnrollment | None, links: RecordLinks | None = None) -> None:
        """Fill every field from ``record``, or clear them for ``None``."""
        self.record = record
        self.links = links or RecordLinks(None, None, None)
        if record is None:
            self.title.setText("No enrollment shown")
        else:
            external = record.external_id or NULL_TEXT
            self.title.setText(f"Enrollment {record.id}  ·  External ID {external}")
        for button, url in (
            (self.open_button, self.links.enrollment),
            (self.user_link, self.links.user),
            (self.class_link, self.links.klass),
        ):
            button.setEnabled(url is not None)
            button.setToolTip(url or "No link: no id, or no TMS site URL for this connection")
        self.copy_link_button.setEnabled(self.links.app is not None)
        self.copy_link_button.setToolTip(
            f"Copy {self.links.app} (paste it in a ticket: it opens this enrollment here)"
            if self.links.app
            else "No enrollment shown"
        )
        for spec in RECORD_FIELDS:
            value = getattr(record, spec.attr) if record is not None else None
            self.values[spec.attr].show_value(value)
        if record is None:
            self.show_details_pending(False)
            for widget in (self.learner, self.class_details):
                widget.setToolTip(NOT_SET)
        fields = record.custom_fields if record is not None else ()
        self.table.setUpdatesEnabled(False)
        self.model.set_fields(fields)
        self.table.setUpdatesEnabled(True)
        self.fields_label.setText(f"Custom fields ({len(fields)})")
        self.raw.setPlainText(
            json.dumps(record.raw, indent=2, ensure_ascii=False) if record is not None else ""
        )
