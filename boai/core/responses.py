"""Answers shared by every app's pages and API: an error in the user's language (JSON under /api/,
a page elsewhere), a stored file as a download, and a list as a spreadsheet."""

from collections.abc import Iterable

from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from boai.lib import sheets

from .models import Attachment


def error_response(request, status, title, message):
    """An error as the API (JSON) or as a page, in the user's language."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    # a signed-in staff member keeps the workspace's layout and menu on bad input, a refusal or a missing page, so
    # they can go on from there (a server error keeps the plain layout: it needs nothing that may fail)
    user = getattr(request, "user", None)
    staff = status in (400, 403, 404, 429) and user is not None and user.is_authenticated
    context = {
        "status": status,
        "title": title,
        "message": message,
        "base_template": "workspace_base.html" if staff else "public_base.html",
    }
    return render(request, "core/error.html", context, status=status)


def attachment_response(attachment, filename_stem: str):
    """A stored scan or photo, as a download (never shown inline, never sniffed). The caller has
    checked the permission and the scope and written the audit entry."""
    response = FileResponse(
        attachment.file.storage.open(attachment.file.name),
        as_attachment=True,
        filename=f"{filename_stem}.{Attachment.ALLOWED_TYPES[attachment.content_type]}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_download(*, stem: str, title: str, header: list, rows: Iterable[list], fmt: str = "xlsx"):
    """A list as a download, never whole in memory: CSV streamed row by row (UTF-8 with a BOM, so
    that Excel reads Chinese), or XLSX written in openpyxl's write-only mode. Cells that a
    spreadsheet would run as formulas are defused (``lib.sheets.cell``). The caller has checked the
    permission and written the audit entry through its service."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(sheets.csv_stream(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.csv"'
        return response
    return FileResponse(
        sheets.xlsx_file(title, header, rows), as_attachment=True, content_type=XLSX, filename=f"{stem}-{stamp}.xlsx"
    )
