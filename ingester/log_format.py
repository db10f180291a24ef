"""How edgelog logs: one line per event, readable text or JSON (EDGELOG_LOG_FORMAT).

A log line never holds a visitor's IP address, a query string, a cookie or a
secret: messages name objects, counts and errors, and errors from parsing
never echo the line they are about (quarantine keeps lines, masked). A
traceback stays on its event's line: in JSON as a field, in text only at
debug level (otherwise the exception's type and message end the line).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.processName,
        }
        if record.exc_info:
            entry["error"] = _one_line(record.exc_info[1])
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self, tracebacks: bool):
        super().__init__(TEXT)
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and not self.tracebacks:
            line = f"{super().format(_without_exception(record))}: {_one_line(record.exc_info[1])}"
            return line.replace("\n", " ")
        return super().format(record)


def configure(level: str, form: str) -> None:
    """Log to stderr at `level` ('debug', 'info'…) in `form` ('text' or 'json')."""
    handler = logging.StreamHandler(sys.stderr)
    tracebacks = level == "debug"
    handler.setFormatter(JsonFormatter() if form == "json" else TextFormatter(tracebacks))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    if level != "debug":
        logging.getLogger("alembic").setLevel(logging.WARNING)
        logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _one_line(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return " ".join(text.split())


def _without_exception(record: logging.LogRecord) -> logging.LogRecord:
    copy = logging.makeLogRecord(record.__dict__)
    copy.exc_info = copy.exc_text = None
    return copy
