"""Spreadsheets for staff: CSV streamed row by row (with a BOM so Excel reads UTF-8 Chinese) and XLSX
in openpyxl's write-only mode. Neither holds the whole table in memory. Text that a spreadsheet
would run as a formula is prefixed with an apostrophe (CSV injection). Control characters, which an
XLSX file cannot hold at all, are dropped. ``decode_text`` reads an uploaded CSV in the encodings
Chinese spreadsheets save (UTF-8, GB18030), with or without a byte-order mark."""

import csv
import tempfile
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as CONTROL

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODINGS = ("utf-8", "gb18030")
# The byte-order mark as each accepted encoding writes it (Excel and WPS write one; GB18030's is 84 31 95 33)
BOMS = {encoding: "\ufeff".encode(encoding) for encoding in CSV_ENCODINGS}


def decode_text(raw: bytes, encodings=CSV_ENCODINGS) -> str | None:
    """``raw`` as text in the first encoding that reads it, without a byte-order mark (the encoding
    whose mark it carries is tried first), or None when none reads it."""
    marked = next((e for e in encodings if raw.startswith(BOMS.get(e, b"\0\0\0\0"))), None)
    if marked is not None:
        raw = raw[len(BOMS[marked]) :]
        encodings = (marked, *(e for e in encodings if e != marked))
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.removeprefix("\ufeff")
    return None


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
    return xlsx_workbook([(title, header, rows)])


def xlsx_workbook(sheets: Iterable[tuple[str, list, Iterable[list]]]):
    """One XLSX file (an open temporary file, at its start) with a sheet per (title, header, rows).
    Titles are cut to Excel's 31 characters without the characters it refuses, and made unique."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    for title, header, rows in sheets:
        name = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:31]
        while name in used:
            name = name[:29] + f"{len(used):02d}"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([str(h) for h in header])
        for values in rows:
            ws.append([cell(v) for v in values])
    target = tempfile.TemporaryFile()
    wb.save(target)
    target.seek(0)
    return target
