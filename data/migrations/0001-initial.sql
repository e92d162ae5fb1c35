-- SPDX-License-Identifier: GPL-3.0-or-later
-- bhxh-desk local database, schema version 1.
-- Applied in one transaction by bhxh_store_open(); PRAGMA user_version is set
-- by the migration runner, never here.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

-- BHXH offices: a tree by parent_code; the mirror delivers it as data.
CREATE TABLE offices (
  code        TEXT PRIMARY KEY,
  parent_code TEXT,
  name        TEXT NOT NULL,
  valid_from  TEXT,
  valid_to    TEXT
);
CREATE INDEX offices_parent ON offices (parent_code);

CREATE TABLE reason_codes (
  code  TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  position INTEGER NOT NULL
);

INSERT INTO reason_codes (code, label, position) VALUES
  ('id-mismatch',          'Số định danh cá nhân/CCCD không khớp với tờ khai', 1),
  ('name-mismatch',        'Họ và tên không khớp với giấy tờ tùy thân', 2),
  ('birth-date-mismatch',  'Ngày sinh không khớp với giấy tờ tùy thân', 3),
  ('not-in-registry',      'Không tìm thấy trong cơ sở dữ liệu BHXH', 4),
  ('document-unreadable',  'Giấy tờ tùy thân không đọc được hoặc không hợp lệ', 5),
  ('person-absent',        'Người kê khai không đến nộp hồ sơ', 6),
  ('guardian-no-account',  'Cha, mẹ hoặc người giám hộ chưa có tài khoản giao dịch điện tử', 7),
  ('duplicate',            'Tờ khai trùng với tờ khai khác đang xử lý', 8),
  ('expired',              'Tờ khai đã quá hạn 10 ngày kể từ khi xác nhận', 9),
  ('incomplete-form',      'Tờ khai chưa đầy đủ thông tin hoặc chưa ký', 10),
  ('wrong-office',         'Tờ khai gửi sai cơ quan BHXH tiếp nhận', 11),
  ('other',                'Lý do khác (xem ghi chú)', 12);

-- Portal declarations (form 01). Dates are ISO text (YYYY[-MM[-DD]]),
-- timestamps RFC 3339 plus a unix time for ordering.
CREATE TABLE declarations (
  id                  TEXT PRIMARY KEY,
  kind                TEXT NOT NULL CHECK (kind IN ('register', 'adjust', 'stop')),
  status              TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'approved', 'rejected', 'escalated', 'cancelled')),
  office_code         TEXT,
  submitted_at        TEXT,
  submitted_unix      INTEGER,
  confirmed_at        TEXT,
  full_name           TEXT,
  name_folded         TEXT,
  bhxh_code           TEXT,
  id_number           TEXT,
  birth_date          TEXT,
  sex                 TEXT,
  address             TEXT,
  province_code       TEXT,
  district_code       TEXT,
  commune_code        TEXT,
  contact_person      TEXT,
  email               TEXT,
  phone               TEXT,
  cert_number         TEXT,
  cert_issuer         TEXT,
  cert_valid_from     TEXT,
  cert_valid_to       TEXT,
  start_date          TEXT,
  channel             TEXT,
  ivan_name           TEXT,
  stop_reason         TEXT,
  handin              TEXT,
  guardian_bhxh_code  TEXT,
  guardian_id_number  TEXT,
  employer            TEXT,
  decided_locally     INTEGER NOT NULL DEFAULT 0,
  updated_at          TEXT NOT NULL
);
CREATE INDEX declarations_status ON declarations (status, submitted_unix);
CREATE INDEX declarations_office ON declarations (office_code);
CREATE INDEX declarations_name ON declarations (name_folded);
CREATE INDEX declarations_bhxh_code ON declarations (bhxh_code);
CREATE INDEX declarations_id_number ON declarations (id_number);
CREATE INDEX declarations_guardian_id ON declarations (guardian_id_number);

-- Scanned payloads; raw payloads are purged by retention.
CREATE TABLE documents (
  id             INTEGER PRIMARY KEY,
  declaration_id TEXT NOT NULL REFERENCES declarations (id),
  decision_uuid  TEXT REFERENCES decisions (uuid),
  kind           TEXT NOT NULL,
  payload        TEXT,
  scanned_at     TEXT NOT NULL,
  clerk          TEXT NOT NULL
);
CREATE INDEX documents_declaration ON documents (declaration_id);

CREATE TABLE decisions (
  uuid             TEXT PRIMARY KEY,
  declaration_id   TEXT NOT NULL REFERENCES declarations (id),
  outcome          TEXT NOT NULL CHECK (outcome IN ('approve', 'reject', 'escalate')),
  clerk            TEXT NOT NULL,
  decided_at       TEXT NOT NULL,
  decided_day      TEXT NOT NULL,
  reason_codes     TEXT NOT NULL DEFAULT '',
  note             TEXT,
  override         INTEGER NOT NULL DEFAULT 0,
  countersigned_by TEXT,
  mirror_version   TEXT,
  verdict          TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX decisions_declaration ON decisions (declaration_id);
CREATE INDEX decisions_day ON decisions (decided_day);

CREATE TABLE outbox (
  decision_uuid TEXT PRIMARY KEY REFERENCES decisions (uuid),
  state         TEXT NOT NULL
                CHECK (state IN ('pending', 'sending', 'acknowledged', 'refused', 'conflict')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  detail        TEXT,
  seq           INTEGER NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX outbox_state ON outbox (state, seq);

-- E-transaction account changes made locally by approvals; they win over
-- the mirror until the next mirror carries them.
CREATE TABLE accounts (
  bhxh_code     TEXT PRIMARY KEY,
  status        TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'stopped')),
  since         TEXT,
  decision_uuid TEXT NOT NULL REFERENCES decisions (uuid)
);

-- Who viewed and decided what: a SHA-256 hash chain.
CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  object    TEXT,
  detail    TEXT,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);

CREATE TABLE users (
  login        TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  role         TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
  created_at   TEXT NOT NULL
);
