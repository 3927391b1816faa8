"""The Settings dialog, from open to saved."""
