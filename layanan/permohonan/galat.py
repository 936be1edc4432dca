"""The errors of request actions, each carrying the HTTP status it maps to (404, 403, 409, 400).

One module that services, letters, the API and the desk all import, so none of them imports another for them."""


class GalatLayanan(Exception):
    status_code = 400

    def __init__(self, pesan="", galat=None):
        super().__init__(pesan)
        self.pesan = pesan
        self.galat = galat or {}


class TidakDitemukan(GalatLayanan):
    status_code = 404


class AksiDilarang(GalatLayanan):
    status_code = 403


class StatusTidakSesuai(GalatLayanan):
    status_code = 409


class InputTidakValid(GalatLayanan):
    status_code = 400


class DrafBelumDilihat(GalatLayanan):
    """A signer who has not opened the draft since the request last moved: not now (409), but not "someone
    acted first" either, so it is not a StatusTidakSesuai (callers treat that as taken by another officer)."""

    status_code = 409
