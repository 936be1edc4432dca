"""Writes on requests. Each action is one transaction: lock the row, check
scope, role, state and segregation of duties, change state, update the SLA
clock, write the audit event and the outbox message."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from audit.enkripsi import indeks_nik, saring_indeks
from audit.models import AuditEvent
from audit.services import audit_catat
from audit.sisip import sisipkan, sisipkan_banyak
from kelurahan.lingkup import penugasan_aktif
from kelurahan.models import Kantor, Peran, Wilayah
from kelurahan.simpanan import kelurahan_dilayani
from layanan.models import Berkas, Layanan, Permohonan, Status, TandaTanganTertunda, Warga, buat_nomor_registrasi
from layanan.pdp.pemberitahuan import sudah_disetujui
from layanan.pdp.services import privasi_setujui
from layanan.permohonan import alur
from layanan.permohonan.galat import AksiDilarang, DrafBelumDilihat, InputTidakValid, StatusTidakSesuai, TidakDitemukan
from layanan.permohonan.privasi import samarkan_hp
from layanan.permohonan.selectors import (
    draf_sudah_diperiksa,
    jumlah_per_status_lupakan,
    layanan_aktif,
    peran_aktif,
    permohonan_dalam_lingkup,
)
from layanan.permohonan.signals import transisi
from layanan.permohonan.sla import sla_catat_transisi
from layanan.permohonan.validasi import periksa_berkas, validasi_isian, validasi_nik
from layanan.surat import tte
from layanan.surat.terbit import (
    PERAN_PENANDATANGAN,
    kantor_penandatangan,
    penandatangan_layanan_periksa,
    surat_draf_pdf,
    surat_terbitkan,
    tautan_unduh,
)
from notifikasi.services import outbox_tulis
from notifikasi.telepon import normalisasi_hp

IDENTITAS_FIELDS = ("nama", "tempat_lahir", "agama", "pekerjaan", "status_perkawinan", "alamat")
IDENTITAS_WAJIB = ("nama", "alamat")


def _tautan(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


def tautan_lacak(permohonan: Permohonan) -> str:
    return _tautan(f"/lacak/{permohonan.nomor_registrasi}/")


def _nama_aktor(user) -> str:
    if hasattr(user, "warga") and not penugasan_aktif(user):
        return _("Pemohon")
    return user.get_full_name() or user.get_username()


def _catat_transisi(*, permohonan, aksi, pengguna, peran, dari, ke, catatan, sla, waktu):
    jumlah_per_status_lupakan(permohonan.kelurahan_id)
    return audit_catat(
        rantai=permohonan.kelurahan_id,
        kategori=AuditEvent.Kategori.TRANSISI,
        aksi=aksi,
        aktor=pengguna,
        peran=peran,
        objek_tipe="permohonan",
        objek_id=permohonan.pk,
        waktu=waktu,
        data={
            "nomor_registrasi": permohonan.nomor_registrasi,
            "layanan": permohonan.layanan.kode,
            "tingkat": permohonan.layanan.tingkat,
            "kelurahan": permohonan.kelurahan_id,
            "kecamatan": permohonan.kecamatan_id,
            "kantor": permohonan.kecamatan_id if permohonan_tahap(dari, ke) == "kecamatan" else permohonan.kelurahan_id,
            "tahap": permohonan_tahap(dari, ke),
            "dari": dari,
            "ke": ke,
            "catatan": catatan,
            "kanal": permohonan.kanal,
            "oleh_nama": _nama_aktor(pengguna),
            "pemohon": permohonan.pemohon_id,
            "diajukan_pada": permohonan.diajukan_pada.isoformat(),
            "sla": sla,
        },
    )


def permohonan_tahap(dari, ke) -> str:
    """The stage an action belongs to: where the request was when the officer acted."""
    asal = dari or ke
    if asal in (Status.DITERUSKAN_KECAMATAN, Status.DIVERIFIKASI_KECAMATAN):
        return "kecamatan"
    return "kelurahan"


def kabari_pemohon(permohonan: Permohonan, templat: str, **variabel):
    """Write one message to the resident who filed the request, in the caller's transaction."""
    warga = permohonan.pemohon
    outbox_tulis(
        penerima=warga.no_hp,
        templat=templat,
        variabel={"nomor": permohonan.nomor_registrasi, "layanan": permohonan.layanan.nama, **variabel},
        referensi=f"permohonan:{permohonan.pk}",
    )


# --- submission ---------------------------------------------------------------------------


def _cari_layanan(layanan) -> Layanan:
    if isinstance(layanan, Layanan):
        return layanan
    obj = layanan_aktif(layanan)
    if obj is None:
        raise InputTidakValid(galat={"layanan": [_("Layanan tidak dikenal.")]})
    return obj


def _cari_kelurahan(kelurahan) -> tuple[Wilayah, Wilayah]:
    kode = kelurahan.kode if isinstance(kelurahan, Wilayah) else str(kelurahan or "")
    wilayah = kelurahan_dilayani().get(kode)
    if wilayah is None:
        raise InputTidakValid(galat={"kelurahan": [_("Kelurahan tidak dikenal atau belum dilayani.")]})
    return wilayah, wilayah.induk


def _petugas_loket(user, kelurahan: Wilayah) -> bool:
    return any(
        t.peran == Peran.PETUGAS_KELURAHAN and t.kantor.wilayah_id == kelurahan.kode for t in penugasan_aktif(user)
    )


def _siapkan_pemohon(*, pengaju, kelurahan, identitas, galat) -> tuple[Warga | None, dict, str]:
    """Resolve the resident (own account, or a walk-in registered at the counter) and the identity snapshot."""
    identitas = dict(identitas or {})
    if hasattr(pengaju, "warga") and not _petugas_loket(pengaju, kelurahan):
        warga, kanal = pengaju.warga, Permohonan.Kanal.ONLINE
    elif _petugas_loket(pengaju, kelurahan):
        kanal, warga = Permohonan.Kanal.LOKET, None
        try:
            # The birth date from the KTP-el settles the century the NIK's two-digit year leaves open.
            lahir = identitas.get("tanggal_lahir") or None
            lahir = datetime.date.fromisoformat(str(lahir)) if lahir else None
        except ValueError:
            galat["tanggal_lahir"] = [_("Tanggal tidak valid (TTTT-BB-HH).")]
            lahir = None
        try:
            info = validasi_nik(identitas.get("nik"), tanggal_lahir=lahir)
            warga = Warga.objects.filter(**saring_indeks("nik_indeks", indeks_nik, info["nik"])).first()
        except ValidationError as e:
            galat["nik"] = e.messages
            info = None
        try:
            no_hp = normalisasi_hp(identitas.get("no_hp") or (warga.no_hp if warga else ""))
        except ValueError as e:
            galat["no_hp"] = [str(e)]
            no_hp = None
        if info and no_hp and warga is None:
            warga = Warga(nik=info["nik"], no_hp=no_hp, jenis_kelamin=info["jenis_kelamin"],
                          tanggal_lahir=info["tanggal_lahir"])
        elif warga is not None and no_hp and no_hp != warga.no_hp:
            # A clerk never re-points a registered resident's sign-in codes (issue 14, item 1).
            galat["no_hp"] = [_("NIK ini sudah terdaftar dengan nomor %(nomor)s. Nomor warga terdaftar hanya dapat "
                                "diganti dengan kode dari nomor lama atau lewat prosedur di kantor yang disetujui "
                                "lurah.") % {"nomor": samarkan_hp(warga.no_hp)}]
    else:
        raise AksiDilarang(_("Hanya warga atau petugas loket kelurahan ini yang dapat mengajukan permohonan."))
    snapshot = {}
    for kunci in IDENTITAS_FIELDS:
        nilai = str(identitas.get(kunci) or (getattr(warga, kunci, "") if warga else "") or "").strip()
        batas = Warga._meta.get_field(kunci).max_length  # the column's own length, never a copy of it
        if len(nilai) > batas:
            galat[kunci] = [_("Paling banyak %(n)d karakter.") % {"n": batas}]
        snapshot[kunci] = nilai
    for kunci in IDENTITAS_WAJIB:
        if not snapshot[kunci] and kunci not in galat:
            galat[kunci] = [_("Wajib diisi.")]
    if warga is not None:
        snapshot.update(
            nik=warga.nik,
            jenis_kelamin=warga.jenis_kelamin,
            tanggal_lahir=warga.tanggal_lahir.isoformat() if warga.tanggal_lahir else "",
        )
    return warga, snapshot, kanal


def _simpan_warga(warga: Warga, snapshot: dict, *, pengaju):
    """A resident's own submission updates their profile, and so does a walk-in's first one at the
    counter; a counter submission for a registered resident never changes their record (only the
    request's snapshot carries what the clerk typed)."""
    if warga.pk is not None and warga.user_id != pengaju.pk:
        return
    berubah = False
    for kunci in IDENTITAS_FIELDS:
        if snapshot.get(kunci) and getattr(warga, kunci) != snapshot[kunci]:
            setattr(warga, kunci, snapshot[kunci])
            berubah = True
    if warga.pk is not None and not berubah:
        return  # the profile already says this: no UPDATE
    if warga.pk is None:
        User = get_user_model()
        warga.user = User.objects.create_user(username=f"warga-{secrets.token_hex(6)}", password=None)
    warga.save()


def permohonan_ajukan(
    *,
    pengaju,
    layanan,
    kelurahan,
    keperluan,
    data,
    berkas,
    identitas=None,
    kanal=None,
    waktu=None,
    setuju_privasi=False,
    kanal_privasi="web",
) -> Permohonan:
    """Validate everything first, then write the request, its files, audit event and message at once.

    A resident who has not accepted the privacy notice in force must accept it with this submission
    (`setuju_privasi`; at the counter the clerk confirms it was read to them), else 400 on
    `setuju_privasi` (docs/privasi.md); the acceptance is recorded in the same transaction.

    Files written before a failure are deleted again, so a rejected or failed
    submission leaves neither rows nor orphan files behind.
    """
    galat = {}
    try:
        layanan = _cari_layanan(layanan)
    except InputTidakValid as e:
        galat.update(e.galat)
        layanan = None
    try:
        kelurahan, kecamatan = _cari_kelurahan(kelurahan)
    except InputTidakValid as e:
        galat.update(e.galat)
        kelurahan = kecamatan = None
    keperluan = str(keperluan or "").strip()
    if not keperluan:
        galat["keperluan"] = [_("Keperluan wajib diisi.")]
    elif len(keperluan) > Permohonan._meta.get_field("keperluan").max_length:
        galat["keperluan"] = [_("Paling banyak %(n)d karakter.") % {"n": Permohonan._meta.get_field("keperluan").max_length}]
    if kelurahan is not None:
        warga, identitas_bersih, kanal_dari_pengaju = _siapkan_pemohon(
            pengaju=pengaju, kelurahan=kelurahan, identitas=identitas, galat=galat
        )
    else:
        warga, identitas_bersih, kanal_dari_pengaju = None, {}, Permohonan.Kanal.ONLINE
    perlu_persetujuan = not sudah_disetujui(warga)
    if perlu_persetujuan and not setuju_privasi:
        galat["setuju_privasi"] = [_("Baca pemberitahuan privasi dan nyatakan setuju sebelum mengajukan.")]
    isian, info_berkas = {}, {}
    berkas = dict(berkas or {})
    if layanan is not None:
        try:
            isian = validasi_isian(layanan.formulir, data)
        except ValidationError as e:
            for kunci, pesan in e.message_dict.items():
                galat["data" if kunci == "data" else f"data.{kunci}"] = pesan
        info_berkas = _periksa_unggahan(layanan, berkas, galat, wajib=True)
    if galat:
        raise InputTidakValid(_("Permohonan belum lengkap atau tidak valid."), galat)

    waktu = waktu or timezone.now()
    disimpan = []
    try:
        with transaction.atomic():
            _simpan_warga(warga, identitas_bersih, pengaju=pengaju)
            if perlu_persetujuan:
                loket = kanal_dari_pengaju == Permohonan.Kanal.LOKET
                privasi_setujui(warga=warga, kanal="loket" if loket else kanal_privasi,
                                petugas=pengaju if loket else None, waktu=waktu, rantai=kelurahan.kode)
            p = Permohonan(
                layanan=layanan,
                kelurahan=kelurahan,
                kecamatan=kecamatan,
                pemohon=warga,
                identitas=identitas_bersih,
                keperluan=keperluan,
                data=isian,
                kanal=kanal or kanal_dari_pengaju,
                dibuat_oleh=pengaju,
                diajukan_pada=waktu,
            )
            sla = sla_catat_transisi(p, dari=None, ke=Status.DIAJUKAN, waktu=waktu)
            _simpan_dengan_nomor_unik(p)
            berkas_baru = _simpan_berkas(p, info_berkas, berkas, disimpan)
            peran = Peran.WARGA if p.kanal == Permohonan.Kanal.ONLINE else Peran.PETUGAS_KELURAHAN
            event = _catat_transisi(permohonan=p, aksi="ajukan", pengguna=pengaju, peran=peran, dari=None,
                                    ke=Status.DIAJUKAN, catatan="", sla=sla, waktu=waktu)
            kabari_pemohon(p, "permohonan_diterima", tautan=tautan_lacak(p))
    except BaseException:
        for nama in disimpan:
            default_storage.delete(nama)
        raise
    # What was just written is all a new request has: the 201 is shaped from it, with no read back.
    _isi_prefetch(p, "berkas", sorted(berkas_baru, key=lambda b: b.persyaratan_kode))
    _isi_prefetch(p, "surat", [])
    p._state.fields_cache["tte_tertunda"] = None
    p.riwayat_tertulis = [event]
    return p


def _isi_prefetch(p: Permohonan, nama: str, objek: list):
    """Fill a relation's prefetch cache as prefetch_related does (a QuerySet whose results are known),
    so `.all()` reads no row and `.filter()`/`.get()` still query as usual."""
    qs = getattr(p, nama).all()
    qs._result_cache = objek
    qs._prefetch_done = True
    p._prefetched_objects_cache = {**getattr(p, "_prefetched_objects_cache", {}), nama: qs}


def _simpan_dengan_nomor_unik(p: Permohonan, percobaan: int = 5):
    """A random number may collide (1 in ~10^11): draw again rather than fail the submission.

    The INSERT skips a taken number (ON CONFLICT DO NOTHING) instead of failing, so no savepoint is
    needed around it (two round trips a submission, issue 22); any other violation still raises.
    """
    for _percobaan in range(percobaan):
        if sisipkan(p, lewati_bila_ada="nomor_registrasi"):
            return
        p.nomor_registrasi = buat_nomor_registrasi()
    raise IntegrityError("nomor_registrasi: no free number after retries")


def _simpan_berkas(p: Permohonan, info_berkas: dict, berkas: dict, disimpan: list) -> list[Berkas]:
    """Store each checked upload (sealed, under a name of our own; its name added to `disimpan`, so a
    failure can delete it) and insert all their rows in one statement (issue 22)."""
    baru = []
    for kode, info in info_berkas.items():
        b = _berkas_baru(p, kode, berkas[kode], info)
        disimpan.append(b.berkas.name)
        baru.append(b)
    return sisipkan_banyak(baru)


def _berkas_baru(p: Permohonan, kode: str, f, info: dict) -> Berkas:
    b = Berkas(
        permohonan=p,
        persyaratan_kode=kode,
        nama_asli=(getattr(f, "name", "") or kode)[-200:],
        jenis=info["jenis"],
        ukuran=info["ukuran"],
        sha256=info["sha256"],
    )
    b.berkas.save("x", f, save=False)  # the name comes from lokasi_berkas, never from the upload
    return b


# --- transitions ---------------------------------------------------------------------------

PESAN_TRANSISI = {
    Status.PERLU_PERBAIKAN: "perlu_perbaikan",
    Status.DITERUSKAN_KECAMATAN: "diteruskan_kecamatan",
    Status.DITOLAK: "ditolak",
    Status.DIBATALKAN: "dibatalkan",
}


# The state in which a request waits for its signer, and the signing action taken from it.
AKSI_TANDA_TANGAN = {Status.DIVERIFIKASI: "setujui", Status.DIVERIFIKASI_KECAMATAN: "setujui_camat"}


@sensitive_variables("passphrase")
def permohonan_aksi(*, permohonan_id, pengguna, aksi, catatan="", waktu=None, berkas=None,
                    passphrase=None) -> Permohonan:
    """Take one action on one request. Raises the GalatLayanan subclass that maps to 404/403/409/400.

    `berkas` (persyaratan kode -> upload) replaces documents on `ajukan_ulang`. `passphrase` is the
    signer's for the certified provider (SURAT_TTE=bsre), used for this one call and dropped. A
    refusal by the provider rolls everything back (400, no number consumed) and is audited; an
    outage also rolls back, and the approval is kept as a TandaTanganTertunda (503).
    """
    try:
        return _permohonan_aksi(permohonan_id=permohonan_id, pengguna=pengguna, aksi=aksi, catatan=catatan,
                                waktu=waktu, berkas=berkas, passphrase=passphrase)
    except tte.GalatTTE as galat:
        passphrase = None
        _tte_catat_gagal(permohonan_id=permohonan_id, pengguna=pengguna, aksi=aksi, galat=galat)
        raise


def _tte_catat_gagal(*, permohonan_id, pengguna, aksi, galat):
    """Audit a failed signing (its kode, never the passphrase); on an outage keep the approval waiting."""
    waktu = timezone.now()
    with transaction.atomic():
        p = Permohonan.objects.select_for_update().select_related("layanan").get(pk=permohonan_id)
        kantor = kantor_penandatangan(p)
        tertunda = None
        if isinstance(galat, tte.PenyediaTidakTersedia):
            tertunda, baru = TandaTanganTertunda.objects.get_or_create(
                permohonan=p, defaults={"aksi": aksi, "penandatangan": pengguna, "sejak": waktu,
                                        "terakhir_dicoba": waktu, "alasan": galat.kode})
            if not baru:
                tertunda.percobaan += 1
                tertunda.terakhir_dicoba = waktu
                tertunda.penandatangan = pengguna
                tertunda.alasan = galat.kode
                tertunda.dikabari_pada = None
                tertunda.save()
        audit_catat(
            rantai=p.kelurahan_id, kategori=AuditEvent.Kategori.SURAT,
            aksi="tte_tertunda" if tertunda else "tte_gagal",
            aktor=pengguna, peran=PERAN_PENANDATANGAN.get(kantor.jenis, ""), objek_tipe="permohonan", objek_id=p.pk,
            data={"nomor_registrasi": p.nomor_registrasi, "aksi": aksi, "kode": galat.kode, "pesan": str(galat.pesan),
                  "penyedia": "bsre" if tte.tte_bsre() else "pkcs12",
                  "percobaan": tertunda.percobaan if tertunda else None},
            waktu=waktu,
        )


def _periksa_draf_dilihat(p: Permohonan, pengguna):
    """No letter is signed unseen, whichever page or client signs: the signer opened the draft since the
    request last moved, or already approved it before a BSrE outage (selectors.draf_sudah_diperiksa).
    A 409, checked after scope, role and state, before anything is written."""
    if p.pk not in draf_sudah_diperiksa(pengguna=pengguna, permohonan=[p]):
        raise DrafBelumDilihat(_("Draf surat permohonan %(nomor)s belum Anda buka sejak perubahan terakhirnya. "
                                 "Buka dan periksa drafnya dahulu, lalu tandatangani.") % {"nomor": p.nomor_registrasi})


@sensitive_variables("passphrase")
def _permohonan_aksi(*, permohonan_id, pengguna, aksi, catatan, waktu, berkas, passphrase) -> Permohonan:
    if aksi not in alur.SEMUA_AKSI:
        raise InputTidakValid(galat={"aksi": [_("Aksi tidak dikenal.")]})
    catatan = str(catatan or "").strip()
    berkas = dict(berkas or {})
    info_berkas = {}
    disimpan = []
    try:
        with transaction.atomic():
            p = (
                permohonan_dalam_lingkup(pengguna)
                .select_for_update(of=("self",))
                # kelurahan and tte_tertunda for the answer, which is shaped from this row (API 200)
                .select_related("layanan", "pemohon", "kelurahan", "tte_tertunda")
                .filter(pk=permohonan_id)
                .first()
            )
            if p is None:
                raise TidakDitemukan(_("Permohonan tidak ditemukan."))
            peran = peran_aktif(pengguna, p) & alur.peran_untuk_aksi(aksi)
            if not peran:
                raise AksiDilarang(_("Peran Anda tidak berwenang melakukan aksi ini."))
            if alur.dilarang_pemisahan_tugas(aksi, p, pengguna):
                raise AksiDilarang(_("Petugas yang memverifikasi tidak boleh juga menyetujui atau menolak "
                                     "(pemisahan tugas)."))
            if not alur.boleh_sekarang(aksi, peran, p.status):
                raise StatusTidakSesuai(
                    _("Permohonan sudah diproses oleh petugas lain atau statusnya (%(status)s) tidak memungkinkan aksi ini.")
                    % {"status": p.get_status_display()}
                )
            ttd = alur.menerbitkan_surat(aksi, p)
            if ttd:
                penandatangan_layanan_periksa(permohonan=p, pengguna=pengguna)
                _periksa_draf_dilihat(p, pengguna)
            if aksi in alur.AKSI_BUTUH_CATATAN and not catatan:
                raise InputTidakValid(galat={"catatan": [_("Alasan wajib diisi untuk aksi ini.")]})
            if len(catatan) > 1000:
                raise InputTidakValid(galat={"catatan": [_("Paling banyak 1000 karakter.")]})
            if berkas:
                if aksi != "ajukan_ulang":
                    raise InputTidakValid(galat={"berkas": [_("Berkas hanya dapat diganti saat mengajukan ulang.")]})
                info_berkas = _periksa_berkas_pengganti(p, berkas)
            if ttd and tte.tte_butuh_passphrase() and not passphrase:
                raise InputTidakValid(galat={"passphrase": [
                    _("Masukkan passphrase TTE Anda untuk menandatangani surat.")]})
            peran_dipakai = sorted(r for r in peran if p.status in alur.ATURAN[(aksi, r)])[0]
            waktu = waktu or timezone.now()
            dari = p.status
            getattr(p, aksi)()
            ke = p.status
            if aksi == "verifikasi":
                p.verifikator_kelurahan = pengguna
            elif aksi == "verifikasi_kecamatan":
                p.verifikator_kecamatan = pengguna
            elif aksi == "kembalikan":
                p.verifikator_kelurahan = p.verifikator_kecamatan = None
            if aksi in alur.AKSI_BUTUH_CATATAN:
                p.catatan_terakhir = catatan
            if ke in (Status.SELESAI, Status.DITOLAK, Status.DIBATALKAN):
                p.selesai_pada = waktu
            if info_berkas:
                p.berkas.filter(persyaratan_kode__in=list(info_berkas), aktif=True).update(aktif=False)
                _simpan_berkas(p, info_berkas, berkas, disimpan)
            sla = sla_catat_transisi(p, dari=dari, ke=ke, waktu=waktu)
            p.save()
            _catat_transisi(permohonan=p, aksi=aksi, pengguna=pengguna, peran=peran_dipakai, dari=dari, ke=ke,
                            catatan=catatan, sla=sla, waktu=waktu)
            _kabari_setelah_transisi(p, ke=ke, catatan=catatan, pengguna=pengguna, waktu=waktu,
                                     passphrase=passphrase)
            passphrase = None
            if getattr(p, "tte_tertunda", None) is not None:  # read with the locked row
                # An approval waiting for BSrE stands only in the state it was given in: signed now, or
                # returned or rejected, where it must not let the next signing skip the new draft.
                TandaTanganTertunda.objects.filter(permohonan=p).delete()
                p._state.fields_cache["tte_tertunda"] = None
            if ke in AKSI_TANDA_TANGAN and alur.menerbitkan_surat(AKSI_TANDA_TANGAN[ke], p) \
                    and tte.tte_butuh_passphrase():
                _kabari_penandatangan(p)  # the next action signs the letter: send its signer the link
            transisi.send(sender=Permohonan, permohonan=p, aksi=aksi, dari=dari, ke=ke, pengguna=pengguna, waktu=waktu)
    except BaseException:
        for nama in disimpan:
            default_storage.delete(nama)
        raise
    return p


def _periksa_unggahan(layanan, berkas: dict, galat: dict, *, wajib: bool) -> dict:
    """Each uploaded file's type and size, sniffed once (its info per requirement code); a file the
    service does not ask for is refused. With `wajib` (a submission) every asked-for file must be there;
    without (replacements after a correction) only those sent are checked. Errors go into `galat`."""
    diminta = {s.kode: s for s in layanan.persyaratan.all() if s.unggah}
    info = {}
    for kode in berkas:
        if kode not in diminta:
            galat[f"berkas_{kode}"] = [_("Berkas ini tidak diminta oleh layanan ini.")]
    for kode, syarat in diminta.items():
        f = berkas.get(kode)
        if f is None:
            if wajib:
                galat[f"berkas_{kode}"] = [_("%(nama)s wajib diunggah.") % {"nama": syarat.nama}]
            continue
        try:
            info[kode] = periksa_berkas(f)
        except ValidationError as e:
            galat[f"berkas_{kode}"] = e.messages
    return info


def _periksa_berkas_pengganti(p: Permohonan, berkas: dict) -> dict:
    galat: dict = {}
    info = _periksa_unggahan(p.layanan, berkas, galat, wajib=False)
    if galat:
        raise InputTidakValid(_("Berkas pengganti tidak valid."), galat)
    return info


def penandatangan_surat(p: Permohonan):
    """Active assignments that may sign this request's letter (the service's named signer if the office set one)."""
    from kelurahan.models import Penugasan
    from layanan.models import PenandatanganLayanan

    kantor = kantor_penandatangan(p)
    qs = Penugasan.objects.filter(kantor=kantor, peran=PERAN_PENANDATANGAN.get(kantor.jenis, ""), aktif=True)
    ditunjuk = PenandatanganLayanan.objects.filter(kantor=kantor, layanan_id=p.layanan_id).values("pengguna_id")
    if ditunjuk.exists():
        qs = qs.filter(user_id__in=ditunjuk)
    return qs.select_related("user")


def tautan_antrean_ttd() -> str:
    """The signer's deep link: the queue opened at the passphrase prompt."""
    from django.urls import reverse

    return _tautan(reverse("web:siap_ditandatangani") + "#passphrase")


def _kabari_penandatangan(p: Permohonan):
    """WhatsApp the signer(s) a link straight to the passphrase prompt (same transaction as the transition)."""
    for tugas in penandatangan_surat(p):
        if tugas.no_hp:
            outbox_tulis(penerima=tugas.no_hp, templat="siap_ditandatangani", referensi=f"ttd:{p.pk}",
                         variabel={"layanan": p.layanan.nama, "nomor_registrasi": p.nomor_registrasi,
                                   "tautan": tautan_antrean_ttd()})


def tte_kabari_pulih() -> int:
    """Periodic: when BSrE answers again, tell each signer with letters waiting (once per outage).

    The passphrase is not kept, so the letters are signed by the signer from the queue (one entry
    for all of them); this is what "signed when the provider is back" means here.
    """
    from collections import defaultdict

    from layanan.surat.tte import bsre

    tertunda = list(TandaTanganTertunda.objects.filter(dikabari_pada__isnull=True)
                    .select_related("permohonan__layanan", "penandatangan"))
    if not tertunda or not tte.tte_bsre():
        return 0
    per_tugas = defaultdict(list)
    for t in tertunda:
        kantor = kantor_penandatangan(t.permohonan)
        tugas = t.penandatangan.penugasan.filter(kantor=kantor, aktif=True,
                                                 peran=PERAN_PENANDATANGAN.get(kantor.jenis, "")).first()
        if tugas is not None:
            per_tugas[tugas].append(t)
    dikabari = 0
    for tugas, daftar in per_tugas.items():
        if bsre.status_pengguna(tugas.nik_tte) is None:
            return dikabari  # still down: try again at the next run
        with transaction.atomic():
            if tugas.no_hp:
                outbox_tulis(penerima=tugas.no_hp, templat="tte_pulih", referensi=f"tte_pulih:{tugas.user_id}",
                             variabel={"jumlah": len(daftar), "tautan": tautan_antrean_ttd()})
            TandaTanganTertunda.objects.filter(pk__in=[t.pk for t in daftar]).update(dikabari_pada=timezone.now())
        dikabari += len(daftar)
    return dikabari


@sensitive_variables("passphrase")
def _kabari_setelah_transisi(p: Permohonan, *, ke, catatan, pengguna, waktu, passphrase=None):
    if ke == Status.SELESAI:
        surat = surat_terbitkan(permohonan=p, penandatangan=pengguna, waktu=waktu, passphrase=passphrase)
        kabari_pemohon(p, "selesai", tautan_unduh=tautan_unduh(surat))
        return
    templat = PESAN_TRANSISI.get(ke)
    if templat is None:
        kabari_pemohon(p, "status_diperbarui", status=p.get_status_display(), tautan=tautan_lacak(p))
    elif templat == "ditolak":
        kabari_pemohon(p, templat, alasan=catatan, tautan_pengaduan=_tautan("/pengaduan/"))
    else:
        kabari_pemohon(p, templat, alasan=catatan, tautan=tautan_lacak(p))


def permohonan_buka_data_pribadi(*, permohonan_id, pengguna) -> Permohonan:
    """An officer reveals the resident's NIK and phone: allowed in scope, always recorded."""
    p = permohonan_dalam_lingkup(pengguna).select_related("pemohon", "layanan").filter(pk=permohonan_id).first()
    if p is None or not penugasan_aktif(pengguna) and not pengguna.is_superuser:
        raise TidakDitemukan(_("Permohonan tidak ditemukan."))
    peran = sorted(peran_aktif(pengguna, p) - {Peran.WARGA})
    _catat_akses(p, pengguna=pengguna, aksi="buka_data_pribadi", peran=peran[0] if peran else "",
                 pemohon=p.pemohon_id)
    return p


def _catat_akses(p: Permohonan, *, pengguna, aksi, peran, waktu=None, **data):
    """One officer's access to a request's personal data, on the kelurahan's chain (kategori akses_data)."""
    with transaction.atomic():
        audit_catat(
            rantai=p.kelurahan_id, kategori=AuditEvent.Kategori.AKSES_DATA, aksi=aksi, aktor=pengguna, peran=peran,
            objek_tipe="permohonan", objek_id=p.pk, waktu=waktu,
            data={"nomor_registrasi": p.nomor_registrasi, "kelurahan": p.kelurahan_id, **data},
        )


def permohonan_catat_lihat(*, permohonan: Permohonan, pengguna, aksi="lihat_permohonan", **data):
    """Every officer's view of a request (name, documents) is a view of personal data: record it
    (`lihat_berkas` with the document's id for an opened upload)."""
    peran = sorted(peran_aktif(pengguna, permohonan) - {Peran.WARGA})
    if not peran and not pengguna.is_superuser:
        return
    _catat_akses(permohonan, pengguna=pengguna, aksi=aksi, peran=peran[0] if peran else "admin", **data)



def warga_minta_kode(*, nik, no_hp=None) -> str:
    """Send a sign-in code for a NIK; returns the number typed (E.164), which is not necessarily
    where the code went.

    A known resident's code always goes to the number on record, never to a number typed in the
    form: whoever knows a NIK must not be able to receive its code. Both fields are checked the
    same way and the caller answers the same whether or not the NIK is registered, so the form
    tells nobody which NIKs have accounts (issue 14, item 6). Raises InputTidakValid, or
    notifikasi.otp.OTPTerlaluSering when asked again too soon.
    """
    from notifikasi import otp

    galat = {}
    try:
        nik = validasi_nik(nik)["nik"]
    except ValidationError as e:
        galat["nik"] = e.messages
    try:
        no_hp = normalisasi_hp(no_hp)
    except ValueError as e:
        galat["no_hp"] = [str(e)]
    if galat:
        raise InputTidakValid(galat=galat)
    tujuan = Warga.objects.filter(**saring_indeks("nik_indeks", indeks_nik, nik)).values_list("no_hp", flat=True).first() or no_hp
    otp.otp_kirim(kunci=otp.kunci_nik(nik), no_hp=tujuan, nomor_lain=(no_hp,))
    return no_hp


def warga_masuk(*, nik, kode) -> Warga:
    """The resident behind a valid code; a first sign-in creates the account with the number the code went to."""
    from notifikasi import otp
    from notifikasi.models import KodeOTP

    try:
        info = validasi_nik(nik)
    except ValidationError as e:
        raise InputTidakValid(galat={"nik": e.messages}) from None
    kunci = otp.kunci_nik(info["nik"])
    if not otp.otp_periksa(kunci=kunci, kode=str(kode or "").strip()):
        raise InputTidakValid(galat={"kode": [_("Kode salah atau sudah kedaluwarsa. Minta kode baru bila perlu.")]})
    warga = Warga.objects.select_related("user").filter(**saring_indeks("nik_indeks", indeks_nik, info["nik"])).first()
    if warga is not None:
        return warga
    no_hp = KodeOTP.objects.filter(kunci=kunci, dipakai=True).order_by("-dibuat").values_list("no_hp", flat=True)[0]
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=f"warga-{secrets.token_hex(6)}", password=None)
        return Warga.objects.create(user=user, nik=info["nik"], no_hp=no_hp, jenis_kelamin=info["jenis_kelamin"],
                                    tanggal_lahir=info["tanggal_lahir"])


def _kunci_ganti_hp(warga: Warga, no_hp_baru: str) -> str:
    """The OTP key of one pending change: bound to the resident and to the new number asked for."""
    from notifikasi import otp

    return otp.kunci_nik(f"ganti-hp:{warga.pk}:{no_hp_baru}")


def _no_hp_baru(warga: Warga, no_hp_baru) -> str:
    try:
        baru = normalisasi_hp(no_hp_baru)
    except ValueError as e:
        raise InputTidakValid(galat={"no_hp_baru": [str(e)]}) from None
    if baru == warga.no_hp:
        raise InputTidakValid(galat={"no_hp_baru": [_("Nomor ini sudah nomor Anda.")]})
    return baru


def warga_minta_ganti_hp(*, warga: Warga, no_hp_baru) -> str:
    """Step 1 of a number change: a code goes to the OLD number (the one on record). Returns it.

    Only whoever holds the old number can move the account to a new one; a stolen token or a
    clerk alone cannot. Raises InputTidakValid or notifikasi.otp.OTPTerlaluSering."""
    from notifikasi import otp

    baru = _no_hp_baru(warga, no_hp_baru)
    otp.otp_kirim(kunci=_kunci_ganti_hp(warga, baru), no_hp=warga.no_hp)
    return warga.no_hp


def warga_ganti_hp(*, warga: Warga, no_hp_baru, kode, waktu=None) -> Warga:
    """Step 2: the code from the old number moves the account to the new one, audited with both
    numbers masked."""
    from notifikasi import otp

    baru = _no_hp_baru(warga, no_hp_baru)
    if not otp.otp_periksa(kunci=_kunci_ganti_hp(warga, baru), kode=str(kode or "").strip()):
        raise InputTidakValid(galat={"kode": [_("Kode salah atau sudah kedaluwarsa. Minta kode baru bila perlu.")]})
    with transaction.atomic():
        warga = Warga.objects.select_for_update().get(pk=warga.pk)
        lama = warga.no_hp
        warga.no_hp = baru
        warga.save(update_fields=["no_hp"])
        audit_catat(
            rantai="sistem", kategori=AuditEvent.Kategori.AUTENTIKASI, aksi="ganti_no_hp", aktor=warga.user,
            peran=Peran.WARGA, objek_tipe="warga", objek_id=warga.pk, waktu=waktu,
            data={"lama": samarkan_hp(lama), "baru": samarkan_hp(baru), "cara": "kode_nomor_lama"},
        )
    return warga


def ganti_hp_loket_ajukan(*, pengguna, nik, no_hp_baru, alasan, waktu=None):
    """A counter clerk files a number change for a resident who lost the old number, after checking
    their KTP-el in person. Nothing changes until the lurah approves (`ganti_hp_loket_putuskan`)."""
    from layanan.models import GantiNomorLoket

    kantor = [t.kantor.wilayah_id for t in penugasan_aktif(pengguna) if t.peran == Peran.PETUGAS_KELURAHAN]
    if not kantor:
        raise AksiDilarang(_("Hanya petugas loket kelurahan yang dapat mengajukan penggantian nomor."))
    galat = {}
    warga = None
    try:
        warga = Warga.objects.filter(**saring_indeks("nik_indeks", indeks_nik, validasi_nik(nik)["nik"])).first()
        if warga is None:
            galat["nik"] = [_("NIK ini belum terdaftar; nomornya ditetapkan saat pengajuan pertama.")]
    except ValidationError as e:
        galat["nik"] = e.messages
    try:
        baru = normalisasi_hp(no_hp_baru)
        if warga is not None and baru == warga.no_hp:
            galat["no_hp_baru"] = [_("Nomor ini sudah nomor warga tersebut.")]
    except ValueError as e:
        galat["no_hp_baru"] = [str(e)]
    alasan = str(alasan or "").strip()
    batas = GantiNomorLoket._meta.get_field("alasan").max_length
    if not alasan:
        galat["alasan"] = [_("Alasan wajib diisi (mis. ponsel hilang; KTP-el asli sudah diperiksa).")]
    elif len(alasan) > batas:
        galat["alasan"] = [_("Paling banyak %(n)d karakter.") % {"n": batas}]
    if galat:
        raise InputTidakValid(galat=galat)
    waktu = waktu or timezone.now()
    with transaction.atomic():
        permintaan = GantiNomorLoket.objects.create(
            warga=warga, kelurahan_id=kantor[0], no_hp_lama=warga.no_hp, no_hp_baru=baru, alasan=alasan,
            diajukan_oleh=pengguna, diajukan_pada=waktu)
        audit_catat(rantai=kantor[0], kategori=AuditEvent.Kategori.AUTENTIKASI, aksi="ganti_no_hp_diajukan",
                    aktor=pengguna, peran=Peran.PETUGAS_KELURAHAN, objek_tipe="warga", objek_id=warga.pk, waktu=waktu,
                    data={"permintaan": permintaan.pk, "lama": samarkan_hp(warga.no_hp), "baru": samarkan_hp(baru),
                          "alasan": alasan})
    return permintaan


def ganti_hp_loket_putuskan(*, pengguna, permintaan_id, setuju: bool, catatan="", waktu=None):
    """The lurah of the clerk's kelurahan approves or refuses a counter number change; never the
    officer who filed it. An approval changes the number, audited with both numbers masked."""
    from layanan.models import GantiNomorLoket

    waktu = waktu or timezone.now()
    catatan = str(catatan or "").strip()[:255]
    with transaction.atomic():
        permintaan = GantiNomorLoket.objects.select_for_update().filter(pk=permintaan_id).first()
        lurah_di = {t.kantor.wilayah_id for t in penugasan_aktif(pengguna) if t.peran == Peran.LURAH}
        petugas_di = {t.kantor.wilayah_id for t in penugasan_aktif(pengguna)}
        if permintaan is None or permintaan.kelurahan_id not in petugas_di:
            raise TidakDitemukan(_("Permintaan tidak ditemukan."))
        if permintaan.kelurahan_id not in lurah_di:
            raise AksiDilarang(_("Hanya lurah kelurahan ini yang dapat memutuskan penggantian nomor."))
        if permintaan.diajukan_oleh_id == pengguna.pk:
            raise AksiDilarang(_("Petugas yang mengajukan tidak boleh juga memutuskan (pemisahan tugas)."))
        warga = Warga.objects.select_for_update().get(pk=permintaan.warga_id)
        if permintaan.status != GantiNomorLoket.Status.MENUNGGU or warga.no_hp != permintaan.no_hp_lama:
            raise StatusTidakSesuai(_("Permintaan ini sudah diputuskan atau nomor warga sudah berubah."))
        permintaan.status = GantiNomorLoket.Status.DISETUJUI if setuju else GantiNomorLoket.Status.DITOLAK
        permintaan.diputuskan_oleh, permintaan.diputuskan_pada, permintaan.catatan = pengguna, waktu, catatan
        permintaan.save()
        data = {"permintaan": permintaan.pk, "lama": samarkan_hp(permintaan.no_hp_lama),
                "baru": samarkan_hp(permintaan.no_hp_baru), "catatan": catatan}
        if setuju:
            warga.no_hp = permintaan.no_hp_baru
            warga.save(update_fields=["no_hp"])
            data.update(cara="loket_disetujui_lurah", diajukan_oleh=permintaan.diajukan_oleh.get_username())
        audit_catat(rantai=permintaan.kelurahan_id, kategori=AuditEvent.Kategori.AUTENTIKASI,
                    aksi="ganti_no_hp" if setuju else "ganti_no_hp_ditolak", aktor=pengguna, peran=Peran.LURAH,
                    objek_tipe="warga", objek_id=warga.pk, waktu=waktu, data=data)
    return permintaan


# --- draft letter ----------------------------------------------------------------------------


def permohonan_draf_pdf(*, permohonan_id, pengguna, waktu=None) -> tuple[Permohonan, bytes]:
    """'Pratinjau draf' for an officer in scope before approval: the letter watermarked DRAF,
    without number or QR, stored nowhere. It prints the resident's data, so each preview is
    recorded as a view of personal data (kategori akses_data); the signer's record is also what
    lets them sign (`permohonan_aksi`). 404 outside scope, 403 for a resident (the letter is theirs
    once signed, not before), 409 once a letter exists or the request is closed. `waktu` as in
    `permohonan_aksi`: the demo history replays previews at their own time."""
    from layanan.models import STATUS_TERBUKA

    p = (permohonan_dalam_lingkup(pengguna).select_related("layanan", "kelurahan", "kecamatan", "pemohon")
         .filter(pk=permohonan_id).first())
    if p is None:
        raise TidakDitemukan(_("Permohonan tidak ditemukan."))
    peran = sorted(peran_aktif(pengguna, p) - {Peran.WARGA})
    if not peran and not pengguna.is_superuser:
        raise AksiDilarang(_("Pratinjau draf hanya untuk petugas."))
    if p.surat.exists() or p.status not in STATUS_TERBUKA:
        raise StatusTidakSesuai(_("Surat sudah terbit atau permohonan sudah ditutup; tidak ada draf lagi."))
    pdf = surat_draf_pdf(permohonan=p)
    _catat_akses(p, pengguna=pengguna, aksi="pratinjau_draf", peran=peran[0] if peran else "admin", waktu=waktu,
                 status=p.status)
    return p, pdf


# --- daily digest for the lurah and the camat ------------------------------------------------------------

PERAN_DIGEST = {Kantor.Jenis.KELURAHAN: Peran.LURAH, Kantor.Jenis.KECAMATAN: Peran.CAMAT,
                Kantor.Jenis.KOTA: Peran.INSPEKTORAT}


def digest_saksi(kantor) -> list[str]:
    """The audit chains this office's head witnesses, as '<chain> <size> <root prefix>' of their latest
    signed checkpoints: the lurah their kelurahan's, the camat every kelurahan of the kecamatan, the
    inspectorate the city-wide chains (complaints, surveys, system). A copy outside the database that
    `audit_verify --checkpoint` reads back, so a later rewrite of what they were told is caught."""
    from audit.selectors import checkpoint_terbaru, ringkas_checkpoint

    if kantor.jenis == Kantor.Jenis.KOTA:  # the chains not named by a region: sistem, survei, pengaduan
        milik = lambda rantai: not rantai[:1].isdigit()  # noqa: E731
    elif kantor.jenis == Kantor.Jenis.KECAMATAN:
        milik = lambda rantai: rantai.startswith(f"{kantor.wilayah_id}.")  # noqa: E731
    else:
        milik = lambda rantai: rantai == kantor.wilayah_id  # noqa: E731
    return [ringkas_checkpoint(cp) for cp in checkpoint_terbaru() if milik(cp.rantai)]


def digest_ringkasan(angka: dict, tanggal) -> str:
    from django.utils import formats

    teks = _("%(tanggal)s: %(baru)d baru, %(selesai)d selesai, %(ditolak)d ditolak. Masih terbuka %(terbuka)d "
             "(rawan %(rawan)d, terlambat %(terlambat)d).") % {"tanggal": formats.date_format(tanggal, "l, j F Y"),
                                                              **angka}
    if angka["terlama"]:
        teks += " " + _("Terlambat paling lama: %(nomor)s.") % {"nomor": angka["terlama"]}
    if angka.get("checkpoint"):
        # One line of a WhatsApp template variable: entries separated by "; " (no newlines allowed).
        teks += " " + _("Jejak audit (simpan pesan ini): %(daftar)s") % {"daftar": "; ".join(angka["checkpoint"])}
    return teks


def digest_kirim(*, sekarang=None) -> dict:
    """Yesterday's figures of each kelurahan and kecamatan office to its lurah or camat on WhatsApp.

    Once per office per day: the DigestHarian row is claimed (unique office+day) in the same
    transaction as the outbox messages and the audit event, so a second run the same day, or
    two runs at once, write nothing more. Offices whose head has no number are skipped
    (and tried again on the next run that day)."""
    from datetime import timedelta

    from layanan.models import DigestHarian
    from layanan.permohonan.selectors import digest_angka

    sekarang = sekarang or timezone.now()
    tanggal = timezone.localdate(sekarang) - timedelta(days=1)
    hasil = {"kantor": 0, "pesan": 0, "sudah": 0}
    kantor_semua = Kantor.objects.filter(jenis__in=PERAN_DIGEST).select_related("wilayah").order_by("wilayah_id")
    sudah = set(DigestHarian.objects.filter(tanggal=tanggal).values_list("kantor_id", flat=True))
    for kantor in kantor_semua:
        if kantor.pk in sudah:
            hasil["sudah"] += 1
            continue
        nomor = sorted({t.no_hp for t in kantor.penugasan.filter(peran=PERAN_DIGEST[kantor.jenis], aktif=True)
                        if t.no_hp})
        if not nomor:
            continue
        angka = digest_angka(kantor=kantor, tanggal=tanggal, sekarang=sekarang)
        angka["checkpoint"] = digest_saksi(kantor)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    DigestHarian.objects.create(kantor=kantor, tanggal=tanggal, dibuat=sekarang, angka=angka,
                                                penerima=len(nomor))
            except IntegrityError:  # another run claimed it a moment ago
                hasil["sudah"] += 1
                continue
            for no_hp in nomor:
                outbox_tulis(penerima=no_hp, templat="digest_harian", referensi=f"digest:{kantor.wilayah_id}:{tanggal}",
                             variabel={"kantor": kantor.nama, "ringkasan": digest_ringkasan(angka, tanggal)})
            audit_catat(rantai="sistem", kategori=AuditEvent.Kategori.NOTIFIKASI, aksi="digest_harian",
                        objek_tipe="kantor", objek_id=kantor.wilayah_id, waktu=sekarang,
                        data={"tanggal": tanggal.isoformat(), "angka": angka, "penerima": len(nomor)})
        hasil["kantor"] += 1
        hasil["pesan"] += len(nomor)
    return hasil
