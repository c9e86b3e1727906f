"""`python -m geoaudit.cli`."""

import sys

from geoaudit.cli import main

sys.exit(main())
