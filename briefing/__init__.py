"""briefing: turn news articles about one story into a one-page situation brief."""

__version__ = "0.1.0"
