"""The English translation is complete and its compiled catalogue matches the source."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _gabung(bagian):
    return "".join(re.findall(r'"(.*)"', bagian))


def _entri(teks=None):
    """(block, msgid, msgstr) per message; a plural message gives one entry per form,
    with the msgid as gettext's catalogue keys it ((msgid, n)) and the source text it translates."""
    teks = PO.read_text(encoding="utf-8") if teks is None else teks
    for blok in teks.split("\n\n"):
        if blok.lstrip().startswith("#~"):
            continue
        jamak = re.search(r'^msgid ((?:".*"\n?)+)msgid_plural ((?:".*"\n?)+)((?:msgstr\[\d\] (?:".*"\n?)+)+)', blok, re.M)
        if jamak:
            tunggal, banyak = _gabung(jamak.group(1)), _gabung(jamak.group(2))
            for n, isi in re.findall(r'msgstr\[(\d)\] ((?:".*"\n?)+)', jamak.group(3)):
                yield blok, _Jamak(tunggal, int(n), banyak if int(n) else tunggal), _gabung(isi)
            continue
        m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', blok, re.M)
        if m:
            yield blok, _gabung(m.group(1)), _gabung(m.group(2))


class _Jamak(str):
    """One plural form: compares and formats as the source text it translates, keys the catalogue as (msgid, n)."""

    def __new__(cls, msgid, n, sumber):
        diri = super().__new__(cls, sumber)
        diri.kunci = (msgid, n)
        return diri


def test_every_message_is_translated_and_none_is_fuzzy():
    entri = [(b, i, s) for b, i, s in _entri() if i]
    assert len(entri) > 300
    assert [i for _, i, s in entri if not s] == []
    assert [i for b, i, _ in entri if "#, fuzzy" in b] == []


def _lepas(teks):
    return teks.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def test_compiled_catalogue_matches_the_source():
    """The committed .mo says what the .po says: nobody edited one without compiling."""
    sumber = {((_lepas(i.kunci[0]), i.kunci[1]) if isinstance(i, _Jamak) else _lepas(i)): _lepas(s)
              for _, i, s in _entri() if i}
    with open(MO, "rb") as f:
        katalog = {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if k}
    assert katalog == sumber


def test_placeholders_match():
    """Every %(name)s of the Indonesian text appears, with the same conversion, in the English one."""
    pola = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sd]")
    salah = [i for _, i, s in _entri() if i and sorted(pola.findall(i)) != sorted(pola.findall(s))]
    assert salah == []


def test_catalogue_holds_every_message_in_the_code(tmp_path):
    """Someone added a gettext string without running makemessages: fail here, not in front of users."""
    import os
    import shutil
    import subprocess
    import sys

    import pytest

    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("xgettext (Debian package gettext) is needed to check the translation catalogue")
        pytest.skip("xgettext not installed (Debian package gettext)")
    akar = PO.parents[3]
    salinan = tmp_path / "repo"
    shutil.copytree(akar, salinan, ignore=shutil.ignore_patterns(".venv", ".git", "media", "var", "artifacts",
                                                                 "*.sqlite3", "__pycache__", "staticfiles"))
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=bench", "-v0"],
                   cwd=salinan, check=True, env={**os.environ, "DATABASE_URL": "sqlite:///:memory:"})
    baru = (salinan / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    msgid_baru = {i for _, i, _ in _entri(baru) if i}
    msgid_lama = {i for _, i, _ in _entri() if i}
    assert sorted(msgid_baru - msgid_lama) == [], "run makemessages -l en, translate, compilemessages"
