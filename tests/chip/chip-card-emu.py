#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""An emulated ICAO 9303 ID card on vpcd, the virtual reader of vsmartcard.

Speaks vpcd's socket protocol as vicc does (a 2-byte length, then a control
byte or an APDU) and answers as an eMRTD chip: SELECT of the eMRTD
application, BAC (GET CHALLENGE, EXTERNAL AUTHENTICATE) with keys from the
TD1 MRZ in DG1, then secure messaging (DO87, DO97, DO99, DO8E) for SELECT
and READ BINARY of EF.COM, EF.SOD and the data groups.

When the card directory has cardaccess.bin (EF.CardAccess, short EF 1C,
read in the clear from the master file), the card also speaks PACE
(PACE-ECDH-GM-AES-CBC-CMAC-128 on brainpoolP256r1 or secp256r1: MSE:Set
AT, four GENERAL AUTHENTICATE steps) and then AES secure messaging. With
ca-key.pem it answers chip authentication (MSE:Set KAT for 3DES, MSE:Set
AT + GENERAL AUTHENTICATE for AES) and restarts secure messaging under the
new keys; aa-key.pem is its active authentication key, RSA (ISO/IEC 9796-2)
or EC (ECDSA, r || s, the hash named in aa-hash.txt, else SHA-256).

The ePass emulator of python3-virtualsmartcard 3.3 cannot serve here: on
Debian 12 its modules are outside Python's path, it needs PyCrypto's
"Crypto" (Debian's pycryptodome is "Cryptodome"), its key derivation reads a
passport's TD3 MRZ, and its protected answers omit DO99. This is written
from ICAO 9303 part 11 alone, with python3-cryptography.

usage: chip-card-emu.py --port PORT --dir CARD-DIR [--remove-after N]
  --remove-after N: after N APDUs, the card is taken away (the connection
  to vpcd closes), as a card lifted off the reader in the middle of a read.
CHIP_EMU_TRACE=1 in the environment logs each APDU and its answer to stderr.
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
from cryptography.hazmat.primitives import cmac, hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, utils  # noqa: E402
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402
from cryptography.hazmat.primitives.serialization import load_pem_private_key  # noqa: E402

AID = bytes.fromhex("A0000002471001")
FILES = {0x011E: "com.bin", 0x011D: "sod.bin", 0x0101: "dg1.bin",
         0x0102: "dg2.bin", 0x010D: "dg13.bin", 0x010E: "dg14.bin", 0x010F: "dg15.bin"}
ATR = bytes.fromhex("3B80800101")  # T=1


# The standardized domain parameters of PACE the emulator speaks (ICAO 9303
# part 11 §9.5.1): p, a, b, G, n.
CURVES = {
    12: (0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
         0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC,
         0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
         (0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
          0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5),
         0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551),
    13: (0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377,
         0x7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9,
         0x26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6,
         (0x8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262,
          0x547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997),
         0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7),
}
PACE_GM_AES128 = bytes.fromhex("04007F00070202040202")


class Curve:
    """Affine arithmetic, enough for the generic mapping (G' = s·G + H)."""

    def __init__(self, parameter_id):
        self.p, self.a, self.b, self.g, self.n = CURVES[parameter_id]
        self.size = (self.p.bit_length() + 7) // 8

    def add(self, P, Q):
        p = self.p
        if P is None:
            return Q
        if Q is None:
            return P
        if P[0] == Q[0] and (P[1] + Q[1]) % p == 0:
            return None
        if P == Q:
            slope = (3 * P[0] * P[0] + self.a) * pow(2 * P[1], -1, p) % p
        else:
            slope = (Q[1] - P[1]) * pow(Q[0] - P[0], -1, p) % p
        x = (slope * slope - P[0] - Q[0]) % p
        return (x, (slope * (P[0] - x) - P[1]) % p)

    def mul(self, k, P):
        R = None
        while k:
            if k & 1:
                R = self.add(R, P)
            P = self.add(P, P)
            k >>= 1
        return R

    def encode(self, P):
        return b"\x04" + P[0].to_bytes(self.size, "big") + P[1].to_bytes(self.size, "big")

    def decode(self, data):
        if len(data) != 1 + 2 * self.size or data[0] != 4:
            raise ValueError("bad point")
        P = (int.from_bytes(data[1:1 + self.size], "big"), int.from_bytes(data[1 + self.size:], "big"))
        if (P[1] ** 2 - P[0] ** 3 - self.a * P[0] - self.b) % self.p:
            raise ValueError("point not on the curve")
        return P

    def random_key(self):
        return int.from_bytes(os.urandom(self.size + 8), "big") % (self.n - 1) + 1


def aes_cbc(key, data, encrypt=True, iv=bytes(16)):
    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))
    op = cipher.encryptor() if encrypt else cipher.decryptor()
    return op.update(data) + op.finalize()


def aes_cmac(key, data):
    c = cmac.CMAC(algorithms.AES(key))
    c.update(data)
    return c.finalize()[:8]


def tdes(key, data, encrypt=True, mode=None):
    cipher = Cipher(algorithms.TripleDES(key), mode or modes.CBC(bytes(8)))
    op = cipher.encryptor() if encrypt else cipher.decryptor()
    return op.update(data) + op.finalize()


def pad(data, block=8):
    data += b"\x80"
    while len(data) % block:
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
    """KDF of ICAO 9303 part 11 §9.7.1 for 3DES and AES-128 (SHA-1)."""
    return hashlib.sha1(seed + struct.pack(">I", counter)).digest()[:16]


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    head = bytes([tag >> 8, tag & 0xFF]) if tag > 0xFF else bytes([tag])
    return head + length + value


def parse_tlvs(data):
    out, i = [], 0
    while i < len(data):
        tag = data[i]
        i += 1
        if tag & 0x1F == 0x1F:
            tag = (tag << 8) | data[i]
            i += 1
        n = data[i]
        i += 1
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
        digest = hashlib.sha1(info.encode("ascii")).digest()
        seed = digest[:16]
        self.k_enc, self.k_mac = derive(seed, 1), derive(seed, 2)
        self.k_pi = derive(digest, 3)          # PACE's password key (AES-128)
        self.card_access = self.read_optional(directory, "cardaccess.bin")
        self.aa_key = self.load_key(directory, "aa-key.pem")
        self.ca_key = self.load_key(directory, "ca-key.pem")
        hash_name = self.read_optional(directory, "aa-hash.txt") or b"sha256"
        self.aa_hash = {b"sha1": hashes.SHA1(), b"sha224": hashes.SHA224(), b"sha256": hashes.SHA256(),
                        b"sha384": hashes.SHA384(), b"sha512": hashes.SHA512()}[hash_name.strip()]
        self.reset()

    @staticmethod
    def read_optional(directory, name):
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    @staticmethod
    def load_key(directory, name):
        data = Card.read_optional(directory, name)
        return load_pem_private_key(data, None) if data else None

    def reset(self):
        self.selected_app = False
        self.current = None
        self.rnd_icc = None
        self.ks_enc = self.ks_mac = None
        self.aes = False                         # the session's cipher: AES or 3DES
        self.ssc = 0
        self.pace = None                         # the PACE run under way
        self.card_access_selected = False
        self.ca_oid = None
        self.next_keys = None                    # chip authentication's, after the answer

    def end_sm(self):
        self.ks_enc = self.ks_mac = None
        self.pace = None

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
            self.end_sm()
            return b"\x69\x88"

    def plain(self, apdu):
        ins, p1, p2 = apdu[1], apdu[2], apdu[3]
        if ins == 0xB0 and (p1 & 0x80 or self.card_access_selected):
            # READ BINARY of EF.CardAccess: by its short EF id (which selects
            # it), then at an offset.
            if p1 & 0x80 and ((p1 & 0x1F) != 0x1C or self.card_access is None):
                return b"\x6A\x82"
            self.card_access_selected = True
            offset = p2 if p1 & 0x80 else (p1 << 8) | p2
            le = apdu[4] if len(apdu) > 4 else 0
            return self.card_access[offset:offset + (le or 256)] + b"\x90\x00"
        self.card_access_selected = False
        if ins == 0x22 and p1 == 0xC1 and p2 == 0xA4:
            return self.pace_set_at(apdu[5:5 + apdu[4]])
        if ins == 0x86:
            return self.pace_step(apdu[0], apdu[5:5 + apdu[4]])
        self.pace = None
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

    # ---- PACE (chip side) ----

    def pace_set_at(self, data):
        objects = dict(parse_tlvs(data))
        if self.card_access is None or objects.get(0x80) != PACE_GM_AES128 or \
                objects.get(0x83) != b"\x01" or objects.get(0x84, b"\x00")[0] not in CURVES:
            self.pace = None
            return b"\x6A\x80"
        self.pace = {"curve": Curve(objects[0x84][0]), "step": 0}
        return b"\x90\x00"

    def pace_step(self, cla, data):
        """The four GENERAL AUTHENTICATE steps; 6300 when the terminal's token is wrong."""
        pace = self.pace
        if pace is None:
            return b"\x69\x85"
        curve = pace["curve"]
        objects = dict(parse_tlvs(dict(parse_tlvs(data))[0x7C]))
        step = pace["step"]
        pace["step"] += 1
        if step == 0:
            pace["s"] = int.from_bytes(os.urandom(16), "big")
            z = aes_cbc(self.k_pi, pace["s"].to_bytes(16, "big"))
            return tlv(0x7C, tlv(0x80, z)) + b"\x90\x00"
        if step == 1:
            key = curve.random_key()
            h = curve.mul(key, curve.decode(objects[0x81]))
            pace["g"] = curve.add(curve.mul(pace["s"], curve.g), h)
            return tlv(0x7C, tlv(0x82, curve.encode(curve.mul(key, curve.g)))) + b"\x90\x00"
        if step == 2:
            key = curve.random_key()
            pace["terminal"] = objects[0x83]
            pace["own"] = curve.encode(curve.mul(key, pace["g"]))
            k = curve.mul(key, curve.decode(objects[0x83]))[0].to_bytes(curve.size, "big")
            pace["ks_enc"], pace["ks_mac"] = derive(k, 1), derive(k, 2)
            return tlv(0x7C, tlv(0x84, pace["own"])) + b"\x90\x00"
        if step == 3 and cla == 0x00:
            self.pace = None

            def token(point):
                return aes_cmac(pace["ks_mac"], tlv(0x7F49, tlv(0x06, PACE_GM_AES128) + tlv(0x86, point)))
            if objects.get(0x85) != token(pace["own"]):
                return b"\x63\x00"
            self.ks_enc, self.ks_mac, self.aes, self.ssc = pace["ks_enc"], pace["ks_mac"], True, 0
            self.selected_app = False
            return tlv(0x7C, tlv(0x86, token(pace["terminal"]))) + b"\x90\x00"
        self.pace = None
        return b"\x69\x85"

    # ---- secure messaging ----

    def next_ssc(self):
        size = 16 if self.aes else 8
        self.ssc = (self.ssc + 1) % (1 << (8 * size))
        return self.ssc.to_bytes(size, "big")

    def sm_mac(self, data):
        return aes_cmac(self.ks_mac, pad(data, 16)) if self.aes else mac(self.ks_mac, data)

    def sm_crypt(self, ssc, data, encrypt):
        if not self.aes:
            return tdes(self.ks_enc, data, encrypt=encrypt)
        iv = aes_cbc(self.ks_enc, ssc)             # E(KSenc, SSC)
        return aes_cbc(self.ks_enc, data, encrypt=encrypt, iv=iv)

    def secure(self, apdu):
        block = 16 if self.aes else 8
        header = apdu[:4]
        body = apdu[5:5 + apdu[4]]
        objects = parse_tlvs(body)
        ssc = self.next_ssc()
        data, le, cc, macced = b"", None, None, b""
        for tag, value in objects:
            raw = tlv(tag, value)
            if tag == 0x87:
                data = unpad(self.sm_crypt(ssc, value[1:], False))
                macced += raw
            elif tag == 0x97:
                le = value[0] or 256
                macced += raw
            elif tag == 0x8E:
                cc = value
        if cc is None or self.sm_mac(ssc + pad(header, block) + macced) != cc:
            self.end_sm()
            return b"\x69\x88"
        result, sw = self.file_command(apdu[1], apdu[2], apdu[3], data, le)
        out = b""
        ssc = self.next_ssc()
        if result:
            out += tlv(0x87, b"\x01" + self.sm_crypt(ssc, pad(result, block), True))
        out += tlv(0x99, sw)
        out += tlv(0x8E, self.sm_mac(ssc + out))
        if self.next_keys is not None:         # chip authentication: new keys from now on
            self.ks_enc, self.ks_mac, self.aes = self.next_keys
            self.ssc, self.next_keys = 0, None
        return out + sw

    # ---- chip authentication (chip side) ----

    def ca_agree(self, terminal_public, aes):
        """The new session keys: KDF of x (SK.chip · PK.terminal)."""
        if self.ca_key is None:
            return b"", b"\x6A\x88"
        peer = ec.EllipticCurvePublicKey.from_encoded_point(self.ca_key.curve, terminal_public)
        k = self.ca_key.exchange(ec.ECDH(), peer)
        self.next_keys = (derive(k, 1), derive(k, 2), aes)
        return b"", b"\x90\x00"

    def internal_authenticate(self, challenge):
        """Active authentication: ISO/IEC 9796-2 scheme 1 with SHA-1 (RSA),
        ECDSA in the plain format r || s (EC)."""
        if self.aa_key is None or len(challenge) != 8:
            return b"", b"\x6D\x00"
        if isinstance(self.aa_key, ec.EllipticCurvePrivateKey):
            r, s = utils.decode_dss_signature(self.aa_key.sign(challenge, ec.ECDSA(self.aa_hash)))
            size = (self.aa_key.curve.key_size + 7) // 8
            return r.to_bytes(size, "big") + s.to_bytes(size, "big"), b"\x90\x00"
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
        if ins == 0xA4 and p1 == 0x04:
            self.selected_app = data == AID
            return b"", b"\x90\x00" if self.selected_app else b"\x6A\x82"
        if ins == 0x22 and p1 == 0x41 and p2 == 0xA6:     # MSE:Set KAT (3DES)
            return self.ca_agree(dict(parse_tlvs(data))[0x91], False)
        if ins == 0x22 and p1 == 0x41 and p2 == 0xA4:     # MSE:Set AT (AES)
            self.ca_oid = dict(parse_tlvs(data)).get(0x80)
            return b"", b"\x90\x00" if self.ca_key is not None else b"\x6A\x88"
        if ins == 0x86 and self.ca_oid is not None:
            self.ca_oid = None
            objects = dict(parse_tlvs(dict(parse_tlvs(data))[0x7C]))
            _, sw = self.ca_agree(objects[0x80], True)
            return tlv(0x7C, b""), sw
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
            if os.environ.get("CHIP_EMU_TRACE"):
                sys.stderr.write("> %s\n< %s\n" % (msg.hex(), answer.hex()))
            sock.sendall(struct.pack("!H", len(answer)) + answer)
    except EOFError:
        pass
    finally:
        sock.close()


if __name__ == "__main__":
    main()
