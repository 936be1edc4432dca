"""Statements per request: a list costs the same for 1 row and for 50; a submission, an action and the
desk page stay within their budgets (issue 22)."""

import json
from unittest import mock

import filetype
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from layanan.models import Berkas, Permohonan
from notifikasi.models import Outbox, TemplatPesan
from tests.factories import MEDONO, Dunia, token, unggahan


@pytest.fixture
def dunia(db):
    return Dunia()


def buat_permohonan(dunia, jumlah):
    sekarang = timezone.now()
    Permohonan.objects.bulk_create(
        [
            Permohonan(
                layanan=dunia.domisili, kelurahan_id=MEDONO, kecamatan_id="33.75.01", pemohon=dunia.warga,
                identitas={"nama": "Siti Aminah", "nik": dunia.warga.nik}, keperluan="uji", diajukan_pada=sekarang,
                tenggat=sekarang + timezone.timedelta(hours=8 + i),
            )
            for i in range(jumlah)
        ]
    )


def hitung(user, url):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(user)}")
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries), r.json()["count"]


@pytest.mark.parametrize("siapa", ["petugas_medono", "camat", "inspektorat", "warga"])
def test_list_query_count_does_not_grow_with_rows(dunia, siapa, django_assert_max_num_queries):
    user = dunia.warga.user if siapa == "warga" else getattr(dunia, siapa)
    buat_permohonan(dunia, 1)
    satu, n1 = hitung(user, "/api/v1/permohonan/?page_size=50")
    buat_permohonan(dunia, 49)
    lima_puluh, n50 = hitung(user, "/api/v1/permohonan/")
    assert (n1, n50) == (1, 50)
    assert satu == lima_puluh
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(user)}")
    with django_assert_max_num_queries(6):
        c.get("/api/v1/permohonan/?sla=aman&status=diajukan")


# --- issue 22: statements per submission, per action and per desk page --------------------------------



def _isian_api(**lain):
    isian = {"layanan": "domisili", "kelurahan": MEDONO, "keperluan": "Melamar pekerjaan",
             "data": json.dumps({"lama_tinggal": 5, "status_rumah": "sewa"}), "nama": "Siti Aminah",
             "alamat": "Jl. Medono 5", "berkas_pengantar_rt": unggahan(), "berkas_ktp": unggahan("ktp.pdf")}
    isian.update(lain)
    return isian


def test_submission_costs_at_most_10_statements_and_answers_from_what_it_wrote(dunia, django_assert_num_queries):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    assert c.post("/api/v1/permohonan/", _isian_api(), format="multipart").status_code == 201  # profile, caches
    # token+user (with whether they hold an assignment: a resident's none are not asked for), request (a
    # taken number is skipped by the INSERT itself: no savepoint), both files in one INSERT, chain head (2),
    # event, rollup, outbox (the relay asks whether the number opted out); the SAVEPOINT/RELEASE pair of
    # the request's transaction stands for BEGIN/COMMIT in a test.
    with mock.patch("layanan.permohonan.validasi.filetype.guess_mime", wraps=filetype.guess_mime) as sniff, \
            django_assert_num_queries(10):
        r = c.post("/api/v1/permohonan/", _isian_api(), format="multipart")
    assert r.status_code == 201
    assert sniff.call_count == 2  # each file's type sniffed once
    body = r.json()
    p = Permohonan.objects.get(pk=body["id"])
    # The answer built from the written objects equals the one a fresh read gives.
    assert body == c.get(f"/api/v1/permohonan/{p.pk}/").json() | {"aksi_tersedia": body["aksi_tersedia"]}
    assert [e["aksi"] for e in body["riwayat"]] == ["ajukan"] and len(body["berkas"]) == 2 and body["surat"] is None
    # Nothing of the audit, outbox and files was dropped to get there.
    assert AuditEvent.objects.filter(objek_tipe="permohonan", objek_id=str(p.pk), aksi="ajukan").count() == 1
    assert Outbox.objects.filter(referensi=f"permohonan:{p.pk}", templat="permohonan_diterima").count() == 1
    assert Berkas.objects.filter(permohonan=p).count() == 2


def test_invalid_submission_still_validated_with_cached_catalogue(dunia):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    assert c.post("/api/v1/permohonan/", _isian_api(), format="multipart").status_code == 201
    r = c.post("/api/v1/permohonan/", _isian_api(berkas_ktp=unggahan("ktp.pdf", b"bukan pdf")), format="multipart")
    assert r.status_code == 400 and "berkas_ktp" in r.json()
    # A requirement added in the admin reaches the next submission (the per-process copy is dropped).
    dunia.domisili.persyaratan.create(kode="kk", nama="Kartu Keluarga", unggah=True, urutan=9)
    r = c.post("/api/v1/permohonan/", _isian_api(), format="multipart")
    assert r.status_code == 400 and "berkas_kk" in r.json()
    dunia.domisili.aktif = False
    dunia.domisili.save()
    r = c.post("/api/v1/permohonan/", _isian_api(), format="multipart")
    assert r.status_code == 400 and "layanan" in r.json()


def test_edited_message_template_reaches_the_next_message(dunia):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    assert c.post("/api/v1/permohonan/", _isian_api(), format="multipart").status_code == 201
    t = TemplatPesan.objects.get(kode="permohonan_diterima")
    t.aktif = False
    t.save()
    pk = c.post("/api/v1/permohonan/", _isian_api(), format="multipart").json()["id"]
    assert Outbox.objects.get(referensi=f"permohonan:{pk}").status == Outbox.StatusPesan.DILEWATI


def test_action_answers_from_the_row_it_wrote(dunia, django_assert_max_num_queries):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    pk = c.post("/api/v1/permohonan/", _isian_api(), format="multipart").json()["id"]
    petugas = APIClient()
    petugas.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.petugas_medono)}")
    # Was 20: the read back of the row (1) and the template (1) are gone. Left: the SAVEPOINT pairs of the
    # view's and the service's transactions (4), the locked row, assignments, its UPDATE, the audit append
    # (3 + rollup read and upsert), the opt-out check, the outbox, and the timeline, letter and files.
    with django_assert_max_num_queries(18):
        r = petugas.post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": "verifikasi"}, format="json")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "diverifikasi" and [e["aksi"] for e in body["riwayat"]] == ["ajukan", "verifikasi"]
    segar = petugas.get(f"/api/v1/permohonan/{pk}/").json()
    assert {k: v for k, v in body.items() if k != "aksi_tersedia"} == \
        {k: v for k, v in segar.items() if k != "aksi_tersedia"}


def test_the_draft_rule_costs_one_ledger_read_and_its_refusal_writes_nothing(dunia, django_assert_max_num_queries):
    """No letter is signed unseen (services.permohonan_aksi, selectors.draf_sudah_diperiksa): one grouped read
    of the ledger on a signing action, nothing written when it refuses. A signing costs what it did before the
    rule: the read (+1) is paid for by deleting a waiting BSrE approval only when the locked row has one (-1)."""
    from layanan.permohonan import services
    from layanan.permohonan.galat import DrafBelumDilihat
    from tests.pembantu_ttd import lihat_draf

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    pk = c.post("/api/v1/permohonan/", _isian_api(), format="multipart").json()["id"]
    services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.petugas_medono, aksi="verifikasi")
    with CaptureQueriesContext(connection) as ctx, pytest.raises(DrafBelumDilihat):
        services.permohonan_aksi(permohonan_id=pk, pengguna=dunia.lurah_medono, aksi="setujui")
    sql = [q["sql"] for q in ctx.captured_queries]
    assert sum("audit_auditevent" in s for s in sql) == 1, sql
    assert not [s for s in sql if s.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")], sql
    # savepoint, assignments, whether the user is also a resident (scope), the locked row (with its waiting
    # approval), the office's named signer, the ledger; rollback and release of the savepoint
    assert len(sql) == 8, "\n".join(s[:100] for s in sql)

    lihat_draf(dunia.lurah_medono, pk)
    lurah = APIClient()
    lurah.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.lurah_medono)}")
    assert lurah.get(f"/api/v1/permohonan/{pk}/").status_code == 200  # token, caches
    # The approval that issues the letter (number, PDF, two messages, the answer), as before the rule.
    with django_assert_max_num_queries(38):
        r = lurah.post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": "setujui"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "selesai"


def test_desk_page_at_most_6_statements_whatever_the_rows(dunia, client, django_assert_max_num_queries):
    """Session, user, assignments, the resident link, the page's COUNT and its rows; the per-state counts
    come from the cache (one GROUP BY more when they expired)."""
    client.force_login(dunia.petugas_medono)
    buat_permohonan(dunia, 1)
    assert client.get("/petugas/?status=").status_code == 200  # the session's first marks are written once
    with django_assert_max_num_queries(6):
        r1 = client.get("/petugas/?status=")
    buat_permohonan(dunia, 40)  # bulk rows: no transition, so the cached counts stay until they expire
    cache.delete(f"simpatik:jumlah-status:{MEDONO}")
    with CaptureQueriesContext(connection) as dingin:
        r40 = client.get("/petugas/?status=&hal=2")
    with CaptureQueriesContext(connection) as hangat:
        client.get("/petugas/")
    assert len(dingin) <= 7 and len(hangat) <= 6  # the counts came from the cache the second time
    assert r1.context["total"] == 1 and r40.context["total"] == 41 and r40.context["perlu_aksi"] == 41
    assert len(r40.context["halaman"]) == 16 and r40.context["halaman"].paginator.count == 41
    with django_assert_max_num_queries(6):  # every filter: still one COUNT and one page
        r = client.get(f"/petugas/?layanan=domisili&kelurahan={MEDONO}&status=")
    assert r.context["halaman"].paginator.count == 41
    html = r.content.decode()
    assert '<option value="domisili" selected>' in html and f'<option value="{MEDONO}" selected>' in html


def test_counts_follow_a_transition_at_once(dunia, client, django_capture_on_commit_callbacks):
    from layanan.permohonan.selectors import _jumlah_langsung, jumlah_per_status

    def per_status(user):
        hasil = jumlah_per_status(pengguna=user)
        assert hasil == _jumlah_langsung(user)  # the cached counts say what one grouped query says
        return hasil["per_status"], hasil["perlu_aksi"]

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    assert per_status(dunia.petugas_medono) == ({}, 0)
    with django_capture_on_commit_callbacks(execute=True):
        pk = c.post("/api/v1/permohonan/", _isian_api(), format="multipart").json()["id"]
    assert per_status(dunia.petugas_medono) == ({"diajukan": 1}, 1)
    assert per_status(dunia.lurah_medono) == ({"diajukan": 1}, 0)
    petugas = APIClient()
    petugas.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.petugas_medono)}")
    with django_capture_on_commit_callbacks(execute=True):
        r = petugas.post(f"/api/v1/permohonan/{pk}/aksi/", {"aksi": "verifikasi"}, format="json")
    assert r.status_code == 200
    assert per_status(dunia.petugas_medono) == ({"diverifikasi": 1}, 0)
    assert per_status(dunia.lurah_medono) == ({"diverifikasi": 1}, 1)
    # Scope: the camat's kecamatan holds Medono; Tirto's officer sees none of it.
    assert per_status(dunia.camat)[0] == {"diverifikasi": 1}
    assert per_status(dunia.petugas_tirto) == ({}, 0)
    assert per_status(dunia.warga.user)[0] == {"diverifikasi": 1}


def test_worklist_reads_the_calendar_version_once_per_page(dunia, client):
    """Each row's SLA needs its office calendar; the calendars' version token is a cache round trip,
    read once for the page whatever its rows (it was once per row: half of a page's time)."""
    from kelurahan import kalender, simpanan

    warga = APIClient()
    warga.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.warga.user)}")
    for _ in range(4):  # requests with a running SLA clock, as a real submission starts it
        assert warga.post("/api/v1/permohonan/", _isian_api(), format="multipart").status_code == 201
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token(dunia.petugas_medono)}")
    client.force_login(dunia.petugas_medono)
    for ambil in (lambda: c.get("/api/v1/permohonan/"), lambda: client.get("/petugas/")):
        ambil()
        with (mock.patch.object(simpanan, "_baca_versi", wraps=simpanan._baca_versi) as baca,
              mock.patch.object(simpanan.cache, "get_many", wraps=simpanan.cache.get_many) as baca_banyak):
            r = ambil()
        assert r.status_code == 200
        assert baca.call_count == 0  # no token read on its own: all of them in one round trip
        versi = [a.args[0] for a in baca_banyak.call_args_list if set(a.args[0]) & set(simpanan._SEMUA)]
        assert len(versi) == 1 and kalender.KUNCI_VERSI in versi[0]


@pytest.mark.parametrize("siapa", ["petugas_medono", "petugas_kec"])
def test_worklist_page_is_read_in_index_order_without_a_sort(dunia, siapa):
    """A backlog sharing one deadline (filed overnight, the clock starts at the same opening hour) is paged in
    the scope index's order: the database neither joins nor sorts the whole backlog for one page."""
    from layanan.permohonan.selectors import permohonan_daftar

    sekarang = timezone.now()
    Permohonan.objects.bulk_create([
        Permohonan(layanan=dunia.domisili, kelurahan_id=MEDONO, kecamatan_id="33.75.01", pemohon=dunia.warga,
                   identitas={"nama": "Siti Aminah"}, keperluan="uji", diajukan_pada=sekarang,
                   status="diajukan" if siapa == "petugas_medono" else "diteruskan_kecamatan",
                   tenggat=sekarang + timezone.timedelta(hours=8))
        for _ in range(60)
    ])
    status = "diajukan" if siapa == "petugas_medono" else "diteruskan_kecamatan"
    qs = permohonan_daftar(user=getattr(dunia, siapa), status=status).select_related("layanan", "kelurahan")[:25]
    sql, param = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, param)
            rencana = " ".join(str(b[-1]) for b in cursor.fetchall())
            assert "TEMP B-TREE" not in rencana and "_idx" in rencana, rencana
        else:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, param)
            rencana = " ".join(b[0] for b in cursor.fetchall())
            assert "Sort" not in rencana and "_idx" in rencana, rencana
    assert len(list(qs)) == 25


def test_token_says_whether_a_resident_also_holds_an_assignment(dunia):
    """The token's one query tells a plain resident (no assignment query) from a resident who is also an
    officer of the kelurahan, who keeps the officer's scope, and loses it when the assignment ends."""
    from kelurahan.models import Penugasan, Peran

    buat_permohonan(dunia, 1)
    Permohonan.objects.bulk_create([Permohonan(
        layanan=dunia.domisili, kelurahan_id=MEDONO, kecamatan_id="33.75.01", pemohon=dunia.warga_lain,
        identitas={"nama": "Budi Santoso"}, keperluan="uji", diajukan_pada=timezone.now(),
        tenggat=timezone.now() + timezone.timedelta(hours=8))])
    user = dunia.warga.user
    assert hitung(user, "/api/v1/permohonan/")[1] == 1  # own request only
    tugas = Penugasan.objects.create(user=user, peran=Peran.PETUGAS_KELURAHAN, kantor=dunia.medono)
    assert hitung(user, "/api/v1/permohonan/")[1] == 2  # the kelurahan's requests
    tugas.aktif = False
    tugas.save()
    assert hitung(user, "/api/v1/permohonan/")[1] == 1


def _nilai(objek) -> dict:
    return {k: v for k, v in vars(objek).items() if k != "_state"}


def test_token_query_loads_what_the_orm_would(dunia, django_assert_num_queries):
    """kelurahan/sesi.py writes the token's query as SQL once per process: the token, user and resident row
    it loads (sealed columns opened, dates parsed) equal the ORM's select_related, in one query; a user
    without a resident row has none, as after select_related."""
    from django.db.models import Exists, OuterRef
    from rest_framework.authtoken.models import Token

    from kelurahan.models import Penugasan
    from kelurahan.sesi import token_dengan_pemegang, token_terbitkan

    dunia.warga.tanggal_lahir = timezone.localdate().replace(year=1990)
    dunia.warga.save()
    for user, bertugas in ((dunia.warga.user, False), (dunia.petugas_medono, True)):
        key = token_terbitkan(user).key
        orm = (Token.objects.select_related("user", "user__warga")
               .annotate(bertugas=Exists(Penugasan.objects.filter(user=OuterRef("user_id"), aktif=True))).get(key=key))
        with django_assert_num_queries(1):
            token = token_dengan_pemegang(key)
            assert _nilai(token) == _nilai(orm) and token.bertugas is bertugas
            assert _nilai(token.user) == _nilai(orm.user)
            if hasattr(orm.user, "warga"):
                assert _nilai(token.user.warga) == _nilai(orm.user.warga) and token.user.warga.user is token.user
                assert token.user.warga.nik == dunia.warga.nik and token.user.warga.tanggal_lahir.year == 1990
            else:
                assert not hasattr(token.user, "warga")
    with pytest.raises(Token.DoesNotExist):
        token_dengan_pemegang("tidak-ada")


def test_assignments_query_loads_what_the_orm_would(dunia, django_assert_num_queries):
    """kelurahan/lingkup.py writes the officer's assignments query as SQL once per process: the assignments and
    offices it loads equal the ORM's, in one query, without the inactive ones, each linked to its user."""
    from kelurahan.lingkup import penugasan_aktif
    from kelurahan.models import Penugasan, Peran

    user = dunia.petugas_medono
    Penugasan.objects.create(user=user, peran=Peran.LURAH, kantor=dunia.medono, no_hp="+6281200001111",
                             nik_tte="3375010101900001")
    Penugasan.objects.create(user=user, peran=Peran.PETUGAS_KECAMATAN, kantor=dunia.medono, aktif=False)
    orm = list(user.penugasan.filter(aktif=True).select_related("kantor").order_by("pk"))
    assert len(orm) == 2
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        tugas = penugasan_aktif(user)
        assert [_nilai(t) for t in tugas] == [_nilai(t) for t in orm]
        assert [_nilai(t.kantor) for t in tugas] == [_nilai(t.kantor) for t in orm]
        assert all(t.user is user for t in tugas) and tugas[1].no_hp == "+6281200001111"
        assert penugasan_aktif(user) is tugas
