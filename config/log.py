"""Request ids in every log record, and the JSON line format (LOG_FORMAT=json)."""

import contextvars
import json
import logging
from datetime import UTC, datetime

id_permintaan = contextvars.ContextVar("simpatik_id_permintaan", default="-")


class FilterIdPermintaan(logging.Filter):
    """Adds `request_id` (the current HTTP request's, "-" outside one) to every record."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = id_permintaan.get()
        return True


class FormatJSON(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, and the traceback."""

    def format(self, record):
        data = {
            "waktu": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pesan": record.getMessage(),
            "request_id": getattr(record, "request_id", id_permintaan.get()),
        }
        for kunci in ("status_code", "method", "path"):
            if hasattr(record, kunci):
                data[kunci] = getattr(record, kunci)
        if record.exc_info:
            data["galat"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
