"""What the API accepts as a request body, checked before any view reads it (issue 14, item 4).

The parsers here replace DRF's defaults for every endpoint (settings.REST_FRAMEWORK
"DEFAULT_PARSER_CLASSES"): a JSON body must be an object of bounded size and depth, and no text
anywhere in a body may carry NUL or other control characters. Each refusal is a 400 with a
message per field, in the caller's language, raised before a view has done anything.
"""

import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

# Service forms are flat; a little nesting is allowed for future list fields, nothing more.
MAKS_KEDALAMAN = 8
# Tab, line feed and carriage return are text; every other C0 control character and DEL is not.
KARAKTER_KENDALI = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def pesan_kendali() -> str:
    return _("Teks tidak boleh berisi karakter kendali (mis. NUL).")


def _periksa(nilai, jalur: str, galat: dict, kedalaman: int = 0):
    """Walk a parsed body without recursion limits of its own: depth is counted and capped."""
    if kedalaman > MAKS_KEDALAMAN:
        galat.setdefault(jalur or "non_field_errors", [_("Isian bersarang terlalu dalam (paling banyak %(n)d tingkat).")
                                                     % {"n": MAKS_KEDALAMAN}])
        return
    if isinstance(nilai, str):
        if KARAKTER_KENDALI.search(nilai):
            galat.setdefault(jalur or "non_field_errors", [pesan_kendali()])
    elif isinstance(nilai, dict):
        for kunci, isi in nilai.items():
            sub = f"{jalur}.{kunci}" if jalur else str(kunci)
            if KARAKTER_KENDALI.search(str(kunci)):
                galat.setdefault(sub, [pesan_kendali()])
            _periksa(isi, sub, galat, kedalaman + 1)
    elif isinstance(nilai, list):
        for i, isi in enumerate(nilai):
            _periksa(isi, f"{jalur}.{i}" if jalur else str(i), galat, kedalaman + 1)


def periksa_isian(nilai, jalur: str = ""):
    """Raise a per-field ValidationError when text holds control characters or nesting is too deep."""
    galat = {}
    _periksa(nilai, jalur, galat)
    if galat:
        raise ValidationError(galat)


def muat_json(teks, *, kolom: str, maks_byte: int | None = None):
    """json.loads for a JSON value sent inside a form field (`data` of a submission): bounded in
    size and depth, errors as {kolom: [message]}."""
    maks_byte = maks_byte or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if len(teks) > maks_byte:
        raise ValidationError({kolom: [_("Isian terlalu besar.")]})
    try:
        nilai = json.loads(teks)
    except RecursionError:
        raise ValidationError({kolom: [_("Isian bersarang terlalu dalam (paling banyak %(n)d tingkat).")
                                       % {"n": MAKS_KEDALAMAN}]}) from None
    except ValueError:
        raise ValidationError({kolom: [_("Isian harus berupa JSON yang valid.")]}) from None
    periksa_isian(nilai, kolom)
    return nilai


class JSONParser(parsers.JSONParser):
    """A JSON body: an object, at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes, MAKS_KEDALAMAN deep, no control characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        batas = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        mentah = stream.read(batas + 1) if stream is not None else b""
        if len(mentah) > batas:
            raise ValidationError({"non_field_errors": [_("Isi permintaan terlalu besar.")]})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            teks = mentah.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ValidationError({"non_field_errors": [_("Isi permintaan harus teks UTF-8.")]}) from None
        if not teks.strip():
            return {}
        try:
            data = json.loads(teks)
        except RecursionError:
            raise ValidationError({"non_field_errors": [_("Isian bersarang terlalu dalam (paling banyak %(n)d "
                                                          "tingkat).") % {"n": MAKS_KEDALAMAN}]}) from None
        except ValueError:
            raise ValidationError({"non_field_errors": [_("Isi permintaan bukan JSON yang valid.")]}) from None
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": [_("Isi permintaan harus berupa objek JSON, "
                                                          "mis. {\"nik\": \"…\"}.")]})
        periksa_isian(data)
        return data


def _periksa_querydict(data):
    galat = {}
    for kunci, daftar in data.lists():
        if KARAKTER_KENDALI.search(kunci):
            galat[kunci] = [pesan_kendali()]
        elif any(isinstance(v, str) and KARAKTER_KENDALI.search(v) for v in daftar):
            galat[kunci] = [pesan_kendali()]
    if galat:
        raise ValidationError(galat)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _periksa_querydict(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        hasil = super().parse(stream, media_type, parser_context)
        _periksa_querydict(hasil.data)
        return hasil


def isian_json(request) -> dict:
    """request.data as a mapping; the parsers above already refused anything else."""
    data = request.data
    if not hasattr(data, "get"):  # e.g. a parser configured per view that let a list through
        raise ValidationError({"non_field_errors": [_("Isi permintaan harus berupa objek JSON.")]})
    return data
