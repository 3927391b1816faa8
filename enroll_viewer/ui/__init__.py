"""Widgets of the window. Nothing here imports requests or keyring."""
