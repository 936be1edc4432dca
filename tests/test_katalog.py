"""The seeded catalogue and its audited editing in the Django admin."""

import copy
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEvent
from audit.selectors import rantai_verifikasi
from layanan.katalog import KATALOG, katalog_muat
from layanan.models import Layanan, Persyaratan

pytestmark = pytest.mark.django_db

TIPE_ISIAN = {"teks", "angka", "tanggal", "jam", "pilihan", "daftar"}


def test_katalog_lengkap_dan_benar():
    hasil = katalog_muat()
    assert hasil == {"dibuat": len(KATALOG), "diubah": 0, "tetap": 0}
    layanan = list(Layanan.objects.prefetch_related("persyaratan"))
    assert len(layanan) >= 12
    wajib_ada = {"domisili", "sktm", "usaha", "pengantar-skck", "pengantar-nikah", "kelahiran", "kematian",
                 "ahli-waris", "belum-menikah", "pindah", "iumk"}
    assert wajib_ada <= {x.kode for x in layanan}
    for x in layanan:
        assert x.biaya == 0
        assert x.kode_klasifikasi and x.kode_klasifikasi[0].isdigit(), x.kode
        assert x.sla_jam > 0 and x.sla_jam == x.sla_jam_kelurahan + x.sla_jam_kecamatan, x.kode
        assert x.perihal and x.dasar_hukum and x.deskripsi
        syarat = list(x.persyaratan.all())
        assert syarat and any(s.unggah for s in syarat), x.kode
        assert len({s.kode for s in syarat}) == len(syarat)
        assert x.nama_en and x.deskripsi_en and all(s.nama_en for s in syarat), x.kode
        for isian in x.formulir:
            assert isian["tipe"] in TIPE_ISIAN and isian["label"] and isinstance(isian["wajib"], bool)
            assert isian["label_en"], (x.kode, isian["nama"])
            assert bool(isian.get("pilihan")) == (isian["tipe"] == "pilihan"), (x.kode, isian["nama"])
            assert bool(isian.get("kolom")) == (isian["tipe"] == "daftar"), (x.kode, isian["nama"])
            for kolom in isian.get("kolom", []):
                assert kolom["tipe"] in TIPE_ISIAN - {"daftar"} and kolom["label"] and kolom["label_en"]
    kecamatan = [x for x in layanan if x.tingkat == Layanan.Tingkat.KECAMATAN]
    assert {"ahli-waris", "iumk"} <= {x.kode for x in kecamatan}
    assert all(x.sla_jam_kecamatan > 0 for x in kecamatan)
    assert all(x.sla_jam_kecamatan == 0 for x in layanan if x.tingkat == Layanan.Tingkat.KELURAHAN)
    assert Layanan.objects.get(kode="kematian").kode_klasifikasi == "400.12.3.1"
    assert [i["nama"] for i in Layanan.objects.get(kode="usaha").formulir][:4] == [
        "nama_usaha", "jenis_usaha", "alamat_usaha", "mulai_usaha"]


def test_muat_ulang_idempoten_dan_menyinkronkan_persyaratan():
    katalog_muat()
    jumlah_event = AuditEvent.objects.count()
    assert katalog_muat() == {"dibuat": 0, "diubah": 0, "tetap": len(KATALOG)}
    assert AuditEvent.objects.count() == jumlah_event
    assert Layanan.objects.count() == len(KATALOG)

    ubahan = copy.deepcopy(KATALOG)
    domisili = next(e for e in ubahan if e["kode"] == "domisili")
    domisili["sla_jam_kelurahan"] = "2"
    domisili["persyaratan"] = [s for s in domisili["persyaratan"] if s["kode"] != "kartu_keluarga"]
    assert katalog_muat(katalog=ubahan) == {"dibuat": 0, "diubah": 1, "tetap": len(KATALOG) - 1}
    layanan = Layanan.objects.get(kode="domisili")
    assert layanan.sla_jam == Decimal("2")
    assert not layanan.persyaratan.filter(kode="kartu_keluarga").exists()
    event = AuditEvent.objects.filter(kategori="master_data", objek_id=str(layanan.pk)).latest("urutan")
    assert event.data["perubahan"]["sla_jam"] == ["1.00", "2"]
    assert event.data["perubahan"]["persyaratan:kartu_keluarga"] == ["Kartu Keluarga", None]
    assert rantai_verifikasi("sistem").utuh


def _form_layanan(layanan, **ubah):
    data = {
        "kode": layanan.kode, "nama": layanan.nama, "nama_en": layanan.nama_en, "deskripsi_en": layanan.deskripsi_en,
        "tingkat": layanan.tingkat, "deskripsi": layanan.deskripsi,
        "perihal": layanan.perihal, "kode_klasifikasi": layanan.kode_klasifikasi, "sla_jam": str(layanan.sla_jam),
        "sla_jam_kelurahan": str(layanan.sla_jam_kelurahan), "sla_jam_kecamatan": str(layanan.sla_jam_kecamatan),
        "formulir": json.dumps(layanan.formulir), "dasar_hukum": layanan.dasar_hukum, "templat_surat": "",
        "aktif": "on", "urutan": str(layanan.urutan),
    }
    syarat = list(layanan.persyaratan.all())
    data.update({"persyaratan-TOTAL_FORMS": str(len(syarat)), "persyaratan-INITIAL_FORMS": str(len(syarat)),
                 "persyaratan-MIN_NUM_FORMS": "0", "persyaratan-MAX_NUM_FORMS": "1000"})
    for i, s in enumerate(syarat):
        data.update({f"persyaratan-{i}-id": str(s.pk), f"persyaratan-{i}-layanan": str(layanan.pk),
                     f"persyaratan-{i}-urutan": str(s.urutan), f"persyaratan-{i}-kode": s.kode,
                     f"persyaratan-{i}-nama": s.nama, f"persyaratan-{i}-nama_en": s.nama_en})
        if s.unggah:
            data[f"persyaratan-{i}-unggah"] = "on"
    data.update(ubah)
    return data


@pytest.fixture
def admin_client_audit(client):
    admin = get_user_model().objects.create_superuser("admin.uji", "admin@example.org", "sandi-uji-panjang-1")
    client.force_login(admin)
    return client


def test_ubah_layanan_di_admin_tercatat_di_audit(admin_client_audit):
    katalog_muat()
    layanan = Layanan.objects.get(kode="sktm")
    url = reverse("admin:layanan_layanan_change", args=[layanan.pk])
    assert admin_client_audit.get(url).status_code == 200
    sebelum = AuditEvent.objects.count()

    data = _form_layanan(layanan, sla_jam="3", sla_jam_kelurahan="3", **{"persyaratan-0-nama": "Pengantar RT dan RW"})
    jawab = admin_client_audit.post(url, data)
    assert jawab.status_code == 302, jawab.content.decode()[:2000]

    layanan.refresh_from_db()
    assert layanan.sla_jam == Decimal("3")
    baru = list(AuditEvent.objects.order_by("urutan")[sebelum:])
    assert [e.aksi for e in baru] == ["ubah", "ubah_rincian"]
    ubah, rincian = baru
    assert ubah.kategori == "master_data" and ubah.rantai == "sistem" and ubah.aktor == "admin.uji"
    assert ubah.objek_tipe == "layanan.layanan" and ubah.objek_id == str(layanan.pk)
    assert ubah.data["perubahan"] == {"sla_jam": ["2.00", "3"], "sla_jam_kelurahan": ["2.00", "3"]}
    syarat = layanan.persyaratan.get(urutan=1)
    assert rincian.data["perubahan"] == {
        f"layanan.persyaratan:{syarat.pk}": {"nama": ["Surat pengantar RT/RW", "Pengantar RT dan RW"]}}
    assert rantai_verifikasi("sistem").utuh


def test_simpan_tanpa_perubahan_tidak_mencatat_dan_hapus_tercatat(admin_client_audit):
    katalog_muat()
    layanan = Layanan.objects.get(kode="janda-duda")
    url = reverse("admin:layanan_layanan_change", args=[layanan.pk])
    sebelum = AuditEvent.objects.count()
    assert admin_client_audit.post(url, _form_layanan(layanan)).status_code == 302
    assert AuditEvent.objects.count() == sebelum

    hapus = reverse("admin:layanan_layanan_delete", args=[layanan.pk])
    assert admin_client_audit.post(hapus, {"post": "yes"}).status_code == 302
    assert not Layanan.objects.filter(pk=layanan.pk).exists()
    assert not Persyaratan.objects.filter(layanan_id=layanan.pk).exists()
    event = AuditEvent.objects.latest("urutan")
    assert (event.aksi, event.objek_id) == ("hapus", str(layanan.pk))
    assert event.data["nilai_terakhir"]["kode"] == "janda-duda"


def test_biaya_tidak_bisa_diubah_di_admin(admin_client_audit):
    katalog_muat()
    layanan = Layanan.objects.get(kode="domisili")
    url = reverse("admin:layanan_layanan_change", args=[layanan.pk])
    assert admin_client_audit.post(url, _form_layanan(layanan, biaya="50000")).status_code == 302
    layanan.refresh_from_db()
    assert layanan.biaya == 0


def _form_petugas(petugas, kantor, *, last_name="", tugas=None, **penugasan) -> dict:
    """The admin's user change form with one inspektorat assignment (new, or `tugas` edited)."""
    data = {
        "username": petugas.username, "first_name": petugas.first_name, "last_name": last_name, "email": "",
        "is_active": "on", "date_joined_0": petugas.date_joined.strftime("%Y-%m-%d"), "date_joined_1": "08:00:00",
        "initial-date_joined_0": petugas.date_joined.strftime("%Y-%m-%d"), "initial-date_joined_1": "08:00:00",
        "penugasan-TOTAL_FORMS": "1", "penugasan-INITIAL_FORMS": "1" if tugas else "0",
        "penugasan-MIN_NUM_FORMS": "0", "penugasan-MAX_NUM_FORMS": "1000", "penugasan-0-user": str(petugas.pk),
        "penugasan-0-peran": "inspektorat", "penugasan-0-kantor": str(kantor.pk), "penugasan-0-aktif": "on",
    }
    if tugas:
        data["penugasan-0-id"] = str(tugas.pk)
    data.update({f"penugasan-0-{k}": v for k, v in {"nip": "", "jabatan": "", **penugasan}.items()})
    return data


def test_pemberian_peran_petugas_di_admin_tercatat_tanpa_hash_sandi(admin_client_audit):
    from kelurahan.models import Kantor, Penugasan, Wilayah

    Wilayah.objects.create(kode="33", nama="Jawa Tengah", tingkat=1)
    Wilayah.objects.create(kode="33.75", nama="Kota Pekalongan", tingkat=2, induk_id="33")
    kantor = Kantor.objects.create(wilayah_id="33.75", jenis="kota", nama="Inspektorat Kota Pekalongan")
    petugas = get_user_model().objects.create_user("petugas.baru", password="sandi-lama-panjang-1", first_name="Ani")
    url = reverse("admin:auth_user_change", args=[petugas.pk])
    data = _form_petugas(petugas, kantor, last_name="Rahayu", nip="199001012015031001", jabatan="Auditor")
    sebelum = AuditEvent.objects.count()
    jawab = admin_client_audit.post(url, data)
    assert jawab.status_code == 302, jawab.content.decode()[:3000]
    tugas = Penugasan.objects.get(user=petugas)
    assert (tugas.peran, tugas.kantor_id) == ("inspektorat", kantor.pk)
    baru = {e.aksi: e for e in AuditEvent.objects.order_by("urutan")[sebelum:]}
    assert baru["ubah"].data["perubahan"]["last_name"] == ["", "Rahayu"]
    assert baru["ubah_rincian"].data["perubahan"] == {f"kelurahan.penugasan:{tugas.pk}": [None, str(tugas)]}
    assert all("password" not in json.dumps(e.data) and "pbkdf2" not in json.dumps(e.data) for e in baru.values())


def test_nomor_dan_nik_tte_petugas_diubah_di_admin_tercatat_tersamar(admin_client_audit):
    """Sealed fields (docs/privasi.md "Enkripsi") reach the ledger masked: that they changed, not their value."""
    from kelurahan.models import Kantor, Penugasan, Wilayah

    Wilayah.objects.create(kode="33", nama="Jawa Tengah", tingkat=1)
    Wilayah.objects.create(kode="33.75", nama="Kota Pekalongan", tingkat=2, induk_id="33")
    kantor = Kantor.objects.create(wilayah_id="33.75", jenis="kota", nama="Inspektorat Kota Pekalongan")
    petugas = get_user_model().objects.create_user("petugas.baru", password="sandi-lama-panjang-1", first_name="Ani")
    tugas = Penugasan.objects.create(user=petugas, peran="inspektorat", kantor=kantor, no_hp="+6281211110000")
    url = reverse("admin:auth_user_change", args=[petugas.pk])
    data = _form_petugas(petugas, kantor, tugas=tugas, no_hp="+6281299998888", nik_tte="3375011203850003")
    sebelum = AuditEvent.objects.count()
    jawab = admin_client_audit.post(url, data)
    assert jawab.status_code == 302, jawab.content.decode()[:3000]
    tugas.refresh_from_db()
    assert (tugas.no_hp, tugas.nik_tte) == ("+6281299998888", "3375011203850003")
    baru = list(AuditEvent.objects.order_by("urutan")[sebelum:])
    ubah = next(e for e in baru if e.aksi == "ubah_rincian").data["perubahan"][f"kelurahan.penugasan:{tugas.pk}"]
    assert ubah["no_hp"] == ["+62••••••••000", "+62••••••••888"] and ubah["nik_tte"] == ["", "337••••••••••003"]
    teks = json.dumps([e.data for e in baru])
    assert "81299998888" not in teks and "3375011203850003" not in teks and "81211110000" not in teks
