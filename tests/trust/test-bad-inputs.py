#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The bad-input catalogue (bad-inputs.jsonl) through the real bhxh-deskctl
(env BHXH_DESKCTL) on a demo database, TAP, one test per entry.

Each entry: "id", "why", "args" (the command line after bhxh-deskctl, with
{db}, {file}, {tmp}, {open}, {decided}, {blocked}, {big-note} replaced),
the input as "stdin" (text), "stdin_bytes" (one character per byte),
"file"/"file_bytes" (written to {file} with extension "ext") or "gen" (a
large input made here), "args_bytes" (the arguments are bytes, one
character per byte), the expected "exit" (1, or 2 for usage) and an
"expect"ed substring of the message.

Every entry must: exit with that code, print exactly one line on stderr
starting with 'error: ' (no crash, no warning, no second line), print
nothing on stdout, and leave the database as it was: the queue with every
declaration's status, the number of unsynced decisions and the mirror file.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap, deskctl_env, die, one_error_line, sha256_file, state  # noqa

HERE = os.path.dirname(os.path.abspath(__file__))
P = ("079161827747|027439651|Nguyễn Thị Thuỳ|31081961|Nữ|"
     "Số 145 Xô Viết Nghệ Tĩnh, Phường 13, Bình Thạnh, Hồ Chí Minh|31082022")
CSV_HEADER = "bhxh_code,id_number,old_id_number,full_name,birth_date,sex,address\n"


def generate(kind, path):
    """Large inputs are made at test time, not committed."""
    mib = 1 << 20
    if kind == "qr-1mib":
        return (P + "|" + "9" * mib).encode()
    if kind == "qr-name-1mib":
        return P.replace("Nguyễn Thị Thuỳ", "Nguyễn " + "Thị " * (mib // 4) + "Thuỳ").encode()
    if kind == "csv-name-1mib":
        data = CSV_HEADER + "0112345678,,,Nguyễn " + "Văn " * (mib // 4) + "An,1990-03-15,,\n"
        return data.encode()
    if kind == "csv-line-64mib":
        with open(path, "wb") as f:
            f.write(CSV_HEADER.encode())
            f.write(b"0112345678,,,\"")
            chunk = "Nguyễn Văn An ".encode() * 4096
            for _ in range((64 * mib) // len(chunk)):
                f.write(chunk)
        return None
    if kind == "decl-name-1mib":
        d = {"format": "bhxh-declarations/1", "declarations": [{
            "id": "TK01-00106-900001", "kind": "register", "office_code": "00106",
            "submitted_at": "2026-11-20T08:15:00+07:00", "bhxh_code": "0112345678",
            "full_name": "Nguyễn " + "Văn " * (mib // 4) + "An", "birth_date": "1990-03-15"}]}
        return json.dumps(d, ensure_ascii=False).encode()
    if kind == "deep-100000":
        return b"[" * 100000 + b"]" * 100000 + b"\n"
    if kind == "deep-object-100000":
        return b'{"a":' * 100000 + b"1" + b"}" * 100000
    die("unknown generator " + kind)


def declaration_ids(db):
    """An open clean declaration, one decided at the portal, one whose verdict
    blocks an approval: from the demo's payload list."""
    found = {}
    with open(db + "-payloads.tsv", encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2:
                found.setdefault(fields[1], fields[0])
    return {"open": found["clean"], "decided": found["history-approved"],
            "blocked": found["not-in-mirror"]}


def full_state(db):
    return state(db), sha256_file(db + "-mirror")


def run_case(entry, db, tmp, ids):
    subst = {"{db}": db, "{tmp}": tmp, "{big-note}": "Ghi chú " * 12000}
    subst.update({"{%s}" % k: v for k, v in ids.items()})
    path = os.path.join(tmp, "input." + entry.get("ext", "txt"))
    stdin = b""
    if "file" in entry:
        with open(path, "wb") as f:
            f.write(entry["file"].encode())
    elif "file_bytes" in entry:
        with open(path, "wb") as f:
            f.write(entry["file_bytes"].encode("latin-1"))
    elif "gen" in entry:
        data = generate(entry["gen"], path)
        if data is not None and "{file}" in entry["args"]:
            with open(path, "wb") as f:
                f.write(data)
        elif data is not None:
            stdin = data
    if "stdin" in entry:
        stdin = entry["stdin"].encode()
    elif "stdin_bytes" in entry:
        stdin = entry["stdin_bytes"].encode("latin-1")
    subst["{file}"] = path
    args = []
    for a in entry["args"]:
        for k, v in subst.items():
            a = a.replace(k, v)
        args.append(a.encode("latin-1") if entry.get("args_bytes") else a.encode())
    started = time.monotonic()
    r = subprocess.run([os.environ["BHXH_DESKCTL"].encode(), *args], input=stdin,
                       capture_output=True, env=deskctl_env(), timeout=120)
    seconds = time.monotonic() - started
    if os.path.exists(path):
        os.unlink(path)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", errors="replace"), seconds


def main():
    if "BHXH_DESKCTL" not in os.environ:
        print("1..0 # SKIP BHXH_DESKCTL is not set")
        return 0
    catalogue = os.path.join(HERE, "bad-inputs.jsonl")
    with open(catalogue, encoding="utf-8") as f:
        entries = [json.loads(line) for line in f if line.strip()]
    t = Tap()
    t.plan(len(entries) + 1)
    tmp = tempfile.mkdtemp(prefix="bhxh-bad-inputs-")
    try:
        db = os.path.join(tmp, "desk.db")
        r = subprocess.run([os.environ["BHXH_DESKCTL"], "demo", db, "--persons", "1000"],
                           capture_output=True, env=deskctl_env())
        if r.returncode != 0:
            die("demo: " + r.stderr.decode())
        ids = declaration_ids(db)
        t.ok(len(entries) >= 100 and len({e["id"] for e in entries}) == len(entries),
             "%d catalogue entries, each with its own id" % len(entries))
        before = full_state(db)
        slowest = (0, "")
        for e in entries:
            touches_db = any("{db}" in a for a in e["args"])
            rc, out, err, seconds = run_case(e, db, tmp, ids)
            slowest = max(slowest, (seconds, e["id"]))
            problems = []
            if rc != e["exit"]:
                problems.append("exit %d, not %d" % (rc, e["exit"]))
            if not one_error_line(err):
                problems.append("stderr is not one 'error:' line: %r" % err[:300])
            elif e["expect"] and e["expect"].lower() not in err.lower():
                problems.append("no %r in the message" % e["expect"])
            if out:
                problems.append("stdout %r" % out[:200])
            if touches_db:
                after = full_state(db)
                if after != before:
                    problems.append("the database changed")
                    # Start the next entries from the same state again.
                    for name in os.listdir(tmp):
                        if name.startswith("desk.db"):
                            p = os.path.join(tmp, name)
                            if os.path.isfile(p):
                                os.unlink(p)
                    subprocess.run([os.environ["BHXH_DESKCTL"], "demo", db, "--persons",
                                    "1000"], capture_output=True, env=deskctl_env())
                    after = full_state(db)
                before = after
            t.ok(not problems, "%s (%s): %s" % (e["id"], e["why"],
                                                "; ".join(problems) or err.strip()[:160]))
        t.note("slowest entry: %s, %.2f s" % (slowest[1], slowest[0]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
