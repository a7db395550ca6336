"""A document's file (its list, detail and forms are generic)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404

from ..models import Document
from ..platform.uploads import download_response


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """A document's file, to users who may see the document; always as a download."""
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    return download_response(document)
