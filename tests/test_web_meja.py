"""The desk as its users meet it (issue 18): the worklist opens on what waits for the signed-in role,
counts per state in one query, the filter travels in the URL and an action leads to the next request;
a numbered letter is never issued without the confirm step beside the draft."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kelurahan.simpanan import kelurahan_dilayani
from layanan.models import Permohonan, Status, Surat
from layanan.permohonan import selectors
from tests.factories import KEC_BARAT, MEDONO, TIRTO, Dunia
from tests.test_web_petugas import ajukan


@pytest.fixture
def dunia(db):
    return Dunia()


def buat_lama(dunia, jumlah, *, status=Status.SELESAI, kelurahan=MEDONO):
    """Old requests (bulk, no ledger) that sort before a new one by deadline."""
    dulu = timezone.now() - timezone.timedelta(days=400)
    Permohonan.objects.bulk_create([
        Permohonan(layanan=dunia.domisili, kelurahan_id=kelurahan, kecamatan_id=KEC_BARAT, pemohon=dunia.warga,
                   identitas={"nama": f"Lama {i}", "nik": dunia.warga.nik}, keperluan="uji", status=status,
                   diajukan_pada=dulu, tenggat=dulu + timezone.timedelta(hours=i))
        for i in range(jumlah)
    ])


def nomor_di(html):
    return re.findall(r'href="/petugas/permohonan/\d+/\?[^"]*"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})<', html)


def test_worklist_opens_on_the_roles_own_work_with_counts(client, dunia):
    buat_lama(dunia, 30)
    baru = ajukan(dunia)
    client.force_login(dunia.petugas_medono)
    html = client.get("/petugas/").content.decode()
    assert nomor_di(html) == [baru.nomor_registrasi]  # not behind 30 finished ones
    assert "Perlu tindakan saya: 1" in html and "Selesai: 30" in html and "Semua: 31" in html
    assert '<option value="aksi" selected>' in html
    # "Semua" is one click away and keeps its filter in the URL; the old view is page 2 of it.
    semua = client.get("/petugas/?status=").content.decode()
    assert baru.nomor_registrasi not in nomor_di(semua) and "Halaman 1 dari 2" in semua
    # The lurah's worklist is empty until the clerk verifies, then holds just that request.
    client.force_login(dunia.lurah_medono)
    assert nomor_di(client.get("/petugas/").content.decode()) == []
    client.force_login(dunia.petugas_medono)
    client.post(f"/petugas/permohonan/{baru.pk}/aksi/verifikasi/")
    client.force_login(dunia.lurah_medono)
    html = client.get("/petugas/").content.decode()
    assert nomor_di(html) == [baru.nomor_registrasi] and "Perlu tindakan saya: 1" in html


def test_an_inspector_without_a_desk_role_opens_on_everything(client, dunia):
    p = ajukan(dunia)
    client.force_login(dunia.inspektorat)
    html = client.get("/petugas/").content.decode()
    assert nomor_di(html) == [p.nomor_registrasi] and "Perlu tindakan saya" not in html


def test_counts_are_one_query_over_the_scope(dunia, django_assert_num_queries):
    buat_lama(dunia, 3)
    buat_lama(dunia, 2, status=Status.DIAJUKAN)
    buat_lama(dunia, 4, status=Status.DIAJUKAN, kelurahan=TIRTO)  # outside the Medono clerk's scope
    user = dunia.petugas_medono
    selectors.permohonan_dalam_lingkup(user)  # assignments and the resident link are read once per user
    kelurahan_dilayani()  # the served kelurahan are kept per process (kelurahan/simpanan.py)
    with django_assert_num_queries(1):
        jumlah = selectors.jumlah_per_status(pengguna=user)
    assert jumlah == {"per_status": {"selesai": 3, "diajukan": 2}, "perlu_aksi": 2, "total": 5}
    with django_assert_num_queries(0):  # then from the shared cache until a transition or a minute passes
        assert selectors.jumlah_per_status(pengguna=user) == jumlah
    camat = dunia.camat
    selectors.permohonan_dalam_lingkup(camat)
    with django_assert_num_queries(1):  # Tirto's counts were not cached yet
        assert selectors.jumlah_per_status(pengguna=camat)["total"] == 9


def test_a_transition_drops_its_kelurahan_counts_when_it_commits(dunia, django_capture_on_commit_callbacks):
    """The cached counts stand until the transition's transaction commits, then the next read recounts."""
    from layanan.permohonan import services

    user = dunia.petugas_medono
    p = ajukan(dunia)
    assert selectors.jumlah_per_status(pengguna=user)["per_status"] == {"diajukan": 1}  # now cached
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        services.permohonan_aksi(permohonan_id=p.pk, pengguna=user, aksi="verifikasi")
        # Before the commit the other readers see the old rows, and the cached counts still match them.
        assert selectors.jumlah_per_status(pengguna=user)["per_status"] == {"diajukan": 1}
    assert hooks
    assert selectors.jumlah_per_status(pengguna=user)["per_status"] == {Status.DIVERIFIKASI: 1}


def hitung_kueri(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_worklist_queries_do_not_grow_with_the_page(client, dunia):
    client.force_login(dunia.petugas_medono)
    buat_lama(dunia, 1, status=Status.DIAJUKAN)
    client.get("/petugas/")  # the first page after sign-in also saves the session
    satu = hitung_kueri(client, "/petugas/")
    buat_lama(dunia, 24, status=Status.DIAJUKAN)
    penuh = hitung_kueri(client, "/petugas/")
    assert len(nomor_di(client.get("/petugas/").content.decode())) == 25
    assert satu == penuh


def test_after_an_action_the_next_request_in_the_same_filter(client, dunia):
    pertama, kedua = ajukan(dunia), ajukan(dunia, warga=dunia.warga_lain)
    client.force_login(dunia.petugas_medono)
    html = client.get(f"/petugas/permohonan/{pertama.pk}/?status=aksi").content.decode()
    assert 'href="/petugas/?status=aksi" accesskey="l"' in html  # back to the same filter
    assert f'href="/petugas/permohonan/{kedua.pk}/?status=aksi" accesskey="j"' in html  # skip
    assert re.search(r'<input type="hidden" name="daftar" value="status=aksi"><button type="submit" '
                     r'accesskey="a" autofocus>Verifikasi berkas</button>', html)
    r = client.post(f"/petugas/permohonan/{pertama.pk}/aksi/verifikasi/", {"daftar": "status=aksi"})
    assert r.status_code == 302 and r["Location"] == f"/petugas/permohonan/{kedua.pk}/?status=aksi"
    r = client.post(f"/petugas/permohonan/{kedua.pk}/aksi/verifikasi/", {"daftar": "status=aksi"}, follow=True)
    assert r.redirect_chain[-1][0] == "/petugas/?status=aksi"
    assert "Tidak ada lagi permohonan dalam saringan ini." in r.content.decode()
    # Opened without a filter (a link from a message), the officer stays on the request.
    ketiga = ajukan(dunia)
    r = client.post(f"/petugas/permohonan/{ketiga.pk}/aksi/verifikasi/")
    assert r["Location"] == f"/petugas/permohonan/{ketiga.pk}/"
    # A filter that does not validate is dropped, never echoed.
    html = client.get(f"/petugas/permohonan/{ketiga.pk}/?status=%3Cscript%3E").content.decode()
    assert "<script>" not in html.split("<main", 1)[-1]


def test_signing_is_a_confirm_step_beside_the_draft(client, dunia):
    p = ajukan(dunia)
    client.force_login(dunia.petugas_medono)
    client.post(f"/petugas/permohonan/{p.pk}/aksi/verifikasi/")
    client.force_login(dunia.lurah_medono)
    html = client.get(f"/petugas/permohonan/{p.pk}/?status=aksi").content.decode()
    # On the request page "Setujui" is a link to the confirm step, not a form that signs.
    assert f'href="/petugas/permohonan/{p.pk}/aksi/setujui/?status=aksi" accesskey="a" autofocus' in html
    assert f'action="/petugas/permohonan/{p.pk}/aksi/setujui/"' not in html
    halaman = client.get(f"/petugas/permohonan/{p.pk}/aksi/setujui/?status=aksi")
    html = halaman.content.decode()
    assert f'<iframe class="berkas-tampil draf-tampil" src="/petugas/permohonan/{p.pk}/draf.pdf"' in html
    assert 'name="konfirmasi" value="1"' in html and "autofocus" in html
    draf = client.get(f"/petugas/permohonan/{p.pk}/draf.pdf")
    assert draf.status_code == 200 and draf["X-Frame-Options"] == "SAMEORIGIN"
    # A bare POST (one click from elsewhere) issues nothing.
    r = client.post(f"/petugas/permohonan/{p.pk}/aksi/setujui/")
    assert r.status_code == 400 and "Periksa draf surat" in r.content.decode()
    assert Permohonan.objects.get(pk=p.pk).status == Status.DIVERIFIKASI and not Surat.objects.exists()
    r = client.post(f"/petugas/permohonan/{p.pk}/aksi/setujui/", {"konfirmasi": "1", "daftar": "status=aksi"})
    assert r["Location"] == "/petugas/?status=aksi"
    assert Permohonan.objects.get(pk=p.pk).status == Status.SELESAI


def test_forwarding_to_the_kecamatan_needs_no_letter_confirm(client, dunia):
    p = ajukan(dunia, layanan=dunia.ahli_waris)
    client.force_login(dunia.petugas_medono)
    client.post(f"/petugas/permohonan/{p.pk}/aksi/verifikasi/")
    client.force_login(dunia.lurah_medono)
    client.post(f"/petugas/permohonan/{p.pk}/aksi/setujui/")
    assert Permohonan.objects.get(pk=p.pk).status == Status.DITERUSKAN_KECAMATAN


def siap_ttd(dunia, jumlah=1):
    """Requests verified by the clerk, waiting for the lurah's signature."""
    from layanan.permohonan import services

    daftar = [ajukan(dunia) for _ in range(jumlah)]
    for p in daftar:
        services.permohonan_aksi(permohonan_id=p.pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    return daftar


def test_the_signing_queue_signs_nothing_unseen(client, dunia):
    """Batch signing (issue 18, item 3 for the queue): each row opens its draft in the panel, none is
    rendered on load, and the POST signs nothing while a chosen draft was not opened by this signer
    since the request's last transition (the ledger's pratinjau_draf)."""
    dini = ajukan(dunia)
    client.force_login(dunia.lurah_medono)
    assert client.get(f"/petugas/permohonan/{dini.pk}/draf.pdf").status_code == 200  # seen before verification
    pertama, kedua = siap_ttd(dunia, 2)
    from layanan.permohonan import services

    services.permohonan_aksi(permohonan_id=dini.pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    client.force_login(dunia.petugas_medono)
    client.get(f"/petugas/permohonan/{kedua.pk}/draf.pdf")  # the clerk's look is not the signer's
    client.force_login(dunia.lurah_medono)
    html = client.get("/petugas/siap-ditandatangani/").content.decode()
    assert '<iframe name="draf" class="berkas-tampil draf-tampil"' in html and "src=" not in html.split("<iframe")[1].split(">")[0]
    for p in (dini, pertama, kedua):
        assert f'href="/petugas/permohonan/{p.pk}/draf.pdf" target="draf"' in html
    assert " checked" not in html and "sudah dibuka" not in html
    semua = [dini.pk, pertama.pk, kedua.pk]
    r = client.post("/petugas/siap-ditandatangani/", {"permohonan": semua})
    teks = r.content.decode()
    assert r.status_code == 400 and "Tidak ada surat yang ditandatangani" in teks
    assert all(p.nomor_registrasi in teks.split("belum dibuka:")[1].split("<")[0] for p in (dini, pertama, kedua))
    assert teks.count(" checked") == 3  # the choice is kept for the next try
    assert not Surat.objects.exists()
    client.get(f"/petugas/permohonan/{pertama.pk}/draf.pdf")
    r = client.post("/petugas/siap-ditandatangani/", {"permohonan": semua})
    belum = r.content.decode().split("belum dibuka:")[1].split("<")[0]
    assert r.status_code == 400 and pertama.nomor_registrasi not in belum and kedua.nomor_registrasi in belum
    assert r.content.decode().count("sudah dibuka ✓") == 1 and not Surat.objects.exists()
    client.get(f"/petugas/permohonan/{dini.pk}/draf.pdf")
    client.get(f"/petugas/permohonan/{kedua.pk}/draf.pdf")
    r = client.post("/petugas/siap-ditandatangani/", {"permohonan": semua})
    assert r.status_code == 302
    assert set(Permohonan.objects.filter(pk__in=semua).values_list("status", flat=True)) == {Status.SELESAI}
    assert Surat.objects.count() == 3


def test_the_signing_queue_page_queries_do_not_grow_with_its_length(client, dunia):
    pertama, = siap_ttd(dunia)
    client.force_login(dunia.lurah_medono)
    client.get(f"/petugas/permohonan/{pertama.pk}/draf.pdf")
    client.get("/petugas/siap-ditandatangani/")  # the first page after sign-in also saves the session
    satu = hitung_kueri(client, "/petugas/siap-ditandatangani/")
    lain = siap_ttd(dunia, 5)
    client.get(f"/petugas/permohonan/{lain[0].pk}/draf.pdf")
    html = client.get("/petugas/siap-ditandatangani/").content.decode()
    assert html.count('target="draf"') == 6 and html.count("sudah dibuka ✓") == 2
    assert hitung_kueri(client, "/petugas/siap-ditandatangani/") == satu


# --- the small things of item 6 ---------------------------------------------------------------------


def test_pages_default_to_indonesian_whatever_the_browser_asks(client, dunia):
    r = client.get("/lacak/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = r.content.decode()
    assert '<html lang="id">' in html and "Lacak permohonan" in html
    # Each language named in itself, not "Inggris".
    assert '<option value="en" lang="en">English</option>' in html and "Inggris" not in html
    assert '<meta name="description"' in html and 'rel="icon"' in html
    # Chosen English (the switcher's cookie) is kept; the API still follows Accept-Language (DESIGN.md).
    client.post("/i18n/setlang/", {"language": "en", "next": "/lacak/"})
    assert '<html lang="en">' in client.get("/lacak/").content.decode()
    api = client.get("/api/v1/layanan/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 200


def test_sign_in_code_page_says_the_minutes_the_message_says(client, dunia, settings):
    settings.OTP_TTL_SECONDS = 300
    sesi = client.session
    sesi["warga_masuk"] = {"nik": dunia.warga.nik, "no_hp": dunia.warga.no_hp, "next": "/"}
    sesi.save()
    html = client.get("/masuk/kode/").content.decode()
    assert "Kode berlaku 5 menit." in html and "beberapa menit" not in html


def test_letter_message_does_not_say_surat_twice():
    from notifikasi.templat_bawaan import BAWAAN

    assert not BAWAAN["selesai"]["isi"].startswith("Surat {{ layanan }}")


def test_rt_rw_use_the_digit_pad_and_the_kelurahan_is_remembered(client, dunia):
    from layanan.models import Layanan
    from layanan.web.forms import PermohonanForm

    layanan = Layanan.objects.get(pk=dunia.domisili.pk)
    layanan.formulir = [{"nama": "rt", "label": "RT", "tipe": "angka", "digit": 3},
                        {"nama": "luas", "label": "Luas", "tipe": "angka"}]  # not saved
    form = PermohonanForm(layanan=layanan)
    assert form.fields["data_rt"].widget.attrs["inputmode"] == "numeric"
    assert form.fields["data_luas"].widget.attrs["inputmode"] == "decimal"
    client.force_login(dunia.warga.user)
    assert f'<option value="{MEDONO}" selected>' not in client.get("/layanan/domisili/ajukan/").content.decode()
    ajukan(dunia)
    assert f'<option value="{MEDONO}" selected>' in client.get("/layanan/domisili/ajukan/").content.decode()
