"""Errors as RFC 9457 problem details (``application/problem+json``) with stable codes.

Every error the server gives has the same shape; ``code`` never changes meaning.  The
table :data:`PROBLEMS` is the list in ``docs/protocol.md``.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from qmclient.core.work import QmError

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger("qmintake")
MEDIA_TYPE = "application/problem+json"

# code: (status, title in English, title in Chinese)
PROBLEMS: dict[str, tuple[int, str, str]] = {
    "bad-json": (400, "The body is not valid JSON", "请求内容不是有效的 JSON"),
    "invalid-request": (422, "The request has the wrong shape", "请求内容格式不正确"),
    "body-too-large": (413, "The request body is too large", "请求内容过大"),
    "token-missing": (401, "No access token was sent", "缺少访问令牌"),
    "token-invalid": (401, "The access token is not valid", "访问令牌无效或已被撤销"),
    "not-found": (404, "No such address", "地址不存在"),
    "method-not-allowed": (405, "Method not allowed here", "不支持此请求方式"),
    "campaign-not-found": (404, "No such campaign", "没有这个活动"),
    "campaign-unknown": (
        422,
        "The server does not receive this campaign",
        "服务器不接收该活动的报送",
    ),
    "state-conflict": (
        409,
        "The submission is not in a state that allows this",
        "报送当前状态不允许此操作",
    ),
    "report-malformed": (422, "The report document is malformed", "报告内容格式不正确"),
    "report-invalid": (422, "The report does not pass validation", "报告未通过校验"),
    "uuid-mismatch": (422, "The report does not match the address", "报告编号与请求不一致"),
    "manifest-mismatch": (422, "The media list does not match the report", "附件清单与报告不一致"),
    "unit-not-allowed": (403, "This token may not submit for that unit", "此令牌无权替该单位报送"),
    "submission-id-taken": (
        409,
        "The submission id belongs to another unit",
        "报送编号已被其他单位使用",
    ),
    "submission-not-found": (404, "No such submission", "没有这份报送"),
    "revision-not-found": (404, "No such revision", "没有这一版报送"),
    "revision-backwards": (
        409,
        "The revision is older than the latest",
        "版本号低于服务器上的最新版本",
    ),
    "revision-conflict": (
        409,
        "This revision was sent with other content",
        "同一版本的内容与之前发送的不一致",
    ),
    "submission-closed": (
        409,
        "The submission was accepted and is closed",
        "报送已采纳，不能再修改",
    ),
    "report-hash-mismatch": (409, "The report hash does not match", "报告校验值不一致"),
    "media-missing": (409, "Some files have not been uploaded", "还有图片或视频未上传"),
    "late-refused": (
        403,
        "The deadline has passed; late reports are refused",
        "已过截止时间，不再接收报送",
    ),
    "tus-version-unsupported": (412, "Tus-Resumable 1.0.0 is required", "上传协议版本不受支持"),
    "upload-length-invalid": (400, "Upload-Length is missing or invalid", "上传长度缺失或无效"),
    "upload-too-large": (413, "The file is too large", "文件过大"),
    "upload-metadata-invalid": (400, "Upload-Metadata is invalid", "上传元数据无效"),
    "upload-not-in-manifest": (
        403,
        "The file is not in an open submission",
        "该文件不在待报送的附件清单中",
    ),
    "upload-not-found": (404, "No such upload", "上传不存在"),
    "upload-expired": (410, "The upload has expired", "上传已过期，请重新上传"),
    "upload-content-type": (
        415,
        "Content-Type must be application/offset+octet-stream",
        "上传内容类型不正确",
    ),
    "upload-offset-invalid": (400, "Upload-Offset is missing or invalid", "上传位置缺失或无效"),
    "upload-offset-mismatch": (
        409,
        "The upload offset does not match",
        "上传位置与服务器记录不一致",
    ),
    "upload-locked": (
        423,
        "Another transfer of this file is still in progress (or the server is still "
        "holding it); nothing is damaged: check the offset (HEAD) and resume in a moment",
        "该文件的另一次传输仍在进行（或服务器仍在处理上一次传输），数据没有损坏；"
        "请稍后查询上传位置（HEAD）再继续",
    ),
    "checksum-algorithm-unsupported": (400, "Checksum algorithm not supported", "不支持该校验算法"),
    "checksum-mismatch": (460, "The chunk checksum does not match", "数据块校验失败"),
    "upload-hash-mismatch": (
        422,
        "The file's SHA-256 or size is not as announced",
        "文件校验值或大小不一致",
    ),
    "media-type-mismatch": (
        422,
        "The file is not an accepted photo or video",
        "文件不是可接受的图片或视频",
    ),
    "service-unavailable": (
        503,
        "The server is busy or its database is unreachable",
        "服务器暂时无法处理，请稍后重试",
    ),
    "storage-full": (507, "The server's storage is full", "服务器存储空间已满"),
    "server-error": (500, "Internal server error", "服务器内部错误"),
}


class Problem(QmError):
    """Raise to answer with a problem document: the stable ``code`` picks the status and
    the titles; ``detail`` says what exactly (in English, for the client's log)."""

    def __init__(
        self,
        code: str,
        detail: str = "",
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        if code not in PROBLEMS:
            raise ValueError(f"unknown problem code {code!r}")
        status, title, title_zh = PROBLEMS[code]
        super().__init__(zh=title_zh, en=detail or title, code=code)
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"


def problem_response(
    code: str,
    detail: str = "",
    instance: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    status, title, title_zh = PROBLEMS[code]
    body: dict[str, Any] = {
        "type": f"urn:qmintake:problem:{code}",
        "code": code,
        "title": title,
        "title_zh": title_zh,
        "status": status,
        "detail": detail or title,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def install_handlers(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from sqlalchemy.exc import OperationalError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(
            exc.code, exc.detail, request.url.path, headers=exc.headers, **exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return problem_response(
                "bad-json", "the body is not valid JSON", request.url.path, errors=errors
            )
        first = errors[0] if errors else {"loc": [], "msg": ""}
        detail = f"{'.'.join(first['loc'])}: {first['msg']}"
        return problem_response("invalid-request", detail, request.url.path, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if request.scope.get("qmintake.body_too_large"):
            return problem_response(
                "body-too-large", "the request body is over the limit", request.url.path
            )
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            # FastAPI's answer when the JSON parser gives up (e.g. nested thousands deep)
            return problem_response(
                "bad-json",
                "the body cannot be read as JSON (malformed or nested too deeply)",
                request.url.path,
            )
        code = {404: "not-found", 405: "method-not-allowed", 413: "body-too-large"}.get(
            exc.status_code, "invalid-request"
        )
        return problem_response(code, str(exc.detail), request.url.path)

    @app.exception_handler(OperationalError)
    async def _db_down(request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return problem_response(
            "service-unavailable",
            "the server cannot reach its database right now; nothing was changed, "
            "try again in a moment",
            request.url.path,
            headers={"Retry-After": "30"},
        )

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        incident = uuid.uuid4().hex[:12]
        log.exception("incident %s on %s %s", incident, request.method, request.url.path)
        return problem_response(
            "server-error",
            f"an unexpected error happened; quote incident {incident} to the office",
            request.url.path,
            incident=incident,
        )
