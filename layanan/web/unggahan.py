"""Documents kept across a form error (issue 18, item 2), so a resident on a phone does not photograph
KTP, KK and the RT letter again because one other field was wrong.

Safety: a file is kept only after the same content check as a submission (periksa_berkas: type by magic
bytes, size limit); it is stored under a random name in the private storage (never served by URL) and
only its session knows that name: the form never takes a name or token from the client, so another
session cannot refer to it. A kept file expires after UMUR (layanan/permohonan/sementara.py, with the sweep); files of sessions that never came back are swept
by the nightly retention job and, at most every SELANG_SAPU per process, when a file is kept (the sweep lists
the whole folder, which on object storage is a LIST and a HEAD per file: not something to do per form error).
"""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from layanan.permohonan.sementara import AWALAN, UMUR, sapu_kedaluwarsa
from layanan.permohonan.validasi import periksa_berkas

SESI = "unggahan_tersimpan"
SELANG_SAPU = timedelta(minutes=10)
_disapu_pada = None  # this process's last sweep from a request


def _ruang(request, ruang) -> dict:
    return request.session.get(SESI, {}).get(ruang, {})


def _buang(entri) -> None:
    try:
        default_storage.delete(entri["path"])
    except OSError:
        pass


def _sapu_bila_perlu(sekarang) -> None:
    global _disapu_pada
    if _disapu_pada is None or not timedelta(0) <= sekarang - _disapu_pada < SELANG_SAPU:  # a clock set back sweeps
        _disapu_pada = sekarang
        sapu_kedaluwarsa(sekarang)


def tersimpan(request, ruang) -> dict:
    """kode -> {"nama", "ukuran", "jenis"} of this session's kept, unexpired files in `ruang`."""
    sekarang = timezone.now().timestamp()
    hasil, basi = {}, []
    for kode, entri in _ruang(request, ruang).items():
        if entri["sampai"] < sekarang:
            basi.append(kode)
        else:
            hasil[kode] = {k: entri[k] for k in ("nama", "ukuran", "jenis")}
    for kode in basi:
        hapus(request, ruang, kode)
    return hasil


def simpan_baru(request, ruang, files, kode_berkas) -> dict:
    """Keep each newly chosen file of `kode_berkas` that passes the content check (replacing a kept one).
    Returns {"berkas_<kode>": [message]} for those that do not: they are not kept."""
    galat = {}
    sekarang = timezone.now()
    baru = False
    for kode in kode_berkas:
        f = files.get(f"berkas_{kode}")
        if f is None:
            continue
        try:
            info = periksa_berkas(f)
        except ValidationError as e:
            galat[f"berkas_{kode}"] = e.messages
            continue
        hapus(request, ruang, kode)
        path = default_storage.save(f"{AWALAN}/{secrets.token_hex(16)}", f)
        f.seek(0)
        semua = request.session.setdefault(SESI, {})
        semua.setdefault(ruang, {})[kode] = {
            "path": path, "nama": (f.name or kode)[-100:], "jenis": info["jenis"], "ukuran": info["ukuran"],
            "sha256": info["sha256"], "sampai": (sekarang + UMUR).timestamp(),
        }
        request.session.modified = True
        baru = True
    if baru:
        _sapu_bila_perlu(sekarang)
    return galat


def ambil(request, ruang) -> dict:
    """kode -> the kept file, as an upload the services check again; one that changed on disk is dropped."""
    import hashlib

    hasil = {}
    for kode in tersimpan(request, ruang):
        entri = _ruang(request, ruang)[kode]
        try:
            with default_storage.open(entri["path"], "rb") as f:
                isi = f.read()
        except OSError:
            hapus(request, ruang, kode)
            continue
        if hashlib.sha256(isi).hexdigest() != entri["sha256"]:
            hapus(request, ruang, kode)
            continue
        hasil[kode] = SimpleUploadedFile(entri["nama"], isi, content_type=entri["jenis"])
    return hasil


def hapus(request, ruang, kode=None) -> None:
    """Forget one kept file (kode) or all of `ruang`, deleting the stored copies."""
    semua = request.session.get(SESI, {})
    isi = semua.get(ruang, {})
    for k in [kode] if kode else list(isi):
        entri = isi.pop(k, None)
        if entri:
            _buang(entri)
    if not isi:
        semua.pop(ruang, None)
    request.session.modified = True
