"""Access rules: can crawlers, AI crawlers among them, fetch and index the site's pages?

Page rules (`pages.py`) judge each page's answer, its robots controls and whether its content
needs JavaScript; site rules (`site.py`) judge robots.txt, what it and the server allow each AI
bot, and the sitemaps. Both name the live AI bots with the helpers here.
"""

from __future__ import annotations

from geoaudit.facts import Site
from geoaudit.facts.access import PURPOSE_NAMES, BotAccess


def live_bots(site: Site, purposes: tuple[str, ...]) -> list[BotAccess]:
    return [b for b in site.access.bots if b.purpose in purposes and not b.retired]


def bot_name(bot: BotAccess) -> str:
    return f"{bot.token} ({bot.operator}, {PURPOSE_NAMES[bot.purpose]})"
