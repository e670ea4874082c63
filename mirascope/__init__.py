"""mirascope: plain Python functions as LLM calls, through each vendor's own SDK."""

__version__ = "0.1.0"
