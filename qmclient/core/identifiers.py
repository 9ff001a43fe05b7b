"""Checks of the identifiers people type: credit codes, phone numbers, e-mail addresses."""

from __future__ import annotations

import re
from operator import mul

# GB 32100-2015: the unified social credit code (统一社会信用代码).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUW-Y]{18}$")

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_JINAN_LANDLINE = re.compile(r"^(?:0531)?[2-9]\d{7}$")
_EXTENSION = re.compile(r"(?:转|ext\.?|x)\s*\d{1,6}$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-()（）]")
_OTHER_LANDLINE = re.compile(r"^0[1-9]\d{8,10}$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    if len(first17) != len(CREDIT_CODE_WEIGHTS):
        raise ValueError(f"a credit code's check covers 17 characters, not {len(first17)}")
    total = sum(map(mul, map(CREDIT_CODE_ALPHABET.index, first17), CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(code: str) -> str:
    return code.strip().upper().replace(" ", "")


def credit_code_problem(code: str) -> str | None:
    """``None`` when the code is valid, otherwise why not: 'length', 'chars' or 'check'."""
    code = normalise_credit_code(code)
    if len(code) != 18:
        return "length"
    if not _CREDIT_CODE_SHAPE.match(code):
        return "chars"
    if credit_code_check_char(code[:17]) != code[17]:
        return "check"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


def normalise_phone(phone: str) -> str:
    """Digits only, with a +86 / 0086 prefix and separators removed, extension dropped."""
    text = _EXTENSION.sub("", phone.strip())
    digits = _SEPARATORS.sub("", text)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def is_mobile(phone: str) -> bool:
    return bool(_MOBILE.match(normalise_phone(phone)))


def is_jinan_landline(phone: str) -> bool:
    """A Jinan fixed line: 0531 and 8 digits, or the 8 digits alone."""
    return bool(_JINAN_LANDLINE.match(normalise_phone(phone)))


def is_valid_phone(phone: str) -> bool:
    """A mainland mobile number, a Jinan landline, or another area's landline (0 + 10-11 digits)."""
    digits = normalise_phone(phone)
    if not digits.isdigit():
        return False
    if digits.startswith("0531") or len(digits) == 8:
        return is_jinan_landline(digits)
    return is_mobile(digits) or bool(_OTHER_LANDLINE.match(digits))


def is_valid_email(email: str) -> bool:
    email = email.strip()
    return len(email) <= 254 and bool(_EMAIL.match(email))
