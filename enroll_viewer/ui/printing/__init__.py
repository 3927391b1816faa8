"""Print and PDF: a Qt-free report model and one renderer for the printer and PDF."""
