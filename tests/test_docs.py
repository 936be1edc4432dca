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


def test_architecture_names_only_files_and_functions_that_exist():
    """Every `path.py` and `path.py: name` in docs/architecture.md, and every docs/*.md it cites, exists."""
    import re

    teks = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    hilang = []
    for path, nama in re.findall(r"`(\w+/[\w/]+\.py)(?:: (\w+))?", teks):
        berkas = ROOT / path
        if not berkas.exists():
            hilang.append(path)
        elif nama and not re.search(rf"^\s*(?:def|class) {nama}\b|^{nama} = ", berkas.read_text(encoding="utf-8"), re.M):
            hilang.append(f"{path}: {nama}")
    hilang += [d for d in re.findall(r"docs/\w+\.md", teks) if not (ROOT / d).exists()]
    assert hilang == []
