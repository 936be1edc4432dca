"""No letter is signed unseen, whichever path signs it.

`services.permohonan_aksi` refuses an action that issues the letter (the lurah's `setujui` of a kelurahan-level
service, the camat's `setujui_camat`) with a 409 unless the signer opened its draft since the request's latest
transition, read from the ledger's `pratinjau_draf` events. The API, the desk's confirm step and the batch
queue all go through it; the queue's own check only names the letters it would refuse.
"""

import json

import pytest

from audit.models import AuditEvent
from layanan.models import PenghitungNomorSurat, Permohonan, Status, Surat
from layanan.permohonan import services
from layanan.permohonan.galat import AksiDilarang, DrafBelumDilihat, StatusTidakSesuai
from notifikasi.models import Outbox
from tests.factories import MEDONO, Dunia, unggahan
from tests.pembantu_ttd import lihat_draf, lihat_draf_api, lihat_draf_web
from tests.test_api_lifecycle import ajukan_domisili, aksi, klien


@pytest.fixture
def dunia(db):
    return Dunia()


def _terverifikasi(dunia) -> int:
    pk = ajukan_domisili(dunia).json()["id"]
    services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    return pk


def _keadaan(pk):
    """What a refused signing must leave as it was."""
    p = Permohonan.objects.get(pk=pk)
    return (p.status, p.diperbarui, AuditEvent.objects.count(), Outbox.objects.count(), Surat.objects.count(),
            sum(PenghitungNomorSurat.objects.values_list("terakhir", flat=True)))


def test_api_signing_without_the_draft_is_409_and_changes_nothing(dunia):
    pk = _terverifikasi(dunia)
    nomor = Permohonan.objects.get(pk=pk).nomor_registrasi
    sebelum = _keadaan(pk)
    r = aksi(dunia.lurah_medono, pk, "setujui")
    assert r.status_code == 409, r.content
    assert r.json() == {"detail": f"Draf surat permohonan {nomor} belum Anda buka sejak perubahan terakhirnya. "
                                  "Buka dan periksa drafnya dahulu, lalu tandatangani."}
    assert _keadaan(pk) == sebelum
    r = klien(dunia.lurah_medono).post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": "setujui"}, format="json",
                                       HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 409
    assert r.json()["detail"].startswith(f"You have not opened the draft letter of request {nomor} since it last changed")
    # Someone else's look does not count: the clerk opened it, the lurah did not.
    lihat_draf_api(klien(dunia.petugas_medono), pk)
    assert aksi(dunia.lurah_medono, pk, "setujui").status_code == 409
    assert Permohonan.objects.get(pk=pk).status == Status.DIVERIFIKASI and not Surat.objects.exists()

    lihat_draf_api(klien(dunia.lurah_medono), pk)
    r = aksi(dunia.lurah_medono, pk, "setujui")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "selesai" and Surat.objects.filter(permohonan_id=pk).count() == 1


def test_the_rule_comes_after_scope_role_and_state(dunia):
    """DESIGN.md's order: 404 scope, 403 role, 409 state; only then the draft (also a 409, its own message)."""
    from layanan.permohonan.galat import TidakDitemukan

    pk = ajukan_domisili(dunia).json()["id"]
    with pytest.raises(StatusTidakSesuai):  # not verified yet: the state answers, not the draft
        services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.lurah_medono, aksi="setujui")
    services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    with pytest.raises(TidakDitemukan):
        services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.lurah_tirto, aksi="setujui")
    with pytest.raises(AksiDilarang):
        services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.camat, aksi="setujui")
    with pytest.raises(DrafBelumDilihat) as galat:
        services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.lurah_medono, aksi="setujui")
    assert galat.value.status_code == 409 and not isinstance(galat.value, StatusTidakSesuai)


def test_a_look_before_the_latest_transition_no_longer_counts(dunia):
    # The lurah looked while the request still waited for the clerk: the verification came after it.
    pk = ajukan_domisili(dunia).json()["id"]
    lihat_draf(dunia.lurah_medono, pk)
    services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    assert aksi(dunia.lurah_medono, pk, "setujui").status_code == 409
    lihat_draf(dunia.lurah_medono, pk)
    assert aksi(dunia.lurah_medono, pk, "setujui").status_code == 200


def test_a_returned_request_needs_the_camat_to_open_its_new_draft(dunia):
    r = klien(dunia.warga.user).post("/api/v1/permohonan/", {
        "layanan": "ahli-waris", "kelurahan": MEDONO, "keperluan": "Balik nama sertifikat", "nama": "Siti Aminah",
        "alamat": "Jl. Medono No. 5",
        "data": json.dumps({"nama_almarhum": "Ahmad Fauzi", "tanggal_meninggal": "2026-10-01"}),
        "berkas_akta_kematian": unggahan("akta.pdf")}, format="multipart")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]

    def sampai_camat():
        assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 200
        # The lurah forwards a kecamatan-level request: no letter is signed, no draft needed.
        assert aksi(dunia.lurah_medono, pk, "setujui").json()["status"] == "diteruskan_kecamatan"
        assert aksi(dunia.petugas_kec, pk, "verifikasi_kecamatan").status_code == 200

    sampai_camat()
    lihat_draf_api(klien(dunia.camat), pk)
    assert aksi(dunia.camat, pk, "kembalikan", "Saksi kurang").json()["status"] == "diajukan"
    sampai_camat()
    sebelum = _keadaan(pk)
    r = aksi(dunia.camat, pk, "setujui_camat")
    assert r.status_code == 409 and "belum Anda buka" in r.json()["detail"]
    assert _keadaan(pk) == sebelum
    lihat_draf_api(klien(dunia.camat), pk)
    r = aksi(dunia.camat, pk, "setujui_camat")
    assert r.status_code == 200 and r.json()["status"] == "selesai"


def test_the_desk_confirm_step_says_the_refusal_beside_the_draft(client, dunia):
    pk = _terverifikasi(dunia)
    client.force_login(dunia.lurah_medono)
    url = f"/petugas/permohonan/{pk}/aksi/setujui/"
    html = client.get(url).content.decode()
    assert "Surat hanya dapat ditandatangani setelah drafnya Anda buka" in html
    sebelum = _keadaan(pk)
    # Confirmed, but the framed draft never loaded (a crafted POST, or a press before the frame arrived).
    r = client.post(url, {"konfirmasi": "1", "daftar": "status=aksi"})
    html = r.content.decode()
    assert r.status_code == 409
    assert "belum Anda buka sejak perubahan terakhirnya" in html and 'role="alert"' in html
    # The same confirm step again: the draft framed (loading it records the look) and a link to it.
    assert f'<iframe class="berkas-tampil draf-tampil" src="/petugas/permohonan/{pk}/draf.pdf"' in html
    assert f'href="/petugas/permohonan/{pk}/draf.pdf" target="_blank"' in html
    assert 'name="konfirmasi" value="1"' in html and 'name="daftar" value="status=aksi"' in html
    assert _keadaan(pk) == sebelum
    lihat_draf_web(client, pk)
    r = client.post(url, {"konfirmasi": "1"})
    assert r.status_code == 302 and Permohonan.objects.get(pk=pk).status == Status.SELESAI


def test_the_queue_check_is_friendliness_the_service_still_refuses(client, dunia, monkeypatch):
    """Were the queue's own check wrong (here: told every draft was seen), the service still signs nothing
    unseen, and the page says why instead of failing."""
    from layanan.permohonan import selectors

    pk = _terverifikasi(dunia)
    monkeypatch.setattr(selectors, "draf_sudah_diperiksa", lambda *, pengguna, permohonan: {p.pk for p in permohonan})
    client.force_login(dunia.lurah_medono)
    sebelum = _keadaan(pk)
    r = client.post("/petugas/siap-ditandatangani/", {"permohonan": [pk]})
    assert r.status_code == 409 and "belum Anda buka sejak perubahan terakhirnya" in r.content.decode()
    assert _keadaan(pk) == sebelum
