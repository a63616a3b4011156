"""Import of N valid rows from .xlsx against a baseline that only reads the file with openpyxl and
bulk-inserts plain rows. Each side runs in its own process, so its peak memory is its own.

    python bench/import_bench.py make N FILE     # write the workbook
    python bench/import_bench.py baseline FILE   # read with openpyxl + plain bulk insert
    python bench/import_bench.py boai FILE       # Boai's dry run + import
Each measuring run prints one line: "<seconds> <peak MB> <rows>".
"""

import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def make(n: int, path: str) -> None:
    import django

    django.setup()
    from openpyxl import Workbook
    from stdnum.cn import ric

    from boai.registry.parsing import COLUMNS

    counties = ["530102", "530103", "530111", "530112", "530113", "530114"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("registrations")
    ws.append([zh for _k, zh, _en in COLUMNS])
    for i in range(n):
        region = counties[i % len(counties)]
        born = date(1950, 1, 1) + timedelta(days=i // 1000)  # with the serial below: every ID unique
        body = f"{region}{born:%Y%m%d}{i % 1000:03d}"
        id_number = body + ric.calc_check_digit(body + "0")
        row = {
            "姓名": f"测试{i}",
            "证件号码": id_number,
            "手机号": f"139{i:08d}",
            "县（市、区）代码": region,
            "捐献器官": "全部",
            "民族": "汉族",
            "遗体捐献": "否",
            "住址": f"某路{i}号",
            "签署日期": "2025-03-15",  # required in every row when the list has the column (it has)
        }
        ws.append([row.get(zh, "") for _k, zh, _en in COLUMNS])
    wb.save(path)
    print(f"wrote {n} rows to {path}")


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(path: str) -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from openpyxl import load_workbook

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_import_plain")
        cur.execute(
            "CREATE TABLE bench_import_plain (name varchar(64), id_number varchar(40), phone varchar(20), "
            "region varchar(6), address varchar(200))"
        )
    ws = load_workbook(path, read_only=True).active
    rows = ws.iter_rows(values_only=True)
    next(rows)
    count, batch = 0, []
    with transaction.atomic(), connection.cursor() as cur:
        for r in rows:
            batch.append((r[0], r[4], r[6], r[7], r[8]))
            if len(batch) == 2000:
                cur.executemany("INSERT INTO bench_import_plain VALUES (%s, %s, %s, %s, %s)", batch)
                count += len(batch)
                batch = []
        cur.executemany("INSERT INTO bench_import_plain VALUES (%s, %s, %s, %s, %s)", batch)
        count += len(batch)
    print(f"{time.perf_counter() - started:.2f} {peak_mb():.0f} {count}")


def boai(path: str) -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boai.accounts.models import User
    from boai.registry.services import import_job_check, import_job_commit, import_job_create

    actor = User.objects.get(username="bench_clerk")
    started = time.perf_counter()
    upload = SimpleUploadedFile("bench.xlsx", Path(path).read_bytes())
    job = import_job_create(actor=actor, upload=upload, consent_confirmed=True)
    job = import_job_check(job_id=job.pk)
    if job.error_rows:
        raise SystemExit(f"the bench file has errors: {job.errors[:3]}")
    job = import_job_commit(job_id=job.pk, actor=actor, valid_only=False)
    print(f"{time.perf_counter() - started:.2f} {peak_mb():.0f} {job.imported_rows}")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "make":
        make(int(sys.argv[2]), sys.argv[3])
    elif command == "baseline":
        baseline(sys.argv[2])
    else:
        boai(sys.argv[2])
