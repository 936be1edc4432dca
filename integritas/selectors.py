"""Reads of the integrity domain. Complaints are the inspectorate's alone: the office complained
about never reads them, whatever its role."""

from django.db.models import Q, QuerySet

from integritas.models import Pengaduan
from kelurahan.lingkup import inspektorat_wilayah


def _pengaduan_lingkup_q(akar: list[str]) -> Q:
    lingkup = Q(kelurahan="")  # naming no kelurahan: every inspectorate of the deployment
    for a in akar:
        lingkup |= Q(kota=a) if a.count(".") == 1 else Q(kelurahan=a) | Q(kelurahan__startswith=a + ".")
    return lingkup


def pengaduan_antrean(user, *, status=None, kategori=None, kelurahan=None) -> QuerySet:
    """Complaints the user handles as inspektorat, newest first; none for anyone else,
    so the office complained about never reads them."""
    akar = inspektorat_wilayah(user)
    if not akar:
        return Pengaduan.objects.none()
    qs = Pengaduan.objects.filter(_pengaduan_lingkup_q(akar))
    for nama, nilai in (("status", status), ("kategori", kategori), ("kelurahan", kelurahan)):
        if nilai:
            qs = qs.filter(**{nama: nilai})
    return qs.order_by("-diterima_pada", "-id")


def pengaduan_untuk_inspektorat(user, kode) -> Pengaduan | None:
    return pengaduan_antrean(user).filter(kode_lacak=str(kode).strip().upper()).first()
