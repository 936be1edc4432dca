"""'Pratinjau draf' before approval: the API endpoint and the button on the officer's request page,
scoped, refused to residents, closed once a letter exists, each preview audited as a data access."""

import pytest

from audit.models import AuditEvent
from layanan.permohonan import services
from tests.factories import Dunia
from tests.test_api_lifecycle import klien
from tests.test_surat import teks_pdf
from tests.test_web_petugas import ajukan


@pytest.fixture
def dunia(db):
    return Dunia()


def _pratinjau():
    return AuditEvent.objects.filter(kategori="akses_data", aksi="pratinjau_draf")


def test_api_draft_in_scope_is_audited_and_refused_outside(dunia):
    p = ajukan(dunia)
    r = klien(dunia.petugas_medono).get(f"/api/v1/permohonan/{p.pk}/draf.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Cache-Control"] == "private, no-store"
    teks = teks_pdf(r.content)
    assert "DRAF" in teks and "Siti Aminah" in teks
    event = _pratinjau().get()
    assert (event.rantai, event.aktor, event.peran, event.objek_id) == (
        p.kelurahan_id, "petugas.medono", "petugas_kelurahan", str(p.pk))
    assert klien(dunia.camat).get(f"/api/v1/permohonan/{p.pk}/draf.pdf").status_code == 200
    assert klien(dunia.petugas_tirto).get(f"/api/v1/permohonan/{p.pk}/draf.pdf").status_code == 404
    assert klien(dunia.warga.user).get(f"/api/v1/permohonan/{p.pk}/draf.pdf").status_code == 403
    assert klien(dunia.warga_lain.user).get(f"/api/v1/permohonan/{p.pk}/draf.pdf").status_code == 404
    assert klien().get(f"/api/v1/permohonan/{p.pk}/draf.pdf").status_code in (401, 403)
    assert _pratinjau().count() == 2


def test_no_draft_once_the_letter_exists(dunia):
    p = ajukan(dunia)
    services.permohonan_aksi(permohonan_id=p.pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    assert klien(dunia.lurah_medono).get(f"/api/v1/permohonan/{p.pk}/draf.pdf").status_code == 200
    services.permohonan_aksi(permohonan_id=p.pk, pengguna=dunia.lurah_medono, aksi="setujui")
    r = klien(dunia.lurah_medono).get(f"/api/v1/permohonan/{p.pk}/draf.pdf")
    assert r.status_code == 409 and "Surat sudah terbit" in r.json()["detail"]
    assert _pratinjau().count() == 1


def test_officer_page_button_opens_the_draft(client, dunia):
    p = ajukan(dunia)
    client.force_login(dunia.petugas_medono)
    html = client.get(f"/petugas/permohonan/{p.pk}/").content.decode()
    assert f'href="/petugas/permohonan/{p.pk}/draf.pdf"' in html and "Pratinjau draf" in html
    r = client.get(f"/petugas/permohonan/{p.pk}/draf.pdf")
    assert r.status_code == 200 and "DRAF" in teks_pdf(r.content)
    assert _pratinjau().filter(aktor="petugas.medono").count() == 1
    client.force_login(dunia.petugas_tirto)
    assert client.get(f"/petugas/permohonan/{p.pk}/draf.pdf").status_code == 404
    services.permohonan_aksi(permohonan_id=p.pk, pengguna=dunia.warga.user, aksi="batalkan")
    client.force_login(dunia.petugas_medono)
    assert "Pratinjau draf" not in client.get(f"/petugas/permohonan/{p.pk}/").content.decode()
    r = client.get(f"/petugas/permohonan/{p.pk}/draf.pdf")
    assert r.status_code == 409 and "tidak ada draf lagi" in r.content.decode()
