"""The `conflictwatch` command line."""
