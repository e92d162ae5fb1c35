# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the real bhxh-desk through AT-SPI (dogtail), for the end-to-end
test and the screenshot script. Run inside dbus-run-session under Xvfb."""

import json
import os
import subprocess
import tempfile
import time

os.environ['GTK_A11Y'] = 'atspi'

from dogtail import rawinput  # noqa: E402
from dogtail.config import config  # noqa: E402
from dogtail.tree import root  # noqa: E402

config.searchCutoffCount = 40
config.defaultDelay = 0.1
config.typingDelay = 0.0
config.logDebugToStdOut = False
config.logDebugToFile = False

TODAY = '2026-11-23'


class Desk:
    def __init__(self, build_root, workdir, persons=1000):
        self.build_root = build_root
        self.workdir = workdir
        self.deskctl = os.environ.get('BHXH_DESKCTL',
                                      os.path.join(build_root, 'src/cli/bhxh-deskctl'))
        self.binary = os.path.join(build_root, 'src/gui/bhxh-desk')
        self.db = os.path.join(workdir, 'counter.sqlite')
        self.env = dict(os.environ)
        self.env['BHXH_DESK_TODAY'] = TODAY
        self.env['GSETTINGS_SCHEMA_DIR'] = os.path.join(build_root, 'data')
        self.env.pop('GSETTINGS_BACKEND', None)
        subprocess.run([self.deskctl, 'demo', self.db, '--persons', str(persons),
                        '--today', TODAY], check=True, env=self.env,
                       stdout=subprocess.DEVNULL)
        self.payloads = []
        with open(self.db + '-payloads.tsv', encoding='utf-8') as f:
            for line in f:
                decl, case, payload = line.rstrip('\n').split('\t', 2)
                self.payloads.append((decl, case, payload))
        self.process = None
        self.app = None

    def use_serial_scanner(self):
        """A serial (USB CDC) scanner on a pseudo-terminal: the bytes of the
        code arrive exactly, framed by CR LF. Call before start()."""
        import pty
        self.serial_master, slave = pty.openpty()
        self.serial_slave = slave   # kept open so the line stays up
        self.gsettings('scanner-mode', "'serial'")
        self.gsettings('serial-device', repr(os.ttyname(slave)))

    def scan_serial(self, payload):
        os.write(self.serial_master, payload.encode('utf-8') + b'\r\n')

    def gsettings(self, key, value):
        subprocess.run(['gsettings', 'set', 'vn.bhxh.Desk', key, value], check=True,
                       env=self.env)

    def declarations(self, status=None):
        args = [self.deskctl, 'queue', self.db]
        if status:
            args += ['--status', status]
        out = subprocess.run(args, check=True, env=self.env, capture_output=True).stdout
        return json.loads(out)

    def case(self, name, office_prefix='00106', skip=()):
        """The first declaration of a demo case, still pending, at the office tree."""
        pending = {d['id']: d for d in self.declarations('pending')}
        for decl, case, payload in self.payloads:
            if case == name and decl in pending and decl not in skip \
                    and pending[decl]['office_code'].startswith(office_prefix):
                return decl, pending[decl], payload
        raise LookupError(name)

    def start(self, language='en'):
        env = dict(self.env)
        env['LANGUAGE'] = language
        if os.environ.get('BHXH_APP_G_DEBUG'):
            env['G_DEBUG'] = os.environ['BHXH_APP_G_DEBUG']
        self.process = subprocess.Popen([self.binary, '--database', self.db], env=env)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                self.app = root.application('bhxh-desk')
                return self.app
            except Exception:
                time.sleep(0.5)
        raise TimeoutError('bhxh-desk did not appear on the accessibility bus')

    def wait_for(self, predicate, timeout=20, what='condition'):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f'bhxh-desk exited with status {self.process.returncode} '
                                   f'while waiting for {what}')
            try:
                found = predicate()
                if found:
                    return found
            except Exception as e:  # the tree changes under us
                last = e
            time.sleep(0.2)
        raise TimeoutError(f'timed out waiting for {what} ({last})')

    def find(self, name=None, role=None, timeout=20):
        def look():
            return self.app.findChild(lambda n: (name is None or n.name == name)
                                      and (role is None or n.roleName == role),
                                      retry=False, requireResult=False)
        return self.wait_for(look, timeout, f'{role or "node"} “{name}”')

    def find_prefix(self, prefix, role=None, timeout=20):
        def look():
            return self.app.findChild(lambda n: n.name.startswith(prefix)
                                      and (role is None or n.roleName == role),
                                      retry=False, requireResult=False)
        return self.wait_for(look, timeout, f'{role or "node"} starting “{prefix}”')

    def queue_count(self):
        """How many declarations the queue shows, from its "N of M" line."""
        label = self.wait_for(lambda: self.app.findChild(
            lambda n: n.roleName == 'label' and ' of ' in n.name
            and n.name.endswith('declarations'), retry=False, requireResult=False),
            what='the queue count')
        return int(label.name.split()[0])

    def wait_decided(self, declaration_id, status, timeout=20):
        """Until the database holds the decision (read by the CLI, another
        process, while the application runs)."""
        return self.wait_for(
            lambda: declaration_id in {d['id'] for d in self.declarations(status)},
            timeout, f'{declaration_id} {status} in the database')

    def scan(self, payload):
        """What a keyboard-mode scanner does: the code's characters in one
        fast burst, then Enter, wherever the focus is."""
        # AT-SPI types a character missing from the keymap by remapping one
        # spare keycode: without a pause the X server may see the next
        # remapping first and type the wrong letter, so the Vietnamese
        # letters get 20 ms. The average stays a scanner's pace (the burst
        # detector wants under 35 ms); a loaded machine can still break it,
        # and scan_and_open() copes.
        for char in payload:
            rawinput.pressKey(char)
            time.sleep(0.02 if ord(char) > 0x7e else 0.003)
        rawinput.pressKey('Return')

    def type_into_scan_field(self, payload):
        """The scanner typing into the code field (Ctrl+L), at any pace."""
        self.keys('<Control>l')
        self.find('Scanned Code', timeout=10)
        time.sleep(0.5)
        for char in payload:
            rawinput.pressKey(char)
            time.sleep(0.03)
        rawinput.pressKey('Return')

    def scan_and_open(self, payload, declaration_id, serial=False):
        """Scans and waits for the declaration. A loaded machine can stretch
        the AT-SPI keystrokes past a scanner's pace: then once more, and at
        last into the code field, where the pace does not matter."""
        for attempt in range(3):
            if serial:
                self.scan_serial(payload)
            elif attempt < 2:
                self.scan(payload)
            else:
                print('# the burst was not recognised twice (machine under load?): '
                      'typing into the code field', flush=True)
                self.type_into_scan_field(payload)
            self.last_scan_path = ('serial port' if serial else
                                   'keystroke burst' if attempt < 2 else 'code field')
            try:
                # the compare page's subtitle: "Register · <id> · Pending"
                return self.wait_for(lambda: self.app.findChild(
                    lambda n: n.roleName == 'label' and ' · ' + declaration_id + ' · ' in n.name,
                    retry=False, requireResult=False), 10, f'the compare page of {declaration_id}')
            except TimeoutError:
                if attempt == 2 or serial:
                    raise
                print('# the scan was not recognised, scanning again', flush=True)
                self.keys('Escape')
                # what leaked of a broken burst into the search field goes
                self.keys('<Control>f')
                self.keys('BackSpace')

    def keys(self, combo):
        rawinput.keyCombo(combo)

    def screenshot(self, path):
        time.sleep(0.6)
        subprocess.run(['import', '-window', 'root', path], check=True)

    def quit(self):
        if self.process is None:
            return 0
        try:
            rawinput.keyCombo('<Control>q')
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def new_workdir():
    return tempfile.mkdtemp(prefix='bhxh-gui-')
