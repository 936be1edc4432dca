"""Signed checkpoints, Merkle proofs over HTTP, key rotation, and the insider's rewrites they expose.

Every attack below is made with the power of whoever holds the database's owner credentials
(on PostgreSQL the triggers are switched off for it, `session_replication_role = replica`),
and, where it helps the attacker, the signing key too: the events are rewritten, the hashes,
heads, Merkle nodes and stored checkpoints recomputed. Plain `audit_verify` may then find
nothing; `audit_verify --checkpoint` with a checkpoint a witness saved before must name the chain.
"""

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit import checkpoint as cp_mod
from audit import kunci, merkle, pohon, turunan
from audit.models import GENESIS_HASH, AuditEvent, Checkpoint, RantaiAudit, SimpulMerkle
from audit.services import audit_catat, data_daun, frontier_tulis, isi_event
from tests.pembantu_audit import sebagai_pemilik
from tests.pembantu_indikator import MEDONO, TIRTO

pytestmark = pytest.mark.django_db


def isi_rantai(rantai, n, mulai=0):
    for i in range(mulai, mulai + n):
        audit_catat(rantai=rantai, kategori="sla", aksi="sla_rawan", objek_tipe="permohonan", objek_id=i,
                    data={"ke": i, "teks": "é"})


def simpan_checkpoint(client, tmp_path, nama="saksi.json"):
    """What a witness does: fetch the public checkpoints and keep the answer."""
    r = client.get("/api/v1/audit/checkpoint/")
    assert r.status_code == 200
    berkas = tmp_path / nama
    berkas.write_text(json.dumps(r.json()))
    return berkas


# --- the signed-note format ------------------------------------------------------------------------

def test_note_signature_matches_go_note_package_vector():
    """golang.org/x/mod/sumdb/note's TestSign: key PeterNeumann+c74f20a3, the same text, the same line."""
    seed = base64.b64decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")[1:]
    publik = base64.b64decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")[1:]
    privat = Ed25519PrivateKey.from_private_bytes(seed)
    assert kunci.publik_mentah(privat.public_key()) == publik
    idk = cp_mod.id_kunci("PeterNeumann", publik)
    assert idk.hex() == "c74f20a3"
    teks = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    assert cp_mod.catatan(teks, "PeterNeumann", idk, privat.sign(teks.encode())) == (
        teks + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")


def test_checkpoint_text_parsing_is_strict():
    akar = hashlib.sha256(b"x").digest()
    teks = cp_mod.teks_checkpoint("contoh.go.id/audit/33.75.01.1002", 12, akar)
    assert cp_mod.baca_teks(teks) == ("contoh.go.id/audit/33.75.01.1002", 12, akar)
    for salah in (teks[:-1], "a\n012\n" + cp_mod.b64(akar) + "\n", "a\n\n" + cp_mod.b64(akar) + "\n",
                  "a\n1\n" + cp_mod.b64(akar[:31]) + "\n", "a\n1\nbukan base64!\n", "a\n1\n"):
        with pytest.raises(ValueError):
            cp_mod.baca_teks(salah)


# --- checkpoints, the endpoint, proofs --------------------------------------------------------------

def test_checkpoint_signs_each_grown_chain_in_c2sp_form(client, settings, django_assert_max_num_queries):
    settings.AUDIT_ASAL = "simpatik.contoh.go.id/audit"
    isi_rantai(MEDONO, 40)
    isi_rantai(TIRTO, 3)
    hasil = cp_mod.checkpoint_semua()
    assert sorted(c.rantai for c in hasil["dibuat"]) == [MEDONO, TIRTO] and not hasil["ditolak"]
    cp = Checkpoint.objects.get(rantai=MEDONO)
    daun = [pohon.daun_event(e) for e in AuditEvent.objects.filter(rantai=MEDONO).order_by("urutan")]
    akar = merkle.akar_dari_daun(daun)
    assert cp.teks == f"simpatik.contoh.go.id/audit/{MEDONO}\n40\n{base64.b64encode(akar).decode()}\n"
    assert cp.akar == akar.hex() and cp.ukuran == 40
    publik = kunci.publik_mentah(kunci.kunci_publik())
    kunci.kunci_publik().verify(base64.b64decode(cp.tanda_tangan), cp.teks.encode())
    assert cp.id_kunci == hashlib.sha256(f"simpatik.contoh.go.id/audit/{MEDONO}\n".encode() + b"\x01" + publik
                                         ).digest()[:4].hex()
    # Subtrees of 16 leaves and up are stored (0-15, 16-31, and 0-31), nothing below.
    assert set(SimpulMerkle.objects.filter(rantai=MEDONO).values_list("tingkat", "indeks")) == {(4, 0), (4, 1), (5, 0)}
    # Nothing new: nothing signed.
    assert cp_mod.checkpoint_semua()["dibuat"] == []

    with django_assert_max_num_queries(4):
        r = client.get("/api/v1/audit/checkpoint/")
    body = r.json()
    assert body["kunci_publik"] == base64.b64encode(publik).decode() and body["kunci_lama"] == []
    assert [c["rantai"] for c in body["checkpoint"]] == [MEDONO, TIRTO]
    c = body["checkpoint"][0]
    assert {"rantai", "ukuran", "akar", "waktu", "teks", "tanda_tangan"} <= set(c)
    assert c["catatan"] == c["teks"] + f"\n\u2014 simpatik.contoh.go.id/audit/{MEDONO} " + base64.b64encode(
        bytes.fromhex(c["id_kunci"]) + base64.b64decode(c["tanda_tangan"])).decode() + "\n"


def test_inclusion_and_consistency_proofs_over_http_verify_with_hashes_alone(client, django_assert_max_num_queries):
    isi_rantai(MEDONO, 37)
    cp_mod.checkpoint_semua()
    lama = client.get("/api/v1/audit/checkpoint/").json()["checkpoint"][0]
    isi_rantai(MEDONO, 60, mulai=37)
    cp_mod.checkpoint_semua()
    baru = client.get("/api/v1/audit/checkpoint/").json()["checkpoint"][0]
    assert (lama["ukuran"], baru["ukuran"]) == (37, 97)

    for urutan in (1, 16, 17, 37, 80, 97):
        e = AuditEvent.objects.get(rantai=MEDONO, urutan=urutan)
        # Whatever the size: find the event (3), head and checkpoint (2), stored nodes (2), events below 16 (1).
        with django_assert_max_num_queries(9):
            r = client.get(f"/api/v1/audit/bukti/inklusi/{e.hash}/")
        assert r.status_code == 200, r.content
        b = r.json()
        assert (b["rantai"], b["urutan"], b["ukuran"], b["akar"]) == (MEDONO, urutan, 97, baru["akar"])
        # What a citizen holding the event checks: its leaf, the proof, the signed root.
        daun = hashlib.sha256(b"\x00" + data_daun(hash_sebelum=e.hash_sebelum, isi=isi_event(e))).digest()
        assert b["hash_daun"] == daun.hex()
        assert merkle.verifikasi_inklusi(indeks=urutan - 1, ukuran=97, daun=daun, bukti=[bytes.fromhex(x) for x in
                                         b["bukti"]], akar=bytes.fromhex(baru["akar"]))
    e = AuditEvent.objects.get(rantai=MEDONO, urutan=5)
    b = client.get(f"/api/v1/audit/bukti/inklusi/{e.hash}/?ukuran=37").json()
    assert b["akar"] == lama["akar"] and b["checkpoint"]["ukuran"] == 37

    r = client.get(f"/api/v1/audit/bukti/konsistensi/{MEDONO}/?dari=37")
    assert r.status_code == 200
    k = r.json()
    assert (k["dari"], k["ke"], k["akar_ke"]) == (37, 97, baru["akar"])
    assert merkle.verifikasi_konsistensi(lama=37, baru=97, akar_lama=bytes.fromhex(lama["akar"]),
                                         akar_baru=bytes.fromhex(baru["akar"]),
                                         bukti=[bytes.fromhex(x) for x in k["bukti"]])


def test_proof_endpoints_answer_400_and_404_with_messages(client):
    isi_rantai(MEDONO, 3)
    e = AuditEvent.objects.get(rantai=MEDONO, urutan=2)
    # Not yet covered by a checkpoint.
    assert client.get(f"/api/v1/audit/bukti/inklusi/{e.hash}/").status_code == 404
    cp_mod.checkpoint_semua()
    assert client.get(f"/api/v1/audit/bukti/inklusi/{'ab' * 32}/").status_code == 404
    assert client.get(f"/api/v1/audit/bukti/inklusi/{GENESIS_HASH}/").status_code == 404
    r = client.get("/api/v1/audit/bukti/inklusi/xyz/")
    assert r.status_code == 400 and "hash" in r.json()
    r = client.get(f"/api/v1/audit/bukti/inklusi/{e.hash}/?ukuran=-1")
    assert r.status_code == 400 and "ukuran" in r.json()
    assert client.get(f"/api/v1/audit/bukti/inklusi/{e.hash}/?ukuran=9").status_code == 404
    r = client.get(f"/api/v1/audit/bukti/konsistensi/{MEDONO}/")
    assert r.status_code == 400 and "dari" in r.json()
    r = client.get(f"/api/v1/audit/bukti/konsistensi/{MEDONO}/?dari=3&ke=2")
    assert r.status_code == 400 and "ke" in r.json()
    assert client.get(f"/api/v1/audit/bukti/konsistensi/{MEDONO}/?dari=0").status_code == 400
    assert client.get("/api/v1/audit/bukti/konsistensi/tidak-ada/?dari=1").status_code == 404
    assert client.get(f"/api/v1/audit/bukti/konsistensi/{MEDONO}/?dari=1&ke=3").status_code == 200


def test_key_rotation_keeps_old_checkpoints_verifiable_and_published(client, settings, tmp_path, capsys):
    isi_rantai(MEDONO, 5)
    cp_mod.checkpoint_semua()
    lama_path = settings.SIGNING_KEY_PATH
    lama_publik = kunci.publik_mentah(kunci.kunci_publik())
    # Rotation: a new key signs from now on; the old key's public half is listed as retired.
    publik_pem = tmp_path / "kunci-lama.pub.pem"
    publik_pem.write_bytes(kunci.kunci_publik().public_bytes(serialization.Encoding.PEM,
                                                             serialization.PublicFormat.SubjectPublicKeyInfo))
    settings.SIGNING_KEY_PATH = tmp_path / "kunci-baru.pem"
    settings.SIGNING_KEY_LAMA = [publik_pem]
    isi_rantai(MEDONO, 5, mulai=5)
    (baru,) = cp_mod.checkpoint_semua()["dibuat"]
    assert baru.kunci_publik != base64.b64encode(lama_publik).decode()
    call_command("audit_verify")
    body = client.get("/api/v1/audit/checkpoint/").json()
    assert body["kunci_publik"] == baru.kunci_publik
    assert body["kunci_lama"] == [base64.b64encode(lama_publik).decode()]
    # Forget the old key and its checkpoint no longer verifies: a key not in the ring is refused.
    settings.SIGNING_KEY_LAMA = []
    with pytest.raises(CommandError, match=MEDONO):
        call_command("audit_verify")
    assert "ukuran 5 ditandatangani kunci yang tidak dikenal" in capsys.readouterr().out
    assert lama_path != settings.SIGNING_KEY_PATH


def test_derived_table_registry_reports_each_differing_row(capsys):
    isi_rantai(MEDONO, 2)
    baris = {"a": 1}

    def pemeriksa():  # a test-local checker: one "row" that must equal what the chain says
        if baris["a"] != AuditEvent.objects.filter(rantai=MEDONO).count() - 1:
            yield turunan.Selisih(MEDONO, "tabel_uji", "id=1", f"a={baris['a']}, rantai bilang 1")

    turunan.daftarkan("uji", pemeriksa)
    try:
        call_command("audit_verify")
        assert "OK     turunan uji" in capsys.readouterr().out
        baris["a"] = 7
        with pytest.raises(CommandError, match=f"rantai {MEDONO}: tabel_uji id=1"):
            call_command("audit_verify")
        assert f"BEDA   rantai {MEDONO}: tabel_uji id=1: a=7, rantai bilang 1" in capsys.readouterr().out
    finally:
        turunan.lepaskan("uji")


# --- the insider's rewrites --------------------------------------------------------------------------

def _sql(sql, params=()):
    with connection.cursor() as c:
        c.execute(sql, params)


def tulis_ulang(rantai, *, tanda_tangani_lagi=True):
    """Recompute everything a verifier inside the database could check, as a full-power insider would:
    every event's link and hash in order, the head and its frontier, the Merkle nodes, and fresh
    checkpoints signed with the deployment's key (the insider may hold it too)."""
    sebelum, frontier = GENESIS_HASH, []
    events = list(AuditEvent.objects.filter(rantai=rantai).order_by("urutan"))
    # Out of the way first, so the unique (rantai, urutan) and (rantai, hash_sebelum) hold at every step.
    _sql("UPDATE audit_auditevent SET urutan = -id, hash_sebelum = 'x' || id WHERE rantai = %s", [rantai])
    for i, e in enumerate(events):
        e.urutan, e.hash_sebelum = i + 1, sebelum
        data = data_daun(hash_sebelum=sebelum, isi=isi_event(e))
        sebelum = hashlib.sha256(data).hexdigest()
        _sql("UPDATE audit_auditevent SET urutan = %s, hash_sebelum = %s, hash = %s WHERE id = %s",
             [i + 1, e.hash_sebelum, sebelum, e.pk])
        frontier, _ = merkle.frontier_tambah(frontier, i, merkle.hash_daun(data))
    _sql("UPDATE audit_rantaiaudit SET urutan = %s, hash_terakhir = %s, frontier = %s WHERE kunci = %s",
         [len(events), sebelum, frontier_tulis(frontier), rantai])
    _sql("DELETE FROM audit_simpulmerkle WHERE rantai = %s", [rantai])
    _sql("DELETE FROM audit_checkpoint WHERE rantai = %s", [rantai])
    if tanda_tangani_lagi:
        cp_mod.checkpoint_buat(rantai)


def _tolak(berkas, *harapan):
    with pytest.raises(CommandError) as galat:
        call_command("audit_verify", checkpoint=str(berkas))
    for h in harapan:
        assert h in str(galat.value), galat.value


@pytest.fixture
def saksi(client, tmp_path):
    """Two chains with a saved checkpoint (what a lurah's digest or an auditor keeps)."""
    isi_rantai(MEDONO, 20)
    isi_rantai(TIRTO, 4)
    cp_mod.checkpoint_semua()
    berkas = simpan_checkpoint(client, tmp_path)
    isi_rantai(MEDONO, 3, mulai=20)  # life goes on after the witness saved it
    cp_mod.checkpoint_semua()
    call_command("audit_verify", checkpoint=str(berkas))
    return berkas


def test_truncation_with_the_head_moved_back_is_named(saksi, capsys):
    with sebagai_pemilik():
        _sql("DELETE FROM audit_auditevent WHERE rantai = %s AND urutan > 18", [MEDONO])
        tulis_ulang(MEDONO)
    _tolak(saksi, MEDONO, "ukuran 20")
    assert f"OK     {TIRTO}" in capsys.readouterr().out


def test_full_rewrite_with_recomputed_hashes_passes_inside_but_not_against_the_witness(saksi, capsys):
    with sebagai_pemilik():
        e = AuditEvent.objects.get(rantai=MEDONO, urutan=7)
        _sql("UPDATE audit_auditevent SET data = %s WHERE id = %s", [json.dumps({"ke": 7, "teks": "diubah"}), e.pk])
        tulis_ulang(MEDONO)
    call_command("audit_verify")  # everything inside the database agrees with itself now
    _tolak(saksi, MEDONO, "ukuran 20")
    assert "akar pada ukuran 20 tidak sama dengan checkpoint saksi" in capsys.readouterr().out


def test_deleted_middle_event_is_named(saksi):
    with sebagai_pemilik():
        _sql("DELETE FROM audit_auditevent WHERE rantai = %s AND urutan = 10", [MEDONO])
        tulis_ulang(MEDONO)
    _tolak(saksi, MEDONO, "ukuran 20")


def test_two_events_swapped_are_named(saksi):
    with sebagai_pemilik():
        a = AuditEvent.objects.get(rantai=MEDONO, urutan=4)
        b = AuditEvent.objects.get(rantai=MEDONO, urutan=5)
        _sql("UPDATE audit_auditevent SET urutan = -1 WHERE id = %s", [a.pk])
        _sql("UPDATE audit_auditevent SET urutan = 4 WHERE id = %s", [b.pk])
        _sql("UPDATE audit_auditevent SET urutan = 5 WHERE id = %s", [a.pk])
        tulis_ulang(MEDONO)
    _tolak(saksi, MEDONO, "ukuran 20")


def test_database_restored_from_an_older_copy_is_named(client, tmp_path, capsys):
    isi_rantai(MEDONO, 10)
    cp_mod.checkpoint_semua()
    isi_rantai(MEDONO, 10, mulai=10)
    cp_mod.checkpoint_semua()
    berkas = simpan_checkpoint(client, tmp_path)  # the witness saw size 20
    # The older copy: the last ten events and the newer checkpoint never happened, no rehash needed.
    with sebagai_pemilik():
        kepala_lama = AuditEvent.objects.get(rantai=MEDONO, urutan=10)
        frontier = []
        for i, e in enumerate(AuditEvent.objects.filter(rantai=MEDONO, urutan__lte=10).order_by("urutan")):
            frontier, _ = merkle.frontier_tambah(frontier, i, pohon.daun_event(e))
        _sql("DELETE FROM audit_auditevent WHERE rantai = %s AND urutan > 10", [MEDONO])
        _sql("DELETE FROM audit_checkpoint WHERE rantai = %s AND ukuran > 10", [MEDONO])
        _sql("DELETE FROM audit_simpulmerkle WHERE rantai = %s AND (indeks + 1) * power(2, tingkat) > 10", [MEDONO])
        _sql("UPDATE audit_rantaiaudit SET urutan = 10, hash_terakhir = %s, frontier = %s WHERE kunci = %s",
             [kepala_lama.hash, frontier_tulis(frontier), MEDONO])
    call_command("audit_verify")  # the restored copy is consistent with itself
    _tolak(berkas, MEDONO, "ukuran 20")
    assert "checkpoint saksi ukuran 20, rantai sekarang hanya 10 kejadian" in capsys.readouterr().out


def test_digest_figures_are_a_witness_too(saksi, tmp_path):
    cp = json.loads(saksi.read_text())["checkpoint"][0]
    digest = tmp_path / "digest.txt"
    digest.write_text(f"# dari pesan WhatsApp lurah\n{cp['rantai']} {cp['ukuran']} {cp['akar'][:16]}\n")
    call_command("audit_verify", checkpoint=str(digest))
    with sebagai_pemilik():
        _sql("UPDATE audit_auditevent SET aksi = 'diubah' WHERE rantai = %s AND urutan = 1", [MEDONO])
        tulis_ulang(MEDONO)
    _tolak(digest, MEDONO, "ukuran 20")
    digest.write_text("bukan format\n")
    _tolak(digest, "baris 1")


def test_stored_state_disagreeing_with_the_events_is_reported_and_never_signed(saksi, capsys):
    # An edit that does not recompute anything: the chain walk, the nodes and the checkpoint all see it.
    with sebagai_pemilik():
        _sql("UPDATE audit_auditevent SET aksi = 'diubah' WHERE rantai = %s AND urutan = 3", [MEDONO])
        _sql("UPDATE audit_simpulmerkle SET hash = %s WHERE rantai = %s AND tingkat = 4 AND indeks = 0",
             ["0" * 64, MEDONO])
    with pytest.raises(CommandError, match=MEDONO):
        call_command("audit_verify")
    keluar = capsys.readouterr().out
    assert "isi tidak cocok dengan hash" in keluar and "simpul Merkle tingkat 4 indeks 0 berbeda" in keluar
    # The checkpoint job refuses to sign a tree that no longer extends what it signed.
    isi_rantai(MEDONO, 1, mulai=99)
    hasil = cp_mod.checkpoint_semua()
    assert MEDONO in hasil["ditolak"] and not any(c.rantai == MEDONO for c in hasil["dibuat"])
    with pytest.raises(CommandError, match="tidak ditandatangani"):
        call_command("audit_checkpoint")


def test_checkpoint_refused_when_the_head_disagrees_with_the_events():
    isi_rantai(MEDONO, 5)
    with sebagai_pemilik():
        _sql("UPDATE audit_rantaiaudit SET frontier = %s WHERE kunci = %s", ["ab" * 32, MEDONO])
    with pytest.raises(cp_mod.CheckpointDitolak, match="akar dari kejadian"):
        cp_mod.checkpoint_buat(MEDONO)
    assert not Checkpoint.objects.exists()
    assert RantaiAudit.objects.get(kunci=MEDONO).urutan == 5


def test_trees_of_chains_older_than_the_trees_are_built_from_their_events():
    """Migration 0007 builds each existing chain's frontier and nodes with pohon.bangun_ulang."""
    isi_rantai(MEDONO, 37)
    kepala = RantaiAudit.objects.get(kunci=MEDONO)
    frontier = kepala.frontier
    with sebagai_pemilik():  # as the chain was before trees existed
        _sql("UPDATE audit_rantaiaudit SET frontier = '' WHERE kunci = %s", [MEDONO])
        _sql("DELETE FROM audit_simpulmerkle WHERE rantai = %s", [MEDONO])
        assert pohon.bangun_ulang(MEDONO) == 37
    assert RantaiAudit.objects.get(kunci=MEDONO).frontier == frontier
    assert set(SimpulMerkle.objects.filter(rantai=MEDONO).values_list("tingkat", "indeks")) == {(4, 0), (4, 1), (5, 0)}
    assert cp_mod.checkpoint_buat(MEDONO).ukuran == 37
    call_command("audit_verify", rantai=[MEDONO])
