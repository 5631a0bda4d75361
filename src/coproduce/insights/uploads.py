"""Checks on uploaded resource files: size, extension, and what the first bytes say.

A file must be one of the allowed types by its name *and* by its content: a renamed
script or an executable called ``guide.pdf`` is refused.
"""

import io
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError

from .models import ResourceFormat

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = {
    ".pdf": ResourceFormat.PDF,
    ".docx": ResourceFormat.WORD,
    ".pptx": ResourceFormat.POWERPOINT,
    ".png": ResourceFormat.IMAGE,
    ".jpg": ResourceFormat.IMAGE,
    ".jpeg": ResourceFormat.IMAGE,
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
TYPES_TEXT = "PDF, Word (.docx), PowerPoint (.pptx), PNG or JPEG"


def _zip_has(head_and_file, prefix: str) -> bool:
    try:
        with zipfile.ZipFile(head_and_file) as archive:
            return any(name.startswith(prefix) for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def sniff(extension: str, uploaded) -> bool:
    """Do the file's bytes match what its extension claims?"""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in {".jpg", ".jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if extension in {".docx", ".pptx"}:
        if not head.startswith(b"PK\x03\x04"):
            return False
        data = io.BytesIO(uploaded.read())
        uploaded.seek(0)
        return _zip_has(data, "word/" if extension == ".docx" else "ppt/")
    return False


def check_upload(uploaded) -> str:
    """Raise ValidationError with a plain message, or return the resource format."""
    if uploaded.size == 0:
        raise ValidationError("The selected file is empty")
    if uploaded.size > MAX_BYTES:
        raise ValidationError("The selected file must be smaller than 10 MB")
    extension = PurePath(uploaded.name or "").suffix.lower()
    if extension not in ALLOWED:
        raise ValidationError(f"The selected file must be a {TYPES_TEXT}")
    if not sniff(extension, uploaded):
        raise ValidationError(
            f"The selected file is not a real {extension[1:].upper()} file. Upload a {TYPES_TEXT}"
        )
    return ALLOWED[extension]


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")
