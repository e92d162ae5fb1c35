#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An emulated ICAO 9303 ID card on vpcd, the virtual reader of vsmartcard.

Speaks vpcd's socket protocol as vicc does (a 2-byte length, then a control
byte or an APDU) and answers as an eMRTD chip: SELECT of the eMRTD
application, BAC (GET CHALLENGE, EXTERNAL AUTHENTICATE) with keys from the
TD1 MRZ in DG1, then secure messaging (DO87, DO97, DO99, DO8E) for SELECT
and READ BINARY of EF.COM, EF.SOD and the data groups.

The ePass emulator of python3-virtualsmartcard 3.3 cannot serve here: on
Debian 12 its modules are outside Python's path, it needs PyCrypto's
"Crypto" (Debian's pycryptodome is "Cryptodome"), its key derivation reads a
passport's TD3 MRZ, and its protected answers omit DO99. This is written
from ICAO 9303 part 11 alone, with python3-cryptography.

usage: chip-card-emu.py --port PORT --dir CARD-DIR [--remove-after N]
  --remove-after N: after N APDUs, the card is taken away (the connection
  to vpcd closes), as a card lifted off the reader in the middle of a read.
"""

import argparse
import hashlib
import os
import socket
import struct
import sys
import time
import warnings

warnings.simplefilter("ignore")
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402

AID = bytes.fromhex("A0000002471001")
FILES = {0x011E: "com.bin", 0x011D: "sod.bin", 0x0101: "dg1.bin",
         0x0102: "dg2.bin", 0x010D: "dg13.bin", 0x010F: "dg15.bin"}
ATR = bytes.fromhex("3B80800101")  # T=1


def tdes(key, data, encrypt=True, mode=None):
    cipher = Cipher(algorithms.TripleDES(key), mode or modes.CBC(bytes(8)))
    op = cipher.encryptor() if encrypt else cipher.decryptor()
    return op.update(data) + op.finalize()


def pad(data):
    data += b"\x80"
    while len(data) % 8:
        data += b"\x00"
    return data


def unpad(data):
    data = data.rstrip(b"\x00")
    if not data.endswith(b"\x80"):
        raise ValueError("bad padding")
    return data[:-1]


def mac(key, data):
    """ISO/IEC 9797-1 MAC algorithm 3 with padding method 2."""
    data = pad(data)
    ka, kb = key[:8], key[8:16]
    h = bytes(8)
    for i in range(0, len(data), 8):
        block = bytes(a ^ b for a, b in zip(h, data[i:i + 8]))
        h = tdes(ka, block, mode=modes.ECB())
    h = tdes(kb, h, encrypt=False, mode=modes.ECB())
    return tdes(ka, h, mode=modes.ECB())


def derive(seed, counter):
    return hashlib.sha1(seed + struct.pack(">I", counter)).digest()[:16]


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return bytes([tag]) + length + value


def parse_tlvs(data):
    out, i = [], 0
    while i < len(data):
        tag, n = data[i], data[i + 1]
        i += 2
        if n & 0x80:
            count = n & 0x7F
            n = int.from_bytes(data[i:i + count], "big")
            i += count
        out.append((tag, data[i:i + n]))
        i += n
    return out


class Card:
    def __init__(self, directory):
        self.files = {}
        for fid, name in FILES.items():
            path = os.path.join(directory, name)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    self.files[fid] = f.read()
        dg1 = self.files[0x0101]
        mrz = dg1[5:].decode("ascii")      # 61 5B 5F1F 5A, then TD1: 3 x 30
        line1, line2 = mrz[0:30], mrz[30:60]
        info = line1[5:15] + line2[0:7] + line2[8:15]
        seed = hashlib.sha1(info.encode("ascii")).digest()[:16]
        self.k_enc, self.k_mac = derive(seed, 1), derive(seed, 2)
        self.aa_key = None
        key_path = os.path.join(directory, "aa-key.pem")
        if os.path.exists(key_path):
            from cryptography.hazmat.primitives.serialization import load_pem_private_key
            with open(key_path, "rb") as f:
                self.aa_key = load_pem_private_key(f.read(), None)
        self.reset()

    def reset(self):
        self.selected_app = False
        self.current = None
        self.rnd_icc = None
        self.ks_enc = self.ks_mac = None
        self.ssc = 0

    def execute(self, apdu):
        try:
            if apdu[0] == 0x0C and self.ks_mac is not None:
                return self.secure(apdu)
            if apdu[0] == 0x0C:
                return b"\x69\x88"
            self.ks_enc = self.ks_mac = None    # a plain command ends SM
            return self.plain(apdu)
        except Exception as e:                  # a malformed command
            sys.stderr.write("chip-card-emu: %r\n" % e)
            self.ks_enc = self.ks_mac = None
            return b"\x69\x88"

    def plain(self, apdu):
        ins, p1 = apdu[1], apdu[2]
        if ins == 0xA4 and p1 == 0x04:
            self.selected_app = apdu[5:5 + apdu[4]] == AID
            return b"\x90\x00" if self.selected_app else b"\x6A\x82"
        if not self.selected_app:
            return b"\x69\x82"
        if ins == 0x84:
            self.rnd_icc = os.urandom(8)
            return self.rnd_icc + b"\x90\x00"
        if ins == 0x82:
            return self.external_authenticate(apdu[5:5 + apdu[4]])
        return b"\x69\x82"                       # files need BAC

    def external_authenticate(self, data):
        if self.rnd_icc is None or len(data) != 40 or mac(self.k_mac, data[:32]) != data[32:]:
            return b"\x63\x00"
        s = tdes(self.k_enc, data[:32], encrypt=False)
        rnd_ifd, k_ifd = s[:8], s[16:32]
        if s[8:16] != self.rnd_icc:
            return b"\x63\x00"
        k_icc = os.urandom(16)
        e_icc = tdes(self.k_enc, self.rnd_icc + rnd_ifd + k_icc)
        seed = bytes(a ^ b for a, b in zip(k_ifd, k_icc))
        self.ks_enc, self.ks_mac = derive(seed, 1), derive(seed, 2)
        self.ssc = int.from_bytes(self.rnd_icc[4:] + rnd_ifd[4:], "big")
        self.rnd_icc = None
        return e_icc + mac(self.k_mac, e_icc) + b"\x90\x00"

    def next_ssc(self):
        self.ssc = (self.ssc + 1) % (1 << 64)
        return self.ssc.to_bytes(8, "big")

    def secure(self, apdu):
        header = apdu[:4]
        body = apdu[5:5 + apdu[4]]
        objects = parse_tlvs(body)
        data, le, cc, macced = b"", None, None, b""
        for tag, value in objects:
            raw = tlv(tag, value)
            if tag == 0x87:
                data = unpad(tdes(self.ks_enc, value[1:], encrypt=False))
                macced += raw
            elif tag == 0x97:
                le = value[0] or 256
                macced += raw
            elif tag == 0x8E:
                cc = value
        ssc = self.next_ssc()
        if cc is None or mac(self.ks_mac, ssc + pad(header) + macced) != cc:
            self.ks_enc = self.ks_mac = None
            return b"\x69\x88"
        result, sw = self.file_command(apdu[1], apdu[2], apdu[3], data, le)
        out = b""
        if result:
            out += tlv(0x87, b"\x01" + tdes(self.ks_enc, pad(result)))
        out += tlv(0x99, sw)
        ssc = self.next_ssc()
        out += tlv(0x8E, mac(self.ks_mac, ssc + out))
        return out + sw

    def internal_authenticate(self, challenge):
        """Active authentication: ISO/IEC 9796-2 scheme 1 with SHA-1."""
        if self.aa_key is None or len(challenge) != 8:
            return b"", b"\x6D\x00"
        numbers = self.aa_key.private_numbers()
        n, d = numbers.public_numbers.n, numbers.d
        k = (n.bit_length() + 7) // 8
        m1 = os.urandom(k - 20 - 2)
        digest = hashlib.sha1(m1 + challenge).digest()
        f = int.from_bytes(b"\x6A" + m1 + digest + b"\xBC", "big")
        return pow(f, d, n).to_bytes(k, "big"), b"\x90\x00"

    def file_command(self, ins, p1, p2, data, le):
        if ins == 0x88:
            return self.internal_authenticate(data)
        if ins == 0xA4 and p1 == 0x02:
            fid = int.from_bytes(data[:2], "big")
            if fid not in self.files:
                return b"", b"\x6A\x82"
            self.current = fid
            return b"", b"\x90\x00"
        if ins == 0xB0:
            if self.current is None:
                return b"", b"\x69\x86"
            offset = (p1 << 8) | p2
            content = self.files[self.current]
            if offset >= len(content):
                return b"", b"\x6B\x00"
            chunk = content[offset:offset + (le or 256)]
            return chunk, b"\x90\x00" if len(chunk) == (le or 256) else b"\x62\x82"
        return b"", b"\x6D\x00"


def connect(port):
    deadline = time.monotonic() + 20
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--remove-after", type=int, default=0)
    args = parser.parse_args()

    card = Card(args.dir)
    sock = connect(args.port)
    apdus = 0
    try:
        while True:
            (size,) = struct.unpack("!H", recv_exact(sock, 2))
            msg = recv_exact(sock, size) if size else b""
            if size == 1:
                if msg[0] in (0, 1, 2):          # power off, on, reset
                    card.reset()
                elif msg[0] == 4:                # the ATR
                    sock.sendall(struct.pack("!H", len(ATR)) + ATR)
                continue
            apdus += 1
            if args.remove_after and apdus > args.remove_after:
                break                            # lifted off the reader
            answer = card.execute(msg)
            sock.sendall(struct.pack("!H", len(answer)) + answer)
    except EOFError:
        pass
    finally:
        sock.close()


if __name__ == "__main__":
    main()
