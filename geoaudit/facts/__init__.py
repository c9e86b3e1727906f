"""Site facts: what the crawl found, gathered once after it, judged by the rules.

`build_site` (in `site.py`) is the one way to build them; the other modules hold one subject
each: access (robots.txt, page controls, probes per AI bot), identity (the site's name and
contacts), pages (page kinds), llms_txt (what llms.txt links answer), structured_data
(site-wide schema.org facts) and entities (what each schema.org type is expected to state).
"""

from geoaudit.facts.site import Site, build_site

__all__ = ["Site", "build_site"]
