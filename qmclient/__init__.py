"""qmclient: draft, check and hand in Quality Month activity summaries."""

__version__ = "0.1.0"
