"""The crawl: a normal Scrapy project that fetches pages and site files and knows nothing of GEO."""
