"""Formatting of indicator values in dashboards."""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def persen(nilai, tempat=1):
    """0.8795 -> "88,0 %" (localized); None -> "–"."""
    if nilai is None or nilai == "":
        return "–"
    return f"{floatformat(float(nilai) * 100, tempat)} %"


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
