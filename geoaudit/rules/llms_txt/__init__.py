"""llms.txt rules: does the site offer AI agents a correct map of itself?

File rules judge the parsed file alone (`file.py` its structure, `file_text.py` its text as a
whole) and carry a severity per profile: `1.1.1` (the AI Visibility business-identity profile,
ADF-001, the default) and `llmstxt` (llmstxt.org as written); `None` means the profile does not
ask for it. `geoaudit llms validate` runs them on a file; the audit runs them on the live
/llms.txt. Site rules need the crawl: what the file's links answer (`links.py`), and the site
around the file (`site.py`): how the file is served, /llm.txt, llms-full.txt, the site's name,
Chrome Lighthouse's verdict, contact details.
"""

from __future__ import annotations

# What each file rule cites as the source of its requirement.
SOURCES = {
    "llmstxt": "llmstxt.org",
    "1.1.1": "AI Visibility llms.txt 1.1.1 (ADF-001)",
    "both": "llmstxt.org; AI Visibility 1.1.1",
    "geoaudit": "geoaudit best practice",
    "security": "geoaudit security",
}
