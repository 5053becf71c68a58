"""The WSGI application (gunicorn serves `config.wsgi:application`)."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Enough for what a process builds once and keeps (the URL patterns, each page's compiled
# templates, the compiled queries, both languages' catalogues).
WARM_UP_REQUESTS = 50


class FrozenAfterWarmUp:
    """Django's application; after its first requests, everything the process has made so
    far is moved out of the garbage collector's sight (`gc.freeze`).

    Those objects live as long as the process, yet the collector's oldest generation went
    through all of them every few thousand requests: ~85 ms with the bench's queue, during
    which every request waiting for this worker waited too (the queue's p99, bench/http.py).
    Frozen, that collection takes a few ms. Objects made later are collected as usual;
    the garbage of the warm-up is collected once, just before.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], warm_up: int) -> None:
        self._app = app
        self._left = warm_up

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        try:
            return self._app(environ, start_response)
        finally:
            if self._left > 0:
                self._left -= 1
                if self._left == 0:
                    # Garbage first (one full pass, once): what is frozen is never freed.
                    gc.collect()
                    gc.freeze()


application = FrozenAfterWarmUp(get_wsgi_application(), WARM_UP_REQUESTS)
