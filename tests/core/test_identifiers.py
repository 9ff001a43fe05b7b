"""Identifiers: property tests for the credit code check character, phone and e-mail forms."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qmclient.core.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_char,
    credit_code_problem,
    is_jinan_landline,
    is_mobile,
    is_valid_credit_code,
    is_valid_email,
    is_valid_phone,
)

body = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


def test_the_standards_example_is_valid() -> None:
    assert is_valid_credit_code("91350100M000100Y43")
    assert is_valid_credit_code(" 91350100m000100y43 ")  # typed in lower case, with spaces
    assert credit_code_problem("91350100M000100Y44") == "check"
    assert credit_code_problem("91350100M000100Y4") == "length"
    assert credit_code_problem("91350100M000100I43") == "chars"  # I is never used


@given(body)
def test_a_code_with_its_computed_check_character_is_valid(first17: str) -> None:
    assert is_valid_credit_code(first17 + credit_code_check_char(first17))


@given(body, st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_single_changed_character_is_caught(first17: str, pos: int, char: str) -> None:
    code = first17 + credit_code_check_char(first17)
    changed = code[:pos] + char + code[pos + 1 :]
    assert is_valid_credit_code(changed) == (changed == code)


@given(body, st.sampled_from("IOZSV"))
def test_letters_outside_the_alphabet_are_refused(first17: str, bad: str) -> None:
    code = bad + first17
    assert credit_code_problem(code) == "chars"


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_mainland_mobiles(second: str, rest: str) -> None:
    number = "1" + second + rest
    assert is_mobile(number)
    assert is_valid_phone(f"+86 {number[:3]} {number[3:7]} {number[7:]}")
    assert not is_mobile("1" + "2" + rest)
    assert not is_mobile(number + "0")


@given(st.sampled_from("23456789"), st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_jinan_landlines(first: str, rest: str) -> None:
    local = first + rest
    assert is_jinan_landline(local)
    assert is_jinan_landline(f"0531-{local}")
    assert is_valid_phone(f"(0531){local}")
    assert is_valid_phone(f"0531-{local}转8001")
    assert not is_jinan_landline(f"0531-{local}1")


def test_phone_rejects() -> None:
    for bad in ("", "12345", "phone", "0531-1234567", "010-abc", "1381234567"):
        assert not is_valid_phone(bad), bad
    assert is_valid_phone("010-12345678")  # another area's landline is still a phone


def test_email() -> None:
    assert is_valid_email("jnzjjzlc@jn.shandong.cn")
    for bad in ("", "a@b", "no at.cn", "a@@b.cn", "a@b..cn", "a b@c.cn"):
        assert not is_valid_email(bad), bad
