import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.pemeriksaan import tolak_bila_belum_siap  # noqa: E402 - after Django is set up

tolak_bila_belum_siap()

# Imported here, before gunicorn forks its workers (preload_app): the storage module pulls in boto3 (0.4 s),
# which each worker would otherwise import on its first upload, and again after every recycling.
import config.penyimpanan  # noqa: E402,F401
