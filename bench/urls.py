"""Production URLs plus the baseline endpoint (bench runs only)."""

from django.urls import include, path

from config.urls import urlpatterns as produksi

urlpatterns = [path("bench/", include("bench.baseline_app.urls")), *produksi]
