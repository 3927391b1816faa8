"""The command line: one module per command; never imports Qt or the window."""
