"""The English translation is complete and its compiled catalogue matches the source."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entri(teks=None):
    teks = PO.read_text(encoding="utf-8") if teks is None else teks
    for blok in teks.split("\n\n"):
        m = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', blok, re.M)
        if m:
            msgid = "".join(re.findall(r'"(.*)"', m.group(1)))
            msgstr = "".join(re.findall(r'"(.*)"', m.group(2)))
            yield blok, msgid, msgstr


def test_every_message_is_translated_and_none_is_fuzzy():
    entri = [(b, i, s) for b, i, s in _entri() if i]
    assert len(entri) > 300
    assert [i for _, i, s in entri if not s] == []
    assert [i for b, i, _ in entri if "#, fuzzy" in b] == []


def _lepas(teks):
    return teks.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def test_compiled_catalogue_matches_the_source():
    """The committed .mo says what the .po says: nobody edited one without compiling."""
    sumber = {_lepas(i): _lepas(s) for _, i, s in _entri() if i}
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
