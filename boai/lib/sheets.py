"""Spreadsheets for staff: CSV streamed row by row (with a BOM so Excel reads UTF-8 Chinese) and XLSX
in openpyxl's write-only mode. Neither holds the whole table in memory. Text that a spreadsheet
would run as a formula is prefixed with an apostrophe (CSV injection). Control characters, which an
XLSX file cannot hold at all, are dropped."""

import csv
import tempfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as CONTROL

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    if isinstance(value, str):
        value = CONTROL.sub("", value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_stream(header: list, rows: Iterable[list]):
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(header)
    for values in rows:
        yield writer.writerow([cell(v) for v in values])


def xlsx_file(title: str, header: list, rows: Iterable[list]):

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append(header)
    for values in rows:
        ws.append([cell(v) for v in values])
    target = tempfile.TemporaryFile()
    wb.save(target)
    target.seek(0)
    return target
