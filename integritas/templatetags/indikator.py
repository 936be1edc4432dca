"""Formatting of indicator values in dashboards."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def persen(nilai, tempat=1):
    """0.8795 -> "88,0 %" (localized); None -> "–"."""
    if nilai is None or nilai == "":
        return "–"
    return f"{floatformat(float(nilai) * 100, tempat)} %"


KATA_LAMPU = {"hijau": _("Tercapai"), "kuning": _("Perlu perhatian"), "merah": _("Di bawah target")}
KELAS_LAMPU = {"hijau": "sla-aman", "kuning": "sla-rawan", "merah": "sla-terlambat"}


def _lampu(warna):
    if warna is None:
        return ""
    return format_html('<span class="lencana {}" data-lampu="{}">{}</span>', KELAS_LAMPU[warna], warna,
                       KATA_LAMPU[warna])


@register.filter
def lampu_sla(kepatuhan):
    """A traffic light with words for SLA compliance against the LAMPU_SLA_* settings."""
    from integritas.indikator import lampu_sla as warna

    return _lampu(warna(kepatuhan))


@register.filter
def lampu_ikm(mutu):
    """A traffic light with words for the IKM quality letter (A/B green, C amber, D red)."""
    from integritas.indikator import lampu_ikm as warna

    return _lampu(warna(mutu))


@register.filter
def nama_wilayah(kode):
    """A region code as its name (integritas.indikator.nama_wilayah: served kelurahan without a query)."""
    from integritas.indikator import nama_wilayah as nama

    return nama([kode]).get(kode, kode) if kode else kode


@register.filter
def nama_layanan(kode):
    """A service code as its name (integritas.indikator.nama_layanan: the catalogue without a query)."""
    from integritas.indikator import nama_layanan as nama

    return nama([kode]).get(kode, kode) if kode else kode


@register.filter
def atau_strip(nilai):
    return "–" if nilai is None or nilai == "" else nilai


@register.filter
def ada(kamus, kunci):
    return bool(kamus) and kunci in kamus


@register.filter
def ambil(kamus, kunci):
    return (kamus or {}).get(kunci, [])


@register.inclusion_tag("integritas/_nrr.html")
def tabel_nrr(hasil_ikm):
    """NRR per unsur (Permenpan RB 14/2017: sum of answers ÷ respondents) and its value on the 25–100 scale,
    in the order of the unsur, from an indicator's `ikm` dict."""
    from integritas.ikm import LABEL_UNSUR_IKM, UNSUR_IKM

    nrr = (hasil_ikm or {}).get("nrr") or {}
    konversi = (hasil_ikm or {}).get("nrr_konversi") or {}
    baris = [{"kunci": u, "unsur": LABEL_UNSUR_IKM[u], "nrr": nrr.get(u), "konversi": konversi.get(u)}
             for u in UNSUR_IKM]
    return {"baris": baris, "ada": bool(nrr)}
