# SPDX-License-Identifier: GPL-3.0-or-later
"""Small helpers shared by the trust tests: TAP output and the real
bhxh-deskctl run on real files."""

import hashlib
import json
import os
import subprocess
import sys


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def plan(self, n):
        print("1..%d" % n, flush=True)

    def ok(self, cond, what):
        self.n += 1
        if not cond:
            self.failed += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, what.replace("\n", " ")),
              flush=True)
        return cond

    def skip(self, what, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, what, why), flush=True)

    def note(self, text):
        for line in text.splitlines():
            print("# " + line, flush=True)

    def done(self):
        return 1 if self.failed else 0


def deskctl_env():
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    # The tests read the CLI's English messages.
    env["LC_ALL"] = "C.UTF-8"
    env.pop("LANGUAGE", None)
    return env


def deskctl(*args, stdin=None, timeout=120, env=None):
    """Runs bhxh-deskctl; returns (exit code, stdout bytes, stderr text).
    A negative exit code is the signal that killed it."""
    r = subprocess.run([os.environ["BHXH_DESKCTL"], *args], input=stdin,
                       capture_output=True, timeout=timeout,
                       env=env if env is not None else deskctl_env())
    return r.returncode, r.stdout, r.stderr.decode("utf-8", errors="replace")


def one_error_line(err):
    """The CLI contract for a failure: exactly one line on stderr, 'error: …'."""
    lines = err.splitlines()
    return len(lines) == 1 and lines[0].startswith("error: ") and len(lines[0]) > 8


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def state(db):
    """What a person can see of a desk database through the CLI: every
    declaration with its status, and the sync status (unsynced decisions).
    Two equal states mean nothing changed."""
    rc, out, err = deskctl("queue", db)
    if rc != 0:
        return ("queue failed", rc, err)
    queue = json.loads(out)
    for d in queue:
        d.pop("days_left", None)
    rc2, out2, _ = deskctl("sync", db, "--status")
    status = json.loads(out2) if rc2 in (0, 1) and out2.strip() else None
    unsynced = status.get("unsynced") if isinstance(status, dict) else None
    return (json.dumps(queue, sort_keys=True), unsynced)


def die(message):
    print("Bail out! " + message, flush=True)
    sys.exit(1)
