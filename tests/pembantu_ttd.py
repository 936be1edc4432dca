"""Signing as a signer must: the draft opened first.

`services.permohonan_aksi` refuses an action that issues the letter (`setujui` of a kelurahan-level
service, `setujui_camat`) unless the signer opened its draft since the request's latest transition
(`selectors.draf_sudah_diperiksa`). These helpers record that look the way an officer does, through
the real service `permohonan_draf_pdf` (rendered by WeasyPrint and audited as `pratinjau_draf`) or the
real endpoints, never by writing audit rows, so a test that signs goes through the rule, not round it.
Use them where signing is meant to succeed; a test of a refusal calls `permohonan_aksi` itself.
"""

from layanan.permohonan.services import permohonan_aksi, permohonan_draf_pdf


def lihat_draf(pengguna, permohonan_id, *, waktu=None) -> bytes:
    """The signer opens the draft (the service the web and API draft views call); returns the PDF."""
    return permohonan_draf_pdf(permohonan_id=permohonan_id, pengguna=pengguna, waktu=waktu)[1]


def tandatangani(*, permohonan_id, pengguna, aksi="setujui", **lain):
    """`permohonan_aksi` (same keywords) after the signer's look at the draft, at the same `waktu`."""
    lihat_draf(pengguna, permohonan_id, waktu=lain.get("waktu"))
    return permohonan_aksi(permohonan_id=permohonan_id, pengguna=pengguna, aksi=aksi, **lain)


def lihat_draf_api(klien, permohonan_id):
    """GET the draft through the API with an authenticated APIClient; it must answer the PDF."""
    r = klien.get(f"/api/v1/permohonan/{permohonan_id}/draf.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf", r.content[:300]
    return r


def lihat_draf_web(client, permohonan_id):
    """GET the draft as the desk's confirm step frames it, with a signed-in Django test client."""
    r = client.get(f"/petugas/permohonan/{permohonan_id}/draf.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf", r.content[:300]
    return r
