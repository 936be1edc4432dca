"""The desk page of the Zona Integritas worksheet: the head of an office answers its questions with
evidence; the camat and the inspectorate (the internal evaluation team) read any office in their scope."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException

from integritas import services as integritas_services
from integritas.api.views import PERAN_INDIKATOR, wilayah_dalam_lingkup
from integritas.api.zi import PERAN_PENGISI
from integritas.lke_butir import DIISI_KANTOR
from integritas.zi import BAGIAN, NAMA_BAGIAN, SKALA, lke_kantor
from kelurahan.lingkup import kode_dalam_lingkup, penugasan_aktif, wilayah_peran
from kelurahan.models import Kantor
from layanan.web.views import petugas_wajib


def _tahun(request) -> int:
    teks = str(request.GET.get("tahun") or "").strip()
    ini = timezone.localdate().year
    return int(teks) if teks.isdigit() and 2000 <= int(teks) <= ini else ini


@petugas_wajib
def lke(request):
    tugas = penugasan_aktif(request.user)
    pengisi = {t.kantor.wilayah_id: t for t in tugas if t.peran in PERAN_PENGISI}
    kode = str(request.GET.get("wilayah") or "").strip() or next(iter(pengisi), "")
    if not kode:
        akar = wilayah_peran(request.user, PERAN_INDIKATOR)
        if not akar:
            return render(request, "petugas/bukan_petugas.html", status=403)
        kantor = [k for k in Kantor.objects.select_related("wilayah").order_by("wilayah_id")
                  if kode_dalam_lingkup(k.wilayah_id, akar)]
        return render(request, "integritas/lke_pilih.html", {"daftar_kantor": kantor, "tahun": _tahun(request)})
    try:
        wilayah = wilayah_dalam_lingkup(request.user, kode, PERAN_INDIKATOR)
    except APIException as e:
        if e.status_code == 404:
            raise Http404 from None
        return render(request, "petugas/bukan_petugas.html", status=403 if e.status_code == 403 else 400)
    kantor = Kantor.objects.filter(wilayah=wilayah).first()
    if kantor is None:
        raise Http404
    tahun = _tahun(request)
    isi = pengisi.get(kantor.wilayah_id)
    galat = None
    if request.method == "POST":
        if isi is None:
            return render(request, "petugas/bukan_petugas.html", status=403)
        try:
            integritas_services.lke_isi(
                pengguna=request.user, peran=isi.peran, kantor=kantor.wilayah_id, tahun=tahun,
                kode=request.POST.get("kode", ""), jawaban=request.POST.get("jawaban", ""),
                catatan=request.POST.get("catatan", ""), bukti=request.FILES.get("bukti"),
            )
        except integritas_services.DataTidakValid as e:
            galat = " ".join(str(p) for pesan in e.galat.values() for p in pesan)
        else:
            messages.success(request, _("Jawaban LKE disimpan."))
            kode = request.POST.get("kode", "")
            jangkar = f"#lke-{kode}" if kode in DIISI_KANTOR else ""
            return redirect(f"{request.path}?wilayah={kantor.wilayah_id}&tahun={tahun}{jangkar}")
    data = lke_kantor(kantor.wilayah_id, tahun)
    area = [(data["pengungkit"][k], [(NAMA_BAGIAN[b], data["pengungkit"][k][b]) for b in BAGIAN])
            for k in data["pengungkit"] if k != "total"]
    return render(request, "integritas/lke.html", {
        "kantor": kantor, "tahun": tahun, "lke": data, "area": area,
        "pilihan": {jenis: list(skala) for jenis, skala in SKALA.items()},
        "boleh_isi": isi is not None, "galat": galat,
    }, status=400 if galat else 200)
