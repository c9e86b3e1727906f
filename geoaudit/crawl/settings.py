"""Scrapy settings of the geoaudit crawl. Defaults are polite enough for a production site.

`scrapy.cfg` points here, so `scrapy crawl geoaudit -a start_url=URL` works in the repo; the
`geoaudit` CLI starts from the same constants and overrides a few from its options.
"""

from geoaudit import USER_AGENT

BOT_NAME = "geoaudit"
SPIDER_MODULES = ["geoaudit.crawl.spider"]
NEWSPIDER_MODULE = "geoaudit.crawl"

USER_AGENT = USER_AGENT
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "geoaudit"

# Politeness: a few parallel requests per site, adapted to the server's latency.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Items of one response go to the store one after another (the pipeline is synchronous);
# Scrapy's default of 100 starts 100 asyncio tasks per response for nothing (14% of a bare
# crawl's CPU, measured in benchmarks/).
CONCURRENT_ITEMS = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Breadth-first, so that discovery depth is click depth and --max-depth cuts where expected.
DEPTH_PRIORITY = 1
SCHEDULER = "geoaudit.crawl.scheduler.DiskFullScheduler"
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# Every response is a fact to record: 3xx chains, 4xx and 5xx reach the spider.
HTTPERROR_ALLOW_ALL = True
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

# No listening extension: the telnet console and RemoteControl (Scrapy 2.19's HTTP server that
# runs Python code, with a token written to the user's profile folder) stay off; a test fails
# if a crawl opens any listening socket.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Scrapy logs every failed fetch with a traceback; geoaudit records failures as data and reports
# them, so Scrapy's log stays off unless --verbose asks for it.
LOG_ENABLED = False
LOG_LEVEL = "INFO"

SPIDER_MIDDLEWARES = {"geoaudit.crawl.middlewares.CallbackGuard": 50}
# ScopeGuard first: a request outside the audit's scope is refused before any other middleware
# (robots.txt's included) acts on it. MetaRefreshOnPages takes the place of Scrapy's
# MetaRefreshMiddleware (it follows meta refreshes of 2xx pages only). Credentials closer to the
# downloader than RedirectMiddleware (600), which must not copy them into a redirect. RetryAfter
# closer to the downloader than RetryMiddleware (550): Retry-After is honoured before it retries.
DOWNLOADER_MIDDLEWARES = {
    "geoaudit.crawl.middlewares.ScopeGuard": 50,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "geoaudit.crawl.middlewares.MetaRefreshOnPages": 580,
    "geoaudit.crawl.middlewares.RetryAfter": 560,
    "geoaudit.crawl.middlewares.Credentials": 650,
}
ITEM_PIPELINES = {"geoaudit.crawl.pipelines.StorePipeline": 300}
EXTENSIONS = {"geoaudit.crawl.progress.Progress": 500}

# geoaudit's own settings
GEOAUDIT_OUTPUT = "geoaudit-report"
GEOAUDIT_PROGRESS = True
GEOAUDIT_MAX_SITEFILE_BYTES = 5 * 1024 * 1024
GEOAUDIT_MAX_SITEMAPS = 1000
# Look for the `.md` version (llmstxt.org) of at most this many pages linked from llms.txt.
GEOAUDIT_MAX_MD_TWINS = 50
# Crawl traps: at most this many query-string variants of one path are followed from links.
GEOAUDIT_MAX_QUERY_VARIANTS = 50
# The longest Retry-After wait honoured, in seconds; a longer one is recorded, not waited for.
GEOAUDIT_MAX_RETRY_AFTER = 60
# Fetch the start page and this many more key pages with each AI search/user bot's User-Agent.
GEOAUDIT_PROBE = True
GEOAUDIT_PROBE_EXTRA_PAGES = 2
# Processes that parse and measure pages beside the crawl's; 0 means one per core, at most 8.
GEOAUDIT_EXTRACT_WORKERS = 0
