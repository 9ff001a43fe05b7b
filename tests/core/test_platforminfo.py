"""Platform facts for the self-test, and a clear "not supported" where qmclient cannot run."""

from __future__ import annotations

import platform
import sys

from qmclient.core.platforminfo import (
    PlatformFacts,
    _glibc_version,
    current,
    unsupported,
    unsupported_here,
)


def _facts(**kw: object) -> PlatformFacts:
    base: dict[str, object] = dict(
        system="Linux",
        release="Debian GNU/Linux 12",
        build=None,
        machine="x86_64",
        glibc="2.36",
        wine=None,
        python="3.11.9",
    )
    base.update(kw)
    return PlatformFacts(**base)  # type: ignore[arg-type]


def test_windows_7_and_8_are_refused_in_both_languages() -> None:
    for release, build in (("7", 7601), ("8.1", 9600), ("10", 17134)):
        facts = _facts(system="Windows", release=release, build=build, glibc=None)
        zh, en = unsupported(facts) or ("", "")
        assert "Windows 10" in zh and "不受支持" in zh, release
        assert f"build {build}" in en and "not supported" in en


def test_windows_10_1809_and_11_are_fine() -> None:
    for build in (17763, 19045, 22631):
        assert unsupported(_facts(system="Windows", release="10", build=build, glibc=None)) is None


def test_an_old_glibc_is_refused_and_uos_kylin_are_fine() -> None:
    zh, en = unsupported(_facts(glibc="2.17")) or ("", "")
    assert "glibc 2.17" in zh and "不受支持" in zh and "glibc 2.28" in en
    assert unsupported(_facts(glibc="2.28")) is None  # UOS 20, Kylin V10
    assert unsupported(_facts(glibc="2.36")) is None


def test_the_facts_of_this_computer() -> None:
    facts = current()
    assert facts.system == platform.system()
    assert facts.python == platform.python_version()
    text = facts.describe()
    assert facts.machine in text
    if sys.platform == "win32":
        assert facts.build and f"build {facts.build}" in text
    elif facts.system == "Linux":
        assert facts.glibc and f"glibc {facts.glibc}" in text
    assert unsupported(facts) is None  # the machines the tests run on are supported


def test_the_quick_check_at_start_agrees_with_the_facts() -> None:
    """What every start asks (the glibc version or the Windows build alone) gives the same
    answer as the whole facts, and reads the same glibc version."""
    facts = current()
    assert unsupported_here() == unsupported(facts)
    glibc = _glibc_version()
    if facts.glibc:
        assert glibc is not None and ".".join(map(str, glibc)) == ".".join(
            facts.glibc.split(".")[:2]
        )
    else:
        assert glibc is None
