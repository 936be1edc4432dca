"""SLA clock hook, called by every transition in layanan/services.py.

Owned by the SLA work (issue 5); until it lands this records only the times
the transition itself knows.
"""


def sla_catat_transisi(permohonan, *, dari, ke, waktu) -> dict:
    return {"tenggat": permohonan.tenggat.isoformat() if permohonan.tenggat else None}


def filter_sla(qs, nilai, sekarang=None):
    from django.utils import timezone

    from layanan.models import STATUS_TERBUKA

    sekarang = sekarang or timezone.now()
    qs = qs.filter(status__in=STATUS_TERBUKA)
    if nilai == "terlambat":
        return qs.filter(tenggat__lte=sekarang)
    if nilai == "rawan":
        return qs.filter(tenggat_rawan__lte=sekarang, tenggat__gt=sekarang)
    if nilai == "aman":
        from django.db.models import Q

        return qs.filter(Q(tenggat_rawan__gt=sekarang) | Q(tenggat_rawan__isnull=True))
    return qs.none()


def sla_status(permohonan, sekarang=None) -> str:
    from django.utils import timezone

    from layanan.models import STATUS_TERBUKA

    sekarang = sekarang or timezone.now()
    if permohonan.status not in STATUS_TERBUKA:
        return "selesai"
    if permohonan.tenggat and permohonan.tenggat <= sekarang:
        return "terlambat"
    if permohonan.tenggat_rawan and permohonan.tenggat_rawan <= sekarang:
        return "rawan"
    return "aman"


def sla_ringkasan(permohonan) -> dict:
    return {"status": sla_status(permohonan), "tenggat": permohonan.tenggat}
