"""Render the demo officer's two archives as the real PDFs print them, and save their pages as PNG in docs/.

Needs the demo data (`make demo`) and poppler's `pdftoppm`:

    DJANGO_DEBUG=1 .venv/bin/python scripts/archive_screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.settings")


def main() -> None:
    import django

    django.setup()
    from django.utils import timezone

    from archives.documents import print_archive
    from integrity.models import Officer

    officer = Officer.objects.get(username="officer")
    chief = Officer.objects.get(username="chief")
    today = timezone.localdate()
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    for kind in ("integrity", "performance"):
        _document, pdf = print_archive(officer, kind, today.replace(month=1, day=1), today, acting_user=chief)
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / f"{kind}.pdf"
            source.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "80", str(source), str(docs / f"archive-{kind}")], check=True)
        print(f"{kind}: {len(pdf):,} bytes, pages in docs/archive-{kind}-*.png")


if __name__ == "__main__":
    main()
