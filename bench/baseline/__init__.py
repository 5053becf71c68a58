"""A bare Django app, the baseline of bench/http.py: one model, a form POST that inserts a
row and enqueues a Celery task after commit, and a page listing 50 rows. No sessions, no
auth, no other middleware: what any Django app pays, and nothing more."""
