#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults of the disk under the real bhxh-deskctl (env BHXH_DESKCTL), TAP:

- disk full: the desk database on a small tmpfs filled to a few sizes of
  free space; a decide either fits or fails with the store's "disk is full"
  error (BHXH_STORE_ERROR_FULL) and changes nothing; once space is back the
  same decide works. Without the right to mount (not root), RLIMIT_FSIZE
  stands in for the full disk.
- read-only: the file system remounted read-only (root) or the files and
  folder made read-only (others): a decide fails with one clear line and
  nothing changes.
- corrupt: not a database, truncated, a b-tree page header overwritten,
  random bytes in the middle, the mirror file damaged: every command gives
  one error line or works, never crashes, and a file that is not ours is
  never overwritten.

A mirror import cut off halfway is tested in tests/store/test-mirror.c
(/mirror/killed, /mirror/bad-row-late, /mirror/cancel); portal faults (5xx,
dropped and truncated answers, latency, refused token, closed port) in
tests/sync/test-sync.c and test-cli.c.
"""

import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap, deskctl, deskctl_env, die, one_error_line, sha256_file, state  # noqa

FULL_TEXT = "The disk is full"
READ_ONLY_TEXT = "cannot be written"
CORRUPT_TEXT = "damaged or is not a bhxh-desk database"


def can_mount():
    return os.geteuid() == 0 and shutil.which("mount") is not None


def mount_tmpfs(path, size):
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%d,mode=0755" % size, "tmpfs",
                        path], capture_output=True)
    return r.returncode == 0


def umount(path):
    subprocess.run(["umount", "-l", path], capture_output=True)


def fill(path, leave):
    """Fills the file system of path until only `leave` bytes are free."""
    st = os.statvfs(path)
    free = st.f_bavail * st.f_frsize
    filler = os.path.join(path, "filler")
    with open(filler, "ab") as f:
        want = max(free - leave, 0)
        block = b"\0" * 65536
        try:
            while want > 0:
                n = f.write(block[:min(want, len(block))])
                want -= n
            f.flush()
            os.fsync(f.fileno())
        except OSError:
            pass
    return filler


def first_pending(db):
    rc, out, err = deskctl("queue", db, "--status", "pending", "--limit", "40")
    if rc != 0:
        die("queue: " + err)
    import json
    return [d["id"] for d in json.loads(out)]


def decide_args(db, declaration_id):
    return ("decide", db, declaration_id, "reject", "--reason", "other", "--clerk", "lan")


def integrity(db):
    """PRAGMA integrity_check of the main and mirror files through the store
    (tests/trust/trust-query: works encrypted at rest too)."""
    r = subprocess.run([TRUST_QUERY, db], capture_output=True, env=deskctl_env(), timeout=60)
    if r.returncode != 0:
        return False
    import json
    q = json.loads(r.stdout)
    return q["integrity"] == [["ok"]] and q["mirror_integrity"] in (None, [["ok"]])


def copy_db(src, dst_dir):
    # A store is its file, its mirror and (encrypted by default) its key.
    for suffix in ("", "-mirror", ".key"):
        if suffix == ".key" and not os.path.exists(src + suffix):
            continue
        shutil.copy(src + suffix, os.path.join(dst_dir, os.path.basename(src) + suffix))
    return os.path.join(dst_dir, os.path.basename(src))


# disk full


def disk_full_tmpfs(t, base, tmp):
    mnt = os.path.join(tmp, "full")
    os.mkdir(mnt)
    size = os.path.getsize(base) + os.path.getsize(base + "-mirror") + 512 * 1024
    if not mount_tmpfs(mnt, size):
        return False
    try:
        full_seen = decided = 0
        ids = first_pending(base)
        for i, leave in enumerate([0, 4096, 16384, 40960, 65536, 98304, 196608]):
            for name in os.listdir(mnt):
                os.unlink(os.path.join(mnt, name))
            db = copy_db(base, mnt)
            before = state(db)
            filler = fill(mnt, leave)
            rc, out, err = deskctl(*decide_args(db, ids[i]))
            if rc == 0:
                decided += 1
                os.unlink(filler)
                after = state(db)
                t.ok(after != before and '"status": "rejected"' in after[0],
                     "disk full, %d bytes left: the decide fitted and is there" % leave)
                continue
            full_seen += 1
            t.ok(rc == 1 and one_error_line(err) and FULL_TEXT in err,
                 "disk full, %d bytes left: exit %d, %r" % (leave, rc, err.strip()))
            os.unlink(filler)
            t.ok(state(db) == before and integrity(db),
                 "disk full, %d bytes left: nothing changed, integrity ok" % leave)
            rc, out, err = deskctl(*decide_args(db, ids[i]))
            t.ok(rc == 0, "disk full, %d bytes left: with space back the same decide works"
                 " (%s)" % (leave, err.strip()))
        t.ok(full_seen > 0, "the disk was full for %d decides (%d fitted)" % (full_seen, decided))
    finally:
        umount(mnt)
    return True


def disk_full_rlimit(t, base, tmp):
    """Without mount: the file size limit makes sqlite's writes short."""
    db = copy_db(base, tmp)
    ids = first_pending(db)
    before = state(db)
    limit = os.path.getsize(db) + 16384

    def child():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    # The WAL starts empty after the last close, then grows past the limit.
    r = subprocess.run([os.environ["BHXH_DESKCTL"], *decide_args(db, ids[0])],
                       capture_output=True, env=deskctl_env(), preexec_fn=child, timeout=60)
    err = r.stderr.decode(errors="replace")
    t.ok(r.returncode in (0, 1) and (r.returncode == 0 or one_error_line(err)),
         "file size limit: exit %d, %r" % (r.returncode, err.strip()))
    if r.returncode == 1:
        t.ok(state(db) == before and integrity(db),
             "file size limit: nothing changed, integrity ok")


# read-only


def read_only(t, base, tmp):
    if can_mount():
        mnt = os.path.join(tmp, "ro")
        os.mkdir(mnt)
        if not mount_tmpfs(mnt, 64 << 20):
            t.skip("read-only file system", "cannot mount a tmpfs")
            return
        try:
            db = copy_db(base, mnt)
            ids = first_pending(db)
            before = state(db)
            digest = sha256_file(db)
            r = subprocess.run(["mount", "-o", "remount,ro", mnt], capture_output=True)
            if r.returncode != 0:
                t.skip("read-only file system", "cannot remount read-only")
                return
            rc, out, err = deskctl(*decide_args(db, ids[0]))
            t.ok(rc == 1 and one_error_line(err) and (READ_ONLY_TEXT in err or "read-only" in err),
                 "read-only file system: decide gives exit %d, %r" % (rc, err.strip()))
            rc, out, err = deskctl("queue", db)
            t.ok(rc == 0 or (rc == 1 and one_error_line(err)),
                 "read-only file system: queue gives exit %d %s" % (rc, err.strip()))
            subprocess.run(["mount", "-o", "remount,rw", mnt], capture_output=True)
            t.ok(sha256_file(db) == digest and state(db) == before,
                 "read-only file system: the file is unchanged")
        finally:
            umount(mnt)
    # A read-only file (and folder) means nothing to root: only for others.
    if os.geteuid() != 0:
        ro = os.path.join(tmp, "ro-files")
        os.mkdir(ro)
        db = copy_db(base, ro)
        ids = first_pending(db)
        before = state(db)
        for p in (db, db + "-mirror"):
            os.chmod(p, 0o444)
        os.chmod(ro, 0o555)
        rc, out, err = deskctl(*decide_args(db, ids[0]))
        os.chmod(ro, 0o755)
        t.ok(rc == 1 and one_error_line(err),
             "read-only files: decide gives exit %d, %r" % (rc, err.strip()))
        for p in (db, db + "-mirror"):
            os.chmod(p, 0o644)
        t.ok(state(db) == before, "read-only files: nothing changed")
    else:
        t.skip("read-only file modes", "root ignores file modes (the remount covers it)")


# corrupt


def run_commands(db, declaration_id):
    """Every command a clerk would run on the file: (name, rc, err)."""
    results = []
    for args in (("queue", db), decide_args(db, declaration_id),
                 ("verify", db, "001179000629|123456789|Nguyễn Văn A|01011990|Nam|"
                                "Hà Nội|01012021"),
                 ("sync", db, "--status")):
        rc, out, err = deskctl(*args)
        results.append((args[0], rc, err))
    return results


def corrupt(t, base, tmp):
    rng = random.Random(int(os.environ.get("BHXH_FAULT_SEED", "7")))
    ids = first_pending(base)
    page_size = 4096
    root = None
    try:
        with sqlite3.connect(base) as c:
            page_size = c.execute("PRAGMA page_size").fetchone()[0]
            root = c.execute("SELECT rootpage FROM sqlite_master "
                             "WHERE name = 'declarations'").fetchone()
        c.close()
    except sqlite3.DatabaseError:
        pass  # encrypted at rest: the schema cannot be read from outside

    def not_a_db(p):
        with open(p, "wb") as f:
            f.write(b"Nguyen Van A;001179000629\n" * 500)

    def truncated(p):
        with open(p, "r+b") as f:
            f.truncate(os.path.getsize(p) // 2)

    def header_garbage(p):
        with open(p, "r+b") as f:
            f.seek(16)
            f.write(bytes(rng.randrange(256) for _ in range(84)))

    def btree_header(p):
        # The declarations table's root page (or, encrypted, the second
        # page): an impossible page type.
        with open(p, "r+b") as f:
            f.seek(((root[0] if root else 2) - 1) * page_size)
            f.write(b"\x55" + bytes(rng.randrange(256) for _ in range(11)))

    def middle(p):
        size = os.path.getsize(p)
        with open(p, "r+b") as f:
            f.seek(rng.randrange(page_size, size - 4096))
            f.write(bytes(rng.randrange(256) for _ in range(4096)))

    def mirror_garbage(p):
        m = p + "-mirror"
        with open(m, "r+b") as f:
            f.seek(os.path.getsize(m) // 3)
            f.write(bytes(rng.randrange(256) for _ in range(8192)))

    def mirror_not_a_db(p):
        with open(p + "-mirror", "wb") as f:
            f.write(b"\xff\xfe" + "họ tên".encode("utf-16-le") * 300)

    cases = [("not a database", not_a_db, True), ("truncated to half", truncated, False),
             ("header overwritten", header_garbage, True),
             ("declarations b-tree page header overwritten", btree_header, root is not None),
             ("mirror file damaged", mirror_garbage, False),
             ("mirror file not a database", mirror_not_a_db, False)]
    cases += [("4 KiB of random bytes in the middle (%d)" % i, middle, False) for i in range(6)]
    for name, damage, must_fail in cases:
        d = os.path.join(tmp, "corrupt-%d" % rng.randrange(1 << 30))
        os.mkdir(d)
        db = copy_db(base, d)
        damage(db)
        digest = sha256_file(db)
        results = run_commands(db, ids[0])
        crashed = [(c, rc) for c, rc, _ in results if rc < 0 or rc > 2]
        bad_lines = [(c, e) for c, rc, e in results if rc == 1 and not one_error_line(e)]
        t.ok(not crashed and not bad_lines,
             "corrupt, %s: no crash, one error line each (exits %s)"
             % (name, ",".join(str(rc) for _, rc, _ in results)))
        if must_fail:
            queue = results[0]
            t.ok(queue[1] == 1 and CORRUPT_TEXT in queue[2],
                 "corrupt, %s: a clear message: %r" % (name, queue[2].strip()))
            t.ok(sha256_file(db) == digest, "corrupt, %s: the file is left as it was" % name)
        shutil.rmtree(d)


TRUST_QUERY = None


def main():
    global TRUST_QUERY
    if "BHXH_DESKCTL" not in os.environ or len(sys.argv) != 2:
        print("1..0 # SKIP usage: BHXH_DESKCTL=… test-faults.py TRUST_QUERY")
        return 0
    TRUST_QUERY = sys.argv[1]
    t = Tap()
    tmp = tempfile.mkdtemp(prefix="bhxh-faults-")
    try:
        base = os.path.join(tmp, "desk.db")
        rc, out, err = deskctl("demo", base, "--persons", "1000")
        if rc != 0:
            die("demo: " + err)
        if not (can_mount() and disk_full_tmpfs(t, base, tmp)):
            t.note("no tmpfs mount here: RLIMIT_FSIZE stands in for the full disk")
            disk_full_rlimit(t, base, tmp)
        read_only(t, base, tmp)
        corrupt(t, base, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % t.n)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
