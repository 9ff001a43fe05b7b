"""What a file is, judged from its first bytes rather than its name."""

from __future__ import annotations

from dataclasses import dataclass

SNIFF_BYTES = 64

_NAMES_ZH = {
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "image/heic": "HEIC 图片",
    "image/webp": "WebP 图片",
    "video/mp4": "MP4 视频",
    "video/quicktime": "MOV 视频",
    "application/pdf": "PDF 文档",
    "application/zip": "压缩包或 Office 文档",
    "application/x-cfb": "旧版 Office 文档",
    "image/gif": "GIF 动图",
    "image/bmp": "BMP 图片",
    "image/tiff": "TIFF 图片",
    "text/plain": "文本文件",
}

_EXT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".png": "image/png",
    ".heic": "image/heic",
    ".heif": "image/heic",
    ".webp": "image/webp",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
    ".avi": "video/x-msvideo",
    ".mkv": "video/x-matroska",
}

_FTYP_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heic",
    b"msf1": "image/heic",
    b"qt  ": "video/quicktime",
}


@dataclass(frozen=True)
class Sniffed:
    media_type: str  # "" when unknown

    @property
    def kind(self) -> str:
        return media_kind(self.media_type)


def media_kind(media_type: str) -> str:
    """'photo', 'video' or 'other', from a detected media type."""
    if media_type.startswith("image/"):
        return "photo"
    if media_type.startswith("video/"):
        return "video"
    return "other"


def sniff(head: bytes) -> Sniffed:
    """The media type of a file from its first :data:`SNIFF_BYTES` bytes."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Sniffed("video/x-msvideo")
    if head[4:8] == b"ftyp":
        return Sniffed(_FTYP_BRANDS.get(head[8:12], "video/mp4"))
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("video/x-matroska")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("image/gif")
    if head.startswith(b"BM"):
        return Sniffed("image/bmp")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Sniffed("image/tiff")
    if head.startswith(b"%PDF"):
        return Sniffed("application/pdf")
    if head.startswith(b"PK\x03\x04"):
        return Sniffed("application/zip")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return Sniffed("application/x-cfb")
    return Sniffed("")


def type_from_name(name: str) -> str:
    dot = name.rfind(".")
    return _EXT_TYPES.get(name[dot:].lower(), "") if dot >= 0 else ""


_NAMES_EN = {
    "image/jpeg": "a JPEG photo",
    "image/png": "a PNG image",
    "image/heic": "a HEIC photo",
    "image/webp": "a WebP image",
    "video/mp4": "an MP4 video",
    "video/quicktime": "a MOV video",
    "application/pdf": "a PDF document",
    "application/zip": "a zip archive or Office document",
    "application/x-cfb": "an old Office document",
    "image/gif": "a GIF animation",
    "image/bmp": "a BMP image",
    "image/tiff": "a TIFF image",
}


def describe_en(media_type: str) -> str:
    if not media_type:
        return "not a photo or video"
    return _NAMES_EN.get(media_type, media_type)


def describe_zh(media_type: str) -> str:
    if not media_type:
        return "无法识别的文件"
    return _NAMES_ZH.get(media_type, media_type)
