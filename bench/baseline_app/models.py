from django.db import models


class BarisDasar(models.Model):
    """One row per baseline request: the cheapest write a DRF endpoint can do."""

    isi = models.CharField(max_length=40)
    dibuat = models.DateTimeField(auto_now_add=True)
