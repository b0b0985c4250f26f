"""A stable digest of inputs: equal inputs, equal fingerprint (what lets a step be skipped or a file be reused)."""

from __future__ import annotations

import hashlib
import json


def fingerprint(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
