"""Errors of the signing backends (one module both the dispatcher and each backend import)."""

from layanan.permohonan.galat import GalatLayanan


class GalatTTE(GalatLayanan):
    """The provider refused (400: wrong passphrase, signer not registered, certificate not valid)."""

    status_code = 400

    def __init__(self, pesan, *, kode):
        super().__init__(pesan, {"passphrase": [pesan]} if kode == "passphrase_salah" else {})
        self.kode = kode


class PenyediaTidakTersedia(GalatTTE):
    """The provider cannot be reached or answers 5xx: the approval waits (TandaTanganTertunda)."""

    status_code = 503


class TTETidakDikonfigurasi(GalatTTE):
    """The deployment cannot call the provider (no URL, client credentials refused): an admin fixes it."""

    status_code = 503
