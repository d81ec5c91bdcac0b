"""conflictwatch: real-time monitor for conflict news."""

__version__ = "0.1.0"
