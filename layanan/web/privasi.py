"""Pages of the personal-data rules (docs/privasi.md): the privacy notice, "Data saya" (everything held
about the resident and every officer access, with a correction request), and the kelurahan desk's
correction queue. Thin: reads through layanan.pdp.selectors, writes through layanan.pdp.services."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelurahan.models import Wilayah
from layanan.models import PermintaanKoreksi
from layanan.pdp import selectors, services
from layanan.permohonan.galat import AksiDilarang, InputTidakValid, StatusTidakSesuai, TidakDitemukan
from layanan.web.forms import KeputusanKoreksiForm, KoreksiForm
from layanan.web.views import _privasi, petugas_wajib, warga_wajib


def pemberitahuan(request):
    """The notice in force, public (linked from sign-in, the form and the footer)."""
    return render(request, "privasi/pemberitahuan.html", {"privasi": _privasi()})


def _pilihan_kelurahan(warga):
    kode = services.kelurahan_warga(warga)
    return [(w.kode, w.nama) for w in Wilayah.objects.filter(kode__in=kode).order_by("nama")]


@warga_wajib
def data_saya(request, form=None, status=200):
    warga = request.user.warga
    pilihan = _pilihan_kelurahan(warga)
    if form is None and pilihan:
        form = KoreksiForm(kelurahan=pilihan, initial={"kelurahan": pilihan[0][0]})
    return render(request, "warga/data_saya.html", {
        "data": selectors.data_saya(warga), "akses": selectors.akses_data_saya(warga), "form": form,
    }, status=status)


@warga_wajib
@require_POST
def koreksi_ajukan(request):
    warga = request.user.warga
    form = KoreksiForm(request.POST, kelurahan=_pilihan_kelurahan(warga))
    if not form.is_valid():
        return data_saya(request, form=form, status=400)
    try:
        services.koreksi_ajukan(warga=warga, kelurahan=form.cleaned_data["kelurahan"], perubahan=form.perubahan(),
                                alasan=form.cleaned_data["alasan"])
    except InputTidakValid as galat:
        for kolom, pesan in galat.galat.items():
            form.add_error(kolom if kolom in form.fields else None, pesan)
        return data_saya(request, form=form, status=400)
    messages.success(request, _("Permintaan koreksi terkirim. Petugas kelurahan memeriksanya; hasilnya kami "
                                "kabarkan lewat WhatsApp."))
    return redirect("web:data_saya")


@petugas_wajib
def koreksi_antrean(request, galat=None, status=200):
    daftar = list(selectors.koreksi_antrean(request.user)[:200])
    return render(request, "petugas/koreksi.html", {"daftar": daftar, "form": KeputusanKoreksiForm(),
                                                    "galat": galat}, status=status)


@petugas_wajib
@require_POST
def koreksi_putuskan(request, pk, keputusan):
    if keputusan not in ("terima", "tolak"):
        raise Http404
    form = KeputusanKoreksiForm(request.POST)
    catatan = form.cleaned_data["catatan"] if form.is_valid() else ""
    try:
        k = services.koreksi_putuskan(pengguna=request.user, koreksi_id=pk, terima=keputusan == "terima",
                                      catatan=catatan)
    except TidakDitemukan:
        raise Http404 from None
    except (AksiDilarang, StatusTidakSesuai) as e:
        return koreksi_antrean(request, galat=e.pesan, status=e.status_code)
    except InputTidakValid as e:
        return koreksi_antrean(request, galat=" ".join(" ".join(p) for p in e.galat.values()), status=400)
    messages.success(request, _("Koreksi #%(n)s diterima: data warga diperbaiki.") % {"n": k.pk}
                     if k.status == PermintaanKoreksi.Status.DITERIMA
                     else _("Koreksi #%(n)s ditolak; warga dikabari alasannya.") % {"n": k.pk})
    return redirect("web:koreksi_antrean")
