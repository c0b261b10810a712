"""Benchmark: print one officer's two archives for a year, as PDF (WeasyPrint, fonts subset).

Runs on the demo data (`make demo`):  DJANGO_DEBUG=1 .venv/bin/python scripts/bench_pdf.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.settings")


def main() -> None:
    import django

    django.setup()
    from django.utils import timezone

    from archives.documents import print_archive
    from integrity.models import Officer

    officer = Officer.objects.get(username="officer")
    chief = Officer.objects.get(username="chief")
    end = timezone.localdate()
    start = end.replace(year=end.year - 1)
    for kind in ("integrity", "performance"):
        timings, sizes = [], []
        for _ in range(5):
            began = time.perf_counter()
            _document, pdf = print_archive(officer, kind, start, end, acting_user=chief)
            timings.append(time.perf_counter() - began)
            sizes.append(len(pdf))
        print(
            f"{kind} archive, one year: median {statistics.median(timings):.2f} s "
            f"(first {timings[0]:.2f} s), {sizes[-1] / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
