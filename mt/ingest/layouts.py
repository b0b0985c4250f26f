"""Declared site layouts (placeholder while the reader is rebuilt)."""

from __future__ import annotations


class Layouts:
    def for_page(self, path, url):
        return None
