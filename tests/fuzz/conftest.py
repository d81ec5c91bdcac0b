"""The fuzz suite runs the real worker the way tests/stream does; reuse its harness
(a worker child process, topic readers) rather than a second copy of it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("stream_harness", Path(__file__).parent.parent / "stream" / "conftest.py")
_harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_harness)

WorkerProcess = _harness.WorkerProcess
Topics = _harness.Topics
