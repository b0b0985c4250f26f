"""mt: interview journalism into a reviewed Arabic–English parallel corpus."""

__version__ = "0.1.0"
