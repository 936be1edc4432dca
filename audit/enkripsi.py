"""Encryption at rest of personal data (NIK, phone numbers, a request's identity, uploaded files) and
the keyed blind index that still finds a resident by NIK or number in one indexed query.

Key ring: settings.DATA_KEYS, newest first, each a base64 32-byte AES-256 key. A value is sealed with
AES-GCM under the newest key and carries that key's short id, so an older key still opens what it
sealed; `manage.py enkripsi_ulang` then re-seals every row and file under the newest one. The
associated data names the column (or the file's name), so a ciphertext copied into another column
or onto another file does not open. Blind index: HMAC-SHA256 under settings.BLIND_INDEX_KEY (a
separate key: the index reveals equality, never the value) of a kind label and the normalised value.
It lives in `audit` because it is the one app every other may import (tests/test_arsitektur.py);
docs/privasi.md "Enkripsi" has the design and the threat model.
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import re
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import migrations, models
from django.db.models.lookups import Exact, IsNull
from django.utils.translation import gettext_lazy

PEMISAH = ":"
KEPALA_BERKAS = b"SMPTK1"  # a sealed file: this, the key id (8 ASCII bytes), the 12-byte nonce, the ciphertext


class KunciDataTidakAda(ImproperlyConfigured):
    """DATA_KEYS or BLIND_INDEX_KEY is missing or malformed (production refuses to start: config/pemeriksaan.py)."""


class SegelRusak(ValueError):
    """A sealed value that no key of the ring opens (unknown key id, altered, or moved from another column)."""


def kunci_dari_teks(teks: str) -> bytes:
    try:
        kunci = base64.urlsafe_b64decode(teks.strip() + "=" * (-len(teks.strip()) % 4))
    except (ValueError, TypeError):
        raise KunciDataTidakAda("kunci bukan base64") from None
    if len(kunci) != 32:
        raise KunciDataTidakAda(f"kunci harus 32 bait, bukan {len(kunci)}")
    return kunci


def buat_kunci_teks() -> str:
    """A new random key in the form DATA_KEYS and BLIND_INDEX_KEY take."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def id_kunci(kunci: bytes) -> str:
    return hashlib.sha256(b"simpatik-kunci-data:" + kunci).hexdigest()[:8]


@lru_cache(maxsize=4)
def _cincin(teks: tuple[str, ...]) -> tuple[tuple[str, AESGCM], ...]:
    if not teks:
        raise KunciDataTidakAda("DATA_KEYS kosong")
    return tuple((id_kunci(k), AESGCM(k)) for k in map(kunci_dari_teks, teks))


def cincin() -> tuple[tuple[str, AESGCM], ...]:
    """(key id, cipher) of every key, newest first."""
    return _cincin(tuple(settings.DATA_KEYS))


def id_kunci_terbaru() -> str:
    return cincin()[0][0]


def _buka_dengan(kid: str, nonce_ct: bytes, aad: bytes) -> bytes:
    for k, aes in cincin():
        if k == kid:
            try:
                return aes.decrypt(nonce_ct[:12], nonce_ct[12:], aad)
            except InvalidTag:
                raise SegelRusak("segel tidak cocok dengan kuncinya") from None
    raise SegelRusak(f"kunci {kid} tidak ada di DATA_KEYS")


def segel(teks: str, *, label: str) -> str:
    """`teks` sealed under the newest key as "<key id>:<base64 nonce+ciphertext>"."""
    kid, aes = cincin()[0]
    nonce = os.urandom(12)
    isi = aes.encrypt(nonce, teks.encode("utf-8"), label.encode())
    return kid + PEMISAH + base64.b64encode(nonce + isi).decode("ascii")


def buka(token: str, *, label: str) -> str:
    kid, _, isi = token.partition(PEMISAH)
    try:
        mentah = base64.b64decode(isi, validate=True)
    except ValueError:
        raise SegelRusak("bukan nilai tersegel") from None
    return _buka_dengan(kid, mentah, label.encode()).decode("utf-8")


_BENTUK_TOKEN = re.compile(r"[0-9a-f]{8}:[A-Za-z0-9+/]{40,}={0,2}")


def tampak_tersegel(nilai: str) -> bool:
    """Whether a stored text is a seal (a plaintext NIK or number, ≤ 16 characters, never is)."""
    return bool(_BENTUK_TOKEN.fullmatch(nilai))


def id_kunci_token(token: str) -> str:
    return token.partition(PEMISAH)[0]


def segel_bait(data: bytes, *, label: str) -> bytes:
    kid, aes = cincin()[0]
    nonce = os.urandom(12)
    return KEPALA_BERKAS + kid.encode("ascii") + nonce + aes.encrypt(nonce, data, label.encode())


def bait_tersegel(data: bytes) -> bool:
    return data.startswith(KEPALA_BERKAS)


def id_kunci_bait(data: bytes) -> str:
    return data[len(KEPALA_BERKAS):len(KEPALA_BERKAS) + 8].decode("ascii", "replace")


def buka_bait(data: bytes, *, label: str) -> bytes:
    if not bait_tersegel(data):
        raise SegelRusak("bukan berkas tersegel")
    awal = len(KEPALA_BERKAS)
    return _buka_dengan(data[awal:awal + 8].decode("ascii", "replace"), data[awal + 8:], label.encode())


@lru_cache(maxsize=4)
def _kunci_indeks(teks: str) -> bytes:
    if not teks:
        raise KunciDataTidakAda("BLIND_INDEX_KEY kosong")
    return kunci_dari_teks(teks)


def indeks_buta(jenis: str, nilai: str, *, lama: bool = False) -> str:
    """HMAC-SHA256 of `jenis:nilai` (the caller normalises `nilai`): equal values, equal index. With `lama`,
    under BLIND_INDEX_KEY_LAMA (the key being rotated out)."""
    kunci = _kunci_indeks(settings.BLIND_INDEX_KEY_LAMA if lama else settings.BLIND_INDEX_KEY)
    return hmac.new(kunci, f"{jenis}:{nilai}".encode(), hashlib.sha256).hexdigest()


def indeks_nik(nik, *, lama: bool = False) -> str:
    """Index of a NIK as typed: spaces and dots dropped, so "3375 0112…" finds the same resident."""
    return indeks_buta("nik", "".join(ch for ch in str(nik or "") if ch.isdigit()), lama=lama)


def indeks_hp(no_hp, *, lama: bool = False) -> str:
    """Index of a phone number already normalised to E.164 (notifikasi.telepon.normalisasi_hp)."""
    return indeks_buta("hp", str(no_hp or "").strip(), lama=lama)


def indeks_dicari(fungsi, nilai) -> list[str]:
    """Every index a stored row may hold for `nilai` (`fungsi`: indeks_nik or indeks_hp): the current one and,
    while BLIND_INDEX_KEY_LAMA is set (`enkripsi_ulang --indeks` still recomputing), the old one."""
    return [fungsi(nilai), fungsi(nilai, lama=True)] if settings.BLIND_INDEX_KEY_LAMA else [fungsi(nilai)]


def saring_indeks(kolom: str, fungsi, nilai) -> dict:
    """Filter arguments finding rows by the blind index in `kolom`: `kolom=<index>`, or during a rotation of
    the index key `kolom__in=[<index>, <old index>]`, which is still one query on the same index."""
    dicari = indeks_dicari(fungsi, nilai)
    return {kolom: dicari[0]} if len(dicari) == 1 else {f"{kolom}__in": dicari}


def _bait_atau_none(teks: str) -> bytes | None:
    try:
        return kunci_dari_teks(teks)
    except KunciDataTidakAda:
        return None


def masalah_kunci(*, terlarang=()) -> list[str]:
    """What is wrong with the configured keys; empty when they open. `terlarang`: keys known to the world
    (the development keys in config/settings.py) that no setting may hold, in whatever spelling."""
    hasil = []
    terlarang = {b for b in map(_bait_atau_none, terlarang) if b}
    try:
        cincin()
        if len({k for k, _ in cincin()}) != len(settings.DATA_KEYS):
            hasil.append("DATA_KEYS memuat kunci yang sama dua kali")
        if any(kunci_dari_teks(t) in terlarang for t in settings.DATA_KEYS):
            hasil.append("DATA_KEYS memuat kunci pengembangan yang tertulis di kode sumber")
    except KunciDataTidakAda as e:
        hasil.append(f"DATA_KEYS: {e}")
    kunci_data = {b for b in map(_bait_atau_none, settings.DATA_KEYS) if b}
    indeks = [("BLIND_INDEX_KEY", settings.BLIND_INDEX_KEY)]
    if settings.BLIND_INDEX_KEY_LAMA:
        indeks.append(("BLIND_INDEX_KEY_LAMA", settings.BLIND_INDEX_KEY_LAMA))
    for nama, teks in indeks:
        try:
            kunci = _kunci_indeks(teks)
        except KunciDataTidakAda as e:
            hasil.append(f"{nama}: {e}")
            continue
        if kunci in kunci_data:
            hasil.append(f"{nama} harus berbeda dari setiap kunci DATA_KEYS")
        if kunci in terlarang:
            hasil.append(f"{nama} adalah kunci pengembangan yang tertulis di kode sumber")
    return hasil


# --- model fields -------------------------------------------------------------------------------------


class _TanpaCari(Exact):
    """A sealed column cannot be compared in SQL (each sealing differs): only "" is allowed, never a value."""

    def as_sql(self, compiler, connection):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target} tersegel: cari lewat indeks butanya, bukan nilainya")
        return super().as_sql(compiler, connection)


class TeksTersegel(models.TextField):
    """A text column stored sealed (AES-GCM, key ring); "" and NULL stay as they are. `max_length` bounds
    the plaintext (forms, model validation), not the column."""

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.label_segel = f"{cls._meta.label_lower}.{name}"

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _TanpaCari
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_db_prep_save(self, value, connection):
        value = super().get_db_prep_save(value, connection)
        if isinstance(value, str) and value:
            return segel(value, label=self.label_segel)
        return value

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return buka(value, label=self.label_segel)

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class TanggalTersegel(TeksTersegel):
    """A date (a birth date) stored sealed as its ISO text and read back as a date: nothing in the database
    can compare or order it, so an age is computed in Python from the opened value."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(gettext_lazy("Tanggal tidak valid (TTTT-BB-HH)."), code="invalid") from None

    def get_prep_value(self, value):
        value = self.to_python(value)
        return value.isoformat() if value else None

    def from_db_value(self, value, expression, connection):
        teks = super().from_db_value(value, expression, connection)
        return datetime.date.fromisoformat(teks) if teks else None

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})


class JsonTersegel(models.JSONField):
    """A JSON object stored as {"<terbuka key>": …, "_segel": "<sealed JSON of the rest>"}: the keys in
    `terbuka` stay readable to SQL (e.g. the applicant's name for the officers' search), the rest is sealed."""

    KUNCI = "_segel"

    def __init__(self, *args, terbuka=(), **kwargs):
        self.terbuka = tuple(terbuka)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.terbuka:
            kwargs["terbuka"] = self.terbuka
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.label_segel = f"{cls._meta.label_lower}.{name}"

    def tutup(self, value: dict) -> dict:
        terbuka = {k: value[k] for k in self.terbuka if k in value}
        sisa = {k: v for k, v in value.items() if k not in self.terbuka}
        if sisa:
            terbuka[self.KUNCI] = segel(json.dumps(sisa, ensure_ascii=False, sort_keys=True), label=self.label_segel)
        return terbuka

    def get_db_prep_save(self, value, connection):
        if isinstance(value, dict):
            value = self.tutup(value)
        return super().get_db_prep_save(value, connection)

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        if isinstance(value, dict) and isinstance(value.get(self.KUNCI), str):
            value = dict(value)
            value.update(json.loads(buka(value.pop(self.KUNCI), label=self.label_segel)))
        return value


class IndeksButa(models.CharField):
    """HMAC blind index of another field of the row (`sumber`), filled on every insert and save naming it."""

    def __init__(self, *args, sumber: str, jenis: str, **kwargs):
        self.sumber, self.jenis = sumber, jenis
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(sumber=self.sumber, jenis=self.jenis)
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def hitung(self, nilai) -> str:
        if not nilai:
            return ""
        return indeks_nik(nilai) if self.jenis == "nik" else indeks_hp(nilai) if self.jenis == "hp" else \
            indeks_buta(self.jenis, str(nilai))

    def pre_save(self, model_instance, add):
        nilai = self.hitung(getattr(model_instance, self.sumber))
        setattr(model_instance, self.attname, nilai)
        return nilai


# --- migrations and re-sealing --------------------------------------------------------------------------


def _json_dari_db(nilai):
    return json.loads(nilai) if isinstance(nilai, (str, bytes)) else nilai


def segel_ulang_tabel(connection, *, tabel: str, label: str, teks=(), json_terbuka: dict | None = None,
                      indeks: dict | None = None, balik=False, semua=True, kolom_pk: str = "id",
                      ukuran: int = 2000) -> int:
    """Seal (or with `balik`, open back to plaintext) the columns of every row of `tabel` in place, in raw
    SQL, so migrations and `enkripsi_ulang` need no model. `teks`: sealed text columns; `json_terbuka`:
    {sealed JSON column: keys left readable}; `indeks`: {index column: (source column, kind)}. A value
    already sealed is opened first (any key of the ring) and sealed again under the newest key; with
    `semua` False only rows holding an older key's (or no) seal are written; `kolom_pk`: the table's primary key
    column. Rows are read `ukuran` at a time by primary key, so a large table (the outbox) is never held in
    memory whole; the caller's transaction decides what commits together. Returns the rows written."""
    json_terbuka = json_terbuka or {}
    indeks = indeks or {}
    kolom = list(teks) + list(json_terbuka)
    q = connection.ops.quote_name
    baru = None if balik else id_kunci_terbaru()
    ditulis = 0
    pilih = f"SELECT {q(kolom_pk)}, {', '.join(map(q, kolom))} FROM {q(tabel)}"  # noqa: S608 - names from code
    urut = f" ORDER BY {q(kolom_pk)} LIMIT {int(ukuran)}"
    terakhir = None
    with connection.cursor() as cursor:
        while True:
            if terakhir is None:
                cursor.execute(pilih + urut)
            else:
                cursor.execute(pilih + f" WHERE {q(kolom_pk)} > %s" + urut, [terakhir])
            baris = cursor.fetchall()
            if not baris:
                break
            terakhir = baris[-1][0]
            perubahan = []
            for pk, *nilai in baris:
                polos, usang = {}, False
                for nama, v in zip(kolom, nilai, strict=True):
                    if nama in json_terbuka:
                        v = _json_dari_db(v)
                        token = v.get(JsonTersegel.KUNCI) if isinstance(v, dict) else None
                        if isinstance(token, str):
                            v = {**{k: x for k, x in v.items() if k != JsonTersegel.KUNCI},
                                 **json.loads(buka(token, label=f"{label}.{nama}"))}
                            usang |= id_kunci_token(token) != baru
                        elif isinstance(v, dict) and set(v) - set(json_terbuka[nama]):
                            usang = True  # plaintext keys beyond the readable ones
                    elif v:
                        if tampak_tersegel(v):
                            usang |= id_kunci_token(v) != baru
                            v = buka(v, label=f"{label}.{nama}")
                        else:
                            usang = True  # stored before encryption
                    polos[nama] = v
                if not (semua or usang or balik):
                    continue
                nilai_baru = []
                for nama in kolom:
                    v = polos[nama]
                    if nama in json_terbuka:
                        if isinstance(v, dict) and not balik:
                            terbuka = {k: v[k] for k in json_terbuka[nama] if k in v}
                            sisa = {k: x for k, x in v.items() if k not in json_terbuka[nama]}
                            if sisa:
                                terbuka[JsonTersegel.KUNCI] = segel(json.dumps(sisa, ensure_ascii=False, sort_keys=True),
                                                                    label=f"{label}.{nama}")
                            v = terbuka
                        v = json.dumps(v, ensure_ascii=False)
                    elif v and not balik:
                        v = segel(v, label=f"{label}.{nama}")
                    nilai_baru.append(v)
                for sumber, jenis in indeks.values():
                    sumber_polos = polos[sumber]
                    nilai_baru.append("" if not sumber_polos else indeks_nik(sumber_polos) if jenis == "nik"
                                      else indeks_hp(sumber_polos))
                perubahan.append((*nilai_baru, pk))
            if perubahan:
                tulis = [*kolom, *indeks]
                cursor.executemany(
                    f"UPDATE {q(tabel)} SET {', '.join(f'{q(k)} = %s' for k in tulis)} WHERE {q(kolom_pk)} = %s",  # noqa: S608
                    perubahan,
                )
                ditulis += len(perubahan)
    return ditulis


def migrasi_segel(*tabel: dict) -> migrations.RunPython:
    """The RunPython of a migration sealing the existing rows of each `tabel` (segel_ulang_tabel's arguments)
    and, migrating back, opening them to plaintext again with the same keys (blind indexes left as they are)."""

    def segel(apps, schema_editor):
        for t in tabel:
            segel_ulang_tabel(schema_editor.connection, **t)

    def buka(apps, schema_editor):
        for t in tabel:
            segel_ulang_tabel(schema_editor.connection, **{**t, "indeks": {}}, balik=True)

    return migrations.RunPython(segel, buka, elidable=False)
