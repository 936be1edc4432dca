"""The officers' integrity survey page: each officer answers once a year, for the office they serve."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from integritas import services as integritas_services
from integritas.models import PartisipasiSurveiPegawai
from integritas.pegawai import BUTIR_PEGAWAI, kuesioner_pegawai, periode_sekarang
from kelurahan.lingkup import penugasan_aktif
from layanan.web.views import petugas_wajib


@petugas_wajib
def survei_pegawai(request):
    periode = periode_sekarang()
    kantor = sorted({(t.kantor.wilayah_id, t.kantor.nama) for t in penugasan_aktif(request.user)})
    konteks = {"periode": periode, "kantor": kantor, "kuesioner": kuesioner_pegawai(), "galat": {},
               "sudah": PartisipasiSurveiPegawai.objects.filter(user=request.user, periode=periode).exists()}
    if request.method == "POST" and not konteks["sudah"]:
        jawaban = {}
        for k in BUTIR_PEGAWAI:
            nilai = request.POST.get(k, "")
            jawaban[k] = int(nilai) if nilai.isdigit() else None
        pilihan = request.POST.get("kantor") or (kantor[0][0] if len(kantor) == 1 else "")
        try:
            integritas_services.survei_pegawai_simpan(pengguna=request.user, kantor=pilihan, jawaban=jawaban,
                                                      periode=periode)
        except integritas_services.DataTidakValid as e:
            konteks["galat"] = e.galat
            return render(request, "integritas/survei_pegawai.html", konteks, status=400)
        except integritas_services.SudahDiisi:
            konteks["sudah"] = True
            return render(request, "integritas/survei_pegawai.html", konteks, status=409)
        messages.success(request, _("Terima kasih. Jawaban Anda tersimpan tanpa nama."))
        return redirect("integritas:survei-pegawai")
    return render(request, "integritas/survei_pegawai.html", konteks)
