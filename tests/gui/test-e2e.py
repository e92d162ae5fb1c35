#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end through AT-SPI: sign in, scan a demo citizen's card with a
serial scanner (a pseudo-terminal: the bytes arrive exactly), check the
compare view, approve; scan another as a keyboard-mode scanner types it
(a keystroke burst anywhere in the window) and reject it with a reason;
then "Sync now" sends both to the portal simulator; then check the
database. TAP output."""

import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bhxh_drive  # noqa: E402
from dogtail import rawinput  # noqa: E402

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
    print('1..15', flush=True)
    sim = subprocess.Popen([os.path.join(build_root, 'src/portal-sim/bhxh-portal-sim'),
                            '--port', '0', '--token', 'e2e-token', '--office', '00106',
                            '--demo-data', '1000'], stdout=subprocess.PIPE, text=True)
    try:
        url = re.search(r'http://\S+', sim.stdout.readline()).group(0)
        token_file = os.path.join(workdir, 'portal-token')
        # Private to its owner: a token file others can read is refused.
        with open(os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 'w') as f:
            f.write('e2e-token\n')
        desk.gsettings('portal-url', repr(url))
        desk.gsettings('portal-token-file', repr(token_file))
        approve_id, approve_decl, approve_payload = desk.case('clean')
        reject_id, reject_decl, reject_payload = desk.case('clean', skip=(approve_id,))
        undo_id, undo_decl, undo_payload = desk.case('clean', skip=(approve_id, reject_id))
        bare_id, bare_decl, _ = desk.case('clean', skip=(approve_id, reject_id, undo_id))
        desk.gsettings('last-user', "'lan.nguyen'")
        desk.gsettings('undo-seconds', '1')
        desk.use_serial_scanner()
        desk.start()

        row = desk.find('Nguyễn Thị Lan', 'label')
        ok(row is not None, 'the sign-in page lists the demo clerk')
        desk.keys('Return')
        count = desk.queue_count()
        ok(count > 0, f'signed in, the queue shows {count} open declarations')

        time.sleep(1)
        desk.scan_and_open(approve_payload, approve_id, serial=True)
        name = desk.find(approve_decl['full_name'], 'label')
        verdict = desk.find('Can be approved', 'label')
        ok(name is not None and verdict is not None,
           'the serial scan opened the matching declaration: can be approved')
        ok(desk.app.findChild(lambda n: n.name == 'Match', retry=False,
                              requireResult=False) is not None,
           'fields are shown with their level in words')

        desk.keys('<Control>Return')
        desk.wait_decided(approve_id, 'approved')
        ok(True, 'Ctrl+Enter approved: recorded at once, held for the undo window')

        desk.keys('<Control>p')
        desk.wait_for(lambda: any(w.name.startswith('Print ') for w in desk.app.children), 30,
                      'the print dialog')
        ok(any(w.name == 'Print Receipt ' + approve_id for w in desk.app.children),
           'Ctrl+P rendered the receipt and opened the print dialog, titled with the paper')
        desk.keys('Escape')
        desk.wait_for(lambda: all(not w.name.startswith('Print ') for w in desk.app.children),
                      10, 'the print dialog to close')

        # The declaration is found by the ID number's digits even if a loaded
        # machine garbles a Vietnamese letter of the typed name.
        # Undo: the decision is recorded at once and held for the window;
        # Ctrl+Z withdraws it.
        desk.gsettings('undo-seconds', '30')
        desk.scan_and_open(undo_payload, undo_id, serial=True)
        desk.find('Can be approved', 'label')
        desk.keys('<Control>Return')
        time.sleep(1)
        desk.keys('<Control>z')
        desk.wait_for(lambda: desk.app.findChild(
            lambda n: n.roleName == 'label' and ' · ' + undo_id + ' · ' in n.name,
            retry=False, requireResult=False), 10, 'the undone declaration back on screen')
        time.sleep(1)
        ok(undo_id in {d['id'] for d in desk.declarations('pending')},
           'Ctrl+Z undid the approval: the declaration is open again, the decision withdrawn')
        desk.gsettings('undo-seconds', '1')

        # Opened from the queue, nothing scanned: the rules refuse an
        # approval and an escalation that says nothing.
        desk.keys('Escape')
        desk.keys('<Control>f')
        time.sleep(0.5)
        for char in bare_decl['id_number']:
            rawinput.pressKey(char)
            time.sleep(0.08)      # a person typing, not a scanner burst
        time.sleep(1)             # the search field's own delay
        rawinput.pressKey('Return')
        desk.wait_for(lambda: desk.app.findChild(
            lambda n: n.roleName == 'label' and ' · ' + bare_id + ' · ' in n.name,
            retry=False, requireResult=False), 15, f'the compare page of {bare_id}')
        desk.keys('<Control>Return')
        refused = desk.find('Scan the Document First', timeout=10)
        desk.keys('Escape')
        time.sleep(0.5)
        ok(refused is not None and bare_id in {d['id'] for d in desk.declarations('pending')},
           'approve with nothing scanned is refused: scan the document or escalate')
        desk.keys('<Control>e')
        desk.find('Send to a Supervisor', timeout=10)
        time.sleep(0.5)
        desk.keys('<Control>Return')
        said = desk.find('Choose a reason or write what the supervisor should look at.',
                         timeout=10)
        desk.keys('Escape')
        time.sleep(0.5)
        ok(said is not None and bare_id in {d['id'] for d in desk.declarations('pending')},
           'an escalation without a reason or a note is refused')
        desk.keys('Escape')

        desk.scan_and_open(reject_payload, reject_id)
        ok(True, f'a keyboard-mode scan opened the second declaration ({desk.last_scan_path})')
        desk.keys('<Control>r')
        dialog_title = desk.find('Reject the Declaration', timeout=10)
        ok(dialog_title is not None, 'Ctrl+R opened the reject dialog')
        desk.find(None, 'check box')
        time.sleep(0.5)
        desk.keys('space')    # the first reason has the focus
        desk.keys('<Control>Return')
        desk.wait_decided(reject_id, 'rejected')
        ok(True, 'rejected with a reason')

        desk.keys('F5')
        desk.find('0 decisions not sent', 'label', timeout=30)
        ok(True, 'F5 synced both decisions to the portal: none left to send')
        code = desk.quit()
        ok(code == 0, f'the application quit cleanly (exit {code})')

        approved = {d['id'] for d in desk.declarations('approved')}
        rejected = {d['id'] for d in desk.declarations('rejected')}
        ok(approve_id in approved and reject_id in rejected,
           'the database holds the approval and the rejection')
    finally:
        if desk.process is not None and desk.process.poll() is None:
            desk.process.kill()
        sim.terminate()
        sim.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # report, TAP-style
        print(f'# {e}', flush=True)
        sys.exit(1)
