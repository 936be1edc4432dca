"""bench/common.py: the bench's uploads go where a file costs the least to create, measured, or where
BENCH_MEDIA_INDUK says; the probe leaves nothing behind."""

import os

from bench import common


def test_probe_measures_and_cleans_up(tmp_path):
    biaya = common.biaya_buat_berkas(str(tmp_path), n=20)
    assert biaya >= 0
    assert list(tmp_path.iterdir()) == []


def test_the_cheapest_folder_is_chosen_unless_one_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("BENCH_MEDIA_INDUK", raising=False)
    common._pilih_induk_media.cache_clear()
    harga = {str(common.AKAR / "var"): 700.0, "/dev/shm": 10.0}
    monkeypatch.setattr(common, "biaya_buat_berkas", lambda induk, n=200: harga.get(induk, 50.0))
    try:
        assert common.induk_media() == ("/dev/shm" if os.path.isdir("/dev/shm") else common.tempfile.gettempdir())
        assert "10 µs" in common.keterangan_media() or "50 µs" in common.keterangan_media()
        monkeypatch.setenv("BENCH_MEDIA_INDUK", str(tmp_path / "media"))
        assert common.induk_media() == str(tmp_path / "media") and (tmp_path / "media").is_dir()
    finally:
        common._pilih_induk_media.cache_clear()
