"""The request runner and its typed jobs: single lookups, batches, searches. Qt-free."""
