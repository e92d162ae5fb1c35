#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bhxh-deskctl under valgrind, for the trust tests (docs/proof.md):
#   BHXH_DESKCTL_REAL=build/src/cli/bhxh-deskctl \
#   BHXH_DESKCTL=tests/trust/valgrind-deskctl.sh python3 tests/trust/test-bad-inputs.py
# Any valgrind error exits 99 and prints on stderr: the test then fails.
exec valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  "$BHXH_DESKCTL_REAL" "$@"
