"""Backend of the office certificate on the server (SURAT_PKCS12_PATH): no passphrase at approval."""

from layanan.surat.pades import pades_tandatangani


def tandatangani(pdf: bytes, *, alasan: str, lokasi: str) -> tuple[bytes, dict]:
    return pades_tandatangani(pdf, alasan=alasan, lokasi=lokasi)
