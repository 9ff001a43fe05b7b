"""Diagnostics and the proxy setting, on a real store and through the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mediafactory import make_jpeg

from qmclient.services import drafts
from qmclient.services.context import AppContext
from qmclient.services.diagnostics import as_text, collect
from qmclient.services.network import (
    ProxySettingError,
    http_proxy,
    load_proxy,
    normalise_proxy_url,
    proxy_for_display,
    save_proxy,
)


def test_collect_counts_what_is_there(ctx: AppContext, tmp_path: Path) -> None:
    sid = drafts.create_draft(ctx)
    drafts.attach_files(
        ctx, sid, [make_jpeg(tmp_path / "a.jpg"), make_jpeg(tmp_path / "b.jpg", seed=2)]
    )
    drafts.create_draft(ctx)
    info = collect(ctx)
    store = info["store"]
    assert store["submissions"] == 2 and store["by_status"] == {"draft": 2}
    assert store["media_items"] == 2 and store["media_blobs"] == 2
    assert store["media_files_on_disk"] == 2
    assert store["media_blob_bytes"] == store["media_bytes_on_disk"] > 0
    assert store["integrity"] == "ok" and store["schema"]
    assert info["campaign"]["id"] == "jinan-2022-quality-month"
    assert info["paths"]["data"] == str(ctx.data_dir)
    assert info["qt"] and info["sqlite"] and info["python"]
    text = as_text(info)
    assert "integrity: ok" in text and "campaign:" in text


def test_diagnostics_never_show_the_proxy_password(ctx: AppContext, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    save_proxy(ctx, "manual", "proxy.example.cn:3128", "zhang", "p@ss:word/1")
    assert "p@ss" not in json.dumps(collect(ctx, integrity=False), ensure_ascii=False)
    assert proxy_for_display(ctx) == "http://proxy.example.cn:3128 (user zhang)"


def test_proxy_defaults_to_the_system_and_can_be_set(ctx: AppContext, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    assert load_proxy(ctx).mode == "system" and http_proxy(ctx) is None
    save_proxy(ctx, "manual", "http://10.1.2.3:8080")
    assert http_proxy(ctx) == "http://10.1.2.3:8080"
    save_proxy(ctx, "manual", "proxy.example.cn:3128", "zhang", "p@ss:word/1")
    assert memory_keyring.items  # the password went to the keyring ...
    assert http_proxy(ctx) == "http://zhang:p%40ss%3Aword%2F1@proxy.example.cn:3128"
    with ctx.store.read() as s:  # ... and not into the database
        dump = "\n".join(s.connection().connection.iterdump())
    assert "p@ss" not in dump
    save_proxy(ctx, "system")
    assert http_proxy(ctx) is None


@pytest.mark.parametrize(
    "bad",
    ["", "ftp://x:21", "http://", "http://user:pw@host:1", "host:99999", "http://h:8080/path"],
)
def test_bad_proxy_addresses_are_refused(bad: str) -> None:
    with pytest.raises(ProxySettingError) as err:
        normalise_proxy_url(bad)
    assert err.value.message_zh


def test_proxy_address_forms() -> None:
    assert normalise_proxy_url(" proxy:8080 ") == "http://proxy:8080"
    assert normalise_proxy_url("socks5h://[::1]:1080") == "socks5h://[::1]:1080"


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qmclient", "--lang", "zh", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )


def test_cli_diagnostics(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = _cli(data, "diagnostics", "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["store"]["integrity"] == "ok" and info["paths"]["data"] == str(data)
    text = _cli(data, "diagnostics")
    assert "sqlite:" in text.stdout and "integrity: ok" in text.stdout


def test_cli_on_a_data_folder_whose_disk_turned_read_only(small_tmpfs: Path) -> None:
    data = small_tmpfs / "data"
    assert _cli(data, "diagnostics", "--quick").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    done = _cli(data, "diagnostics")
    assert done.returncode == 1
    assert "无法写入" in done.stderr and str(data) in done.stderr


def test_cli_proxy(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert "使用系统代理" in _cli(data, "proxy").stdout
    done = _cli(data, "proxy", "--set", "proxy.example.cn:8080")
    assert done.returncode == 0 and "http://proxy.example.cn:8080" in done.stdout
    bad = _cli(data, "proxy", "--set", "http://u:p@h:1")
    assert bad.returncode == 1 and "钥匙串" in bad.stderr
    assert "使用系统代理" in _cli(data, "proxy", "--system").stdout
