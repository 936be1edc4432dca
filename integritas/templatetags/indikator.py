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
