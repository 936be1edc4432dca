"""Issued letters: the gapless number, the stored PDF with its hash in the audit
log, revocation and reissue, and who may download a letter.

Everything here runs inside the caller's transaction (the approval), so a
failure anywhere — rendering included — rolls the approval back and no number
is consumed.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from audit.models import AuditEvent
from audit.services import audit_catat
from kelurahan.models import Kantor, Peran
from layanan.models import Layanan, PenghitungNomorSurat, Surat, TemplatSuratVersi
from layanan.permohonan.galat import AksiDilarang, InputTidakValid, StatusTidakSesuai, TidakDitemukan
from layanan.permohonan.privasi import samarkan_nama
from layanan.permohonan.selectors import penandatangan_ditetapkan, permohonan_dalam_lingkup, wilayah_penandatangan
from layanan.surat import tte
from layanan.surat.pdf import ROMAWI, konteks_surat, render_pdf
from layanan.surat.token import buat_id_publik, url_verifikasi

PERAN_PENANDATANGAN = {Kantor.Jenis.KELURAHAN: Peran.LURAH, Kantor.Jenis.KECAMATAN: Peran.CAMAT}
AWALAN_STATUS = {"plt": "Plt.", "plh": "Plh."}
SALT_UNDUH = "simpatik.surat.unduh"


def kantor_penandatangan(permohonan) -> Kantor:
    """The office that signs (selectors.wilayah_penandatangan)."""
    return Kantor.objects.select_related("wilayah").get(wilayah_id=wilayah_penandatangan(permohonan))


def _penugasan(user, kantor: Kantor, peran: str):
    """The user's active assignment in `peran` at `kantor`, if any."""
    if not getattr(user, "is_authenticated", False) or not peran:
        return None
    return user.penugasan.filter(aktif=True, peran=peran, kantor=kantor).first()


def _jabatan_kalimat(jabatan: str) -> str:
    """"LURAH MEDONO" -> "Lurah Medono" for the body's sentence (a title typed in mixed case stays as typed)."""
    return jabatan.title() if jabatan.isupper() else jabatan


def penandatangan_blok(*, kantor: Kantor, pengguna) -> dict:
    """The signature block as printed and as kept with the letter, decided by who signs.

    The signing officer's assignment says how they sign (`Penugasan.kedudukan`):
    as the head (no prefix), a.n. for the head (their own title below), Plt. or
    Plh. for an acting officer; an assignment that says nothing follows the
    office's `penandatangan_status`. The office names the head's title
    (`penandatangan_jabatan`) and, for the head, the name and NIP as printed.
    `pembuka` is who the body's opening sentence names: the head's office for
    the head and for a.n. (the subordinate signs on its behalf), the acting
    title for Plt./Plh.
    """
    tugas = _penugasan(pengguna, kantor, PERAN_PENANDATANGAN.get(kantor.jenis, ""))
    jabatan_kantor = kantor.penandatangan_jabatan or (tugas.jabatan if tugas else "")
    status = (tugas.kedudukan if tugas and tugas.kedudukan else kantor.penandatangan_status) or ""
    if status == "def":
        status = ""
    nama_pengguna = pengguna.get_full_name() if pengguna is not None else ""
    if status == "":
        nama = kantor.penandatangan_nama or nama_pengguna
        nip = kantor.penandatangan_nip or (tugas.nip if tugas else "")
        baris = [jabatan_kantor]
        pembuka = _jabatan_kalimat(jabatan_kantor)
    else:
        nama = nama_pengguna or kantor.penandatangan_nama
        nip = (tugas.nip if tugas else "") or kantor.penandatangan_nip
        if status == "an":
            baris = [f"a.n. {jabatan_kantor}"] + ([tugas.jabatan] if tugas and tugas.jabatan else [])
            pembuka = _jabatan_kalimat(jabatan_kantor)
        else:
            baris = [f"{AWALAN_STATUS[status]} {jabatan_kantor}"]
            pembuka = f"{AWALAN_STATUS[status]} {_jabatan_kalimat(jabatan_kantor)}"
    baris = [b for b in baris if b.strip()]
    return {
        "nama": nama,
        "nip": nip,
        "jabatan": ", ".join(baris),
        "baris_jabatan": baris,
        "pembuka": pembuka,
        "status": status,
        "username": getattr(pengguna, "username", ""),
        "user_id": getattr(pengguna, "pk", None),
    }


def nomor_alokasikan(*, kantor: Kantor, klasifikasi: str, waktu) -> tuple[str, int, int]:
    """Next number of (office, year): the counter row stays locked until the caller commits."""
    lokal = timezone.localtime(waktu)
    # Create the row race-free; then every allocator queues on the same row lock.
    PenghitungNomorSurat.objects.bulk_create(
        [PenghitungNomorSurat(kantor=kantor, tahun=lokal.year)], ignore_conflicts=True
    )
    baris = PenghitungNomorSurat.objects.select_for_update().get(kantor=kantor, tahun=lokal.year)
    baris.terakhir += 1
    baris.save(update_fields=["terakhir"])
    nomor = kantor.format_nomor_surat.format(
        klasifikasi=klasifikasi,
        urut=baris.terakhir,
        kode_wilayah=kantor.wilayah_id,
        bulan_romawi=ROMAWI[lokal.month - 1],
        bulan=lokal.month,
        tahun=lokal.year,
    )
    return nomor, lokal.year, baris.terakhir


def _simpan_pdf(pdf: bytes, waktu) -> str:
    import secrets

    return default_storage.save(f"surat/{timezone.localtime(waktu):%Y/%m}/{secrets.token_hex(16)}.pdf", ContentFile(pdf))


def penandatangan_layanan_periksa(*, permohonan, pengguna):
    """The office may name who signs one service's letters (PenandatanganLayanan); anyone else: 403."""
    ditetapkan = penandatangan_ditetapkan(permohonan)
    if ditetapkan is not None and ditetapkan != pengguna.pk:
        nama = get_user_model().objects.get(pk=ditetapkan)
        raise AksiDilarang(_("Surat layanan ini ditandatangani oleh %(nama)s menurut pengaturan kantor.")
                           % {"nama": nama.get_full_name() or nama.get_username()})


@sensitive_variables("passphrase")
def _terbitkan(*, permohonan, penandatangan, waktu, aksi_audit: str, data_audit: dict | None = None,
               passphrase: str | None = None) -> Surat:
    kantor = kantor_penandatangan(permohonan)
    blok = penandatangan_blok(kantor=kantor, pengguna=penandatangan)
    tugas = _penugasan(penandatangan, kantor, PERAN_PENANDATANGAN.get(kantor.jenis, ""))
    nomor, tahun, urut = nomor_alokasikan(kantor=kantor, klasifikasi=permohonan.layanan.kode_klasifikasi, waktu=waktu)
    id_publik = buat_id_publik()
    konteks = konteks_surat(
        permohonan=permohonan, kantor=kantor, nomor=nomor, tanggal=timezone.localtime(waktu).date(),
        penandatangan=blok, url_verifikasi=url_verifikasi(id_publik),
    )
    # The number is allocated before signing (it is printed in the signed file) but only committed with
    # the approval: a refusal or an outage rolls both back, so no number is ever skipped.
    pdf, ttd = tte.tandatangani(render_pdf(konteks), alasan=nomor, lokasi=kantor.nama,
                                nik=tugas.nik_tte if tugas else "", passphrase=passphrase,
                                url_verifikasi=url_verifikasi(id_publik))
    templat = konteks["templat_dipakai"]
    sha256 = hashlib.sha256(pdf).hexdigest()
    nama_berkas = _simpan_pdf(pdf, waktu)
    try:
        surat = Surat.objects.create(
            id_publik=id_publik, permohonan=permohonan, kantor=kantor, nomor=nomor, tahun=tahun, urut=urut,
            diterbitkan_pada=waktu, penandatangan=blok, berkas_pdf=nama_berkas, sha256=sha256,
            tanda_tangan_elektronik=ttd, templat_versi=templat["versi"],
        )
        audit_catat(
            rantai=permohonan.kelurahan_id,
            kategori=AuditEvent.Kategori.SURAT,
            aksi=aksi_audit,
            aktor=penandatangan,
            peran=PERAN_PENANDATANGAN.get(kantor.jenis, ""),
            objek_tipe="surat",
            objek_id=surat.pk,
            data={
                "nomor": nomor,
                "sha256": sha256,
                "ukuran": len(pdf),
                "layanan": permohonan.layanan.kode,
                "kantor": kantor.wilayah_id,
                "kelurahan": permohonan.kelurahan_id,
                "nomor_registrasi": permohonan.nomor_registrasi,
                "penandatangan": {k: blok[k] for k in ("nama", "nip", "jabatan", "status")},
                "tanda_tangan_elektronik": ttd or None,
                "templat": templat,
                **(data_audit or {}),
            },
            waktu=waktu,
        )
    except BaseException:
        default_storage.delete(nama_berkas)
        raise
    return surat


@sensitive_variables("passphrase")
def surat_terbitkan(*, permohonan, penandatangan, waktu, passphrase: str | None = None) -> Surat:
    """Issue the letter of a request the signer has just approved (call inside the approval transaction).

    Holding the counter lock while the PDF renders (~0.2 s, ~0.07 s more to sign it) serializes one
    office's approvals; that is the price of a number that is never skipped.
    If the transaction rolls back after this returns, the stored PDF stays as
    an unreferenced file (random name, never served).
    """
    with transaction.atomic():
        return _terbitkan(permohonan=permohonan, penandatangan=penandatangan, waktu=waktu, aksi_audit="terbitkan",
                          passphrase=passphrase)


def surat_draf_pdf(*, permohonan) -> bytes:
    """Preview for officers before approval: watermarked DRAF, no number, no QR, nothing stored."""
    kantor = kantor_penandatangan(permohonan)
    blok = penandatangan_blok(kantor=kantor, pengguna=None)
    konteks = konteks_surat(
        permohonan=permohonan, kantor=kantor, nomor="", tanggal=timezone.localdate(), penandatangan=blok, draf=True
    )
    return render_pdf(konteks)


IDENTITAS_CONTOH = {
    "nik": "3375010101900001", "nama": "Nama Contoh Pemohon", "tempat_lahir": "Pekalongan",
    "tanggal_lahir": "1990-01-01", "jenis_kelamin": "L", "agama": "Islam", "pekerjaan": "Wiraswasta",
    "status_perkawinan": "Kawin", "alamat": "Jl. Contoh No. 1 RT 001 RW 001",
}


def surat_pratinjau_pdf(*, layanan, kantor: Kantor) -> tuple[bytes, dict]:
    """The service's letter with sample data, for the admin's preview: DRAF, no number, nothing stored.

    Returns the PDF and which template made it (so the admin sees a fallback too).
    """
    from layanan.models import Permohonan
    from layanan.surat.templat import contoh_data

    wilayah = kantor.wilayah
    kelurahan = wilayah if wilayah.tingkat == wilayah.Tingkat.DESA else wilayah.anak.order_by("kode").first()
    kecamatan = kelurahan.induk if kelurahan is not None else wilayah
    permohonan = Permohonan(
        layanan=layanan, kelurahan=kelurahan or wilayah, kecamatan=kecamatan, identitas=IDENTITAS_CONTOH,
        keperluan="Contoh keperluan", data=contoh_data(layanan.formulir),
    )
    blok = penandatangan_blok(kantor=kantor, pengguna=None)
    konteks = konteks_surat(permohonan=permohonan, kantor=kantor, nomor="", tanggal=timezone.localdate(),
                            penandatangan=blok, draf=True)
    pdf = render_pdf(konteks)
    return pdf, konteks["templat_dipakai"]


# --- revocation and reissue ---


def _boleh_kelola(user, surat: Surat) -> bool:
    """The signer role of the letter's office, or an admin."""
    if getattr(user, "is_superuser", False) or user.penugasan.filter(aktif=True, peran=Peran.ADMIN).exists():
        return True
    return _penugasan(user, surat.kantor, PERAN_PENANDATANGAN.get(surat.kantor.jenis, "")) is not None


def _kunci_surat_kelola(*, surat, oleh, alasan, hanya_penandatangan=False) -> tuple[Surat, str]:

    dalam_lingkup = permohonan_dalam_lingkup(oleh).filter(pk=surat.permohonan_id)
    terkunci = (
        Surat.objects.select_for_update(of=("self",))
        .select_related("kantor", "permohonan__layanan", "permohonan__kelurahan", "permohonan__kecamatan")
        .filter(pk=surat.pk, permohonan__in=dalam_lingkup)
        .first()
    )
    if terkunci is None:
        raise TidakDitemukan(_("Surat tidak ditemukan."))
    if hanya_penandatangan:
        boleh = _penugasan(oleh, terkunci.kantor, PERAN_PENANDATANGAN.get(terkunci.kantor.jenis, "")) is not None
    else:
        boleh = _boleh_kelola(oleh, terkunci)
    if not boleh:
        raise AksiDilarang(_("Hanya penandatangan kantor penerbit atau admin yang dapat mencabut surat."))
    if terkunci.status != Surat.StatusSurat.BERLAKU:
        raise StatusTidakSesuai(_("Surat ini sudah dicabut atau diganti."))
    alasan = str(alasan or "").strip()
    if not alasan:
        raise InputTidakValid(_("Alasan wajib diisi."), {"alasan": [_("Alasan wajib diisi.")]})
    if len(alasan) > 500:
        raise InputTidakValid(_("Alasan terlalu panjang."), {"alasan": [_("Paling banyak 500 karakter.")]})
    return terkunci, alasan


def _catat_kelola(*, surat: Surat, oleh, aksi: str, alasan: str, waktu, data: dict | None = None):
    peran_ttd = PERAN_PENANDATANGAN.get(surat.kantor.jenis, "")
    audit_catat(
        rantai=surat.permohonan.kelurahan_id,
        kategori=AuditEvent.Kategori.SURAT,
        aksi=aksi,
        aktor=oleh,
        peran=peran_ttd if _penugasan(oleh, surat.kantor, peran_ttd) else Peran.ADMIN,
        objek_tipe="surat",
        objek_id=surat.pk,
        data={"nomor": surat.nomor, "sha256": surat.sha256, "kantor": surat.kantor.wilayah_id,
              "layanan": surat.permohonan.layanan.kode, "alasan": alasan, **(data or {})},
        waktu=waktu,
    )


def surat_cabut(*, surat, oleh, alasan, waktu=None) -> Surat:
    """Revoke a letter: the verification page then reads DICABUT with the date and reason."""
    waktu = waktu or timezone.now()
    with transaction.atomic():
        surat, alasan = _kunci_surat_kelola(surat=surat, oleh=oleh, alasan=alasan)
        surat.status = Surat.StatusSurat.DICABUT
        surat.dicabut_pada = waktu
        surat.alasan_cabut = alasan
        surat.save(update_fields=["status", "dicabut_pada", "alasan_cabut"])
        _catat_kelola(surat=surat, oleh=oleh, aksi="cabut", alasan=alasan, waktu=waktu)
    return surat


@sensitive_variables("passphrase")
def surat_terbitkan_ulang(*, surat, oleh, alasan, waktu=None, passphrase: str | None = None) -> Surat:
    """Replace a letter by a new one with a new number; the old one reads "diganti".

    Only the signer of the office may reissue (the new letter carries their
    signature); an admin may revoke but not sign.
    """
    waktu = waktu or timezone.now()
    try:
        with transaction.atomic():
            lama, alasan = _kunci_surat_kelola(surat=surat, oleh=oleh, alasan=alasan, hanya_penandatangan=True)
            baru = _terbitkan(permohonan=lama.permohonan, penandatangan=oleh, waktu=waktu,
                              aksi_audit="terbitkan_ulang", data_audit={"menggantikan": lama.nomor, "alasan": alasan},
                              passphrase=passphrase)
            lama.status = Surat.StatusSurat.DIGANTI
            lama.dicabut_pada = waktu
            lama.alasan_cabut = alasan
            lama.pengganti = baru
            lama.save(update_fields=["status", "dicabut_pada", "alasan_cabut", "pengganti"])
            _catat_kelola(surat=lama, oleh=oleh, aksi="ganti", alasan=alasan, waktu=waktu,
                          data={"pengganti": baru.nomor})
    except tte.GalatTTE as galat:
        # The refusal rolled the reissue back; it is still a signing attempt (a passphrase guessed at, a
        # provider down), so the ledger keeps it, as it keeps a refused approval (_tte_catat_gagal).
        with transaction.atomic():
            _catat_kelola(surat=surat, oleh=oleh, aksi="tte_gagal", alasan=str(alasan or "").strip(), waktu=waktu,
                          data={"aksi": "terbitkan_ulang", "kode": galat.kode, "pesan": str(galat.pesan),
                                "penyedia": "bsre" if tte.tte_bsre() else "pkcs12"})
        raise
    return baru


# --- reading and delivery ---


def surat_terkini(permohonan) -> Surat | None:
    """The letter in force for a request (a revoked one if nothing replaced it)."""
    return permohonan.surat.filter(pengganti__isnull=True).order_by("-diterbitkan_pada").first()


def surat_boleh_diunduh(user, surat: Surat) -> bool:
    """Owner of the request, or an officer whose scope covers it. False must answer 404, never 403."""

    return permohonan_dalam_lingkup(user).filter(pk=surat.permohonan_id).exists()


def nama_berkas_unduh(surat: Surat) -> str:
    return "surat-" + "".join(c if c.isalnum() else "-" for c in surat.nomor) + ".pdf"


def tautan_unduh(surat: Surat) -> str:
    """Absolute signed link for the WhatsApp "selesai" message; expires after SURAT_TAUTAN_UNDUH_HARI days."""
    nilai = signing.TimestampSigner(salt=SALT_UNDUH).sign(surat.id_publik)
    return settings.PUBLIC_BASE_URL + reverse("surat-unduh", args=[nilai])


def surat_dari_tautan(nilai: str) -> Surat | None:
    """The letter a download link names (None if it no longer exists).

    Raises signing.SignatureExpired for an expired link and signing.BadSignature for a forged one.
    """
    maks = int(getattr(settings, "SURAT_TAUTAN_UNDUH_HARI", 7)) * 86400
    id_publik = signing.TimestampSigner(salt=SALT_UNDUH).unsign(nilai, max_age=maks)
    return Surat.objects.select_related("permohonan").filter(id_publik=id_publik).first()


def surat_bukti_buku_besar(surat: Surat) -> dict | None:
    """The letter's issuing event in its kelurahan's audit chain, with the inclusion proof in the
    latest signed checkpoint, and whether the ledger's record of the PDF fingerprint is this letter's.

    Hashes only: a reader can take the proof and the checkpoint to /api/v1/audit/ and check them
    with the public key, without trusting this page."""
    from audit.selectors import bukti_objek

    hasil = bukti_objek("surat", surat.pk, aksi=("terbitkan", "terbitkan_ulang"))
    if hasil is not None:
        hasil["sha256_cocok"] = hasil["event"].data.get("sha256") == surat.sha256
    return hasil


def surat_info_publik(surat: Surat) -> dict:
    """What the public verification page and API may show: no NIK, name masked."""

    permohonan = surat.permohonan
    pengganti = surat.pengganti
    return {
        "sah": surat.status == Surat.StatusSurat.BERLAKU,
        "status": surat.status,
        "status_label": surat.get_status_display(),
        "nomor": surat.nomor,
        "layanan": permohonan.layanan.nama,
        "perihal": permohonan.layanan.perihal or permohonan.layanan.nama,
        "diterbitkan_pada": timezone.localtime(surat.diterbitkan_pada).isoformat(),
        "kantor": surat.kantor.nama,
        "penandatangan": {"nama": surat.penandatangan.get("nama", ""), "jabatan": surat.penandatangan.get("jabatan", "")},
        "nama_pemohon": samarkan_nama((permohonan.identitas or {}).get("nama", "")),
        "sha256": surat.sha256,
        "dicabut_pada": timezone.localtime(surat.dicabut_pada).isoformat() if surat.dicabut_pada else None,
        "alasan_cabut": surat.alasan_cabut if surat.status != Surat.StatusSurat.BERLAKU else "",
        "pengganti": (
            {"nomor": pengganti.nomor, "verifikasi_url": url_verifikasi(pengganti.id_publik)} if pengganti else None
        ),
        **_info_tanda_tangan(surat.tanda_tangan_elektronik),
        "tte_penyedia": tte.verifikasi_penyedia(surat),
    }


def _info_tanda_tangan(ttd: dict) -> dict:
    """Whether the PDF itself carries a PAdES signature, and whose certificate made it."""
    if not ttd:
        return {"tanda_tangan_digital": False, "tanda_tangan_elektronik": None,
                "tanda_tangan_keterangan": _("Tanpa tanda tangan elektronik")}
    return {
        "tanda_tangan_digital": True,
        "tanda_tangan_elektronik": {k: ttd.get(k, "") for k in (
            "format", "nama", "subjek", "penerbit", "berlaku_sampai", "penyedia", "ditandatangani_pada")},
        "tanda_tangan_keterangan": _("Ditandatangani secara elektronik oleh %(nama)s") % {"nama": ttd.get("nama", "")},
    }


def surat_untuk_token(id_publik: str) -> Surat | None:
    return (
        Surat.objects.select_related("kantor", "pengganti", "permohonan__layanan")
        .filter(id_publik=id_publik)
        .first()
    )


def surat_catat_pindai(surat: Surat):
    """Count a scan; nothing about the visitor is kept."""
    from django.db.models import F

    Surat.objects.filter(pk=surat.pk).update(jumlah_pindai=F("jumlah_pindai") + 1)


def sha256_berkas(berkas) -> str:
    h = hashlib.sha256()
    for potongan in berkas.chunks():
        h.update(potongan)
    return h.hexdigest()


def templat_catat_versi(*, layanan, oleh=None, waktu=None) -> None:
    """Keep the template just saved as the service's next version (called by whatever saved it).

    The letter records the version it was rendered from (`Surat.templat_versi`),
    so an auditor can show the exact body text of any issued letter.
    """
    with transaction.atomic():
        baris = Layanan.objects.select_for_update().get(pk=layanan.pk)
        baris.templat_versi += 1
        baris.save(update_fields=["templat_versi"])
        TemplatSuratVersi.objects.create(
            layanan=baris, versi=baris.templat_versi, isi=baris.templat_surat, dibuat_pada=waktu or timezone.now(),
            dibuat_oleh=getattr(oleh, "username", "") or "",
        )
    layanan.templat_versi = baris.templat_versi
