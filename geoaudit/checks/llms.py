"""llms.txt rules: does the site offer AI agents a map of itself?"""

from __future__ import annotations

from collections.abc import Iterator

from geoaudit.checks import Site, site_rule


@site_rule("LT001", "llms-txt-missing", "llms.txt is missing", "warning", "llms_txt")
def llms_txt_missing(site: Site) -> Iterator[str]:
    """The site serves no `/llms.txt`.

    Why it matters: llms.txt (llmstxt.org) is a Markdown map of the site for language models:
    its name, a one-line summary and links to the pages that matter, with notes. Agents and
    answer engines that read it find your key pages without guessing from navigation, and
    Chrome Lighthouse reports on it.

    How to fix: start from the `llms.txt` geoaudit generated in the report folder, review it,
    and serve it at `/llms.txt` as text/plain or text/markdown in UTF-8.

    Pass: `/llms.txt` answers 200 with `# Site name`, a `> summary` and link lists.
    Fail: `/llms.txt` answers 404.
    """
    llms = site.file("llms.txt")
    if llms is None or not llms.present:
        detail = "no response" if llms is None or llms.fetch.status is None else llms.fetch.status
        yield f"/llms.txt is missing ({detail})"
