"""Letter bodies an admin writes in the admin: checked when saved, rendered in a closed engine.

An office template may use the Django template language and the `surat` tags
(`baris`, `daftar`, `isian_lainnya`), nothing that reaches other templates or
the server: `include`, `extends`, `debug`, `ssi` and loading other tag
libraries are refused when the template is saved, and the engine that renders
it has no template loaders at all. What a template may fetch while the PDF is
made (images, stylesheets) is limited separately by `layanan.surat.pdf.url_fetcher`.
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.translation import gettext as _

PUSTAKA_SURAT = "layanan.templatetags.surat"
TAG_DILARANG = {"include", "extends", "debug", "ssi", "block"}
PANJANG_MAKS = 20000


@lru_cache(maxsize=2)
def mesin(debug: bool = False) -> Engine:
    """The engine for office templates: built-in tags and filters plus `surat`, no loaders, autoescape on."""
    return Engine(
        debug=debug, loaders=[], libraries={"surat": PUSTAKA_SURAT},
        builtins=[PUSTAKA_SURAT], autoescape=True, string_if_invalid="",
    )


def _galat(baris: int, pesan: str) -> ValidationError:
    # No params: Django would %-format the message again, and a template's "{% … %}" is in it.
    return ValidationError(_("Baris %(baris)s: %(pesan)s") % {"baris": baris, "pesan": pesan}, code="templat")


def templat_surat_periksa(teks: str) -> None:
    """Refuse a template that would not render or reaches outside itself, naming the line.

    Used as the validator of `Layanan.templat_surat`, so the admin form (and any
    ModelForm) refuses it before it is stored.
    """
    teks = teks or ""
    if not teks.strip():
        return
    if len(teks) > PANJANG_MAKS:
        raise ValidationError(_("Templat paling banyak %(n)s karakter.") % {"n": PANJANG_MAKS}, code="templat")
    for token in Lexer(teks).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        bagian = token.split_contents()
        nama = bagian[0] if bagian else ""
        if nama in TAG_DILARANG:
            raise _galat(token.lineno, _("tag {%% %(tag)s %%} tidak diizinkan dalam templat surat.") % {"tag": nama})
        if nama == "load" and any(p != "surat" for p in bagian[1:]):
            raise _galat(token.lineno, _("hanya pustaka \"surat\" yang boleh dimuat."))
    try:
        mesin(debug=True).from_string(teks)
    except TemplateSyntaxError as galat:
        info = getattr(galat, "template_debug", None) or {}
        raise _galat(info.get("line", 1), str(galat)) from None


def templat_render(teks: str, konteks: dict) -> str:
    return mesin().from_string(teks).render(Context(konteks, autoescape=True))


def contoh_data(formulir: list) -> dict:
    """Sample values for every field of a service, for the template preview (nothing is stored)."""
    import datetime

    hari_ini = datetime.date.today()
    data = {}
    for bidang in formulir or []:
        nama, tipe = bidang["nama"], bidang.get("tipe", "teks")
        if tipe == "daftar":
            data[nama] = [contoh_data(bidang.get("kolom") or []) for _ in range(max(2, int(bidang.get("min", 0) or 0)))]
        elif tipe == "pilihan":
            data[nama] = (bidang.get("pilihan") or ["-"])[0]
        elif tipe == "angka":
            data[nama] = 2500000 if bidang.get("format") == "rupiah" else 2
        elif tipe == "tanggal":
            data[nama] = (hari_ini - datetime.timedelta(days=30)).isoformat()
        elif tipe == "jam":
            data[nama] = "08:30"
        else:
            data[nama] = f"Contoh {bidang.get('label') or nama}"
    return data
