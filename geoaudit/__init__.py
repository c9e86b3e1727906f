"""geoaudit: audit a website for generative engine optimization (GEO)."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/geoaudit/geoaudit"
USER_AGENT = f"geoaudit/{__version__} (+{PROJECT_URL})"
