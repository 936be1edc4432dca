import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.pemeriksaan import tolak_bila_belum_siap  # noqa: E402 - after Django is set up

tolak_bila_belum_siap()
