"""Reads of requests, always through the caller's scope."""

from django.db.models import Count, Q, QuerySet, Value

from audit.enkripsi import indeks_nik
from audit.models import AuditEvent
from audit.selectors import riwayat_objek
from kelurahan.lingkup import penugasan_aktif
from kelurahan.models import PERAN_KECAMATAN, PERAN_KELURAHAN, Peran
from layanan.permohonan import alur
from layanan.models import Permohonan


def _lingkup_q(user) -> Q | None:
    """A Q over Permohonan for everything the user may see; None means nothing."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Q()
    q = None

    def tambah(bagian):
        nonlocal q
        q = bagian if q is None else q | bagian

    for tugas in penugasan_aktif(user):
        kode = tugas.kantor.wilayah_id
        if tugas.peran in PERAN_KELURAHAN:
            tambah(Q(kelurahan_id=kode))
        elif tugas.peran in PERAN_KECAMATAN:
            tambah(Q(kecamatan_id=kode))
        elif tugas.peran == Peran.INSPEKTORAT:
            tambah(Q(kelurahan__kode__startswith=kode + "."))
        elif tugas.peran == Peran.ADMIN:
            return Q()
    if hasattr(user, "warga"):
        tambah(Q(pemohon__user_id=user.pk))
    return q


def permohonan_dalam_lingkup(user) -> QuerySet:
    q = _lingkup_q(user)
    if q is None:
        return Permohonan.objects.none()
    return Permohonan.objects.filter(q)


def peran_aktif(user, permohonan: Permohonan) -> set[str]:
    """The user's roles that cover this request (its kelurahan, its kecamatan, or its owner)."""
    peran = set()
    for tugas in penugasan_aktif(user):
        kode = tugas.kantor.wilayah_id
        if tugas.peran in PERAN_KELURAHAN and kode == permohonan.kelurahan_id:
            peran.add(tugas.peran)
        elif tugas.peran in PERAN_KECAMATAN and kode == permohonan.kecamatan_id:
            peran.add(tugas.peran)
        elif tugas.peran == Peran.INSPEKTORAT and permohonan.kelurahan_id.startswith(kode + "."):
            peran.add(tugas.peran)
        elif tugas.peran == Peran.ADMIN:
            peran.add(tugas.peran)
    warga = getattr(user, "warga", None) if getattr(user, "is_authenticated", False) else None
    if warga is not None and permohonan.pemohon_id == warga.pk:
        peran.add(Peran.WARGA)
    return peran


def aksi_tersedia(*, permohonan: Permohonan, pengguna) -> list[str]:
    peran = peran_aktif(pengguna, permohonan)
    tersedia = []
    for aksi in alur.SEMUA_AKSI:
        if not alur.boleh_sekarang(aksi, peran, permohonan.status):
            continue
        if alur.dilarang_pemisahan_tugas(aksi, permohonan, pengguna):
            continue
        tersedia.append(aksi)
    return tersedia


def permohonan_riwayat(permohonan: Permohonan):
    """The timeline is read from the audit ledger itself: one source of truth."""
    return riwayat_objek("permohonan", permohonan.pk, kategori=AuditEvent.Kategori.TRANSISI)


def _giliran_q(user) -> Q | None:
    """Requests waiting on one of the user's desk roles, each role in its own region; None: no desk role."""
    q = None
    for tugas in penugasan_aktif(user):
        status = alur.GILIRAN.get(tugas.peran)
        if not status:
            continue
        kolom = "kelurahan_id" if tugas.peran in PERAN_KELURAHAN else "kecamatan_id"
        bagian = Q(**{kolom: tugas.kantor.wilayah_id, "status__in": status})
        q = bagian if q is None else q | bagian
    return q


def punya_giliran(user) -> bool:
    """Whether the user holds a desk role that requests wait on (the worklist then opens on "perlu tindakan")."""
    return _giliran_q(user) is not None


def jumlah_per_status(*, pengguna) -> dict:
    """The worklist's counters in ONE grouped query over the user's scope: {"per_status": {status: n},
    "perlu_aksi": n waiting on this user's roles, "total": n}."""
    giliran = _giliran_q(pengguna)
    # COUNT(*), not COUNT(id): the grouped count reads permohonan_kel_idx alone (index-only scan).
    baris = permohonan_dalam_lingkup(pengguna).values_list("status").annotate(
        n=Count("*"), aksi=Count("pk", filter=giliran) if giliran is not None else Value(0),
    ).order_by()
    per_status, perlu_aksi = {}, 0
    for status, n, aksi in baris:
        per_status[status] = n
        perlu_aksi += aksi
    return {"per_status": per_status, "perlu_aksi": perlu_aksi, "total": sum(per_status.values())}


STATUS_PERLU_AKSI = "aksi"  # the worklist filter "perlu tindakan saya"


def permohonan_daftar(*, user, status=None, layanan=None, kelurahan=None, sla=None, q=None) -> QuerySet:
    qs = permohonan_dalam_lingkup(user).select_related("layanan", "kelurahan", "pemohon")
    if status == STATUS_PERLU_AKSI:
        giliran = _giliran_q(user)
        qs = qs.filter(giliran) if giliran is not None else qs.none()
    elif status:
        qs = qs.filter(status=status)
    if layanan:
        qs = qs.filter(layanan__kode=layanan)
    if kelurahan:
        qs = qs.filter(kelurahan_id=kelurahan)
    if sla:
        from layanan.permohonan.sla import filter_sla

        qs = filter_sla(qs, sla)
    if q:
        q = q.strip()
        if q.isdigit() and len(q) == 16:
            # A NIK (never a registration number or a name): one probe of the blind index's unique
            # index, then the resident's requests by permohonan_pemohon_idx.
            qs = qs.filter(pemohon__nik_indeks=indeks_nik(q))
        else:
            qs = qs.filter(Q(nomor_registrasi__iexact=q) | Q(identitas__nama__icontains=q))
    return qs.order_by("tenggat", "diajukan_pada", "pk")


def permohonan_berikutnya(*, user, sesudah: Permohonan, **saring) -> Permohonan | None:
    """The request after `sesudah` in the worklist's order under the same filter; past the end (or when
    `sesudah` has left the filter, as after an action) the first one still in it, `sesudah` excluded."""
    qs = permohonan_daftar(user=user, **saring).exclude(pk=sesudah.pk)
    if sesudah.tenggat is not None:
        kunci = (Q(tenggat__gt=sesudah.tenggat)
                 | Q(tenggat=sesudah.tenggat, diajukan_pada__gt=sesudah.diajukan_pada)
                 | Q(tenggat=sesudah.tenggat, diajukan_pada=sesudah.diajukan_pada, pk__gt=sesudah.pk))
        lanjut = qs.filter(kunci).first()
        if lanjut is not None:
            return lanjut
    return qs.first()


# --- the daily digest ------------------------------------------------------------------------------


def digest_angka(*, kantor, tanggal, sekarang) -> dict:
    """One office's day for its head: requests new, finished and rejected on `tanggal` (local), and
    what is open at `sekarang` (rawan, terlambat, the oldest overdue). A kecamatan counts all its kelurahan,
    a kota (the inspectorate's digest) all of its kecamatan."""
    from datetime import datetime, time, timedelta

    from django.db.models import Count
    from django.utils import timezone

    from layanan.models import STATUS_TERBUKA, Status

    zona = timezone.get_current_timezone()
    mulai = datetime.combine(tanggal, time.min, tzinfo=zona)
    akhir = mulai + timedelta(days=1)
    if kantor.jenis == "kota":  # the inspectorate: every kelurahan of the kota
        qs = Permohonan.objects.filter(kelurahan__kode__startswith=f"{kantor.wilayah_id}.")
    else:
        kolom = "kecamatan_id" if kantor.jenis == "kecamatan" else "kelurahan_id"
        qs = Permohonan.objects.filter(**{kolom: kantor.wilayah_id})
    hari = qs.filter(selesai_pada__gte=mulai, selesai_pada__lt=akhir).values_list("status").annotate(n=Count("pk"))
    tutup = dict(hari.order_by())
    terbuka = qs.filter(status__in=STATUS_TERBUKA)
    terlambat = terbuka.filter(tenggat__lte=sekarang)
    return {
        "baru": qs.filter(diajukan_pada__gte=mulai, diajukan_pada__lt=akhir).count(),
        "selesai": tutup.get(Status.SELESAI, 0),
        "ditolak": tutup.get(Status.DITOLAK, 0),
        "terbuka": terbuka.count(),
        "rawan": terbuka.filter(tenggat_rawan__lte=sekarang, tenggat__gt=sekarang).count(),
        "terlambat": terlambat.count(),
        "terlama": terlambat.order_by("tenggat", "pk").values_list("nomor_registrasi", flat=True).first() or "",
    }


def siap_ditandatangani(user) -> QuerySet:
    """Requests whose letter waits for this signer: the lurah's kelurahan-level approvals, the camat's
    kecamatan ones; not those they verified themselves, nor those the office gave another signer."""
    from django.db.models import Exists, OuterRef

    from layanan.models import Layanan, PenandatanganLayanan, Status

    tugas = penugasan_aktif(user)
    kel = [t.kantor.wilayah_id for t in tugas if t.peran == Peran.LURAH]
    kec = [t.kantor.wilayah_id for t in tugas if t.peran == Peran.CAMAT]
    lain = PenandatanganLayanan.objects.filter(layanan_id=OuterRef("layanan_id")).exclude(pengguna=user)
    syarat = (
        Q(status=Status.DIVERIFIKASI, layanan__tingkat=Layanan.Tingkat.KELURAHAN, kelurahan_id__in=kel)
        & ~Q(verifikator_kelurahan=user)
        & ~Q(Exists(lain.filter(kantor__wilayah_id=OuterRef("kelurahan_id"))))
    ) | (
        Q(status=Status.DIVERIFIKASI_KECAMATAN, kecamatan_id__in=kec)
        & ~Q(verifikator_kecamatan=user)
        & ~Q(Exists(lain.filter(kantor__wilayah_id=OuterRef("kecamatan_id"))))
    )
    return (permohonan_dalam_lingkup(user).filter(syarat)
            .select_related("layanan", "kelurahan", "tte_tertunda").order_by("diajukan_pada"))
