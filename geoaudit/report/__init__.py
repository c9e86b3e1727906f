"""Reporters: render stored results. They never compute scores or judge pages.

Each format is one module with `FILENAME` and `write(context, path)`, listed in `formats.py`
(a new format is one module and one line there). `header.py` builds report.json's header, which
every format reads; its docstring documents the layout of report.json.
"""
