"""Tags for letter bodies (built-in and office templates alike).

`{% baris f.nama_almarhum %}` prints one labelled row of a service field,
`{% daftar f.ahli_waris %}` a numbered table of a repeatable field,
`{% tabel pemohon %}` rows of (label, value) pairs, and `{% isian_lainnya %}`
every field the body has not printed yet, so a value the resident typed is
never left off the letter, whatever the template says.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

def _tandai(context, isian):
    isian.tercetak = True


def _tr(label, nilai):
    return format_html('<tr><td class="label">{}</td><td class="titik">:</td><td class="nilai">{}</td></tr>',
                       label, nilai)


@register.simple_tag(takes_context=True)
def baris(context, isian, label=None):
    """One row `label : value` of a service field; nothing when the resident left it empty."""
    if not isian:
        return ""
    _tandai(context, isian)
    if isian.tipe == "daftar":
        return format_html('<tr><td class="label">{}</td><td class="titik">:</td><td class="nilai">{}</td></tr>',
                           label or isian.label, _tabel_daftar(isian))
    if not isian.nilai:
        return ""
    return _tr(label or isian.label, isian.nilai)


def _tabel_daftar(isian):
    kepala = format_html_join("", "<th>{}</th>", ((k,) for k in isian.kolom))
    isi = format_html_join(
        "", "<tr><td class=\"no\">{}</td>{}</tr>",
        ((i, format_html_join("", "<td>{}</td>", ((sel,) for sel in sel_baris)))
         for i, sel_baris in enumerate(isian.baris, start=1)),
    )
    return format_html('<table class="daftar"><thead><tr><th class="no">No.</th>{}</tr></thead><tbody>{}</tbody></table>',
                       kepala, isi)


@register.simple_tag(takes_context=True)
def daftar(context, isian):
    """A repeatable field (`tipe` daftar) as a numbered table with its column labels."""
    if not isian:
        return ""
    _tandai(context, isian)
    return _tabel_daftar(isian) if isian.baris else ""


@register.simple_tag
def tabel(pasangan):
    """A table of (label, value) pairs, e.g. the applicant's identity (`pemohon`)."""
    return format_html("<table>{}</table>", mark_safe("".join(_tr(label, nilai) for label, nilai in pasangan or [])))


@register.simple_tag(takes_context=True)
def isian_lainnya(context, pengantar=""):
    """Every service field not printed yet (an admin may add fields the body does not name)."""
    semua = context.get("f") or {}
    sisa = [i for i in semua.values() if not getattr(i, "tercetak", False) and (i.nilai or i.baris)]
    if not sisa:
        return ""
    baris_ = []
    for isian in sisa:
        _tandai(context, isian)
        baris_.append(_tr(isian.label, _tabel_daftar(isian) if isian.tipe == "daftar" else isian.nilai))
    awal = format_html("<p>{}</p>", pengantar) if pengantar else ""
    return format_html("{}<table>{}</table>", awal, mark_safe("".join(baris_)))


NAMA_HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


@register.filter
def hari(isian):
    """The Indonesian weekday of a date field ("Senin"); empty when there is no date."""
    import datetime

    nilai = getattr(isian, "mentah", isian)
    try:
        tanggal = datetime.date.fromisoformat(str(nilai)[:10])
    except ValueError:
        return ""
    return NAMA_HARI[tanggal.weekday()]
