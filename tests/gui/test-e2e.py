#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end through AT-SPI: sign in, scan a demo citizen's card as a
keyboard-mode scanner would, check the compare view, approve; reject
another with a reason; then check the database. TAP output."""

import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bhxh_drive  # noqa: E402

tests = []


def ok(condition, description):
    tests.append((bool(condition), description))
    print(f'{"ok" if condition else "not ok"} {len(tests)} - {description}', flush=True)
    if not condition:
        raise AssertionError(description)


def main():
    build_root = sys.argv[1]
    workdir = bhxh_drive.new_workdir()
    desk = bhxh_drive.Desk(build_root, workdir)
    print('1..9', flush=True)
    try:
        approve_id, approve_decl, approve_payload = desk.case('clean')
        reject_id, reject_decl, reject_payload = desk.case('clean', skip=(approve_id,))
        desk.gsettings('last-user', "'lan.nguyen'")
        desk.gsettings('undo-seconds', '1')
        desk.start()

        row = desk.find('Nguyễn Thị Lan', 'label')
        ok(row is not None, 'the sign-in page lists the demo clerk')
        desk.keys('Return')
        count = desk.queue_count()
        ok(count > 0, f'signed in, the queue shows {count} open declarations')

        time.sleep(1)
        name = desk.scan_and_open(approve_payload, approve_decl['full_name'])
        verdict = desk.find('Can be approved', 'label')
        ok(name is not None and verdict is not None,
           'the scan opened the matching declaration: can be approved')
        ok(desk.app.findChild(lambda n: n.name == 'Match', retry=False,
                              requireResult=False) is not None,
           'fields are shown with their level in words')

        desk.keys('<Control>Return')
        desk.wait_for(lambda: desk.queue_count() == count - 1, what='the queue to shrink')
        ok(True, 'Ctrl+Enter approved: the declaration left the open queue')
        time.sleep(2.5)   # past the undo window: recorded

        desk.scan_and_open(reject_payload, reject_decl['full_name'])
        desk.keys('<Control>r')
        dialog_title = desk.find('Reject the Declaration', timeout=10)
        ok(dialog_title is not None, 'Ctrl+R opened the reject dialog')
        desk.find(None, 'check box')
        time.sleep(0.5)
        desk.keys('space')    # the first reason has the focus
        desk.keys('<Control>Return')
        desk.wait_for(lambda: desk.queue_count() == count - 2, what='the queue to shrink')
        ok(True, 'rejected with a reason')
        code = desk.quit()
        ok(code == 0, f'the application quit cleanly (exit {code})')

        approved = {d['id'] for d in desk.declarations('approved')}
        rejected = {d['id'] for d in desk.declarations('rejected')}
        ok(approve_id in approved and reject_id in rejected,
           'the database holds the approval and the rejection')
    finally:
        if desk.process is not None and desk.process.poll() is None:
            desk.process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # report, TAP-style
        print(f'# {e}', flush=True)
        sys.exit(1)
