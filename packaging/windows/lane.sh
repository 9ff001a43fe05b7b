#!/usr/bin/env bash
# The Windows lane: the portable part of the test suite on the official Windows CPython
# 3.11.9 (embeddable) under Wine, with PySide6 6.9.3 and win_amd64 wheels.
#
#   packaging/windows/lane.sh [PYTEST ARGS]      (or ./qm test-windows)
#
# Without arguments it runs the folders below; tests that are POSIX by nature are marked
# posix_only and skipped there (each has a Windows counterpart that runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
WIN_TOOLS=()
# shellcheck source=prefix.sh
. packaging/windows/prefix.sh

LANE_TESTS=(tests/core tests/store tests/cli tests/export)

prepare_prefix
use_tree
[ $# -gt 0 ] || set -- "${LANE_TESTS[@]}"
wsay "pytest on Windows Python (Wine): $*"
export QT_QPA_PLATFORM=offscreen QMCLIENT_LANG=zh_CN
# Wine starts processes slowly: the CLI tests start dozens; allow them more time.
win_python -X utf8 -m pytest -p no:cacheprovider -p no:pytestqt -q --timeout=900 "$@"
