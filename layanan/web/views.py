"""Server-rendered pages for residents (catalogue, sign-in, forms, own requests,
tracking) and for officers (worklist, request page, actions, counter intake).

Views stay thin: reads through layanan.permohonan.selectors, writes through
layanan.permohonan.services; the services' errors map to what a person reads on the page.
"""

import functools
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from kelurahan.lingkup import adalah_petugas, penugasan_aktif
from kelurahan.models import Kantor, Peran
from kelurahan.simpanan import kelurahan_dilayani
from layanan.models import STATUS_TERBUKA, Berkas, Layanan, Permohonan, Persyaratan, Status, Surat
from layanan.pdp.pemberitahuan import sudah_disetujui
from layanan.pdp.services import privasi_setujui
from layanan.permohonan import alur, selectors, services
from layanan.permohonan.galat import (
    AksiDilarang,
    DrafBelumDilihat,
    GalatLayanan,
    InputTidakValid,
    StatusTidakSesuai,
    TidakDitemukan,
)
from layanan.permohonan.privasi import samarkan_hp, samarkan_nik
from layanan.permohonan.sla import perkiraan_selesai, sla_status
from layanan.surat import tte
from layanan.surat.pdf import isian_cetak
from layanan.web import unggahan
from layanan.web.batas_laju import batasi
from layanan.web.forms import (
    AlasanForm,
    DataDiriForm,
    IdentitasForm,
    KodeOTPForm,
    LacakForm,
    MasukWargaForm,
    PassphraseForm,
    PerbaikanForm,
    PermohonanForm,
    PrivasiForm,
    SaringForm,
)

JAM_KERJA_SEHARI = Decimal("7.5")  # Perpres 21/2023: 37.5 hours over five days

AKSI_LABEL = {
    "verifikasi": gettext_lazy("Verifikasi berkas"),
    "minta_perbaikan": gettext_lazy("Minta perbaikan"),
    "ajukan_ulang": gettext_lazy("Ajukan ulang"),
    "batalkan": gettext_lazy("Batalkan permohonan"),
    "setujui": gettext_lazy("Setujui (lurah)"),
    "verifikasi_kecamatan": gettext_lazy("Verifikasi berkas (kecamatan)"),
    "kembalikan": gettext_lazy("Kembalikan ke kelurahan"),
    "setujui_camat": gettext_lazy("Setujui (camat)"),
    "tolak": gettext_lazy("Tolak"),
}
RIWAYAT_LABEL = {
    "ajukan": gettext_lazy("Permohonan diajukan"),
    "verifikasi": gettext_lazy("Berkas diverifikasi kelurahan"),
    "minta_perbaikan": gettext_lazy("Diminta perbaikan"),
    "ajukan_ulang": gettext_lazy("Diajukan ulang"),
    "batalkan": gettext_lazy("Dibatalkan pemohon"),
    "setujui": gettext_lazy("Disetujui lurah"),
    "verifikasi_kecamatan": gettext_lazy("Berkas diverifikasi kecamatan"),
    "kembalikan": gettext_lazy("Dikembalikan ke kelurahan"),
    "setujui_camat": gettext_lazy("Disetujui camat"),
    "tolak": gettext_lazy("Ditolak"),
}
LANGKAH_BERIKUT = {
    Status.DIAJUKAN: gettext_lazy("Menunggu pemeriksaan berkas oleh petugas kelurahan."),
    Status.PERLU_PERBAIKAN: gettext_lazy("Perbaiki permohonan sesuai catatan petugas, lalu ajukan ulang."),
    Status.DIVERIFIKASI: gettext_lazy("Berkas lengkap; menunggu persetujuan lurah."),
    Status.DITERUSKAN_KECAMATAN: gettext_lazy("Diteruskan ke kantor kecamatan untuk diperiksa."),
    Status.DIVERIFIKASI_KECAMATAN: gettext_lazy("Berkas lengkap; menunggu persetujuan camat."),
    Status.SELESAI: gettext_lazy("Surat sudah terbit. Silakan unduh."),
    Status.DITOLAK: gettext_lazy("Permohonan ditolak. Baca alasannya; Anda dapat mengajukan permohonan baru."),
    Status.DIBATALKAN: gettext_lazy("Permohonan ini sudah dibatalkan."),
}
SLA_LABEL = {
    "aman": gettext_lazy("Aman"),
    "rawan": gettext_lazy("Rawan"),
    "terlambat": gettext_lazy("Terlambat"),
    "tepat": gettext_lazy("Tepat waktu"),
    "selesai": gettext_lazy("Tuntas"),
}
PESAN_409 = gettext_lazy("Permohonan sudah diproses oleh petugas lain. Halaman ini menampilkan keadaan terbarunya.")


def sla_teks(jam) -> str:
    """'selesai dalam 1 hari kerja' / '… 4 jam kerja' / '… 30 menit kerja', as the standard is published."""
    jam = Decimal(jam)
    if jam >= JAM_KERJA_SEHARI and jam % JAM_KERJA_SEHARI == 0:
        hari = int(jam / JAM_KERJA_SEHARI)
        return ngettext("selesai dalam %(n)s hari kerja", "selesai dalam %(n)s hari kerja", hari) % {"n": hari}
    if jam < 1:
        menit = int(jam * 60)
        return ngettext("selesai dalam %(n)s menit kerja", "selesai dalam %(n)s menit kerja", menit) % {"n": menit}
    teks = f"{jam.normalize():f}"
    if not (get_language() or "").startswith("en"):
        teks = teks.replace(".", ",")
    # A fraction ("1,5") takes the plural in English, as 2 does.
    return ngettext("selesai dalam %(n)s jam kerja", "selesai dalam %(n)s jam kerja", 1 if jam == 1 else 2) % {"n": teks}


def _riwayat(permohonan, *, publik=False):
    baris = []
    for event in selectors.permohonan_riwayat(permohonan):
        ke = event.data.get("ke")
        baris.append({
            "aksi": RIWAYAT_LABEL.get(event.aksi, event.aksi),
            "ke": Status(ke).label if ke in Status.values else ke,
            "waktu": event.waktu,
            "oleh": "" if publik else event.data.get("oleh_nama", event.aktor),
            "peran": Peran(event.peran).label if event.peran in Peran.values else event.peran,
            "catatan": "" if publik else event.data.get("catatan", ""),
        })
    return baris


def _ringkas(permohonan, *, perkiraan=False):
    """What list and detail pages show about the SLA, in colour and in words."""
    keadaan = sla_status(permohonan)
    hasil = {"sla": keadaan, "sla_label": SLA_LABEL.get(keadaan, keadaan),
             "langkah": LANGKAH_BERIKUT.get(permohonan.status)}
    if perkiraan and permohonan.status in STATUS_TERBUKA:
        hasil["perkiraan"] = perkiraan_selesai(permohonan)
    return hasil


def _surat_berlaku(permohonan):
    return permohonan.surat.filter(status=Surat.StatusSurat.BERLAKU).first()


def _aman_next(request, default):
    tujuan = request.POST.get("next") or request.GET.get("next")
    if tujuan and url_has_allowed_host_and_scheme(tujuan, allowed_hosts={request.get_host()}):
        return tujuan
    return default


# --- public pages ---------------------------------------------------------------------------


def beranda(request):
    """The catalogue as a short list grouped by who signs, searchable without JavaScript (?cari=);
    each service's details live on its own page (issue 18, item 5: 17 phone screens before)."""
    cari = (request.GET.get("cari") or "").strip()[:60]
    katalog = Layanan.objects.filter(aktif=True)
    if cari:
        katalog = katalog.filter(Q(nama__icontains=cari) | Q(nama_en__icontains=cari)
                                 | Q(deskripsi__icontains=cari) | Q(kode__icontains=cari))
    kelompok = {Layanan.Tingkat.KELURAHAN: [], Layanan.Tingkat.KECAMATAN: []}
    for layanan in katalog:
        layanan.sla_teks = sla_teks(layanan.sla_jam)
        kelompok.setdefault(layanan.tingkat, []).append(layanan)
    judul = {Layanan.Tingkat.KELURAHAN: _("Ditandatangani lurah"), Layanan.Tingkat.KECAMATAN: _("Ditandatangani camat")}
    kantor = Kantor.objects.exclude(maklumat="").select_related("wilayah").order_by("jenis", "wilayah_id")
    return render(request, "layanan/beranda.html", {
        "kelompok": [(judul.get(t, t), daftar) for t, daftar in kelompok.items() if daftar],
        "cari": cari, "kantor_maklumat": kantor,
    })


def layanan_detail(request, kode):
    """One service: what it is for, requirements, time, signer, cost; and the button to apply."""
    layanan = get_object_or_404(
        Layanan.objects.prefetch_related(Prefetch("persyaratan", queryset=Persyaratan.objects.order_by("urutan", "id"))),
        kode=kode, aktif=True)
    return render(request, "layanan/layanan.html", {"l": layanan, "sla_teks": sla_teks(layanan.sla_jam)})


def lacak(request):
    form = LacakForm(request.GET or None)
    if form.is_valid():
        return redirect("web:lacak_detail", nomor=form.cleaned_data["nomor_registrasi"])
    return render(request, "layanan/lacak.html", {"form": form}, status=400 if form.errors else 200)


@batasi("lacak")
def lacak_detail(request, nomor):
    """Public: status and timeline only; no name, NIK, reason text or officer names."""
    p = get_object_or_404(Permohonan.objects.select_related("layanan", "kelurahan", "kecamatan"),
                          nomor_registrasi=nomor.upper())
    return render(request, "layanan/lacak_detail.html",
                  {"p": p, "riwayat": _riwayat(p, publik=True), **_ringkas(p, perkiraan=True)})


# --- resident sign-in ---------------------------------------------------------------------------

SESI_MASUK = "warga_masuk"


def _warga_dari_user(user):
    return getattr(user, "warga", None) if user.is_authenticated else None


def warga_wajib(view):
    @functools.wraps(view)
    def bungkus(request, *args, **kwargs):
        if _warga_dari_user(request.user) is None:
            return redirect(f"{reverse('web:masuk')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return bungkus


@batasi("otp", metode=("POST",))
def masuk(request):
    """Step 1: NIK (and a WhatsApp number for a first sign-in); a code goes to WhatsApp."""
    from notifikasi import otp

    form = MasukWargaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        nik = form.cleaned_data["nik"]
        try:
            no_hp = services.warga_minta_kode(nik=nik, no_hp=form.cleaned_data["no_hp"])
        except otp.OTPTerlaluSering as galat:
            form.add_error(None, forms.ValidationError(str(galat), code="otp"))
        except InputTidakValid as galat:
            for kolom, pesan in galat.galat.items():
                form.add_error(kolom if kolom in form.fields else None, pesan)
        else:
            request.session[SESI_MASUK] = {"nik": nik, "no_hp": no_hp,
                                           "next": _aman_next(request, reverse("web:permohonan_saya"))}
            # The same words whether or not the NIK is registered (issue 14, item 6).
            messages.info(request, _("Kode masuk dikirim lewat WhatsApp ke nomor yang terdaftar untuk NIK ini "
                                     "(untuk NIK baru: ke nomor yang Anda isi)."))
            return redirect("web:masuk_kode")
    terlalu_sering = any(e.code == "otp" for e in form.non_field_errors().as_data())
    return render(request, "warga/masuk.html", {"form": form, "next": request.GET.get("next", "")},
                  status=429 if terlalu_sering else 400 if form.errors else 200)


@batasi(lambda r: "otp" if "kirim_ulang" in r.POST else "masuk", metode=("POST",))
def masuk_kode(request):
    """Step 2: the six-digit code. Wrong or expired codes are said plainly; resend is limited by notifikasi.otp."""
    from notifikasi import otp

    sesi = request.session.get(SESI_MASUK)
    if not sesi:
        return redirect("web:masuk")
    if request.method == "POST" and "kirim_ulang" in request.POST:
        try:
            services.warga_minta_kode(nik=sesi["nik"], no_hp=sesi["no_hp"])
            messages.info(request, _("Kode baru sudah dikirim."))
        except otp.OTPTerlaluSering as galat:
            messages.error(request, str(galat))
        return redirect("web:masuk_kode")
    form = KodeOTPForm(request.POST or None)
    form_privasi = PrivasiForm(request.POST or None, wajib=False)
    if request.method == "POST" and form.is_valid() and form_privasi.is_valid():
        try:
            warga = services.warga_masuk(nik=sesi["nik"], kode=form.cleaned_data["kode"])
        except InputTidakValid:
            form.add_error("kode", _("Kode salah atau sudah kedaluwarsa. Periksa pesan terbaru, atau minta kode baru."))
        else:
            if form_privasi.cleaned_data["setuju_privasi"] and not sudah_disetujui(warga):
                privasi_setujui(warga=warga, kanal="web")
            tujuan = sesi.get("next") or reverse("web:permohonan_saya")
            login(request, warga.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(tujuan)
    # The same minutes as the WhatsApp message says (notifikasi.otp).
    menit = max(1, settings.OTP_TTL_SECONDS // 60)
    return render(request, "warga/masuk_kode.html", {"form": form, "menit_kode": menit, "form_privasi": form_privasi,
                                                      "privasi": _privasi()},
                  status=400 if form.errors else 200)


@require_POST
def keluar(request):
    logout(request)
    messages.info(request, _("Anda sudah keluar."))
    return redirect("web:beranda")


# --- resident: submit and follow requests -----------------------------------------------------------


def _layanan_aktif(kode):
    layanan = selectors.layanan_aktif(kode)
    if layanan is None:
        raise Http404
    return layanan


@warga_wajib
def ajukan(request, kode):
    layanan = _layanan_aktif(kode)
    warga = request.user.warga
    data = request.POST if request.method == "POST" else None
    form, galat_berkas = _form_dengan_unggahan(request, layanan, data, ruang=f"ajukan:{layanan.kode}")
    # The kelurahan of the resident's last request, preselected (they rarely move between requests).
    form.fields["kelurahan"].initial = (Permohonan.objects.filter(pemohon=warga).order_by("-diajukan_pada")
                                        .values_list("kelurahan_id", flat=True).first())
    form_diri = DataDiriForm(data, prefix="diri", initial={k: getattr(warga, k) for k in DataDiriForm.base_fields})
    # The notice and its checkbox appear until the resident accepts the version in force (docs/privasi.md).
    form_privasi = None if sudah_disetujui(warga) else PrivasiForm(data)
    if request.method == "POST" and all([form.is_valid(), form_diri.is_valid(),
                                         form_privasi is None or form_privasi.is_valid()]) and not galat_berkas:
        try:
            p = services.permohonan_ajukan(
                pengaju=request.user, layanan=layanan, kelurahan=form.cleaned_data["kelurahan"],
                keperluan=form.cleaned_data["keperluan"], data=form.data_layanan(),
                berkas=_berkas_lengkap(request, form, f"ajukan:{layanan.kode}"), identitas=form_diri.identitas(),
                setuju_privasi=bool(form_privasi and form_privasi.cleaned_data["setuju_privasi"]),
            )
        except InputTidakValid as galat:
            _bagi_galat(galat.galat, form_diri, form, form_privasi)
        else:
            unggahan.hapus(request, f"ajukan:{layanan.kode}")
            return redirect("web:terkirim", nomor=p.nomor_registrasi)
    return render(request, "layanan/ajukan.html", {
        "layanan": layanan, "form": form, "form_diri": form_diri, "sla_teks": sla_teks(layanan.sla_jam),
        "form_privasi": form_privasi, "privasi": _privasi() if form_privasi else None,
    }, status=400 if (form.errors or form_diri.errors or (form_privasi and form_privasi.errors)) else 200)


def _form_dengan_unggahan(request, layanan, data, *, ruang):
    """The service form with this session's kept documents: new valid ones are kept first, so a
    form error never discards them (issue 18, item 2). Returns (form, errors of files not kept)."""
    galat = {}
    if data is not None:
        kode = [s.kode for s in layanan.persyaratan.all() if s.unggah]
        galat = unggahan.simpan_baru(request, ruang, request.FILES, kode)
    form = PermohonanForm(data, request.FILES or None, layanan=layanan, tersimpan=unggahan.tersimpan(request, ruang))
    if galat:
        form.is_valid()
        form.pasang_galat(galat)
    return form, galat


def _berkas_lengkap(request, form, ruang) -> dict:
    """The kept documents, overridden by any chosen this time."""
    return {**unggahan.ambil(request, ruang), **form.berkas()}


def _privasi() -> dict:
    from layanan.pdp.pemberitahuan import bagian, versi_berlaku

    return {"bagian": bagian(), "versi": versi_berlaku()}


def _bagi_galat(galat: dict, form_diri, form, form_privasi=None):
    """Identity errors go to the identity fieldset, the notice's to its checkbox, the rest to the service form."""
    galat = dict(galat)
    privasi = galat.pop("setuju_privasi", None)
    if privasi:
        if form_privasi is None:
            form.pasang_galat({"setuju_privasi": privasi})
        else:
            form_privasi.add_error("setuju_privasi", privasi)
    ke_diri = {k: v for k, v in galat.items() if k in form_diri.fields}
    for kunci, pesan in ke_diri.items():
        form_diri.add_error(kunci, pesan)
    form.pasang_galat({k: v for k, v in galat.items() if k not in ke_diri})


def _milik_warga(request, nomor):
    warga = _warga_dari_user(request.user)
    return get_object_or_404(
        Permohonan.objects.select_related("layanan", "kelurahan", "kecamatan"),
        nomor_registrasi=nomor.upper(), pemohon=warga,
    )


@warga_wajib
def terkirim(request, nomor):
    p = _milik_warga(request, nomor)
    return render(request, "layanan/terkirim.html", {"p": p})


@warga_wajib
def permohonan_saya(request):
    daftar = list(
        Permohonan.objects.filter(pemohon=request.user.warga).select_related("layanan", "kelurahan")
        .order_by("-diajukan_pada")
    )
    for p in daftar:
        p.ringkas = _ringkas(p)
    return render(request, "warga/permohonan_saya.html", {"daftar": daftar})


@warga_wajib
def permohonan_saya_detail(request, nomor, form_perbaikan=None, status=200):
    p = _milik_warga(request, nomor)
    aksi = selectors.aksi_tersedia(permohonan=p, pengguna=request.user)
    if form_perbaikan is None and "ajukan_ulang" in aksi:
        form_perbaikan = PerbaikanForm(permohonan=p, tersimpan=unggahan.tersimpan(request, _ruang_perbaikan(p)))
    return render(request, "warga/permohonan_detail.html", {
        "p": p, "riwayat": _riwayat(p), "aksi": aksi, "form_perbaikan": form_perbaikan,
        "surat": _surat_berlaku(p) if p.status == Status.SELESAI else None, **_ringkas(p, perkiraan=True),
    }, status=status)


def _ruang_perbaikan(p) -> str:
    return f"perbaikan:{p.pk}"


def _form_perbaikan(request, p):
    """The resubmission form with this session's kept documents: new ones that pass the content check are
    kept first, so an error on one file (or from the service) never discards the others, as on the
    submission form. Returns (form, documents to send: kept ones overridden by any chosen this time)."""
    ruang = _ruang_perbaikan(p)
    galat = unggahan.simpan_baru(request, ruang, request.FILES,
                                 [s.kode for s in p.layanan.persyaratan.all() if s.unggah])
    form = PerbaikanForm(request.POST, request.FILES, permohonan=p, tersimpan=unggahan.tersimpan(request, ruang))
    if not form.is_valid() or galat:
        for kunci, pesan in galat.items():
            form.add_error(kunci, pesan)
        return form, None
    return form, {**unggahan.ambil(request, ruang), **form.berkas()}


@warga_wajib
@require_POST
def permohonan_saya_aksi(request, nomor, aksi):
    """The resident's own actions: resubmit after correction (optionally with new documents) or cancel."""
    if aksi not in ("ajukan_ulang", "batalkan"):
        raise Http404
    p = _milik_warga(request, nomor)
    form, berkas = _form_perbaikan(request, p) if aksi == "ajukan_ulang" else (None, None)
    if form is not None and berkas is None:
        return permohonan_saya_detail(request, nomor, form_perbaikan=form, status=400)
    try:
        services.permohonan_aksi(permohonan_id=p.pk, pengguna=request.user, aksi=aksi, berkas=berkas)
    except InputTidakValid as galat:
        if form is None:
            raise
        for kunci, pesan in galat.galat.items():
            form.add_error(kunci if kunci in form.fields else None, pesan)
        return permohonan_saya_detail(request, nomor, form_perbaikan=form, status=400)
    except StatusTidakSesuai:
        messages.error(request, PESAN_409)
        return permohonan_saya_detail(request, nomor, status=409)
    unggahan.hapus(request, _ruang_perbaikan(p))
    messages.success(request, _("Permohonan diajukan ulang.") if aksi == "ajukan_ulang"
                     else _("Permohonan dibatalkan."))
    return redirect("web:permohonan_saya_detail", nomor=p.nomor_registrasi)


def _unduh_surat(p):
    """Only a letter in force; a revoked one is explained on the request page, not served."""
    from layanan.surat.terbit import nama_berkas_unduh

    surat = _surat_berlaku(p)
    if surat is None or not surat.berkas_pdf:
        raise Http404(_("Surat belum tersedia."))
    respons = FileResponse(surat.berkas_pdf.open("rb"), as_attachment=True, content_type="application/pdf",
                           filename=nama_berkas_unduh(surat))
    respons["Cache-Control"] = "private, no-store"
    respons["X-Content-Type-Options"] = "nosniff"
    return respons


@warga_wajib
def surat_unduh(request, nomor):
    return _unduh_surat(_milik_warga(request, nomor))


# --- officers ---------------------------------------------------------------------------


def petugas_wajib(view):
    @functools.wraps(view)
    def bungkus(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('web:petugas_masuk')}?next={request.get_full_path()}")
        if not adalah_petugas(request.user):
            return render(request, "petugas/bukan_petugas.html", status=403)
        return view(request, *args, **kwargs)

    return bungkus


def _wilayah_lingkup(user):
    """Kelurahan the officer's worklist can be filtered by (from the per-process list, no query)."""
    kode_kel, kode_kec, semua = set(), set(), False
    for tugas in penugasan_aktif(user):
        kode = tugas.kantor.wilayah_id
        if tugas.peran in (Peran.PETUGAS_KELURAHAN, Peran.LURAH):
            kode_kel.add(kode)
        elif tugas.peran in (Peran.PETUGAS_KECAMATAN, Peran.CAMAT):
            kode_kec.add(kode)
        else:
            semua = True
    return [(w.kode, w.nama) for w in kelurahan_dilayani().values()
            if semua or user.is_superuser or w.kode in kode_kel or w.induk_id in kode_kec]


def _saring_form(request, data):
    """The worklist filter over `data` (a QueryDict). With no status given, a desk role's worklist opens
    on the requests waiting on it ("perlu tindakan saya"); others see everything."""
    data, giliran = data.copy(), selectors.punya_giliran(request.user)
    if "status" not in data:
        data["status"] = selectors.STATUS_PERLU_AKSI if giliran else ""
    form = SaringForm(
        data,
        layanan_pilihan=selectors.layanan_pilihan(),
        kelurahan_pilihan=_wilayah_lingkup(request.user),
    )
    if not giliran:
        form.fields["status"].choices = form.fields["status"].choices[1:]
    return form


def _parameter_saring(form) -> str:
    """The filter as a query string, to carry from the worklist to a request page and back."""
    if not form.is_valid():
        return ""
    return urlencode({k: v for k, v in form.cleaned_data.items() if v or k == "status"})


# The columns a desk row shows (templates/petugas/daftar.html) and its SLA badge reads (sla_status): the resident's
# row is not joined (the snapshot has the name and NIK) and the service's long texts and form are not read.
KOLOM_MEJA = ("nomor_registrasi", "kanal", "layanan__nama", "kelurahan__nama", "identitas", "status", "tenggat",
              "tenggat_rawan", "memenuhi_standar")


@petugas_wajib
def daftar_kerja(request):
    form = _saring_form(request, request.GET)
    saring = form.saring()
    qs = (selectors.permohonan_daftar(user=request.user, **saring)
          .select_related(None).select_related("layanan", "kelurahan").only(*KOLOM_MEJA))
    # The page counts its own rows: the cached per-state counts may lag a bulk write by up to a minute,
    # and a paginator told a stale total would hide rows.
    halaman = Paginator(qs, 25).get_page(request.GET.get("hal"))
    jumlah = selectors.jumlah_per_status(pengguna=request.user)
    for p in halaman:
        p.ringkas = _ringkas(p)
        p.nik_samar = samarkan_nik(p.identitas.get("nik", ""))
        p.status_label = Status(p.status).label  # get_status_display hashes the lazy choices each call
    hitungan = [(kode, label, jumlah["per_status"].get(kode, 0)) for kode, label in Status.choices]
    status_dipilih = form.cleaned_data.get("status", "") if form.is_valid() else ""
    return render(request, "petugas/daftar.html", {
        "form": form, "halaman": halaman, "hitungan": hitungan, "total": jumlah["total"],
        "perlu_aksi": jumlah["perlu_aksi"], "punya_giliran": selectors.punya_giliran(request.user),
        "parameter": _parameter_saring(form), "status_dipilih": status_dipilih,
        "label_status": dict(form.fields["status"].choices).get(status_dipilih, ""),
    })


def _permohonan_petugas(user, pk):
    p = (selectors.permohonan_dalam_lingkup(user)
         .select_related("layanan", "kelurahan", "kecamatan", "pemohon").filter(pk=pk).first())
    if p is None:
        raise Http404(_("Permohonan tidak ditemukan."))
    return p


SESI_DIBUKA = "data_pribadi_dibuka"


def _daftar_dari(request, data) -> str:
    """The worklist filter a request page was opened from (canonical query string), or "" if none."""
    if not data:
        return ""
    return _parameter_saring(_saring_form(request, data))


def _saring_dari(request, daftar: str) -> dict:
    return _saring_form(request, QueryDict(daftar)).saring()


def _halaman_petugas(request, p, *, status=200, galat=None, daftar=""):
    aksi = selectors.aksi_tersedia(permohonan=p, pengguna=request.user)
    dibuka = request.session.get(SESI_DIBUKA, [])
    tampilkan = p.pk in dibuka
    if tampilkan:  # shown once per press of the button; the next visit is masked again
        request.session[SESI_DIBUKA] = [x for x in dibuka if x != p.pk]
    nama_syarat = dict(p.layanan.persyaratan.values_list("kode", "nama"))
    lewati = (selectors.permohonan_berikutnya(user=request.user, sesudah=p, **_saring_dari(request, daftar))
              if daftar else None)
    return render(request, "petugas/permohonan.html", {
        "p": p, "riwayat": _riwayat(p), "galat": galat, **_ringkas(p),
        # (code, label, needs a reason, opens the confirm step with the draft: it issues the numbered letter)
        "aksi": [(a, AKSI_LABEL[a], a in alur.AKSI_BUTUH_CATATAN, alur.menerbitkan_surat(a, p))
                 for a in aksi],
        "aksi_utama": next((a for a in aksi if a not in alur.AKSI_BUTUH_CATATAN), ""),
        "daftar": daftar, "lewati": lewati,
        "form_alasan": AlasanForm(),
        "tampilkan_data": tampilkan,
        "nik": p.identitas.get("nik", "") if tampilkan else samarkan_nik(p.identitas.get("nik", "")),
        "no_hp": p.pemohon.no_hp if tampilkan else samarkan_hp(p.pemohon.no_hp),
        # As the letter will print them: labelled, dates in Indonesian, rows of a repeatable field joined.
        "isian": [(i.label, i.nilai) for i in isian_cetak(p.layanan.formulir, p.data or {}).values() if i],
        "berkas": [(nama_syarat.get(b.persyaratan_kode, b.persyaratan_kode), b)
                   for b in p.berkas.filter(aktif=True).order_by("persyaratan_kode")],
        "surat": _surat_berlaku(p) if p.status == Status.SELESAI else None,
        "draf": p.status in STATUS_TERBUKA and not p.surat.exists(),
    }, status=status)


@petugas_wajib
def petugas_permohonan(request, pk):
    p = _permohonan_petugas(request.user, pk)
    services.permohonan_catat_lihat(permohonan=p, pengguna=request.user)
    return _halaman_petugas(request, p, daftar=_daftar_dari(request, request.GET))


@petugas_wajib
@require_POST
def petugas_data_pribadi(request, pk):
    """'Tampilkan data pribadi': audited (kategori akses_data) by the service, then shown once."""
    try:
        p = services.permohonan_buka_data_pribadi(permohonan_id=pk, pengguna=request.user)
    except TidakDitemukan:
        raise Http404 from None
    request.session[SESI_DIBUKA] = [*request.session.get(SESI_DIBUKA, []), p.pk]
    daftar = _daftar_dari(request, QueryDict(request.POST.get("daftar", "")))
    return redirect(reverse("web:petugas_permohonan", args=[p.pk]) + (f"?{daftar}" if daftar else "") + "#data-pribadi")


def _butuh_passphrase(aksi, p) -> bool:
    return tte.tte_butuh_passphrase() and alur.menerbitkan_surat(aksi, p)


def _setelah_aksi(request, p, daftar):
    """After an action: the next request in the same worklist filter, else the filtered worklist;
    opened without a filter (e.g. from a link in a message), back to the same request."""
    if not daftar:
        return redirect("web:petugas_permohonan", pk=p.pk)
    lanjut = selectors.permohonan_berikutnya(user=request.user, sesudah=p, **_saring_dari(request, daftar))
    if lanjut is None:
        messages.info(request, _("Tidak ada lagi permohonan dalam saringan ini."))
        return redirect(reverse("web:daftar_kerja") + "?" + daftar)
    return redirect(reverse("web:petugas_permohonan", args=[lanjut.pk]) + "?" + daftar)


@sensitive_post_parameters("passphrase")
@sensitive_variables("passphrase")
@petugas_wajib
def petugas_aksi(request, pk, aksi):
    """GET: the no-JS page asking for a reason, a confirmation or the signer's passphrase; for an action that
    issues the numbered letter, the draft beside the confirm step. POST: take the action."""
    if aksi not in AKSI_LABEL or aksi in ("ajukan_ulang", "batalkan"):
        raise Http404
    p = _permohonan_petugas(request.user, pk)
    daftar = _daftar_dari(request, QueryDict(request.POST.get("daftar", "")) if request.method == "POST"
                          else request.GET)
    konteks = {"daftar": daftar}
    butuh_alasan = aksi in alur.AKSI_BUTUH_CATATAN
    form = AlasanForm(request.POST if request.method == "POST" and butuh_alasan else None)
    form_ttd = PassphraseForm(request.POST if request.method == "POST" else None) if _butuh_passphrase(aksi, p) else None
    if request.method == "POST":
        if butuh_alasan and not form.is_valid():
            return _halaman_aksi(request, p, aksi, form, status=400, **konteks)
        if alur.menerbitkan_surat(aksi, p) and request.POST.get("konfirmasi") != "1":
            # A numbered letter is never issued by one click: the signer confirms beside the draft.
            return _halaman_aksi(request, p, aksi, form, status=400, form_ttd=form_ttd, **konteks,
                                 galat=_("Periksa draf surat, lalu konfirmasi penandatanganan."))
        if form_ttd is not None and not form_ttd.is_valid():
            return _halaman_aksi(request, p, aksi, form, status=400, form_ttd=form_ttd, **konteks)
        passphrase = form_ttd.cleaned_data["passphrase"] if form_ttd is not None else None
        try:
            services.permohonan_aksi(permohonan_id=p.pk, pengguna=request.user, aksi=aksi,
                                     catatan=form.cleaned_data["catatan"] if butuh_alasan else "",
                                     passphrase=passphrase)
        except tte.PenyediaTidakTersedia as galat:
            messages.warning(request, galat.pesan)
            return redirect("web:siap_ditandatangani")
        except tte.GalatTTE as galat:
            form_ttd.add_error("passphrase" if galat.kode == "passphrase_salah" else None, galat.pesan)
            return _halaman_aksi(request, p, aksi, form, status=galat.status_code, form_ttd=form_ttd, **konteks)
        except TidakDitemukan:
            raise Http404 from None
        except AksiDilarang as galat:
            return _halaman_petugas(request, p, status=403, galat=galat.pesan, daftar=daftar)
        except DrafBelumDilihat as galat:
            # Said on the confirm step itself, whose frame opens the draft (and records it): then sign again.
            return _halaman_aksi(request, p, aksi, form, status=galat.status_code, form_ttd=form_ttd, **konteks,
                                 galat=galat.pesan)
        except StatusTidakSesuai:
            # Show the state the other officer left (status is FSM-protected: fetch anew, never refresh).
            p = _permohonan_petugas(request.user, pk)
            return _halaman_petugas(request, p, status=409, galat=PESAN_409, daftar=daftar)
        except InputTidakValid as galat:
            for kunci, pesan in galat.galat.items():
                form.add_error("catatan" if kunci == "catatan" else None, pesan)
            return _halaman_aksi(request, p, aksi, form, status=400, **konteks)
        except GalatLayanan as galat:  # e.g. the letter cannot be signed (503): say why, nothing changed
            return _halaman_petugas(request, p, status=galat.status_code, galat=galat.pesan, daftar=daftar)
        messages.success(request, _("%(aksi)s: berhasil untuk %(nomor)s.")
                         % {"aksi": AKSI_LABEL[aksi], "nomor": p.nomor_registrasi})
        return _setelah_aksi(request, p, daftar)
    return _halaman_aksi(request, p, aksi, form, form_ttd=form_ttd, **konteks)


def _halaman_aksi(request, p, aksi, form, status=200, form_ttd=None, daftar="", galat=None):
    return render(request, "petugas/aksi.html", {
        "p": p, "aksi": aksi, "label": AKSI_LABEL[aksi], "butuh_alasan": aksi in alur.AKSI_BUTUH_CATATAN,
        "form": form, "form_ttd": form_ttd, "daftar": daftar, "galat": galat,
        "konfirmasi": alur.menerbitkan_surat(aksi, p),
    }, status=status)


def _antrean_ttd(user):
    """The signer's queue with, per request, whether the service would let this signer sign it as far as
    the draft goes (`selectors.draf_sudah_diperiksa`, the rule `permohonan_aksi` enforces), and whether
    it is their own approval waiting for BSrE (shown ticked, needing no second look)."""
    antrean = list(selectors.siap_ditandatangani(user))
    boleh = selectors.draf_sudah_diperiksa(pengguna=user, permohonan=antrean)
    for p in antrean:
        p.aksi_ttd = services.AKSI_TANDA_TANGAN[p.status]
        p.sudah_disetujui = selectors.menunggu_bsre_oleh(p, user)
        p.draf_dilihat = p.pk in boleh
    return antrean


@sensitive_post_parameters("passphrase")
@sensitive_variables("passphrase")
@petugas_wajib
def siap_ditandatangani(request):
    """The signer's queue: letters waiting for their signature, signed in one go with one passphrase.

    Nothing is signed unseen (issue 18): each row opens its draft beside the list (one PDF at a time,
    none on load). The rule is the service's (`permohonan_aksi` refuses a letter whose draft this signer
    did not open since its last transition; one they already approved before a BSrE outage needs no
    second look); this page checks the same rule first so that it can name every unopened letter and
    sign none of the chosen ones rather than stop halfway. The WhatsApp link opens it at #passphrase.
    Signing stops at the first refusal (a wrong passphrase would be refused for every letter, and BSrE
    may lock the certificate after several); an outage leaves the rest waiting in the queue.
    """
    antrean = _antrean_ttd(request.user)
    form_ttd = PassphraseForm(request.POST if request.method == "POST" else None) if tte.tte_butuh_passphrase() else None
    galat, status, dipilih = None, 200, set()
    if request.method == "POST":
        dipilih = {int(x) for x in request.POST.getlist("permohonan") if x.isdigit()}
        pilihan = [p for p in antrean if p.pk in dipilih]
        belum = [p.nomor_registrasi for p in pilihan if not p.draf_dilihat]
        if not pilihan:
            galat, status = _("Pilih sedikitnya satu surat."), 400
        elif belum:
            galat, status = _("Buka dan periksa draf surat sebelum menandatanganinya; belum dibuka: %(nomor)s. "
                              "Tidak ada surat yang ditandatangani.") % {"nomor": ", ".join(belum)}, 400
        elif form_ttd is not None and not form_ttd.is_valid():
            status = 400
        else:
            passphrase = form_ttd.cleaned_data["passphrase"] if form_ttd is not None else None
            selesai = 0
            for p in pilihan:
                try:
                    services.permohonan_aksi(permohonan_id=p.pk, pengguna=request.user, aksi=p.aksi_ttd,
                                             passphrase=passphrase)
                    selesai += 1
                except (StatusTidakSesuai, TidakDitemukan):
                    continue  # taken by someone else meanwhile
                except GalatLayanan as e:
                    galat, status = e.pesan, e.status_code
                    break
            passphrase = None
            if selesai:
                messages.success(request, ngettext("%(n)d surat ditandatangani.", "%(n)d surat ditandatangani.",
                                                   selesai) % {"n": selesai})
            if galat is None:
                return redirect("web:siap_ditandatangani")
            antrean = _antrean_ttd(request.user)
            form_ttd = PassphraseForm() if form_ttd is not None else None
    return render(request, "petugas/siap_ditandatangani.html", {
        "antrean": antrean, "form_ttd": form_ttd, "galat": galat, "dipilih": dipilih,
    }, status=status)


@xframe_options_sameorigin
@petugas_wajib
def petugas_berkas(request, pk, berkas_id):
    """A document shown inline (image or PDF) to officers in scope; never served from a public URL."""
    p = _permohonan_petugas(request.user, pk)
    berkas = get_object_or_404(Berkas, pk=berkas_id, permohonan=p)
    services.permohonan_catat_lihat(permohonan=p, pengguna=request.user, aksi="lihat_berkas", berkas=berkas.pk)
    respons = FileResponse(berkas.berkas.open("rb"), content_type=berkas.jenis)
    respons["Content-Disposition"] = "inline"
    respons["X-Content-Type-Options"] = "nosniff"
    respons["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
    )
    respons["Cache-Control"] = "private, no-store"
    return respons


@petugas_wajib
def petugas_surat(request, pk):
    return _unduh_surat(_permohonan_petugas(request.user, pk))


@xframe_options_sameorigin  # shown beside the confirm step of signing
@petugas_wajib
def petugas_draf(request, pk):
    """'Pratinjau draf': the same audited service as the API; a refusal is said on the request page."""
    from layanan.api.views import respons_draf

    try:
        p, pdf = services.permohonan_draf_pdf(permohonan_id=pk, pengguna=request.user)
    except TidakDitemukan:
        raise Http404 from None
    except (AksiDilarang, StatusTidakSesuai) as galat:
        return _halaman_petugas(request, _permohonan_petugas(request.user, pk), status=galat.status_code,
                                galat=galat.pesan)
    return respons_draf(p, pdf)


def _kelurahan_loket(user):
    return [t.kantor.wilayah for t in penugasan_aktif(user) if t.peran == Peran.PETUGAS_KELURAHAN]


@petugas_wajib
def loket(request):
    """Counter intake: pick the service a walk-in resident asks for."""
    kelurahan = _kelurahan_loket(request.user)
    katalog = Layanan.objects.filter(aktif=True) if kelurahan else Layanan.objects.none()
    return render(request, "petugas/loket.html", {"katalog": katalog, "kelurahan": kelurahan})


@petugas_wajib
def loket_ajukan(request, kode):
    """Register a walk-in's request on their behalf; the service records kanal 'loket'."""
    layanan = _layanan_aktif(kode)
    kelurahan = _kelurahan_loket(request.user)
    if not kelurahan:
        return render(request, "petugas/bukan_petugas.html", status=403)
    data = request.POST if request.method == "POST" else None
    form_identitas = IdentitasForm(data, prefix="warga")
    form_privasi = PrivasiForm(data, wajib=False, loket=True)
    form, galat_berkas = _form_dengan_unggahan(request, layanan, data, ruang=f"loket:{layanan.kode}")
    form.fields["kelurahan"].choices = [(w.kode, w.nama) for w in kelurahan]
    if len(kelurahan) == 1:
        form.fields["kelurahan"].initial = kelurahan[0].kode
    if request.method == "POST":
        sah = form_identitas.is_valid()
        if form.is_valid() and sah and not galat_berkas:
            try:
                p = services.permohonan_ajukan(
                    pengaju=request.user, layanan=layanan, kelurahan=form.cleaned_data["kelurahan"],
                    keperluan=form.cleaned_data["keperluan"], data=form.data_layanan(),
                    berkas=_berkas_lengkap(request, form, f"loket:{layanan.kode}"),
                    identitas=form_identitas.identitas(),
                    setuju_privasi=form_privasi.is_valid() and form_privasi.cleaned_data["setuju_privasi"],
                )
            except InputTidakValid as galat:
                _bagi_galat(galat.galat, form_identitas, form, form_privasi)
            else:
                unggahan.hapus(request, f"loket:{layanan.kode}")
                messages.success(request, _("Permohonan loket terdaftar dengan nomor %(nomor)s.")
                                 % {"nomor": p.nomor_registrasi})
                return redirect("web:petugas_permohonan", pk=p.pk)
    return render(request, "petugas/loket_ajukan.html", {
        "layanan": layanan, "form": form, "form_identitas": form_identitas, "form_privasi": form_privasi,
        "privasi": _privasi(),
    }, status=400 if (form.errors or form_identitas.errors or form_privasi.errors) else 200)
