"""Complaint pages: the public form and status page, and the inspectorate's desk.

Validation and the clock live in integritas.services (pengaduan_ajukan, pengaduan_buat);
scope in layanan.permohonan.selectors: a complaint is read only by the inspectorate, so the office it
names never sees it, not even its existence.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import selectors
from integritas import services as integritas_services
from integritas.models import Pengaduan
from integritas.web.forms import PengaduanForm, StatusPengaduanForm
from layanan.web.batas_laju import batasi
from layanan.web.views import petugas_wajib

JAM_LABEL = {
    "berjalan": gettext_lazy("Berjalan"),
    "terlambat": gettext_lazy("Terlambat"),
    "tepat": gettext_lazy("Tepat waktu"),
    "lewat": gettext_lazy("Lewat tenggat"),
}


def _jam(tenggat, selesai_pada, sekarang) -> dict:
    """One complaint clock (response or resolution) in words and colour."""
    if selesai_pada is not None:
        keadaan = "tepat" if selesai_pada <= tenggat else "lewat"
        return {"keadaan": keadaan, "label": JAM_LABEL[keadaan], "kelas": "aman" if keadaan == "tepat" else "terlambat",
                "tenggat": tenggat, "pada": selesai_pada}
    keadaan = "terlambat" if sekarang > tenggat else "berjalan"
    sisa = tenggat - sekarang
    return {"keadaan": keadaan, "label": JAM_LABEL[keadaan], "kelas": "terlambat" if keadaan == "terlambat" else "aman",
            "tenggat": tenggat, "sisa_hari": sisa.days if sisa.total_seconds() >= 0 else None,
            "lewat_hari": (-sisa).days if sisa.total_seconds() < 0 else None}


def _jam_pengaduan(p: Pengaduan, sekarang) -> dict:
    return {"tanggapan": _jam(p.tenggat_tanggapan, p.ditanggapi_pada, sekarang),
            "selesai": _jam(p.tenggat_selesai, p.diselesaikan_pada, sekarang)}


def _tenggat_hari() -> dict:
    """The handling times by kind, for the pages that explain them."""
    return {"waktu_per_kategori": [(label, *integritas_services.pengaduan_hari_kerja(k))
                                   for k, label in Pengaduan.Kategori.choices],
            "hari_selesai": settings.PENGADUAN_SELESAI_HARI}


def _riwayat(p: Pengaduan, *, publik: bool) -> list[dict]:
    """The handling steps; the public page leaves out who took them."""
    return [{"status": Pengaduan.Status(r.ke).label, "waktu": r.waktu, "catatan": r.catatan,
             "oleh": "" if publik else r.oleh} for r in p.riwayat.all()]


# --- public -------------------------------------------------------------------------------------


@batasi("pengaduan", metode=("POST",))
def pengaduan_baru(request):
    """Anyone, anonymous too; answered with the tracking code on the status page."""
    form = PengaduanForm(request.POST or None, request.FILES or None, initial={
        "nomor_registrasi": request.GET.get("nomor", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            pengaduan = integritas_services.pengaduan_ajukan(
                kategori=d["kategori"], isi=d["isi"], nomor_registrasi=d["nomor_registrasi"],
                kelurahan=d["kelurahan"], kontak=d["kontak"], bukti=d["bukti"],
            )
        except integritas_services.DataTidakValid as e:
            form.pasang_galat(e.galat)
        else:
            request.session["pengaduan_baru"] = pengaduan.kode_lacak
            return redirect("integritas:pengaduan_status", kode=pengaduan.kode_lacak)
    return render(request, "pengaduan/baru.html", {"form": form}, status=400 if form.errors else 200)


@batasi("lacak")
def pengaduan_status(request, kode):
    """Public by tracking code: category, status, clocks and the inspectorate's notes meant for the
    complainant. Never the complaint text, contact, evidence or the kelurahan named."""
    p = get_object_or_404(Pengaduan.objects.prefetch_related("riwayat"), kode_lacak=kode.strip().upper())
    baru = request.session.pop("pengaduan_baru", None) == p.kode_lacak
    return render(request, "pengaduan/status.html", {
        "p": p, "baru": baru, "riwayat": _riwayat(p, publik=True), "jam": _jam_pengaduan(p, timezone.now()),
        "hari_kerja": integritas_services.pengaduan_hari_kerja(p.kategori), **_tenggat_hari(),
    })


# --- the inspectorate's desk -------------------------------------------------------------------------


def inspektorat_wajib(view):
    @petugas_wajib
    def bungkus(request, *args, **kwargs):
        if not selectors.inspektorat_wilayah(request.user):
            return render(request, "pengaduan/bukan_inspektorat.html", status=403)
        return view(request, *args, **kwargs)

    return bungkus


@inspektorat_wajib
def pengaduan_antrean(request):
    status = request.GET.get("status") if request.GET.get("status") in Pengaduan.Status.values else ""
    kategori = request.GET.get("kategori") if request.GET.get("kategori") in Pengaduan.Kategori.values else ""
    qs = selectors.pengaduan_antrean(request.user, status=status, kategori=kategori)
    if not status:  # the queue: open ones first, by the response deadline
        qs = qs.order_by("diselesaikan_pada", "tenggat_tanggapan", "id")
    halaman = Paginator(qs, 25).get_page(request.GET.get("hal"))
    sekarang = timezone.now()
    for p in halaman:
        p.jam = _jam_pengaduan(p, sekarang)
    per_status = dict(selectors.pengaduan_antrean(request.user).values_list("status").annotate(n=Count("pk"))
                      .order_by())
    return render(request, "pengaduan/antrean.html", {
        "halaman": halaman, "status_dipilih": status, "kategori_dipilih": kategori,
        "hitungan": [(k, label, per_status.get(k, 0)) for k, label in Pengaduan.Status.choices],
        "total": sum(per_status.values()), "kategori_pilihan": Pengaduan.Kategori.choices,
        "parameter": urlencode({"status": status, "kategori": kategori}), **_tenggat_hari(),
    })


@inspektorat_wajib
def pengaduan_tangani(request, kode):
    """The whole file, and the form moving its status with a note (audited by the service)."""
    p = selectors.pengaduan_untuk_inspektorat(request.user, kode)
    if p is None:
        return render(request, "404.html", status=404)
    if request.method != "POST":
        return _halaman_tangani(request, p)
    # Any known status passes the form; whether this step is allowed now is the service's answer (409).
    form = StatusPengaduanForm(request.POST, pilihan=Pengaduan.Status.choices)
    if form.is_valid():
        try:
            integritas_services.pengaduan_ubah_status(
                kode_lacak=p.kode_lacak, status=form.cleaned_data["status"],
                catatan=form.cleaned_data["catatan"], pengguna=request.user, peran="inspektorat",
            )
        except integritas_services.DataTidakValid as e:
            for kunci, pesan in e.galat.items():
                form.add_error(kunci if kunci in form.fields else None, pesan)
        except integritas_services.StatusPengaduanTidakSesuai:
            return _halaman_tangani(request, selectors.pengaduan_untuk_inspektorat(request.user, kode), status=409,
                                    galat=_("Status pengaduan sudah diubah oleh petugas lain, atau langkah ini "
                                            "tidak mungkin dari status sekarang. Halaman ini menampilkan keadaan "
                                            "terbarunya."))
        else:
            messages.success(request, _("Status pengaduan %(kode)s diperbarui.") % {"kode": p.kode_lacak})
            return redirect("integritas:pengaduan_tangani", kode=p.kode_lacak)
    return _halaman_tangani(request, p, form=form, status=400)


@inspektorat_wajib
def pengaduan_lapor(request, kode):
    """Record the complaint's SP4N-LAPOR! tracking id (POST only; the service audits it)."""
    p = selectors.pengaduan_untuk_inspektorat(request.user, kode)
    if p is None:
        return render(request, "404.html", status=404)
    if request.method != "POST":
        return redirect("integritas:pengaduan_tangani", kode=p.kode_lacak)
    try:
        integritas_services.pengaduan_tautkan_lapor(kode_lacak=p.kode_lacak, lapor_id=request.POST.get("lapor_id", ""),
                                                    pengguna=request.user, peran="inspektorat")
    except integritas_services.DataTidakValid as e:
        return _halaman_tangani(request, p, status=400, galat=" ".join(str(x) for x in e.galat["lapor_id"]))
    messages.success(request, _("Nomor SP4N-LAPOR! pengaduan %(kode)s disimpan.") % {"kode": p.kode_lacak})
    return redirect("integritas:pengaduan_tangani", kode=p.kode_lacak)


def _pilihan_status(p: Pengaduan) -> list:
    return [(s, Pengaduan.Status(s).label) for s in Pengaduan.Status.values
            if s in integritas_services.ALUR_PENGADUAN[p.status]]


def _halaman_tangani(request, p, *, form=None, status=200, galat=None):
    pilihan = _pilihan_status(p)
    return render(request, "pengaduan/tangani.html", {
        "p": p, "form": form or StatusPengaduanForm(pilihan=pilihan), "pilihan": pilihan, "jam": _jam_pengaduan(p, timezone.now()),
        "riwayat": _riwayat(p, publik=False), "bisa_diubah": bool(pilihan), "galat": galat,
        "lapor": integritas_services.lapor_tenggat(p), "hari_kerja": integritas_services.pengaduan_hari_kerja(p.kategori),
    }, status=status)
