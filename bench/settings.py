"""Settings for the benchmarks only: the project's settings, without the second factor (the load
generator cannot type TOTP codes) and with one extra trivial authenticated URL to compare
pages against. Never used by `make run`, `make test` or production."""

from meerwaarde.settings import *  # noqa: F403

REQUIRE_2FA = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
