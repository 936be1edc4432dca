from django.urls import path

from audit import api

urlpatterns = [
    path("audit/checkpoint/", api.CheckpointTerbaru.as_view(), name="api-audit-checkpoint"),
    path("audit/bukti/inklusi/<str:hash_event>/", api.BuktiInklusi.as_view(), name="api-audit-bukti-inklusi"),
    path("audit/bukti/konsistensi/<str:rantai>/", api.BuktiKonsistensi.as_view(), name="api-audit-bukti-konsistensi"),
]
