"""The window's pages (Lookup, Batch, Search) and what they are made of."""
