"""Reads of requests, always through the caller's scope."""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Value

from audit.enkripsi import indeks_nik, saring_indeks, saring_kata
from audit.models import AuditEvent
from audit.selectors import riwayat_objek
from kelurahan.lingkup import penugasan_aktif
from kelurahan.models import PERAN_KECAMATAN, PERAN_KELURAHAN, Peran
from kelurahan.simpanan import SimpananProses, kelurahan_dilayani
from layanan.models import Layanan, PenandatanganLayanan, Permohonan
from layanan.permohonan import alur

# --- the catalogue, per process -------------------------------------------------------------------

katalog_simpanan = SimpananProses("simpatik:katalog:versi")


def layanan_aktif(kode) -> Layanan | None:
    """The active catalogue entry `kode` with its requirements prefetched, or None. Kept per process
    (kelurahan/simpanan.py) and dropped when any Layanan or Persyaratan row changes (layanan/apps.py):
    every submission reads it, the admin changes it a few times a year. Read-only."""
    return _katalog()["kode"].get(str(kode or ""))


def layanan_pilihan() -> list[tuple[str, str]]:
    """(kode, nama) of the active services in catalogue order, for filters."""
    return _katalog()["pilihan"]


def _katalog() -> dict:
    def bangun():
        semua = list(Layanan.objects.filter(aktif=True).prefetch_related("persyaratan").order_by("urutan", "nama"))
        return {"kode": {x.kode: x for x in semua}, "pilihan": [(x.kode, x.nama) for x in semua]}

    return katalog_simpanan.ambil("aktif", bangun)


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


# --- per-state counts of the desk ------------------------------------------------------------------

JUMLAH_UMUR_DETIK = 60


def _kunci_jumlah(kelurahan_kode: str) -> str:
    return f"simpatik:jumlah-status:{kelurahan_kode}"


def _kelurahan_lingkup(user) -> list[str] | None:
    """Codes of the kelurahan an officer's scope is made of; None when the scope is not a set of whole
    kelurahan (a resident's own requests)."""
    if hasattr(user, "warga") and not user.is_superuser:
        return None
    dilayani = kelurahan_dilayani()
    if user.is_superuser:
        return list(dilayani)
    kode = set()
    for tugas in penugasan_aktif(user):
        w = tugas.kantor.wilayah_id
        if tugas.peran in PERAN_KELURAHAN:
            kode.add(w)
        elif tugas.peran in PERAN_KECAMATAN:
            kode.update(k for k, kel in dilayani.items() if kel.induk_id == w)
        elif tugas.peran == Peran.INSPEKTORAT:
            kode.update(k for k in dilayani if k.startswith(w + "."))
        elif tugas.peran == Peran.ADMIN:
            return list(dilayani)
    return sorted(kode)


def jumlah_per_status(*, pengguna) -> dict:
    """The worklist's counters over the user's whole scope: {"per_status": {status: n}, "perlu_aksi": n
    waiting on this user's desk roles, "total": n}.

    Counted per kelurahan and status and kept in the shared cache for JUMLAH_UMUR_DETIK; every
    transition of a request drops its kelurahan's entry after commit (`jumlah_per_status_lupakan`), so
    an officer sees their own action at once. A page costs one cache read, plus one GROUP BY over the
    kelurahan whose entry had expired; "perlu aksi" is summed from the same counts (a desk role waits on
    states of its own region, `_giliran_q`). Without the cache (Redis down) it counts every time."""
    kelurahan = _kelurahan_lingkup(pengguna)
    if kelurahan is None:
        return _jumlah_langsung(pengguna)
    per_kelurahan = _jumlah_per_kelurahan(kelurahan)
    per_status = {}
    for hitung in per_kelurahan.values():
        for status, n in hitung.items():
            per_status[status] = per_status.get(status, 0) + n
    dilayani, pasangan = kelurahan_dilayani(), set()
    for tugas in penugasan_aktif(pengguna):
        status = alur.GILIRAN.get(tugas.peran)
        if not status:
            continue
        w = tugas.kantor.wilayah_id
        wilayah = [w] if tugas.peran in PERAN_KELURAHAN else [k for k, kel in dilayani.items() if kel.induk_id == w]
        pasangan.update((k, s) for k in wilayah for s in status)
    perlu_aksi = sum(per_kelurahan.get(k, {}).get(s, 0) for k, s in pasangan)
    return {"per_status": per_status, "perlu_aksi": perlu_aksi, "total": sum(per_status.values())}


def _jumlah_langsung(pengguna) -> dict:
    """The same counters in one grouped query (a resident's own requests: not whole kelurahan)."""
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


def _jumlah_per_kelurahan(kelurahan: list[str]) -> dict[str, dict[str, int]]:
    """{kelurahan: {status: n}} from the shared cache, the missing ones counted in one GROUP BY."""
    ada = cache.get_many([_kunci_jumlah(k) for k in kelurahan]) if kelurahan else {}
    kurang = [k for k in kelurahan if _kunci_jumlah(k) not in ada]
    if kurang:
        baru = {k: {} for k in kurang}
        # COUNT(*), not COUNT(id): answered from permohonan_kel_idx (kelurahan, status, ...) alone.
        for kel, status, n in (Permohonan.objects.filter(kelurahan_id__in=kurang)
                               .values_list("kelurahan_id", "status").annotate(n=Count("*")).order_by()):
            baru[kel][status] = n
        cache.set_many({_kunci_jumlah(k): v for k, v in baru.items()}, timeout=JUMLAH_UMUR_DETIK)
        ada.update({_kunci_jumlah(k): v for k, v in baru.items()})
    return {k: ada.get(_kunci_jumlah(k), {}) for k in kelurahan}


def jumlah_per_status_lupakan(kelurahan_kode: str):
    """Drop one kelurahan's counts once the caller's transaction commits (a request changed state). Not
    also now: until the commit every other reader sees the old rows, which the cached counts match, and
    no page reads the counts inside the transaction of an action (one Redis round trip per transition)."""
    transaction.on_commit(lambda: cache.delete(_kunci_jumlah(kelurahan_kode)))


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
        if alur.menerbitkan_surat(aksi, permohonan) and penandatangan_ditetapkan(permohonan) not in (None, pengguna.pk):
            continue  # the office named another signer for this service: the action would be refused
        tersedia.append(aksi)
    return tersedia


def wilayah_penandatangan(permohonan: Permohonan) -> str:
    """The region whose office signs the letter: the kecamatan for kecamatan-level services, else the kelurahan."""
    if permohonan.layanan.tingkat == Layanan.Tingkat.KECAMATAN:
        return permohonan.kecamatan_id
    return permohonan.kelurahan_id


def penandatangan_ditetapkan(permohonan: Permohonan) -> int | None:
    """The user the signing office named for this service's letters (PenandatanganLayanan); None: any
    signer of that office."""
    return (PenandatanganLayanan.objects
            .filter(kantor__wilayah_id=wilayah_penandatangan(permohonan), layanan_id=permohonan.layanan_id)
            .values_list("pengguna_id", flat=True).first())


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
            qs = qs.filter(**saring_indeks("pemohon__nik_indeks", indeks_nik, q))
        else:
            # A registration number, or words the applicant's name starts with ("siti amin"), through the
            # name's word index: the name itself is sealed.
            cari, nama = Q(nomor_registrasi__iexact=q), saring_kata("identitas___kata", q)
            qs = qs.filter(cari if nama is None else cari | nama)
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


def draf_sudah_dilihat(*, pengguna, permohonan: list) -> set[int]:
    """Of `permohonan`, the ids whose draft this officer opened after the request's latest transition,
    read from the ledger itself (each preview is an audited `pratinjau_draf` on the kelurahan's chain,
    each transition a `transisi` on the same chain, so `urutan` orders them), so an auditor can check
    from the chain that no letter was signed unseen. One query whatever the number of requests."""
    from django.db.models import Max

    if not permohonan:
        return set()
    transisi = Q(kategori=AuditEvent.Kategori.TRANSISI)
    lihat = Q(kategori=AuditEvent.Kategori.AKSES_DATA, aksi="pratinjau_draf", aktor_id=pengguna.pk)
    baris = (AuditEvent.objects
             .filter(objek_tipe="permohonan", objek_id__in=[str(p.pk) for p in permohonan],
                     rantai__in={p.kelurahan_id for p in permohonan})
             .filter(transisi | lihat)
             .values("objek_id")
             .annotate(transisi=Max("urutan", filter=transisi), lihat=Max("urutan", filter=lihat))
             .order_by())
    return {int(b["objek_id"]) for b in baris if b["lihat"] is not None and b["lihat"] > (b["transisi"] or -1)}


def draf_sudah_diperiksa(*, pengguna, permohonan: list) -> set[int]:
    """Of `permohonan`, the ids this signer may sign as far as the draft goes: the rule
    `services.permohonan_aksi` enforces on every signing action, and the batch queue reads to name
    the letters it would refuse. Either the draft was opened since the latest transition
    (`draf_sudah_dilihat`), or this signer already approved the request and it waits for BSrE (their
    look at the draft came before that approval; any transition since drops the waiting approval).

    Reads `tte_tertunda` from each row, so select it with the rows; at most one query."""
    disetujui = {p.pk for p in permohonan if menunggu_bsre_oleh(p, pengguna)}
    sisa = [p for p in permohonan if p.pk not in disetujui]
    return disetujui | draf_sudah_dilihat(pengguna=pengguna, permohonan=sisa)


def menunggu_bsre_oleh(p: Permohonan, pengguna) -> bool:
    """Whether this signer's own approval of `p` waits for BSrE (read from the row's `tte_tertunda`)."""
    tertunda = getattr(p, "tte_tertunda", None)
    return tertunda is not None and tertunda.penandatangan_id == pengguna.pk
