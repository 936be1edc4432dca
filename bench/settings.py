"""Settings of benchmark runs: production settings plus the baseline endpoint.

Kept apart from config/settings.py so the baseline app and its URL never exist
in a production deployment; gunicorn and the bench commands use
DJANGO_SETTINGS_MODULE=bench.settings.
"""

from config.settings import *  # noqa: F401,F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.baseline_app"]
ROOT_URLCONF = "bench.urls"
# The generator seals with the development keys (DEBUG on); the production-mode processes the bench starts
# (gunicorn, in-process page timing) read that data, so they alone may hold those keys.
KUNCI_PENGEMBANGAN_DIIZINKAN = True
