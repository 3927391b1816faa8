"""The embedded demo API: sample data on 127.0.0.1.

Started only where the Demo connection starts (the window's start-up, the command line's
target)."""
