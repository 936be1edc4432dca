"""Celery app. Without CELERY_BROKER_URL tasks run eagerly in-process (see settings)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("simpatik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _tolak_bila_belum_siap(**kwargs):
    """A worker or beat with DEBUG off and an incomplete configuration does not start (config/pemeriksaan.py)."""
    from config.pemeriksaan import tolak_bila_belum_siap

    tolak_bila_belum_siap()
