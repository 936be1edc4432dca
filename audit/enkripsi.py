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
import unicodedata
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import migrations, models
from django.db.models import Q
from django.db.models.fields.json import KeyTransformFactory
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


# Word index of a sealed name: every prefix of each normalised word (from 3 letters; a shorter word whole) as the
# first 16 hex digits of its HMAC, so "siti" or "amin" finds "Siti Aminah" without the name being readable.
AWALAN_MIN, AWALAN_MAKS, PANJANG_TOKEN = 3, 24, 16
KATA_DICARI_MAKS = 8  # words of a search beyond these are ignored: each costs a LIKE on every row in scope
_BUKAN_HURUF = re.compile(r"[\W_]+")


def kata_normal(teks) -> list[str]:
    """The words of a name as searched: accents dropped, case folded, apostrophes joined ("Ma'ruf" is one word)."""
    teks = unicodedata.normalize("NFKD", str(teks or ""))
    teks = "".join(ch for ch in teks if not unicodedata.combining(ch)).casefold()
    teks = re.sub(r"['\u2019`]", "", teks)
    return [k for k in _BUKAN_HURUF.split(teks) if k]


def _token_kata(awalan: str, *, lama: bool = False) -> str:
    return indeks_buta("kata", awalan, lama=lama)[:PANJANG_TOKEN]


def token_kata(teks, *, lama: bool = False) -> str:
    """What a row stores for the words of `teks`: " <token> <token> … " (sorted, so word order is not kept;
    the spaces let a search match whole tokens), or "" for no word."""
    awalan = {k[:n] for k in kata_normal(teks) for n in range(min(AWALAN_MIN, len(k)), min(len(k), AWALAN_MAKS) + 1)}
    return f" {' '.join(sorted(_token_kata(a, lama=lama) for a in awalan))} " if awalan else ""


def saring_kata(kolom: str, teks) -> Q | None:
    """A filter on a word index (`kolom`, e.g. "identitas___kata") finding rows whose words start with every
    word of `teks` (each cut to AWALAN_MAKS letters); during a rotation of the index key, also under the old
    key. None when `teks` holds no word. A word of one or two letters matches only that whole short word."""
    kata = kata_normal(teks)[:KATA_DICARI_MAKS]
    if not kata:
        return None
    q = Q()
    for k in kata:
        kunci = [False, True] if settings.BLIND_INDEX_KEY_LAMA else [False]
        satu = Q()
        for lama in kunci:
            satu |= Q(**{f"{kolom}__icontains": f" {_token_kata(k[:AWALAN_MAKS], lama=lama)} "})
        q &= satu
    return q


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
    """A JSON object stored as {"<terbuka key>": …, "_kata": " <token> … ", "_segel": "<sealed JSON of the rest>"}:
    the keys in `terbuka` stay readable to SQL (retention's mark), the rest is sealed; the words of the keys in
    `kata` (the applicant's name) are searchable through their word index (`saring_kata`) and nothing else."""

    KUNCI = "_segel"
    KATA = "_kata"

    def __init__(self, *args, terbuka=(), kata=(), **kwargs):
        self.terbuka, self.kata = tuple(terbuka), tuple(kata)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.terbuka:
            kwargs["terbuka"] = self.terbuka
        if self.kata:
            kwargs["kata"] = self.kata
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.label_segel = f"{cls._meta.label_lower}.{name}"

    def get_transform(self, name):
        """Only the readable keys and the word index can be read in SQL: a filter on a sealed key would match
        nothing without saying so."""
        transform = super(models.JSONField, self).get_transform(name)
        if transform:
            return transform
        if name in self.terbuka or (name == self.KATA and self.kata):
            return KeyTransformFactory(name)
        raise FieldError(f"{self.label_segel}.{name} tersegel: cari lewat indeks katanya, bukan nilainya")

    def tutup(self, value: dict) -> dict:
        return tutup_json(value, terbuka=self.terbuka, kata=self.kata, label=self.label_segel)

    def get_db_prep_save(self, value, connection):
        if isinstance(value, dict):
            value = self.tutup(value)
        return super().get_db_prep_save(value, connection)

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return buka_json(value, label=self.label_segel)


def tutup_json(value: dict, *, terbuka=(), kata=(), label: str) -> dict:
    """A JSON object as JsonTersegel stores it (also for migrations and re-sealing in raw SQL)."""
    hasil = {k: value[k] for k in terbuka if k in value}
    sisa = {k: v for k, v in value.items() if k not in terbuka and k not in (JsonTersegel.KATA, JsonTersegel.KUNCI)}
    token = token_kata_json(value, kata)
    if token:
        hasil[JsonTersegel.KATA] = token
    if sisa:
        hasil[JsonTersegel.KUNCI] = segel(json.dumps(sisa, ensure_ascii=False, sort_keys=True), label=label)
    return hasil


def token_kata_json(value: dict, kata) -> str:
    """The word index of the keys `kata` of a JSON object ("" when none holds a word)."""
    return token_kata(" ".join(str(value.get(k) or "") for k in kata)) if kata else ""


def buka_json(value, *, label: str):
    """The object `tutup_json` stored, opened: the sealed rest merged back, the word index left out."""
    if not isinstance(value, dict) or not (JsonTersegel.KUNCI in value or JsonTersegel.KATA in value):
        return value
    hasil = {k: v for k, v in value.items() if k not in (JsonTersegel.KUNCI, JsonTersegel.KATA)}
    if isinstance(value.get(JsonTersegel.KUNCI), str):
        hasil.update(json.loads(buka(value[JsonTersegel.KUNCI], label=label)))
    return hasil


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
                      json_kata: dict | None = None, indeks: dict | None = None, balik=False, semua=True,
                      kolom_pk: str = "id", ukuran: int = 2000) -> int:
    """Seal (or with `balik`, open back to plaintext) the columns of every row of `tabel` in place, in raw
    SQL, so migrations and `enkripsi_ulang` need no model. `teks`: sealed text columns; `json_terbuka`:
    {sealed JSON column: keys left readable}; `json_kata`: {sealed JSON column: keys whose words are indexed};
    `indeks`: {index column: (source column, kind)}. A value
    already sealed is opened first (any key of the ring) and sealed again under the newest key; with
    `semua` False only rows holding an older key's (or no) seal are written; `kolom_pk`: the table's primary key
    column. Rows are read `ukuran` at a time by primary key, so a large table (the outbox) is never held in
    memory whole; the caller's transaction decides what commits together. Returns the rows written."""
    json_terbuka, json_kata = json_terbuka or {}, json_kata or {}
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
                            usang |= id_kunci_token(token) != baru
                        elif isinstance(v, dict) and set(v) - set(json_terbuka[nama]) - {JsonTersegel.KATA}:
                            usang = True  # plaintext keys beyond the readable ones
                        v = buka_json(v, label=f"{label}.{nama}")
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
                            v = tutup_json(v, terbuka=json_terbuka[nama], kata=json_kata.get(nama, ()),
                                           label=f"{label}.{nama}")
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
