"""Docs that are generated from code stay in step with it."""

from pathlib import Path

from layanan.permohonan.diagram import diagram_mermaid

ROOT = Path(__file__).resolve().parents[1]


def test_architecture_state_diagram_is_current():
    teks = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert diagram_mermaid() in teks, "run: python manage.py diagram_status, and paste it into docs/architecture.md"


def test_readme_starts_with_the_two_commands():
    baris = [b for b in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if b.strip()]
    assert baris[1] == "```sh"
    assert baris[2].startswith("python3 dev.py start")
    assert baris[3].startswith("python3 dev.py test")
