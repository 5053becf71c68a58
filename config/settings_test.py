"""Settings for the test suite: production's settings (DEBUG off), plus test-only values for the
two variables production refuses to start without.

pytest selects this module (`DJANGO_SETTINGS_MODULE` in pyproject.toml), so a bare
`python -m pytest` works in an empty environment; `make test` sets the same two variables
itself. Values already in the environment win (CI sets its own key). They go into
os.environ, not only into these settings, so that the processes tests start (Celery workers,
`manage.py` commands) read them too. Never point a deployment at this module.
"""

from __future__ import annotations

import os

# Long and varied enough for production's rule; public, so only ever good for tests.
TEST_SECRET_KEY = "test-only-secret-key-not-for-any-deployment-7f3a9c1e5b2d8046"  # noqa: S105
TEST_SITE_URL = "http://testserver"

os.environ.setdefault("DJANGO_SECRET_KEY", TEST_SECRET_KEY)
os.environ.setdefault("SITE_URL", TEST_SITE_URL)

from config.settings import *  # noqa: E402, F403
