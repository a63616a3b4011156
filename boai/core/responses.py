"""Answers shared by every app's pages and API: an error in the user's language (JSON under /api/,
a page elsewhere) and a stored file as a download."""

from django.http import FileResponse, JsonResponse
from django.shortcuts import render

from .models import Attachment


def error_response(request, status, title, message):
    """An error as the API (JSON) or as a page, in the user's language."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "core/error.html", {"status": status, "title": title, "message": message}, status=status)


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
