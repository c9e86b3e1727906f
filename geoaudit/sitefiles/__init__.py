"""Parsers of site-level files (robots.txt, sitemaps, llms.txt). Pure functions of bytes/text."""
