"""Public pages: the survey behind the WhatsApp invitation (/survei/<signed token>/, no sign-in needed)
and the transparency page of each kelurahan (/transparansi/<kode>/)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from integritas import ikm
from integritas import services as integritas_services
from layanan.models import Permohonan, Status
from layanan.web.batas_laju import batasi

BAGIAN = (("ikm", ikm.UNSUR_IKM), ("ipak", ikm.ITEM_IPAK), ("ipkp", ikm.ITEM_IPKP))


def _angka(teks):
    try:
        return int(teks)
    except (TypeError, ValueError):
        return None


def survei_isi(request, token):
    try:
        pid = integritas_services.survei_token_baca(token)
    except integritas_services.TautanTidakSah:
        raise Http404 from None
    p = Permohonan.objects.select_related("layanan", "kelurahan").filter(pk=pid).first()
    if p is None:
        raise Http404
    konteks = {"permohonan": p, "kuesioner": ikm.kuesioner(), "galat": {}, "jawaban": {}}
    if p.status != Status.SELESAI:
        konteks["pesan"] = _("Survei dapat diisi setelah permohonan selesai.")
        return render(request, "integritas/survei.html", konteks, status=409)
    if request.method == "POST":
        jawaban = {bagian: {k: _angka(request.POST.get(f"{bagian}_{k}")) for k in kunci} for bagian, kunci in BAGIAN}
        diminta = request.POST.get("diminta_bayar")
        konteks["jawaban"] = {f"{b}_{k}": v for b, isi in jawaban.items() for k, v in isi.items()}
        try:
            integritas_services.survei_simpan(
                permohonan_id=p.pk, kelurahan=p.kelurahan_id, layanan=p.layanan.kode, **jawaban,
                diminta_bayar={"ya": True, "tidak": False}.get(diminta, diminta),
                jumlah_bayar=_angka(request.POST.get("jumlah_bayar")) if request.POST.get("jumlah_bayar") else None,
                kepada_bayar=request.POST.get("kepada_bayar", ""), saran=request.POST.get("saran", ""),
                profil={k: request.POST.get(f"profil_{k}", "") for k in ikm.PROFIL_RESPONDEN},
            )
        except integritas_services.DataTidakValid as e:
            konteks["galat"] = e.galat
            return render(request, "integritas/survei.html", konteks, status=400)
        except integritas_services.SudahDiisi:
            konteks["pesan"] = _("Survei untuk permohonan ini sudah diisi. Terima kasih.")
            return render(request, "integritas/survei.html", konteks, status=409)
        konteks["terima_kasih"] = True
    return render(request, "integritas/survei.html", konteks)


@batasi("lacak")
def transparansi(request, kode):
    """Public page per kelurahan: SLA compliance, IKM and mutu, complaints handled, last semester."""
    from rest_framework.exceptions import ValidationError

    from integritas.api.views import transparansi_data

    try:
        data = transparansi_data(kode, request.GET.get("semester"))
    except ValidationError:
        raise Http404 from None
    return render(request, "integritas/transparansi.html", {"data": data})


def transparansi_daftar(request):
    """Public list of the kelurahan that have an office, by kecamatan, each linking to its page."""
    from kelurahan.models import Kantor

    kantor = (Kantor.objects.filter(jenis=Kantor.Jenis.KELURAHAN).select_related("wilayah__induk")
              .order_by("wilayah__induk__nama", "wilayah__nama"))
    kelompok: dict = {}
    for k in kantor:
        kelompok.setdefault(k.wilayah.induk.nama if k.wilayah.induk else "", []).append(k.wilayah)
    return render(request, "integritas/transparansi_daftar.html", {"kelompok": sorted(kelompok.items())})
