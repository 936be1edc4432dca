"""RFC 6962 / RFC 9162 Merkle tree hashing, proofs and their verifiers. Pure functions on bytes.

Leaves are hashed SHA-256(0x00 ‖ data), inner nodes SHA-256(0x01 ‖ left ‖ right), and a
tree of n leaves splits at the largest power of two below n (RFC 6962 §2.1). The proof
builders do not read leaves themselves: they name the ranges [a, b) whose subtree hash they
need (`jalur_inklusi`, `jalur_konsistensi`), so the store (audit/pohon.py) can answer them
from stored nodes in a couple of queries. The verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2
and need nothing but hashes: anyone can run them against a checkpoint they kept.
"""

import hashlib

PANJANG_HASH = 32
AKAR_KOSONG = hashlib.sha256(b"").digest()


def hash_daun(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def hash_simpul(kiri: bytes, kanan: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + kiri + kanan).digest()


def _k(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def akar_dari_daun(daun: list[bytes]) -> bytes:
    """MTH over leaf hashes (not leaf data), iteratively: level by level, an odd last node rises as is.

    Pairing left to right and carrying the odd one up gives exactly RFC 6962's split at the
    largest power of two, because every complete left subtree closes before the ragged right edge.
    """
    if not daun:
        return AKAR_KOSONG
    tingkat = list(daun)
    while len(tingkat) > 1:
        berikut = [hash_simpul(tingkat[i], tingkat[i + 1]) for i in range(0, len(tingkat) - 1, 2)]
        if len(tingkat) % 2:
            berikut.append(tingkat[-1])
        tingkat = berikut
    return tingkat[0]


# --- compact range ("frontier"): the roots of the complete subtrees along the right edge ------------

def frontier_tambah(frontier: list[bytes], ukuran: int, daun: bytes) -> tuple[list[bytes], list[tuple[int, int, bytes]]]:
    """Append one leaf hash to a tree of `ukuran` leaves kept as its frontier (largest subtree first).

    Returns the new frontier and the complete subtrees this append closed, as (tingkat, indeks,
    hash): level h, position i covers leaves [i·2^h, (i+1)·2^h). O(1) amortised, O(log n) at worst.
    """
    baru = list(frontier)
    selesai = []
    h, indeks, simpul = 0, ukuran, daun
    while indeks & 1:  # the new node is a right child: merge with the left sibling on the frontier
        simpul = hash_simpul(baru.pop(), simpul)
        h += 1
        indeks >>= 1
        selesai.append((h, indeks, simpul))
    baru.append(simpul)
    return baru, selesai


def akar_frontier(frontier: list[bytes]) -> bytes:
    """Root of the tree whose frontier this is: fold from the smallest (rightmost) subtree up."""
    if not frontier:
        return AKAR_KOSONG
    akar = frontier[-1]
    for kiri in reversed(frontier[:-1]):
        akar = hash_simpul(kiri, akar)
    return akar


def frontier_rentang(ukuran: int) -> list[tuple[int, int]]:
    """The aligned complete subtrees [a, b) that make up the frontier of a tree of `ukuran` leaves."""
    hasil, awal = [], 0
    for h in range(ukuran.bit_length() - 1, -1, -1):
        if ukuran >> h & 1:
            hasil.append((awal, awal + (1 << h)))
            awal += 1 << h
    return hasil


# --- proofs as lists of ranges ---------------------------------------------------------------------

def jalur_inklusi(indeks: int, ukuran: int) -> list[tuple[int, int]]:
    """RFC 6962 PATH(m, D[n]) as the ranges [a, b) of the sibling subtrees, leaf level first."""
    if not 0 <= indeks < ukuran:
        raise ValueError("indeks di luar pohon")
    jalur = []
    a, b, m = 0, ukuran, indeks
    while b - a > 1:
        k = _k(b - a)
        if m < k:
            jalur.append((a + k, b))
            b = a + k
        else:
            jalur.append((a, a + k))
            a, m = a + k, m - k
    return list(reversed(jalur))


def jalur_konsistensi(lama: int, baru: int) -> list[tuple[int, int]]:
    """RFC 6962 PROOF(m, D[n]) (SUBPROOF with b = true) as ranges [a, b), in the RFC's order."""
    if not 0 < lama <= baru:
        raise ValueError("ukuran tidak sah untuk bukti konsistensi")
    jalur = []
    a, b, m, utuh = 0, baru, lama, True
    while m != b - a:
        k = _k(b - a)
        if m <= k:
            jalur.append((a + k, b))
            b = a + k
        else:
            jalur.append((a, a + k))
            a, m, utuh = a + k, m - k, False
    if not utuh:
        jalur.append((a, b))
    return list(reversed(jalur))


def rentang_lengkap(a: int, b: int) -> list[tuple[int, int, int]]:
    """Split [a, b) (a range a proof names) into aligned complete subtrees (tingkat, indeks).

    Returned as (tingkat, indeks, lebar) from left to right; the range's hash is their fold from the right.
    """
    hasil = []
    while a < b:
        h = (b - a).bit_length() - 1
        while a & ((1 << h) - 1):  # shrink until aligned
            h -= 1
        hasil.append((h, a >> h, 1 << h))
        a += 1 << h
    return hasil


# --- verifiers (RFC 9162) ---------------------------------------------------------------------------

def verifikasi_inklusi(*, indeks: int, ukuran: int, daun: bytes, bukti: list[bytes], akar: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does `daun` (a leaf hash) sit at `indeks` of the tree of `ukuran` with root `akar`?"""
    if not 0 <= indeks < ukuran or any(len(p) != PANJANG_HASH for p in bukti):
        return False
    fn, sn, r = indeks, ukuran - 1, daun
    for p in bukti:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hash_simpul(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hash_simpul(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == akar


def verifikasi_konsistensi(*, lama: int, baru: int, akar_lama: bytes, akar_baru: bytes, bukti: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of `baru` leaves (root `akar_baru`) an extension of the one of `lama`?"""
    if lama > baru or lama < 0 or any(len(p) != PANJANG_HASH for p in bukti):
        return False
    if lama == baru:
        return not bukti and akar_lama == akar_baru
    if lama == 0:
        return not bukti  # the empty tree is a prefix of every tree
    if not bukti:
        return False
    jalur = list(bukti)
    if lama & (lama - 1) == 0:  # an exact power of two: the old root is itself a node of the new tree
        jalur.insert(0, akar_lama)
    fn, sn = lama - 1, baru - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = jalur[0]
    for c in jalur[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = hash_simpul(c, fr)
            sr = hash_simpul(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hash_simpul(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == akar_lama and sr == akar_baru and sn == 0


# --- in memory, for tests and small trees -----------------------------------------------------------

def hash_rentang(daun: list[bytes], a: int, b: int) -> bytes:
    return akar_dari_daun(daun[a:b])


def bukti_inklusi(daun: list[bytes], indeks: int, ukuran: int | None = None) -> list[bytes]:
    ukuran = len(daun) if ukuran is None else ukuran
    return [hash_rentang(daun, a, b) for a, b in jalur_inklusi(indeks, ukuran)]


def bukti_konsistensi(daun: list[bytes], lama: int, baru: int | None = None) -> list[bytes]:
    baru = len(daun) if baru is None else baru
    if lama == baru:
        return []
    return [hash_rentang(daun, a, b) for a, b in jalur_konsistensi(lama, baru)]
