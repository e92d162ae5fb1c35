#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Screenshots of the chip step: a QR scanned, "place the card on the reader"
while no card lies there, the read in progress (its step and bar), then the
comparison with the authenticated chip,
the chip's portrait beside the declaration's photo.
A real pcscd (in its own mount namespace, as the chip suite runs it), the
vpcd reader driver, the emulated card of tests/chip with a synthetic person
and a test CSCA. Needs root (unshare) and vsmartcard-vpcd.
usage (under Xvfb, in run-atspi.sh): screenshots-chip.py BUILD OUTDIR [LANG]"""

import base64
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bhxh_drive  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VPCD = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so'
QR = ('079188004321|025123456|Phạm Thị Thu Hà|12071988|Nữ|'
      'Số 7 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|05092021')
MIRROR = ('bhxh_code,id_number,old_id_number,full_name,birth_date,sex,address,office_code,'
          'account_status,account_since\n'
          '7918800432,079188004321,025123456,Phạm Thị Thu Hà,1988-07-12,female,'
          '"Số 7 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh",07901,,\n')
DECLARATION = {
    'id': 'TK01-07901-000101', 'kind': 'register', 'status': 'pending',
    'office_code': '07901', 'submitted_at': '2026-11-20T08:15:00+07:00',
    'confirmed_at': '2026-11-20T08:20:00+07:00', 'full_name': 'Phạm Thị Thu Hà',
    'bhxh_code': '7918800432', 'id_number': '079188004321',
    'birth_date': '1988-07-12', 'sex': 'female',
    'address': 'Số 7 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh',
    'handin': 'office', 'start_date': '2026-12-01', 'channel': 'portal'}


def declarations(photo_path):
    """The declaration with the photo attached online: the same synthetic
    face as on the card's chip (chip-mkcard draws both), inline as a file
    carries it."""
    with open(photo_path, 'rb') as f:
        photo = f.read()
    declaration = dict(DECLARATION, portrait={
        'sha256': hashlib.sha256(photo).hexdigest(), 'size': len(photo),
        'data': base64.b64encode(photo).decode('ascii')})
    return json.dumps({'format': 'bhxh-declarations/1', 'declarations': [declaration]},
                      ensure_ascii=False) + '\n'


def main():
    build_root, outdir = sys.argv[1], sys.argv[2]
    language = sys.argv[3] if len(sys.argv) > 3 else 'vi'
    os.makedirs(outdir, exist_ok=True)
    workdir = bhxh_drive.new_workdir()
    desk = bhxh_drive.Desk(build_root, workdir)
    card = os.path.join(workdir, 'genuine')
    subprocess.run([os.path.join(build_root, 'tests/chip/chip-mkcard'), card, 'genuine'],
                   check=True)
    # The synthetic person's declaration and registry entry in the demo store.
    with open(os.path.join(workdir, 'm.csv'), 'w', encoding='utf-8') as f:
        f.write(MIRROR)
    with open(os.path.join(workdir, 'd.json'), 'w', encoding='utf-8') as f:
        f.write(declarations(os.path.join(card, 'portrait.jpg')))
    for args in (['mirror', 'import', desk.db, os.path.join(workdir, 'm.csv'),
                  '--version', '2026-11'],
                 ['declarations', 'import', desk.db, os.path.join(workdir, 'd.json')]):
        subprocess.run([desk.deskctl] + args, check=True, env=desk.env,
                       stdout=subprocess.DEVNULL)

    port = random.randint(20000, 60000)
    conf_dir = os.path.join(workdir, 'reader.conf.d')
    run_dir = os.path.join(workdir, 'run')
    os.makedirs(conf_dir)
    os.makedirs(run_dir)
    os.makedirs('/run/pcscd', exist_ok=True)
    with open(os.path.join(conf_dir, 'vpcd'), 'w') as f:
        f.write(f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:{port}\n'
                f'LIBPATH {VPCD}\nCHANNELID {port}\n')
    pcscd = subprocess.Popen(['unshare', '--mount', 'sh', '-c',
                              f"mount --bind '{run_dir}' /run/pcscd && "
                              f"exec pcscd --foreground --config '{conf_dir}'"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    socket = os.path.join(run_dir, 'pcscd.comm')
    for _ in range(100):
        if os.path.exists(socket):
            break
        time.sleep(0.1)
    desk.env['PCSCLITE_CSOCK_NAME'] = socket
    desk.env['BHXH_DESK_CSCA_DIR'] = os.path.join(card, 'csca')
    emulator = None
    shot = lambda name: desk.screenshot(os.path.join(outdir, name + '.png'))  # noqa: E731
    try:
        desk.gsettings('last-user', "'lan.nguyen'")
        desk.use_serial_scanner()
        desk.start(language)
        desk.find('Nguyễn Thị Lan', 'label')
        time.sleep(1)
        desk.keys('Return')
        time.sleep(2)
        desk.scan_serial(QR)
        desk.find('Đặt thẻ lên đầu đọc' if language == 'vi'
                  else 'Place the Card on the Reader', timeout=20)
        time.sleep(1)
        shot('chip-place-card')
        emulator = subprocess.Popen(['python3', os.path.join(TOP, 'tests/chip/chip-card-emu.py'),
                                     '--port', str(port), '--dir', card,
                                     '--remove-after', '0'],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Mid-read: the step and the progress bar (DG2 takes seconds on vpcd).
        desk.find('Đang đọc ảnh…' if language == 'vi' else 'Reading the photo…', 'label',
                  timeout=30)
        time.sleep(0.5)
        shot('chip-reading')
        desk.find_prefix('Chip đã xác thực' if language == 'vi' else 'Chip verified',
                         timeout=60)
        # The portraits are decoded in a thread after the verdict.
        desk.find('Ảnh trên tờ khai' if language == 'vi' else 'Photo on the declaration',
                  'label', timeout=20)
        time.sleep(2)
        shot('chip-verified')
        desk.quit()
    finally:
        if desk.process is not None and desk.process.poll() is None:
            desk.process.kill()
        for p in (emulator, pcscd):
            if p is not None:
                p.terminate()
                p.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    try:
        main()
    except Exception:
        import traceback
        traceback.print_exc(file=sys.stdout)
        sys.exit(1)
