"""SLA clock hook, called by every transition in layanan/services.py.

Owned by the SLA work (issue 5); until it lands this records only the times
the transition itself knows.
"""


def sla_catat_transisi(permohonan, *, dari, ke, waktu) -> dict:
    return {"tenggat": permohonan.tenggat.isoformat() if permohonan.tenggat else None}
