"""`python -m mlnotes_site` runs the command line."""

from .cli import entry

entry()
