"""The whole request lifecycle through the HTTP API, and every forbidden path."""

import json

import pytest
from rest_framework.test import APIClient

from audit.enkripsi import indeks_hp
from audit.models import AuditEvent
from audit.selectors import rantai_verifikasi
from layanan.models import Berkas, Permohonan, Surat
from notifikasi.models import Outbox
from tests.factories import MEDONO, TIRTO, Dunia, token, unggahan
from tests.pembantu_ttd import lihat_draf_api


@pytest.fixture
def dunia(db):
    return Dunia()


def klien(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.credentials(HTTP_AUTHORIZATION=f"Token {token(user)}")
    return c


def ajukan_domisili(dunia, kelurahan=MEDONO, **lain):
    isian = {
        "layanan": "domisili",
        "kelurahan": kelurahan,
        "keperluan": "Melamar pekerjaan",
        "data": json.dumps({"lama_tinggal": 5, "status_rumah": "sewa"}),
        "nama": "Siti Aminah",
        "alamat": "Jl. Medono No. 5 RT 02 RW 03",
        "berkas_pengantar_rt": unggahan(),
        "berkas_ktp": unggahan("ktp.pdf"),
    }
    isian.update(lain)
    return klien(dunia.warga.user).post("/api/v1/permohonan/", isian, format="multipart")


def aksi(user, pk, nama, catatan=""):
    return klien(user).post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": nama, "catatan": catatan}, format="json")


def transisi(pk):
    return list(
        AuditEvent.objects.filter(objek_tipe="permohonan", objek_id=str(pk), kategori="transisi")
        .order_by("urutan")
        .values_list("aksi", "data__dari", "data__ke")
    )


def test_kelurahan_level_lifecycle_with_correction(dunia):
    r = ajukan_domisili(dunia)
    assert r.status_code == 201, r.content
    body = r.json()
    pk = body["id"]
    assert body["status"] == "diajukan"
    assert len(body["nomor_registrasi"]) == 9 and body["nomor_registrasi"][4] == "-"
    assert not set(body["nomor_registrasi"].replace("-", "")) & set("01OIL")
    assert body["riwayat"][0]["aksi"] == "ajukan"
    assert "tenggat" in body and "sla" in body
    assert Berkas.objects.filter(permohonan_id=pk, aktif=True).count() == 2
    assert Outbox.objects.filter(templat="permohonan_diterima", penerima_indeks=indeks_hp("+6281234567801")).count() == 1

    r = aksi(dunia.petugas_medono, pk, "minta_perbaikan", "Pengantar RT belum distempel")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "perlu_perbaikan"
    assert Outbox.objects.filter(templat="perlu_perbaikan").count() == 1

    # the resident sees the reason and resubmits with a replaced document
    detail = klien(dunia.warga.user).get(f"/api/v1/permohonan/{pk}/").json()
    assert detail["catatan_terakhir"] == "Pengantar RT belum distempel"
    assert detail["aksi_tersedia"] == ["ajukan_ulang", "batalkan"]
    r = klien(dunia.warga.user).post(
        f"/api/v1/permohonan/{pk}/aksi/",
        {"aksi": "ajukan_ulang", "berkas_pengantar_rt": unggahan("baru.pdf")},
        format="multipart",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "diajukan"
    assert Berkas.objects.filter(permohonan_id=pk, persyaratan_kode="pengantar_rt").count() == 2
    assert Berkas.objects.filter(permohonan_id=pk, persyaratan_kode="pengantar_rt", aktif=True).count() == 1

    assert aksi(dunia.petugas_medono, pk, "verifikasi").json()["status"] == "diverifikasi"
    lihat_draf_api(klien(dunia.lurah_medono), pk)  # the signer opens the draft before signing
    r = aksi(dunia.lurah_medono, pk, "setujui")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "selesai"
    assert body["surat"]["nomor"].startswith("400.12.2.1/0001/33.75.01.1002/")
    assert body["aksi_tersedia"] == []
    assert [e["aksi"] for e in body["riwayat"]] == ["ajukan", "minta_perbaikan", "ajukan_ulang", "verifikasi", "setujui"]
    assert body["riwayat"][3]["peran"] == "petugas_kelurahan"
    assert transisi(pk) == [
        ("ajukan", None, "diajukan"),
        ("minta_perbaikan", "diajukan", "perlu_perbaikan"),
        ("ajukan_ulang", "perlu_perbaikan", "diajukan"),
        ("verifikasi", "diajukan", "diverifikasi"),
        ("setujui", "diverifikasi", "selesai"),
    ]
    assert Surat.objects.filter(permohonan_id=pk).count() == 1
    assert Outbox.objects.filter(templat="selesai").count() == 1
    undangan = Outbox.objects.get(templat="survei_undangan", penerima_indeks=indeks_hp("+6281234567801"))
    assert "/survei/" in undangan.isi
    assert rantai_verifikasi(MEDONO).utuh


def test_kecamatan_level_lifecycle_through_camat(dunia):
    r = klien(dunia.warga.user).post(
        "/api/v1/permohonan/",
        {
            "layanan": "ahli-waris",
            "kelurahan": MEDONO,
            "keperluan": "Balik nama sertifikat",
            "data": json.dumps({"nama_almarhum": "Ahmad Fauzi", "tanggal_meninggal": "2026-10-01"}),
            "nama": "Siti Aminah",
            "alamat": "Jl. Medono No. 5",
            "berkas_akta_kematian": unggahan("akta.pdf"),
        },
        format="multipart",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 200
    r = aksi(dunia.lurah_medono, pk, "setujui")
    assert r.json()["status"] == "diteruskan_kecamatan"
    assert Outbox.objects.filter(templat="diteruskan_kecamatan").count() == 1
    # kecamatan asks for a correction; the request goes back to the resident
    assert aksi(dunia.petugas_kec, pk, "minta_perbaikan", "Akta buram").json()["status"] == "perlu_perbaikan"
    assert aksi(dunia.warga.user, pk, "ajukan_ulang").json()["status"] == "diajukan"
    assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 200
    assert aksi(dunia.lurah_medono, pk, "setujui").json()["status"] == "diteruskan_kecamatan"
    assert aksi(dunia.petugas_kec, pk, "verifikasi_kecamatan").json()["status"] == "diverifikasi_kecamatan"
    # the camat returns it once, then it goes round again
    assert aksi(dunia.camat, pk, "kembalikan", "Saksi kurang").json()["status"] == "diajukan"
    assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 200
    assert aksi(dunia.lurah_medono, pk, "setujui").status_code == 200
    assert aksi(dunia.petugas_kec, pk, "verifikasi_kecamatan").status_code == 200
    lihat_draf_api(klien(dunia.camat), pk)
    r = aksi(dunia.camat, pk, "setujui_camat")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "selesai"
    assert body["surat"]["nomor"].startswith("400.12.3.1/0001/33.75.01/")
    acts = [a for a, _, _ in transisi(pk)]
    assert acts == ["ajukan", "verifikasi", "setujui", "minta_perbaikan", "ajukan_ulang", "verifikasi", "setujui",
                    "verifikasi_kecamatan", "kembalikan", "verifikasi", "setujui", "verifikasi_kecamatan",
                    "setujui_camat"]
    kec_events = AuditEvent.objects.filter(objek_id=str(pk), aksi="verifikasi_kecamatan")
    assert {e.data["tahap"] for e in kec_events} == {"kecamatan"}
    assert {e.data["kantor"] for e in kec_events} == {"33.75.01"}
    assert rantai_verifikasi(MEDONO).utuh


def test_rejection_and_cancellation(dunia):
    pk = ajukan_domisili(dunia).json()["id"]
    r = aksi(dunia.petugas_medono, pk, "tolak")
    assert r.status_code == 400 and "catatan" in r.json()
    r = aksi(dunia.petugas_medono, pk, "tolak", "Bukan warga Medono")
    assert r.json()["status"] == "ditolak"
    assert Outbox.objects.filter(templat="ditolak").count() == 1
    assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 409

    pk2 = ajukan_domisili(dunia).json()["id"]
    assert aksi(dunia.warga.user, pk2, "batalkan").json()["status"] == "dibatalkan"
    assert aksi(dunia.warga.user, pk2, "batalkan").status_code == 409


@pytest.mark.parametrize(
    "pelaku, nama_aksi, kode",
    [
        ("lurah_medono", "verifikasi", 403),  # a lurah never verifies
        ("warga", "verifikasi", 403),  # a resident never verifies
        ("petugas_medono", "setujui", 403),  # a clerk never signs
        ("inspektorat", "verifikasi", 403),  # read-only
        ("camat", "setujui", 403),  # the camat signs only with setujui_camat
        ("petugas_tirto", "verifikasi", 404),  # another kelurahan: not even visible
        ("lurah_tirto", "setujui", 404),
        ("camat_timur", "setujui_camat", 404),  # another kecamatan
        ("warga_lain", "batalkan", 404),  # another resident
        ("lurah_medono", "setujui", 409),  # right role, wrong state (not verified yet)
        ("petugas_kec", "verifikasi_kecamatan", 409),  # not forwarded yet
    ],
)
def test_forbidden_paths(dunia, pelaku, nama_aksi, kode):
    pk = ajukan_domisili(dunia).json()["id"]
    user = dunia.warga_lain.user if pelaku == "warga_lain" else getattr(dunia, pelaku)
    if pelaku == "warga":
        user = dunia.warga.user
    sebelum = AuditEvent.objects.count()
    r = aksi(user, pk, nama_aksi, "alasan")
    assert r.status_code == kode, r.content
    assert Permohonan.objects.get(pk=pk).status == "diajukan"
    assert AuditEvent.objects.count() == sebelum


def test_unknown_action_is_400_and_anonymous_401(dunia):
    pk = ajukan_domisili(dunia).json()["id"]
    assert aksi(dunia.petugas_medono, pk, "hapus").status_code == 400
    assert APIClient().post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": "verifikasi"}).status_code == 401


def test_verifier_cannot_approve_own_verification(dunia):
    """An officer who holds both roles (e.g. Plt. lurah) still may not sign what they verified."""
    from kelurahan.models import Penugasan, Peran

    Penugasan.objects.create(user=dunia.petugas_medono, peran=Peran.LURAH, kantor=dunia.medono)
    pk = ajukan_domisili(dunia).json()["id"]
    assert aksi(dunia.petugas_medono, pk, "verifikasi").status_code == 200
    detail = klien(dunia.petugas_medono).get(f"/api/v1/permohonan/{pk}/").json()
    assert "setujui" not in detail["aksi_tersedia"]
    r = aksi(dunia.petugas_medono, pk, "setujui")
    assert r.status_code == 403
    assert "pemisahan tugas" in r.json()["detail"]
    lihat_draf_api(klien(dunia.lurah_medono), pk)
    assert aksi(dunia.lurah_medono, pk, "setujui").status_code == 200


def test_resident_cannot_read_another_residents_request(dunia):
    pk = ajukan_domisili(dunia).json()["id"]
    assert klien(dunia.warga_lain.user).get(f"/api/v1/permohonan/{pk}/").status_code == 404
    assert klien(dunia.warga_lain.user).get("/api/v1/permohonan/").json()["count"] == 0
    assert klien(dunia.petugas_tirto).get(f"/api/v1/permohonan/{pk}/").status_code == 404
    assert klien(dunia.warga.user).get(f"/api/v1/permohonan/{pk}/").status_code == 200
    assert klien(dunia.inspektorat).get(f"/api/v1/permohonan/{pk}/").status_code == 200
    assert klien(dunia.camat).get(f"/api/v1/permohonan/{pk}/").status_code == 200
    assert klien(dunia.camat_timur).get(f"/api/v1/permohonan/{pk}/").status_code == 404


def test_officer_view_of_personal_data_is_audited_and_masked(dunia):
    pk = ajukan_domisili(dunia).json()["id"]
    daftar = klien(dunia.petugas_medono).get("/api/v1/permohonan/").json()["results"]
    assert daftar[0]["pemohon"]["nik"] == "337501••••••0002"
    assert "81234567801" not in json.dumps(daftar)
    detail = klien(dunia.petugas_medono).get(f"/api/v1/permohonan/{pk}/").json()
    assert detail["identitas"]["nik"] == "337501••••••0002"
    assert AuditEvent.objects.filter(aksi="lihat_permohonan", aktor="petugas.medono").count() == 1
    r = klien(dunia.petugas_medono).post(f"/api/v1/permohonan/{pk}/data-pribadi/")
    assert r.status_code == 200
    assert r.json()["pemohon"]["nik"] == "3375014506900002"
    assert AuditEvent.objects.filter(aksi="buka_data_pribadi", aktor="petugas.medono", objek_id=str(pk)).count() == 1
    assert klien(dunia.petugas_tirto).post(f"/api/v1/permohonan/{pk}/data-pribadi/").status_code == 404


def test_documents_served_only_in_scope(dunia):
    body = ajukan_domisili(dunia).json()
    pk, berkas_id = body["id"], body["berkas"][0]["id"]
    url = f"/api/v1/permohonan/{pk}/berkas/{berkas_id}/"
    r = klien(dunia.petugas_medono).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert klien(dunia.warga.user).get(url).status_code == 200
    assert klien(dunia.warga_lain.user).get(url).status_code == 404
    assert klien(dunia.petugas_tirto).get(url).status_code == 404


def test_public_tracking_has_no_personal_data(dunia):
    body = ajukan_domisili(dunia).json()
    r = APIClient().get(f"/api/v1/lacak/{body['nomor_registrasi']}/")
    assert r.status_code == 200
    teks = json.dumps(r.json())
    assert "Siti" not in teks and "3375014506900002" not in teks and "81234567801" not in teks
    assert r.json()["status"] == "diajukan"
    assert APIClient().get("/api/v1/lacak/ZZZZ-ZZZZ/").status_code == 404


def test_counter_intake_registers_walk_in_resident(dunia):
    r = klien(dunia.petugas_tirto).post(
        "/api/v1/permohonan/",
        {
            "layanan": "domisili",
            "kelurahan": TIRTO,
            "keperluan": "Pendaftaran sekolah",
            "data": json.dumps({"lama_tinggal": 2}),
            "nik": "3375010202850004",
            "no_hp": "0812-3456-7899",
            "nama": "Joko Susilo",
            "alamat": "Jl. Tirto 9",
            "berkas_pengantar_rt": unggahan(),
            "berkas_ktp": unggahan(),
            "setuju_privasi": "true",
        },
        format="multipart",
    )
    assert r.status_code == 201, r.content
    p = Permohonan.objects.get(pk=r.json()["id"])
    assert p.kanal == "loket"
    assert p.pemohon.nik == "3375010202850004" and p.pemohon.no_hp == "+6281234567899"
    assert AuditEvent.objects.get(objek_id=str(p.pk), aksi="ajukan").peran == "petugas_kelurahan"
    # the counter clerk of Tirto cannot register at Medono's counter
    r = klien(dunia.petugas_tirto).post(
        "/api/v1/permohonan/", {"layanan": "domisili", "kelurahan": MEDONO, "keperluan": "x"}, format="multipart"
    )
    assert r.status_code == 403
