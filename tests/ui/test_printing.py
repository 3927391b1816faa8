"""Print and PDF: the real window on the demo, the PDF read back as text (pypdf)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPageSize

from enroll_viewer.ui.main_window import MainWindow
from enroll_viewer.ui.printing.render import default_page_size
from enroll_viewer.ui.widgets import dialogs
from tests.helpers import column, demo_connection, look_up, named, roster, run_batch

pypdf = pytest.importorskip("pypdf")


def _letter_paper() -> bool:
    """Whether the PDF is on Letter paper (the locale's: en-US, as under Wine)."""
    return default_page_size().id() == QPageSize.PageSizeId.Letter


@pytest.fixture
def window(demo, make_window) -> MainWindow:
    return make_window(demo_connection(demo))


def pdf_pages(path: Path) -> list[str]:
    # Qt places each word on its own; the extractor may join them with tabs.
    pages = pypdf.PdfReader(str(path)).pages
    return [re.sub(r"[ \t]+", " ", page.extract_text() or "") for page in pages]


def save_pdf(window: MainWindow, monkeypatch, path: Path, sign_in: bool = False) -> list[str]:
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(path))
    action = window.menus.save_sign_in if sign_in else window.menus.save_pdf
    assert action.isEnabled()
    action.trigger()
    assert path.exists(), window.status_text.text()
    return pdf_pages(path)


def emails(window: MainWindow) -> list[str]:
    return column(window.search, "Email")


def assert_page_numbers(pages: list[str]) -> None:
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text


def test_a_265_row_roster_prints_every_row_with_headers_on_each_page(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    roster(qtbot, window)
    started = time.perf_counter()
    pages = save_pdf(window, monkeypatch, tmp_path / "roster.pdf")
    seconds = time.perf_counter() - started
    text = "\n".join(pages)
    assert pages[0].startswith("Class 4421 · Azure Fundamentals (AZ-900) · 265 enrollments")
    assert "Connection: DEMO" in pages[0] and "Printed 20" in pages[0]
    assert len(pages) > 3
    assert_page_numbers(pages)
    for page in pages:  # the header row on every page, in the table's order
        assert re.search(r"Learner\s+Email\s+Enrollment\s+status", page), page[:300]
    ids = column(window.search, "Enrollment ID")
    assert len(ids) == 265
    for ident in ids:  # every row (ids are not broken across lines); generated ones once
        found = len(re.findall(rf"\b{ident}\b", text))
        assert found == 1 if len(ident) == 6 else found >= 1, ident
    assert "ExternalId" not in text  # the window's words, not the exports' names
    assert seconds < 30  # about 1.5 s on an idle machine; a guard against the pathological
    assert "Saved " in window.status_text.text() and "pages" in window.status_text.text()


def test_the_sign_in_sheet_has_a_signature_column_and_every_learner(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    roster(qtbot, window)
    pages = save_pdf(window, monkeypatch, tmp_path / "sign-in.pdf", sign_in=True)
    text = "\n".join(pages)
    assert pages[0].startswith("Sign-in sheet · Class 4421 · Azure Fundamentals (AZ-900)")
    assert "265 learners" in pages[0]
    assert_page_numbers(pages)
    for page in pages:
        assert "Signature" in page
    for email in emails(window):
        assert email in text
    rows_per_page = len(emails(window)) / len(pages)
    assert rows_per_page < 25  # rows tall enough to sign in


def test_only_the_rows_the_filter_keeps_and_the_visible_columns_print(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    roster(qtbot, window)
    named(window, "Filter results").setText("waitlist")
    kept = emails(window)
    assert 0 < len(kept) < 265
    window.search.columns.set_shown("email", False)
    pages = save_pdf(window, monkeypatch, tmp_path / "waitlist.pdf")
    text = "\n".join(pages)
    assert f"· {len(kept)} enrollments" in pages[0]
    assert f"Showing {len(kept)} of 265 rows" in pages[0]
    assert "Email" not in text and "@example.edu" not in text
    assert text.count("Waitlist") == len(kept)
    window.search.columns.reset()


def test_the_record_prints_on_one_page_with_names_and_words(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    look_up(qtbot, window, "10")
    qtbot.waitUntil(lambda: _has_names(window), timeout=5000)
    pages = save_pdf(window, monkeypatch, tmp_path / "record.pdf")
    assert len(pages) == 1
    page = pages[0]
    assert page.startswith("Enrollment 10 · external id E3G5YZFREFEQ9371")
    for words in ("Ada Lovelace", "Azure Fundamentals (AZ-900)", "Enrollment status", "Enroll",
                  "Completion status", "Location type", "To Be Determined", "Unique Text",
                  "AXY12345", "Connection: DEMO", "Printed ", "Page 1 of 1"):  # fmt: skip
        assert words in page, words


def _has_names(window: MainWindow) -> bool:
    from datetime import datetime

    # The learner and the class come by separate requests: wait for both.
    report = window.lookup.report(datetime.now())
    block = str(report.blocks[0]) if report is not None else ""
    return "Ada Lovelace" in block and "Azure Fundamentals" in block


def test_print_goes_through_the_print_dialog_to_the_same_renderer(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    roster(qtbot, window, "4423")
    target = tmp_path / "printed.pdf"
    asked: list[QPrinter] = []

    def accept(parent, printer: QPrinter) -> bool:
        asked.append(printer)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(dialogs, "ask_print", accept)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert asked and target.exists()
    pages = pdf_pages(target)
    assert pages[0].startswith("Class 4423") and "Sent " in window.status_text.text()
    assert_page_numbers(pages)
    monkeypatch.setattr(dialogs, "ask_print", lambda parent, printer: False)
    window.menus.print.trigger()
    assert window.status_text.text() == "Printing cancelled."


@pytest.fixture(params=["en_GB", "en_US"])
def paper(request) -> Iterator[str]:
    """A4 (en_GB) or Letter (en_US: the default paper of an American Windows)."""
    before = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield request.param
    QLocale.setDefault(before)


def test_a_batch_prints_its_summary_and_the_error_column(
    qtbot, window: MainWindow, monkeypatch, tmp_path: Path, paper: str
) -> None:
    assert _letter_paper() == (paper == "en_US")
    run_batch(qtbot, window, "10\n404\n500")
    assert not window.menus.save_sign_in.isEnabled()  # a batch is no roster
    pages = save_pdf(window, monkeypatch, tmp_path / "batch.pdf")
    assert pages[0].startswith("Batch · 3 looked up · 1 found · 1 not found")
    # Header words stay whole on A4 and on Letter (narrower: the table's font shrinks to fit).
    assert re.search(r"Input\s+Outcome\s+Learner", pages[0]), (_letter_paper(), pages[0][:300])
    assert "Error" in pages[0] and "Not found" in pages[0]


def test_accents_and_non_latin_names_print_with_embedded_fonts(qtbot, tmp_path: Path) -> None:
    from enroll_viewer.ui.printing.render import save_pdf as write
    from enroll_viewer.ui.printing.report import table_report

    names = ["Zoë Ångström", "Ωμέγα Παπαδοπούλου", "Юлия Иванова", "Île-de-France"]
    long = "A long note that has to wrap inside its cell " * 6
    rows = [("Learner", "Note"), *((n, long) for n in names)]
    report = table_report("Accents · Ελληνικά · Кириллица", ["Connection: Test"], rows, ["Note"])
    path = tmp_path / "accents.pdf"
    assert write(report, str(path)) == 1
    text = pdf_pages(path)[0]
    for name in (*names, "Ελληνικά", "Кириллица"):
        assert name in text
    assert text.count("has to wrap") == 6 * len(names)
    reader = pypdf.PdfReader(str(path))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        font = ref.get_object()
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        descendant = font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) not installed")
def test_a_rendered_page_is_black_on_white(qtbot, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from enroll_viewer.ui.printing.render import save_pdf as write
    from enroll_viewer.ui.printing.report import sign_in_sheet

    path = tmp_path / "sheet.pdf"
    write(sign_in_sheet("Class 1", ["Connection: Test"], [("Ada", "ada@example.edu", "Enroll")]),
          str(path))  # fmt: skip
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "page")], check=True, timeout=60)  # fmt: skip
    image = QImage(str(next(tmp_path.glob("page*.png"))))
    assert not image.isNull()
    corner = image.pixelColor(2, 2)
    assert (corner.red(), corner.green(), corner.blue()) == (255, 255, 255)
    darkest = min(
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height() // 5, 2)
    )
    assert darkest < 60  # black text on the white page
