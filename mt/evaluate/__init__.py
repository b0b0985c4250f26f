"""Evaluation: alignment quality against gold, and (later) MT metrics and reports."""
