"""The request-status answer of the WhatsApp conversation (port `status` of notifikasi/obrolan.py).

The owner (the request's resident, by the number on record) hears status, stage, deadline and next step;
anyone else hears what the public tracking page shows (service and status, no name, no deadline text
about a person, no reasons). Registered in LayananConfig.ready.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from audit.enkripsi import indeks_hp, saring_indeks
from layanan.models import Permohonan, Status
from notifikasi.telepon import normalisasi_hp

TAHAP_KECAMATAN = {Status.DITERUSKAN_KECAMATAN, Status.DIVERIFIKASI_KECAMATAN}
TERAKHIR_MAKS = 3  # requests listed for a bare "STATUS"


def _pemilik(p: Permohonan, no_hp: str) -> bool:
    try:
        return normalisasi_hp(p.pemohon.no_hp) == no_hp
    except ValueError:
        return False


def _jawaban_pemilik(p: Permohonan) -> tuple[str, dict]:
    from layanan.web.views import LANGKAH_BERIKUT

    if p.status in TAHAP_KECAMATAN:
        tahap = str(translation.gettext("Kecamatan %(nama)s")) % {"nama": p.kecamatan.nama}
    elif p.status in (Status.SELESAI, Status.DITOLAK, Status.DIBATALKAN):
        tahap = translation.gettext("selesai diproses")
    else:
        tahap = str(translation.gettext("Kelurahan %(nama)s")) % {"nama": p.kelurahan.nama}
    tenggat = timezone.localtime(p.tenggat).strftime("%d-%m-%Y %H:%M") if p.tenggat else "-"
    return ("obrolan_status_pemilik", {
        "nomor": p.nomor_registrasi, "layanan": p.layanan.nama, "status": str(p.get_status_display()),
        "tahap": tahap, "tenggat": tenggat, "langkah": str(LANGKAH_BERIKUT.get(p.status, "-")),
    })


def status_jawab(*, no_hp: str, nomor: str, bahasa: str) -> list[tuple[str, dict]]:
    qs = Permohonan.objects.select_related("layanan", "kelurahan", "kecamatan", "pemohon")
    with translation.override(bahasa):
        if not nomor:
            milik = list(qs.filter(**saring_indeks("pemohon__no_hp_indeks", indeks_hp, no_hp)).order_by("-diajukan_pada")[:TERAKHIR_MAKS])
            return [_jawaban_pemilik(p) for p in milik] or [("obrolan_status_kosong", {})]
        nomor = nomor.upper()
        if len(nomor) == 8 and "-" not in nomor:
            nomor = f"{nomor[:4]}-{nomor[4:]}"
        p = qs.filter(nomor_registrasi=nomor).first()
        if p is None:
            return [("obrolan_status_tidak_ada", {"nomor": nomor[:12]})]
        if _pemilik(p, no_hp):
            return [_jawaban_pemilik(p)]
        return [("obrolan_status_publik", {
            "nomor": p.nomor_registrasi, "layanan": p.layanan.nama, "status": str(p.get_status_display()),
            "tautan": settings.PUBLIC_BASE_URL + reverse("web:lacak_detail", kwargs={"nomor": p.nomor_registrasi}),
        })]
