#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the main screens, taken from the real application driven
through AT-SPI: docs/screenshots.sh runs it. Usage: screenshots.py BUILD OUTDIR"""

import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bhxh_drive  # noqa: E402


def decide(desk, case, keys, skip):
    decl_id, decl, payload = desk.case(case, office_prefix='001', skip=skip)
    skip.add(decl_id)
    desk.scan_and_open(payload, decl_id, serial=True)
    time.sleep(0.8)
    for k in keys:
        desk.keys(k)
        time.sleep(0.8)
    time.sleep(1.5)


def main():
    build_root, outdir = sys.argv[1], sys.argv[2]
    language = sys.argv[3] if len(sys.argv) > 3 else 'vi'
    os.makedirs(outdir, exist_ok=True)
    workdir = bhxh_drive.new_workdir()
    desk = bhxh_drive.Desk(build_root, workdir)
    shot = lambda name: desk.screenshot(os.path.join(outdir, name + '.png'))  # noqa: E731
    try:
        desk.gsettings('last-user', "'lan.nguyen'")
        desk.gsettings('undo-seconds', '1')
        desk.use_serial_scanner()
        desk.start(language)
        desk.find('Nguyễn Thị Lan', 'label')
        time.sleep(1)
        shot('sign-in')
        desk.keys('Return')
        time.sleep(2)
        shot('queue')

        # A few decisions so the supervisor's charts have a day to show.
        done = set()
        decide(desk, 'clean', ['<Control>Return'], done)
        decide(desk, 'clean', ['<Control>Return'], done)
        decide(desk, 'birth-date-mismatch', ['<Control>r', 'space', '<Control>Return'], done)
        decide(desk, 'expired', ['<Control>r', 'space', '<Control>Return'], done)
        decide(desk, 'clean', ['<Control>Return'], done)
        decide(desk, 'id-warning-sex', ['<Control>e', '<Control>Return'], done)

        decl_id, decl, payload = desk.case('name-diacritics', office_prefix='001')
        desk.scan_and_open(payload, decl_id, serial=True)
        time.sleep(1.5)
        shot('compare')
        desk.keys('<Control>r')
        time.sleep(1.5)
        shot('reject')
        desk.keys('Escape')
        time.sleep(0.5)

        decl_id, decl, payload = desk.case('minor-guardian-account', office_prefix='0')
        desk.scan_and_open(payload, decl_id, serial=True)
        time.sleep(1.5)
        shot('compare-minor')

        # A card nobody declared with, and not in the registry either.
        desk.scan_serial('001090999999||Nguyễn Văn Thử|15031990|Nam|Số 1 Thái Hà, Hà Nội|20042021')
        time.sleep(2.5)
        shot('not-found')
        desk.keys('Escape')
        time.sleep(0.5)

        desk.keys('<Control><Shift>slash')
        time.sleep(1.5)
        shot('shortcuts')
        desk.keys('Escape')
        time.sleep(0.5)

        desk.keys('<Control><Shift>q')     # sign out
        time.sleep(1)
        desk.keys('Down')                  # quang.pham, the supervisor
        desk.keys('Return')
        time.sleep(2)
        desk.keys('<Alt>2')
        time.sleep(2.5)
        shot('supervisor')

        # Countersigning: the escalated declaration opens with its
        # comparison and the clerk's reason, the verdict in view.
        button = desk.find_prefix('Mở tờ khai của ' if language == 'vi' else 'Open ',
                                  'push button', timeout=10)
        button.doActionNamed('click')
        time.sleep(2.5)
        shot('countersign')
        desk.keys('Escape')
        time.sleep(0.5)

        desk.keys('<Control>comma')
        time.sleep(1.5)
        shot('preferences')
        desk.keys('Escape')
        desk.quit()
    finally:
        if desk.process is not None and desk.process.poll() is None:
            desk.process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    try:
        main()
    except Exception:
        import traceback
        traceback.print_exc(file=sys.stdout)   # run-atspi.sh keeps stdout
        sys.exit(1)
