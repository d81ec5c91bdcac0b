"""Measuring instruments: extraction scored on labelled news and ACLED notes, and alerts scored per article.

- ``news``: talks status, civilian deaths, country and place against the news labels.
- ``acled``: victim status, counts, country and place against ACLED's coding.
- ``alerts``: which alerts each labelled article should give, and precision / recall of the alerts a run gave.

Everything here is pure over plain values; running the extractor or the worker is the CLI's job.
"""
