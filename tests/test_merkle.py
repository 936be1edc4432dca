"""audit/merkle.py against RFC 6962's published vectors, and against an independent verifier.

The vectors are the ones Certificate Transparency's implementations share (leaf inputs
"", 00, 10, 2021, …; roots of every size 0..8; inclusion and consistency proofs of a tree
of 8). The independent verifier below is written from RFC 6962 §2.1's recursive definitions
with hashlib alone, so a mistake in the module's bit-walking verifiers cannot hide behind
the same mistake in its builders.
"""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import merkle

DAUN = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                    "606162636465666768696a6b6c6d6e6f")]
AKAR = [bytes.fromhex(h) for h in (
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]


def h(x):
    return bytes.fromhex(x)


# (leaf index, tree size, proof): from the shared CT vectors (their leaf numbers are 1-based).
INKLUSI = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (0, 1, []),
]
KONSISTENSI = [
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]


def test_roots_of_every_size_match_the_rfc6962_vectors():
    hd = [merkle.hash_daun(d) for d in DAUN]
    for n in range(9):
        assert merkle.akar_dari_daun(hd[:n]) == AKAR[n], n
        frontier = []
        for i in range(n):
            frontier, _ = merkle.frontier_tambah(frontier, i, hd[i])
        assert merkle.akar_frontier(frontier) == AKAR[n], n
        assert len(frontier) == bin(n).count("1")


@pytest.mark.parametrize(("indeks", "ukuran", "bukti"), INKLUSI)
def test_inclusion_proofs_match_the_vectors_and_verify(indeks, ukuran, bukti):
    hd = [merkle.hash_daun(d) for d in DAUN]
    harap = [h(x) for x in bukti]
    assert merkle.bukti_inklusi(hd, indeks, ukuran) == harap
    assert merkle.verifikasi_inklusi(indeks=indeks, ukuran=ukuran, daun=hd[indeks], bukti=harap, akar=AKAR[ukuran])
    # Corruptions the verifier must refuse.
    salah = [
        dict(indeks=indeks + 1, ukuran=ukuran), dict(ukuran=ukuran * 2), dict(daun=hashlib.sha256(b"x").digest()),
        dict(akar=AKAR[0]), dict(bukti=harap + [AKAR[ukuran]]), dict(bukti=[AKAR[ukuran]] + harap),
    ]
    if harap:
        salah += [dict(bukti=harap[:-1]), dict(bukti=[bytes([harap[0][0] ^ 8]) + harap[0][1:]] + harap[1:])]
    for ubah in salah:
        arg = dict(indeks=indeks, ukuran=ukuran, daun=hd[indeks], bukti=harap, akar=AKAR[ukuran]) | ubah
        assert not merkle.verifikasi_inklusi(**arg), ubah


@pytest.mark.parametrize(("lama", "baru", "bukti"), KONSISTENSI)
def test_consistency_proofs_match_the_vectors_and_verify(lama, baru, bukti):
    hd = [merkle.hash_daun(d) for d in DAUN]
    harap = [h(x) for x in bukti]
    assert merkle.bukti_konsistensi(hd, lama, baru) == harap
    arg = dict(lama=lama, baru=baru, akar_lama=AKAR[lama], akar_baru=AKAR[baru], bukti=harap)
    assert merkle.verifikasi_konsistensi(**arg)
    for ubah in (dict(lama=lama + 1), dict(lama=lama - 1), dict(baru=baru * 2), dict(akar_lama=AKAR[baru]),
                 dict(akar_baru=AKAR[lama]), dict(bukti=[]), dict(bukti=harap[:-1]), dict(bukti=harap + [AKAR[1]]),
                 dict(bukti=[harap[0]] + harap), dict(bukti=[bytes([harap[0][0] ^ 16]) + harap[0][1:]] + harap[1:])):
        assert not merkle.verifikasi_konsistensi(**(arg | ubah)), ubah


def test_edge_sizes():
    a = merkle.hash_daun(b"a")
    assert merkle.verifikasi_konsistensi(lama=0, baru=5, akar_lama=merkle.AKAR_KOSONG, akar_baru=a, bukti=[])
    assert merkle.verifikasi_konsistensi(lama=3, baru=3, akar_lama=a, akar_baru=a, bukti=[])
    assert not merkle.verifikasi_konsistensi(lama=3, baru=3, akar_lama=a, akar_baru=a, bukti=[a])
    assert not merkle.verifikasi_konsistensi(lama=4, baru=3, akar_lama=a, akar_baru=a, bukti=[a])
    assert not merkle.verifikasi_inklusi(indeks=0, ukuran=0, daun=a, bukti=[], akar=a)
    with pytest.raises(ValueError):
        merkle.jalur_inklusi(5, 5)


# --- an independent verifier, from RFC 6962 §2.1's recursive definitions, with hashlib only ---------

def _daun(d):
    return hashlib.sha256(b"\x00" + d).digest()


def _simpul(a, b):
    return hashlib.sha256(b"\x01" + a + b).digest()


def _pisah(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _mth(hashes):
    if len(hashes) == 1:
        return hashes[0]
    k = _pisah(len(hashes))
    return _simpul(_mth(hashes[:k]), _mth(hashes[k:]))


def _akar_dari_jalur(m, n, daun, jalur):
    """Root of a tree of n leaves from PATH(m): consume the proof from its last (top) element down."""
    if n == 1:
        assert not jalur
        return daun
    k = _pisah(n)
    atas, sisa = jalur[-1], jalur[:-1]
    if m < k:
        return _simpul(_akar_dari_jalur(m, k, daun, sisa), atas)
    return _simpul(atas, _akar_dari_jalur(m - k, n - k, daun, sisa))


def _akar_dari_subbukti(m, n, jalur, b, akar_lama):
    """(old root, new root) of SUBPROOF(m, D[n], b), read from its last element down."""
    if m == n:
        if b:
            assert not jalur
            return akar_lama, akar_lama
        (x,) = jalur
        return x, x
    k = _pisah(n)
    atas, sisa = jalur[-1], jalur[:-1]
    if m <= k:
        lama, baru = _akar_dari_subbukti(m, k, sisa, b, akar_lama)
        return lama, _simpul(baru, atas)
    lama, baru = _akar_dari_subbukti(m - k, n - k, sisa, False, akar_lama)
    return _simpul(atas, lama), _simpul(atas, baru)


def periksa_inklusi_mandiri(m, n, data, jalur, akar):
    return _akar_dari_jalur(m, n, _daun(data), list(jalur)) == akar


def periksa_konsistensi_mandiri(m, n, jalur, akar_m, akar_n):
    lama, baru = _akar_dari_subbukti(m, n, list(jalur), True, akar_m)
    return lama == akar_m and baru == akar_n


@settings(max_examples=400, deadline=None)
@given(n=st.integers(1, 200), data=st.data())
def test_every_proof_up_to_200_leaves_passes_the_independent_verifier(n, data):
    isi = [f"kejadian-{i}".encode() for i in range(n)]
    daun = [merkle.hash_daun(x) for x in isi]
    akar = _mth([_daun(x) for x in isi])
    assert merkle.akar_dari_daun(daun) == akar
    m = data.draw(st.integers(0, n - 1), label="indeks")
    bukti = merkle.bukti_inklusi(daun, m)
    assert periksa_inklusi_mandiri(m, n, isi[m], bukti, akar)
    assert merkle.verifikasi_inklusi(indeks=m, ukuran=n, daun=daun[m], bukti=bukti, akar=akar)
    lama = data.draw(st.integers(1, n), label="lama")
    akar_lama = _mth([_daun(x) for x in isi[:lama]])
    bk = merkle.bukti_konsistensi(daun, lama)
    assert periksa_konsistensi_mandiri(lama, n, bk, akar_lama, akar)
    assert merkle.verifikasi_konsistensi(lama=lama, baru=n, akar_lama=akar_lama, akar_baru=akar, bukti=bk)
    if lama < n:  # a rewritten leaf inside the old tree breaks consistency
        palsu = list(isi)
        palsu[data.draw(st.integers(0, lama - 1), label="ubah")] = b"diubah"
        akar_palsu = _mth([_daun(x) for x in palsu])
        assert not merkle.verifikasi_konsistensi(lama=lama, baru=n, akar_lama=akar_lama, akar_baru=akar_palsu,
                                                 bukti=merkle.bukti_konsistensi([_daun(x) for x in palsu], lama))


def test_every_size_1_to_200_exhaustively_at_its_edges():
    """Hypothesis samples; this walks every size with the first, last and middle index and sizes."""
    isi = [f"e{i}".encode() for i in range(200)]
    daun = [merkle.hash_daun(x) for x in isi]
    frontier, akar_ke = [], [merkle.AKAR_KOSONG]
    for i, d in enumerate(daun):
        frontier, _ = merkle.frontier_tambah(frontier, i, d)
        akar_ke.append(merkle.akar_frontier(frontier))
    for n in range(1, 201):
        assert akar_ke[n] == _mth(daun[:n])
        for m in {0, n // 2, n - 1}:
            assert periksa_inklusi_mandiri(m, n, isi[m], merkle.bukti_inklusi(daun[:n], m), akar_ke[n])
        for lama in {1, n // 2 or 1, n - 1 or 1, n}:
            bk = merkle.bukti_konsistensi(daun[:n], lama)
            assert periksa_konsistensi_mandiri(lama, n, bk, akar_ke[lama], akar_ke[n]), (lama, n)
            assert merkle.verifikasi_konsistensi(lama=lama, baru=n, akar_lama=akar_ke[lama], akar_baru=akar_ke[n],
                                                 bukti=bk)


def test_frontier_append_reports_the_subtrees_it_closes():
    daun = [merkle.hash_daun(bytes([i])) for i in range(16)]
    frontier, semua = [], []
    for i, d in enumerate(daun):
        frontier, selesai = merkle.frontier_tambah(frontier, i, d)
        semua += selesai
    for h_, i, x in semua:
        assert x == merkle.akar_dari_daun(daun[i << h_:(i + 1) << h_])
    assert sorted((h_, i) for h_, i, _x in semua) == sorted(
        (t, j) for t in range(1, 5) for j in range(16 >> t))
    assert merkle.rentang_lengkap(3, 13) == [(0, 3, 1), (2, 1, 4), (2, 2, 4), (0, 12, 1)]
    assert merkle.frontier_rentang(13) == [(0, 8), (8, 12), (12, 13)]
