"""Paints a :class:`~enroll_viewer.ui.printing.report.Report` onto pages: a PDF (QPdfWriter) or
a printer (QPrinter), through the same code.

Print style: black on white whatever the window's palette; the title and the lines under it on
the first page, the title again small on the next ones, a table's header row on every page it
runs over, "Page 2 of 7" at the foot. Text wraps inside its cell (at a word, or anywhere in a
word too long for the cell). Qt embeds the fonts' glyphs in the PDF, so accents and non-Latin
names print as they read in the window (given a system font that has them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QLocale, QMarginsF, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextLayout,
    QTextOption,
)

from enroll_viewer import APP_NAME
from enroll_viewer.ui.printing.report import Fields, Report, Table

INK = QColor(0, 0, 0)  # print style: black on white, never the window's palette
RULE = QColor(110, 110, 110)
MARGIN_MM = 14
BODY_PT = 9.0
SMALL_PT = 7.0  # for a table of many columns (every column of a search)
MIN_PT = 5.5  # the least a table is shrunk to, to keep its header words whole
MANY_COLUMNS = 9
TITLE_PT = 14.0
WIDEST_SHARE = 0.45  # no column asks for more than this share of the line when others wait


@dataclass
class _Page:
    """What goes on one page: wrapped texts, rules (at a height) and the footer's words."""

    texts: list[tuple[QTextLayout, QFont, QPointF]] = field(default_factory=list)
    rules: list[tuple[QPen, float]] = field(default_factory=list)
    columns: list[tuple[QPen, float, float, float]] = field(default_factory=list)  # x, y, y
    plain: list[tuple[QPointF, str]] = field(default_factory=list)

    def paint(self, painter: QPainter, width: float, font: QFont) -> None:
        for layout, face, at in self.texts:
            _draw(painter, layout, face, at)
        for pen, y in self.rules:
            painter.setPen(pen)
            painter.drawLine(QPointF(0, y), QPointF(width, y))
        for pen, x, top, bottom in self.columns:
            painter.setPen(pen)
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.setFont(font)
        painter.setPen(INK)
        for at, text in self.plain:
            painter.drawText(at, text)


def default_page_size() -> QPageSize:
    """Letter where the locale measures in inches (US), else A4."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return QPageSize(QPageSize.PageSizeId.Letter if imperial else QPageSize.PageSizeId.A4)


def _fonts(report: Report) -> tuple[QFont, QFont, QFont]:
    body = QFont(QGuiApplication.font())
    many = max((len(t.columns) for t in report.tables), default=0) > MANY_COLUMNS
    body.setPointSizeF(SMALL_PT if many else BODY_PT)
    for feature in ("liga", "clig"):
        # No "fi" ligature: an email copied out of the PDF, or searched in it, reads as typed.
        body.setFeature(QFont.Tag(feature), 0)
    bold = QFont(body)
    bold.setBold(True)
    title = QFont(bold)
    title.setPointSizeF(TITLE_PT)
    return body, bold, title


def _wrapped(text: str, font: QFont, width: float, device: QPagedPaintDevice) -> QTextLayout:
    # A line separator keeps a newline inside a value; words too long for the cell break
    # anywhere (an email in a narrow column) rather than run into the next cell.
    layout = QTextLayout(text.replace("\r\n", "\u2028").replace("\n", "\u2028"), font, device)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    y = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1.0, width))
        line.setPosition(QPointF(0, y))
        y += line.height()
    layout.endLayout()
    return layout


def _height(layout: QTextLayout) -> float:
    return layout.boundingRect().height()


def column_widths(table: Table, available: float, metrics: QFontMetricsF, bold: QFontMetricsF,
                  pad: float) -> list[float]:  # fmt: skip
    """Widths that fit ``available``: each column as wide as its longest text when all fit
    (the room left goes to the ``wide`` columns); else each keeps at least its longest word
    (up to a dozen characters: ids and short words never break) and the rest is shared out
    by how much more each would like."""
    count = len(table.columns)
    if count == 0:
        return []
    natural = _wanted(table, metrics, bold, pad)
    least = _least(table, metrics, bold, pad)
    wide = [at for at, title in enumerate(table.columns) if title in table.wide]
    if wide:  # the wide columns take the room the others leave, and at least a fifth
        rest = available - sum(w for at, w in enumerate(natural) if at not in wide)
        for at in wide:
            natural[at] = max(natural[at], max(rest, available / 5) / len(wide))
    total = sum(natural)
    if total <= available:
        share = wide or list(range(count))
        extra = (available - total) / len(share)
        return [w + (extra if at in share else 0.0) for at, w in enumerate(natural)]
    floor = sum(least)
    if floor >= available:
        return [w * available / floor for w in least]
    k = (available - floor) / (total - floor)
    return [m + (n - m) * k for m, n in zip(least, natural, strict=True)]


def _least(table: Table, metrics: QFontMetricsF, bold: QFontMetricsF, pad: float) -> list[float]:
    """Each column's least width: its header's longest word, and its longest word up to a dozen
    characters (ids and short words never break)."""
    token_cap = metrics.averageCharWidth() * 13
    out = []
    for at, title in enumerate(table.columns):
        cells = [r[at] for r in table.rows if at < len(r)]
        token = max((metrics.horizontalAdvance(w) for c in cells for w in c.split()), default=0.0)
        words = max((bold.horizontalAdvance(w) for w in title.split()), default=0.0)
        out.append(max(words, min(token, token_cap), metrics.averageCharWidth() * 3) + 2 * pad)
    return out


def _fitted_fonts(report: Report, device: QPagedPaintDevice) -> tuple[QFont, QFont, QFont]:
    """The fonts, made smaller (down to MIN_PT) while a table's least widths do not fit the
    page: header words never break mid-word (Letter landscape is narrower than A4's)."""
    body, bold, title = _fonts(report)
    width = float(device.width())
    for _ in range(8):
        metrics, heavy = QFontMetricsF(body, device), QFontMetricsF(bold, device)
        pad = metrics.averageCharWidth() * 0.6
        floor = max((sum(_least(t, metrics, heavy, pad)) for t in report.tables), default=0.0)
        if floor <= width or body.pointSizeF() <= MIN_PT:
            break
        size = max(MIN_PT, body.pointSizeF() * width / floor * 0.98)
        body.setPointSizeF(size)
        bold.setPointSizeF(size)
    return body, bold, title


def _natural(table: Table, metrics: QFontMetricsF, bold: QFontMetricsF, pad: float) -> float:
    """How wide the table would like to be (to choose portrait or landscape)."""
    return sum(_wanted(table, metrics, bold, pad))


def _wanted(table: Table, metrics: QFontMetricsF, bold: QFontMetricsF, pad: float) -> list[float]:
    cap = metrics.averageCharWidth() * 48
    out = []
    for at, title in enumerate(table.columns):
        longest = max((metrics.horizontalAdvance(r[at]) for r in table.rows if at < len(r)),
                      default=0.0)  # fmt: skip
        out.append(min(cap, max(bold.horizontalAdvance(title), longest)) + 2 * pad)
    return out


def prepare(report: Report, device: QPagedPaintDevice, size: QPageSize | None = None) -> None:
    """Page size (``size``, else A4 or Letter), margins, and landscape when a table needs the
    width. Call before the print dialog, so what it shows is what will print."""
    if size is not None:
        device.setPageSize(size)
    device.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                          QPageLayout.Unit.Millimeter)  # fmt: skip
    device.setPageOrientation(QPageLayout.Orientation.Portrait)
    body, bold, _title = _fonts(report)
    metrics, heavy = QFontMetricsF(body, device), QFontMetricsF(bold, device)
    pad = metrics.averageCharWidth() * 0.6
    wanted = max((_natural(t, metrics, heavy, pad) for t in report.tables), default=0.0)
    if wanted > device.width():
        device.setPageOrientation(QPageLayout.Orientation.Landscape)


class _Flow:
    """Lays blocks out top to bottom, page after page (the paints are kept, then run)."""

    def __init__(self, report: Report, device: QPagedPaintDevice) -> None:
        self.report = report
        self.device = device
        self.body, self.bold, self.title_font = _fitted_fonts(report, device)
        self.metrics = QFontMetricsF(self.body, device)
        self.heavy = QFontMetricsF(self.bold, device)
        self.pad = self.metrics.averageCharWidth() * 0.6
        self.gap = self.metrics.lineSpacing() * 0.5
        self.width = float(device.width())
        self.foot = self.metrics.lineSpacing() * 2
        self.bottom = float(device.height()) - self.foot
        self.pages: list[_Page] = []
        self.y = 0.0

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = 0.0
        if len(self.pages) > 1:  # the title again, small, above what continues
            self.text(self.report.title, self.bold, self.width)
            self.y += self.gap

    def add(self, layout: QTextLayout, font: QFont, at: QPointF) -> None:
        self.pages[-1].texts.append((layout, font, at))

    def text(self, text: str, font: QFont, width: float, x: float = 0.0) -> float:
        layout = _wrapped(text, font, width, self.device)
        height = _height(layout)
        self.add(layout, font, QPointF(x, self.y))
        self.y += height
        return height

    def room(self, height: float) -> None:
        if self.y + height > self.bottom and self.y > self.metrics.lineSpacing() * 3:
            self.new_page()

    def rule(self, heavy: bool = False) -> None:
        pen = QPen(INK if heavy else RULE, self.metrics.lineWidth() * (1.5 if heavy else 0.6))
        self.pages[-1].rules.append((pen, self.y))

    def head(self) -> None:
        self.new_page()
        self.text(self.report.title, self.title_font, self.width)
        self.y += self.gap / 2
        for line in self.report.meta:
            self.text(line, self.body, self.width)
        self.y += self.gap

    def fields(self, block: Fields) -> None:
        if block.heading:
            self.room(self.heavy.lineSpacing() * 2)
            self.text(block.heading, self.bold, self.width)
        label_width = min(
            self.width * 0.35,
            max((self.heavy.horizontalAdvance(k) for k, _ in block.rows), default=0.0)
            + 3 * self.pad,
        )
        for label, value in block.rows:
            name = _wrapped(label, self.bold, label_width - 2 * self.pad, self.device)
            text = _wrapped(value, self.body, self.width - label_width, self.device)
            height = max(_height(name), _height(text)) + self.pad
            self.room(height)
            self.add(name, self.bold, QPointF(0, self.y))
            self.add(text, self.body, QPointF(label_width, self.y))
            self.y += height
        self.y += self.gap

    def table(self, block: Table) -> None:
        widths = column_widths(block, self.width, self.metrics, self.heavy, self.pad)
        header = self._row(block.columns, widths, self.bold, 1)
        if block.heading:
            self.room(self.heavy.lineSpacing() * 3 + header[0])
            self.text(block.heading, self.bold, self.width)
        self.room(header[0] * 2)
        self._put_row(header, widths, heavy=True)
        for row in block.rows:
            laid = self._row(row, widths, self.body, block.row_lines)
            if self.y + laid[0] > self.bottom:
                self.new_page()
                self._put_row(header, widths, heavy=True)  # the header row on every page
            self._put_row(laid, widths, heavy=False, boxed=block.row_lines > 1)
        self.y += self.gap

    def _row(self, cells: tuple[str, ...], widths: list[float], font: QFont, lines: int
             ) -> tuple[float, list[QTextLayout]]:  # fmt: skip
        layouts = [
            _wrapped(cells[at] if at < len(cells) else "", font, w - 2 * self.pad, self.device)
            for at, w in enumerate(widths)
        ]
        least = self.metrics.lineSpacing() * lines
        height = max([least, *(_height(x) for x in layouts)]) + 2 * self.pad
        return height, layouts

    def _put_row(self, laid: tuple[float, list[QTextLayout]], widths: list[float], heavy: bool,
                 boxed: bool = False) -> None:  # fmt: skip
        height, layouts = laid
        y, x = self.y, 0.0
        font = self.bold if heavy else self.body
        pen = QPen(RULE, self.metrics.lineWidth() * 0.6)
        for at, (layout, width) in enumerate(zip(layouts, widths, strict=True)):
            self.add(layout, font, QPointF(x + self.pad, y + self.pad))
            if boxed and at:  # a sheet to fill in: lines between the columns too
                self.pages[-1].columns.append((pen, x, y, y + height))
            x += width
        self.y += height
        self.rule(heavy)

    def footers(self) -> None:
        total = len(self.pages)
        title = self.metrics.elidedText(self.report.title, Qt.TextElideMode.ElideRight,
                                        self.width * 0.6)  # fmt: skip
        y = self.bottom + self.foot - self.metrics.lineSpacing()
        for number, page in enumerate(self.pages, start=1):
            words = f"Page {number} of {total}"
            right = self.width - self.metrics.horizontalAdvance(words)
            base = y + self.metrics.ascent()
            page.plain += [(QPointF(0, base), title), (QPointF(right, base), words)]


def _draw(painter: QPainter, layout: QTextLayout, font: QFont, at: QPointF) -> None:
    painter.setPen(INK)
    painter.setFont(font)
    layout.draw(painter, at)


def render(report: Report, device: QPagedPaintDevice) -> int:
    """Paint ``report`` on ``device`` as its page layout says (see :func:`prepare`); returns
    the number of pages (0 when the device cannot be painted on, e.g. no printer)."""
    flow = _Flow(report, device)
    flow.head()
    for block in report.blocks:
        if isinstance(block, Fields):
            flow.fields(block)
        else:
            flow.table(block)
    flow.footers()
    painter = QPainter()
    if not painter.begin(device):
        return 0
    try:
        for number, page in enumerate(flow.pages):
            if number:
                device.newPage()
            page.paint(painter, flow.width, flow.body)
    finally:
        painter.end()
    return len(flow.pages)


def save_pdf(report: Report, path: str) -> int:
    """Write ``report`` as a PDF at ``path``; returns the number of pages."""
    writer = QPdfWriter(path)
    writer.setResolution(300)
    writer.setTitle(report.title)
    writer.setCreator(APP_NAME)
    prepare(report, writer, default_page_size())
    return render(report, writer)
