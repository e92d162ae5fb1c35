#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Contract tests, TAP: docs/portal-api.yaml linted by Redocly; our client's
# requests and the simulator's answers validated by a third-party tool (Prism
# in proxy mode, --errors: any violation becomes an error the client sees);
# and our client against Prism's mock server built from the spec's examples.
#
# Usage: test-contract.sh SPEC PORTAL_SIM   (BHXH_DESKCTL in the environment)
# Node packages: $BHXH_NODE_PREFIX (default ~/.cache/bhxh-desk-node), filled by
#   .ci/install-node-tools (the versions in tests/sync/node/package.json)
set -u

SPEC=$1
SIM=$2
DESKCTL=${BHXH_DESKCTL:?BHXH_DESKCTL is not set}
NODE_PREFIX=${BHXH_NODE_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/bhxh-desk-node}
BIN=$NODE_PREFIX/node_modules/.bin

if ! command -v node >/dev/null 2>&1 || ! command -v npx >/dev/null 2>&1; then
  echo "1..0 # SKIP node/npx not installed"
  exit 0
fi
if ! command -v curl >/dev/null 2>&1; then
  echo "1..0 # SKIP curl not installed (.ci/install-deps installs it)"
  exit 0
fi
BHXH_NODE_PREFIX=$NODE_PREFIX "$(dirname "$0")/../../.ci/install-node-tools" >&2 \
  || { echo "Bail out! npm install failed"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bhxh-contract-XXXXXX")
PIDS=()
cleanup () {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

N=0
FAILED=0
ok () {
  N=$((N + 1))
  if [ "$1" = 0 ]; then echo "ok $N - $2"; else echo "not ok $N - $2"; FAILED=1; fi
}
# json FILE EXPR: a Python expression over the parsed object "j".
json () {
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}
free_port () {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_http () {
  for _ in $(seq 1 150); do
    curl -s -o /dev/null -H 'Authorization: Bearer demo-token' "$1/v1/account" && return 0
    sleep 0.2
  done
  return 1
}
sync () {
  "$DESKCTL" sync "$@" --token-file "$WORK/token" --retries 3 > "$WORK/out.json" 2> "$WORK/err.txt"
}
(umask 077; echo demo-token > "$WORK/token")
echo "1..18"

# 1. Lint.
"$BIN/redocly" lint "$SPEC" > "$WORK/lint.txt" 2>&1
ok $? "redocly lint docs/portal-api.yaml"

# 2-4. Mock mode: the client against the spec's own examples.
MOCK_PORT=$(free_port)
"$BIN/prism" mock "$SPEC" -h 127.0.0.1 -p "$MOCK_PORT" > "$WORK/mock.log" 2>&1 &
PIDS+=($!)
MOCK=http://127.0.0.1:$MOCK_PORT
wait_http "$MOCK"
ok $? "prism mock starts"
sync "$WORK/mock.db" --portal "$MOCK" --pull
rc=$?
ok $(( rc != 0 )) "pull from the mock: exit $rc $(cat "$WORK/err.txt")"
[ "$(json "$WORK/out.json" 'j["pulled"]["declarations"], j["pulled"]["mirror_version"], j["pulled"]["mirror_rows"]')" = "1 2026-11-20.1 2" ]
ok $? "mock: the example declaration and the example snapshot (size and SHA-256 checked) arrive"
"$DESKCTL" decide "$WORK/mock.db" TK01-00106-000001 reject --reason name-mismatch --clerk lan \
  > /dev/null 2>> "$WORK/err.txt"
sync "$WORK/mock.db" --portal "$MOCK" --push
rc=$?
# The mock answers with its example, a result for another UUID: our decision
# has no clear result, so it stays pending and a person is told (exit 1).
[ "$(json "$WORK/out.json" 'j["pushed"]["refused"], j["pushed"]["pending"], len(j["errors"])')" = "0 1 1" ] \
  && ! grep -q "✖" "$WORK/mock.log"
ok $? "mock: the decision batch we send is valid for the spec; without a result for it, it stays pending (exit $rc)"

# 5-13. Proxy mode: Prism validates every request and answer between the
# client and the simulator, and fails them on any violation.
"$SIM" --port 0 --db "$WORK/portal.db" --demo 20 --public-key-file "$WORK/portal.pub" \
  > "$WORK/sim.out" 2> "$WORK/sim.err" &
PIDS+=($!)
for _ in $(seq 1 50); do grep -q listening "$WORK/sim.out" && break; sleep 0.1; done
SIMURL=$(sed -n 's/^listening on //p' "$WORK/sim.out")
PROXY_PORT=$(free_port)
"$BIN/prism" proxy "$SPEC" "$SIMURL" --errors -h 127.0.0.1 -p "$PROXY_PORT" \
  > "$WORK/proxy.log" 2>&1 &
PIDS+=($!)
PROXY=http://127.0.0.1:$PROXY_PORT
wait_http "$PROXY"
ok $? "prism proxy starts in front of the simulator"

sync "$WORK/desk.db" --portal "$PROXY"
rc=$?
[ $rc = 0 ] && [ "$(json "$WORK/out.json" 'j["pulled"]["declarations"], j["pulled"]["mirror_rows"]')" = "20 200" ]
ok $? "proxy: full pull is valid both ways (exit $rc $(cat "$WORK/err.txt"))"

for id in $("$DESKCTL" queue "$WORK/desk.db" --status pending \
            | python3 -c 'import json,sys; print(" ".join(d["id"] for d in json.load(sys.stdin)[:3]))'); do
  "$DESKCTL" decide "$WORK/desk.db" "$id" reject --reason other --clerk lan > /dev/null
done
sync "$WORK/desk.db" --portal "$PROXY" --push
rc=$?
[ $rc = 0 ] && [ "$(json "$WORK/out.json" 'j["pushed"]["acknowledged"]')" = 3 ]
ok $? "proxy: decision batch and per-item results are valid (exit $rc)"

curl -s -X POST -d '{"conflict_rate":1.0}' "$SIMURL/admin/faults" > /dev/null
id=$("$DESKCTL" queue "$WORK/desk.db" --status pending | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
"$DESKCTL" decide "$WORK/desk.db" "$id" reject --reason other --clerk lan > /dev/null
sync "$WORK/desk.db" --portal "$PROXY" --push
rc=$?
[ $rc = 1 ] && [ "$(json "$WORK/out.json" 'j["pushed"]["conflict"], len(j["errors"])')" = "1 0" ]
ok $? "proxy: a conflict result is valid, and needs a person (exit $rc)"

curl -s -X POST -d '{"conflict_rate":0.0,"fail_next":2}' "$SIMURL/admin/faults" > /dev/null
sync "$WORK/desk.db" --portal "$PROXY"
rc=$?
[ $rc = 0 ] && [ "$(json "$WORK/out.json" 'j["retries"] >= 2')" = True ]
ok $? "proxy: 503 answers are valid and retried (exit $rc)"

python3 - "$WORK/v2.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 201):
        name = "Người Đổi Tên" if i == 5 else "Người %d" % i
        f.write(json.dumps({"bhxh_code": "01%08d" % i, "full_name": name,
                            "birth_date": "1980"}, ensure_ascii=False) + "\n")
EOF
curl -s -X POST --data-binary @"$WORK/v2.jsonl" "$SIMURL/admin/mirror?version=v2" > /dev/null
sync "$WORK/desk.db" --portal "$PROXY" --pull
rc=$?
[ $rc = 0 ] && [ "$(json "$WORK/out.json" 'j["pulled"]["mirror_version"], j["pulled"]["mirror_from_delta"]')" = "v2 True" ]
ok $? "proxy: the mirror delta is valid (exit $rc)"

code1=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Authorization: Bearer demo-token' \
  -H 'Content-Type: application/json' -d '{"clerk":"lan"}' "$PROXY/v1/declarations/TK01-00101-000001/claim")
code2=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Authorization: Bearer demo-token' \
  -H 'Content-Type: application/json' -d '{"clerk":"minh"}' "$PROXY/v1/declarations/TK01-00101-000001/claim")
code3=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H 'Authorization: Bearer demo-token' \
  "$PROXY/v1/declarations/TK01-00101-000001/claim?clerk=lan")
[ "$code1 $code2 $code3" = "200 409 204" ]
ok $? "proxy: claim, competing claim and release are valid ($code1 $code2 $code3)"

# Bundles both ways through Prism: the portal's signed inbound bundle, which
# the counter checks against the key it pinned, and the counter's signed
# decision bundle, which the simulator checks against the key the sync
# registered (PUT /v1/workstation/bundle-key, validated above).
got=$(curl -s -o "$WORK/in.bhxh" -w '%{http_code} %{content_type}' \
  -H 'Authorization: Bearer demo-token' "$PROXY/v1/bundles/inbound")
"$DESKCTL" portal set "$WORK/desk.db" --portal-key "$WORK/portal.pub" > /dev/null 2>> "$WORK/err.txt" \
  && "$DESKCTL" bundle import "$WORK/desk.db" "$WORK/in.bhxh" > "$WORK/out.json" 2> "$WORK/err.txt"
rc=$?
[ "$got" = "200 application/vnd.bhxh.bundle" ] && [ $rc = 0 ]
ok $? "proxy: the inbound bundle is valid, signed by the portal's pinned key ($got, exit $rc $(cat "$WORK/err.txt"))"

id=$("$DESKCTL" queue "$WORK/desk.db" --status pending | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
"$DESKCTL" decide "$WORK/desk.db" "$id" reject --reason other --clerk lan > /dev/null
"$DESKCTL" bundle export "$WORK/desk.db" "$WORK/out.bhxh" > /dev/null 2> "$WORK/err.txt"
code=$(curl -s -o "$WORK/results.json" -w '%{http_code}' -X POST -H 'Authorization: Bearer demo-token' \
  -H 'Content-Type: application/vnd.bhxh.bundle' --data-binary @"$WORK/out.bhxh" "$PROXY/v1/bundles")
[ "$code" = 200 ] && [ "$(json "$WORK/results.json" '[r["status"] for r in j["results"]]')" = "['accepted']" ]
ok $? "proxy: the counter's signed decision bundle is valid and taken ($code $(cat "$WORK/err.txt"))"

# A counter that pins the portal's key takes the signed sqlite snapshot
# (MirrorInfo.sqlite, getMirrorSqliteSnapshot). Prism checks the offer and
# the file's answer; it mangles binary bodies, so the counter itself
# downloads from the simulator.
href=$(curl -s -H 'Authorization: Bearer demo-token' "$PROXY/v1/mirror" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["sqlite"]["href"])')
got=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' -H 'Authorization: Bearer demo-token' \
  "$PROXY$href")
"$DESKCTL" portal set "$WORK/desk2.db" --portal-key "$WORK/portal.pub" > /dev/null 2>> "$WORK/err.txt"
sync "$WORK/desk2.db" --portal "$SIMURL" --pull
rc=$?
[ "$got" = "200 application/vnd.sqlite3" ] && [ $rc = 0 ] \
  && [ "$(json "$WORK/out.json" 'j["pulled"]["mirror_version"], j["pulled"]["mirror_format"], j["pulled"]["mirror_from_snapshot"]')" = "v2 sqlite True" ]
ok $? "proxy: the signed sqlite snapshot's offer and file are valid; a counter with the key takes it ($got, exit $rc $(cat "$WORK/err.txt"))"

code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' "$PROXY/v1/account")
[ "$code" = 401 ]
ok $? "proxy: a refused token gives a valid 401 ($code)"

! grep -qiE "violation|✖|⚠" "$WORK/proxy.log"
ok $? "proxy: Prism logged no contract violation, error or warning"

# The control: Prism does reject what breaks the contract (a decision
# without its UUID), where the simulator alone would have answered 200.
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Authorization: Bearer demo-token' \
  -H 'Content-Type: application/json' "$PROXY/v1/decisions/batch" \
  -d '{"decisions":[{"declaration_id":"TK01-00101-000001","outcome":"approve","clerk":"lan","decided_at":"2026-11-20T10:00:00+07:00","reason_codes":[],"override":false}]}')
# Prism may log the refusal just after answering.
for _ in $(seq 1 20); do grep -q UNPROCESSABLE_ENTITY "$WORK/proxy.log" && break; sleep 0.1; done
[ "$code" = 422 ] && grep -q UNPROCESSABLE_ENTITY "$WORK/proxy.log"
ok $? "proxy: Prism rejects a decision without a UUID ($code)"
if [ $FAILED != 0 ]; then
  grep -iE -B2 -A8 "violation|✖|⚠" "$WORK/proxy.log" | head -60 | sed 's/^/# /'
fi
exit 0
