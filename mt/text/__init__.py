"""Language knowledge: scripts, Arabic normalisation for matching, dates. Knows nothing of other stages."""
