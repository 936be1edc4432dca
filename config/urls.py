from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from config.sehat import sehat

urlpatterns = [
    path("sehat/", sehat, name="sehat"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/v1/", include("audit.urls")),
    path("api/v1/", include("layanan.api.urls")),
    path("api/v1/", include("integritas.api.urls")),
    path("", include("integritas.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifikasi/", include("notifikasi.urls")),
    path("", include("layanan.surat.urls")),
    path("", include("layanan.web.urls")),
]
