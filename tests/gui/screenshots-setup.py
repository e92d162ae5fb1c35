#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of a real office's first run (no account yet), driven from
the keyboard through AT-SPI against the portal simulator on 127.0.0.1.
usage (under Xvfb, in run-atspi.sh): screenshots-setup.py BUILD OUTDIR [LANG]"""

import glob
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bhxh_drive  # noqa: E402


def set_text(desk, name, text):
    """Into the entry row titled @name (what a clerk types, set at once:
    the synthetic keyboard has no Vietnamese keys)."""
    node = desk.find(name, 'text', timeout=10)
    node.text = text
    time.sleep(0.3)


def main():
    build_root, outdir = sys.argv[1], sys.argv[2]
    language = sys.argv[3] if len(sys.argv) > 3 else 'vi'
    os.makedirs(outdir, exist_ok=True)
    workdir = bhxh_drive.new_workdir()
    desk = bhxh_drive.Desk(build_root, workdir)
    # A new office: no store at all.
    for path in glob.glob(desk.db + '*'):
        os.remove(path)
    token = os.path.join(workdir, 'workstation.token')
    with open(token, 'w', encoding='utf-8') as f:
        f.write('setup-token\n')
    os.chmod(token, 0o600)
    sim = subprocess.Popen([os.path.join(build_root, 'src/portal-sim/bhxh-portal-sim'),
                            '--port=0', '--db', os.path.join(workdir, 'portal.db'),
                            '--token', 'setup-token', '--office', '00106',
                            '--demo-data', '1000', '--latency-ms', '200'],
                           stdout=subprocess.PIPE, text=True)
    url = sim.stdout.readline().strip().removeprefix('listening on ')
    print("# portal", url, flush=True)
    shot = lambda name: desk.screenshot(os.path.join(outdir, name + '.png'))  # noqa: E731
    try:
        desk.gsettings('office', "''")
        desk.start(language)
        desk.find('Thiết lập quầy tiếp nhận' if language == 'vi' else 'Set Up This Counter',
                  timeout=30)
        from dogtail import rawinput
        # The name field has the focus; Enter moves from field to field.
        set_text(desk, 'Họ và tên' if language == 'vi' else 'Full name', 'Đỗ Thị Hạnh')
        desk.keys('End')
        desk.keys('Return')
        rawinput.typeText('hanh.do')
        desk.keys('Return')
        rawinput.typeText('mat-khau-quay-01')
        desk.keys('Return')
        rawinput.typeText('mat-khau-quay-01')
        time.sleep(0.5)
        shot('setup-1-admin')
        desk.keys('Return')                      # from the last field: create
        set_text(desk, 'Địa chỉ Cổng thông tin' if language == 'vi' else 'Portal address', url)
        desk.keys('Tab')                         # to "Chọn tệp…"
        desk.keys('Return')
        time.sleep(2)
        desk.keys('<Control>l')                  # the file dialog's location
        time.sleep(0.5)
        rawinput.typeText(token)
        desk.keys('Return')
        time.sleep(1.5)
        shot('setup-2-portal')
        desk.keys('<Alt>k')                      # _Kết nối và đồng bộ
        time.sleep(2.5)
        shot('setup-3-sync')
        desk.find('Cơ quan của quầy' if language == 'vi' else 'This Counter’s Office',
                  timeout=120)
        time.sleep(1)
        shot('setup-4-office')
        desk.keys('Return')                      # the selected office
        time.sleep(1.5)
        shot('setup-5-people')
        desk.keys('<Alt>b')                      # _Bắt đầu làm việc
        time.sleep(2.5)
        shot('setup-6-queue')
        desk.quit()
    finally:
        if desk.process is not None and desk.process.poll() is None:
            desk.process.kill()
        sim.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    try:
        main()
    except Exception:
        import traceback
        traceback.print_exc(file=sys.stdout)
        sys.exit(1)
