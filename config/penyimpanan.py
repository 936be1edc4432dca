"""Storage of uploads and letters, sealed: a file is encrypted (AES-GCM, the key ring of audit/enkripsi.py,
its name as associated data) when saved and opened when read, on local disk and in S3 alike. Whoever
reads the disk, a backup or the bucket gets ciphertext; the app's downloads and the letter's hash see
the plaintext. A file without the header is one stored before encryption: it is read as it is, and
`manage.py enkripsi_ulang` seals it."""

import os

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

from audit.enkripsi import bait_tersegel, buka_bait, segel_bait


def _label(name: str) -> str:
    return "berkas:" + name.replace("\\", "/")


class _Tersegel:
    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        return super()._save(name, ContentFile(segel_bait(data, label=_label(name)), name=name))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as f:
            data = f.read()
        if bait_tersegel(data):
            data = buka_bait(data, label=_label(name))
        return ContentFile(data, name=name)

    def baca_mentah(self, name) -> bytes:
        """The stored bytes as they are (what the disk or the bucket holds)."""
        with super()._open(name, "rb") as f:
            return f.read()



class BerkasTersegel(_Tersegel, FileSystemStorage):
    def tulis_ulang(self, name, data: bytes) -> None:
        """Seal `data` under the newest key in place of `name` (enkripsi_ulang): written aside, then renamed
        over it, so a crash leaves the old file or the new one, never neither."""
        path = self.path(name)
        sementara = f"{path}.segel-{os.getpid()}"
        with open(sementara, "wb") as f:
            f.write(segel_bait(data, label=_label(name)))
            f.flush()
            os.fsync(f.fileno())
        os.replace(sementara, path)


class S3Tersegel(_Tersegel, S3Storage):
    def tulis_ulang(self, name, data: bytes) -> None:
        """Seal `data` under the newest key over the object `name` (a PUT replaces it whole)."""
        S3Storage._save(self, name, ContentFile(segel_bait(data, label=_label(name)), name=name))
