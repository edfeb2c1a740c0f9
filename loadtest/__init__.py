"""The load run: Locust users per role against gunicorn and a Celery worker on PostgreSQL.

    python -m loadtest.run --users 50 --duration 180      (what `make load` runs)

`run` prepares a database (migrate, reference data, the load accounts and waiting cases:
`seed`), starts gunicorn and a Celery worker, runs Locust headless with the locustfiles in
`locustfiles/` (one per role; the shared browser behaviour is in `users` and `forms`), stops
the processes and judges the run (`checks`): no 5xx or other failed request in Locust's
statistics, and every registration the application acknowledged in the database exactly
once. `tests/resilience/test_load.py` runs the short version (10 users, 20 s) in `make test`.
"""
