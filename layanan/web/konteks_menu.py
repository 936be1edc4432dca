"""Template context: the officer's menu follows their roles (one query, cached on the user)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelurahan.lingkup import penugasan_aktif
from kelurahan.models import Peran

# (role that earns the link, url, label), in menu order.
MENU_PERAN = (
    (None, "web:daftar_kerja", _("Daftar kerja")),
    (Peran.PETUGAS_KELURAHAN, "web:loket", _("Loket")),
    (Peran.PETUGAS_KELURAHAN, "web:koreksi_antrean", _("Koreksi data")),
    (Peran.LURAH, ("integritas:dasbor-unit", "kelurahan"), _("Dasbor kelurahan")),
    (Peran.CAMAT, ("integritas:dasbor-unit", "kecamatan"), _("Dasbor kecamatan")),
    (Peran.INSPEKTORAT, ("integritas:dasbor-unit", "inspektorat"), _("Dasbor inspektorat")),
    (Peran.INSPEKTORAT, "integritas:pengaduan_antrean", _("Pengaduan")),
)


def menu_petugas(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or hasattr(user, "warga"):
        return {"menu_petugas": []}
    peran = {t.peran for t in penugasan_aktif(user)}
    if not peran and not user.is_superuser:
        return {"menu_petugas": []}
    menu = []
    for syarat, nama, label in MENU_PERAN:
        if syarat is None or syarat in peran:
            url = reverse(nama[0], args=nama[1:]) if isinstance(nama, tuple) else reverse(nama)
            # The worklist's prefix /petugas/ covers the desk pages under it: only an exact match marks it.
            aktif = request.path == url or (nama != "web:daftar_kerja" and request.path.startswith(url))
            menu.append({"url": url, "label": label, "aktif": aktif})
    return {"menu_petugas": menu}
