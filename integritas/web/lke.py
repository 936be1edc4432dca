"""The desk page of the Zona Integritas worksheet: the head of an office answers its indicators, with evidence."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas import services as integritas_services
from integritas.api.zi import PERAN_PENGISI
from integritas.zi import DIISI_KANTOR, SKALA, lke_kantor
from kelurahan.lingkup import penugasan_aktif
from layanan.web.views import petugas_wajib


@petugas_wajib
def lke(request):
    tugas = [t for t in penugasan_aktif(request.user) if t.peran in PERAN_PENGISI]
    if not tugas:
        return render(request, "petugas/bukan_petugas.html", status=403)
    t = tugas[0]
    tahun = timezone.localdate().year
    galat = None
    if request.method == "POST":
        try:
            integritas_services.lke_isi(
                pengguna=request.user, peran=t.peran, kantor=t.kantor.wilayah_id, tahun=tahun,
                kode=request.POST.get("kode", ""), jawaban=request.POST.get("jawaban", ""),
                catatan=request.POST.get("catatan", ""), bukti=request.FILES.get("bukti"),
            )
        except integritas_services.DataTidakValid as e:
            galat = " ".join(str(p) for pesan in e.galat.values() for p in pesan)
        else:
            messages.success(request, _("Jawaban LKE disimpan."))
            return redirect("integritas:lke")
    data = lke_kantor(t.kantor.wilayah_id, tahun)
    pilihan = {k: list(SKALA[i.jenis]) for k, i in DIISI_KANTOR.items()}
    return render(request, "integritas/lke.html", {"kantor": t.kantor, "tahun": tahun, "lke": data,
                                                   "pilihan": pilihan, "galat": galat},
                  status=400 if galat else 200)
