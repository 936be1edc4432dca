from django.urls import path

from integritas.api import views, zi

urlpatterns = [
    path("survei/", views.Survei.as_view(), name="api-survei"),
    path("pengaduan/", views.PengaduanListCreate.as_view(), name="api-pengaduan"),
    path("pengaduan/<str:kode>/", views.PengaduanDetail.as_view(), name="api-pengaduan-detail"),
    path("pengaduan/<str:kode>/status/", views.PengaduanStatus.as_view(), name="api-pengaduan-status"),
    path("pengaduan/<str:kode>/bukti/", views.PengaduanBukti.as_view(), name="api-pengaduan-bukti"),
    path("indikator/", views.Indikator.as_view(), name="api-indikator"),
    path("indikator/zi/", zi.LkeZi.as_view(), name="api-indikator-zi"),
    path("indikator/zi/jawaban/", zi.LkeJawabanView.as_view(), name="api-indikator-zi-jawaban"),
    path("indikator/zi/bukti/", zi.LkeBukti.as_view(), name="api-indikator-zi-bukti"),
    path("indikator/sinyal/", views.Sinyal.as_view(), name="api-indikator-sinyal"),
    path("indikator/rincian/", views.IndikatorRincian.as_view(), name="api-indikator-rincian"),
    path("indikator/tren/", views.IndikatorTren.as_view(), name="api-indikator-tren"),
    path("indikator/lewat-tenggat/", views.LewatTenggat.as_view(), name="api-indikator-lewat-tenggat"),
    path("transparansi/<str:kode>/", views.Transparansi.as_view(), name="api-transparansi"),
]
