"""mlnotes: turn a folder of Markdown study notes into a cross-linked topic site."""

__version__ = "0.1.0"
