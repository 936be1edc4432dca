"""Dashboards: the camat's, the lurah's and the inspectorate's pages (issue 7 §4).

Thin: the figures come from audit (indicators, signals) through the same scope
rules as the API (layanan/api_integritas.py); each table links to its CSV/XLSX
export on the API, which the signed-in browser may call with its session.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.exceptions import PermissionDenied as DitolakAPI

from integritas.api.views import periode_dari, rincian_unit, wilayah_dalam_lingkup, wilayah_peran
from integritas.indikator import (
    daftar_lewat_tenggat,
    indikator_hitung,
    keterangan_lampu,
    lewat_tenggat_bernama,
    tren_bulanan,
)
from integritas.models import Pengaduan
from integritas.selectors import ambang_lampu_tercatat_sejak, integritas_banding
from integritas.sinyal import sinyal_bernama, sinyal_hitung
from kelurahan.models import Peran

JENIS_DASBOR = {"kecamatan": Peran.CAMAT, "inspektorat": Peran.INSPEKTORAT, "kelurahan": Peran.LURAH}


@login_required
def dasbor(request):
    """Send each officer to the dashboard of their role."""
    for jenis, peran in (("inspektorat", Peran.INSPEKTORAT), ("kecamatan", Peran.CAMAT), ("kelurahan", Peran.LURAH)):
        if wilayah_peran(request.user, {peran}):
            return redirect("integritas:dasbor-unit", jenis=jenis)
    raise PermissionDenied


def _unit(request, peran):
    akar = wilayah_peran(request.user, {peran})
    if not akar:
        raise PermissionDenied
    try:
        wilayah = wilayah_dalam_lingkup(request.user, request.GET.get("wilayah") or akar[0], {peran})
        dari, sampai = periode_dari(request.GET)
    except (NotFound, ValidationError) as exc:
        raise Http404 from exc
    except DitolakAPI as exc:
        raise PermissionDenied from exc
    return wilayah, dari, sampai


@login_required
def dasbor_unit(request, jenis):
    peran = JENIS_DASBOR.get(jenis)
    if peran is None:
        raise Http404
    wilayah, dari, sampai = _unit(request, peran)
    kemarin = timezone.localdate() - timedelta(days=1)
    parameter = urlencode({"wilayah": wilayah.kode, "dari": dari, "sampai": sampai})
    konteks = {
        "jenis": jenis,
        "wilayah": wilayah,
        "dari": dari,
        "sampai": sampai,
        "parameter": parameter,
        "hasil": indikator_hitung(wilayah=wilayah.kode, dari=dari, sampai=sampai),
        "harian": indikator_hitung(wilayah=wilayah.kode, dari=kemarin, sampai=kemarin),
        "kemarin": kemarin,
        "rincian": rincian_unit(wilayah, dari, sampai),
        "tren": tren_bulanan(wilayah=wilayah.kode, dari=dari, sampai=sampai),
        "lewat_tenggat": lewat_tenggat_bernama(daftar_lewat_tenggat(wilayah=wilayah.kode, batas=50)),
        "lampu": keterangan_lampu(),
        "lampu_tercatat_sejak": ambang_lampu_tercatat_sejak(),
    }
    if jenis == "inspektorat":
        konteks["sinyal"] = sinyal_bernama(sinyal_hitung(wilayah=wilayah.kode, dari=dari, sampai=sampai))
        konteks["periode_pegawai"] = str(sampai.year)
        konteks["banding"] = integritas_banding(wilayah.kode, dari=dari, sampai=sampai, periode=str(sampai.year))
        kota = ".".join(wilayah.kode.split(".")[:2])
        konteks["pengaduan"] = (Pengaduan.objects.exclude(status__in=["selesai", "ditutup"])
                                .filter(Q(kota=kota) | Q(kelurahan="")).order_by("tenggat_tanggapan")[:50])
    return render(request, "integritas/dasbor.html", konteks)
