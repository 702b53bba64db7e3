#!/usr/bin/env bash
# Scale-out drill (docs/scale-out.md): `aisctl publish` a file while two `aisctl work` consume it,
# SIGKILL one worker mid-run, start a third, and check that PostgreSQL holds every position
# exactly once. A shell script rather than a YAML scenario: the scenario runner drives one
# in-process run, and this needs several processes and a kill.
#
#   bash scenarios/scale-out.sh [VESSELS] [FIXES]     (defaults 300 x 200 = 60,000 positions)
#
# Uses the machine's servers (NATS_URL, REDIS_URL, PostgreSQL at PGHOST 127.0.0.1 as postgres)
# with a database, Redis prefix, stream and lease bucket of its own, all removed at the end.
# Exit 0 when every position is stored exactly once, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

vessels=${1:-300}
fixes=${2:-200}
id="scaleout_$$"
nats_url=${NATS_URL:-nats://127.0.0.1:4222}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
db_url="postgres://postgres@127.0.0.1:5432/${id}"
work_dir=$(mktemp -d)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  node --input-type=module -e "
    import { connect } from 'nats';
    const nc = await connect({ servers: process.argv[1].split(',') });
    const jsm = await nc.jetstreamManager();
    for (const s of ['AIS_${id}', 'KV_aisctl_leases_${id}']) await jsm.streams.delete(s).catch(() => false);
    await nc.close();" "$nats_url" || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS ${id} WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -u "$redis_url" --scan --pattern "${id}:*" | xargs -r -n 500 redis-cli -u "$redis_url" unlink >/dev/null 2>&1 || true
  rm -rf "$work_dir"
}
trap cleanup EXIT

psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE ${id}"
file="$work_dir/tracks.jsonl"
expected=$(node --import tsx -e "
  import { writeVesselTracks } from './src/testing/vessel-tracks-file.ts';
  console.log(writeVesselTracks(process.argv[1], Number(process.argv[2]), Number(process.argv[3])).positions);" "$file" "$vessels" "$fixes")
node bin/aisctl db migrate --database-url "$db_url" >/dev/null

worker() { # worker NAME
  node bin/aisctl work --env "$id" --nats "$nats_url" --redis-url "$redis_url" --database-url "$db_url" \
    --name "$1" --port 0 --lease-ttl 3s --ack-wait 5s --spool-dir "$work_dir/spool-$1" >"$work_dir/$1.log" 2>&1 &
  pids+=($!)
}
worker wa
wa_pid=${pids[0]}
worker wb
echo "publishing ${expected} positions to stream AIS_${id}; workers wa and wb consume"
node bin/aisctl publish --env "$id" --nats "$nats_url" "$file" >"$work_dir/publish.log" 2>&1 &
publish_pid=$!

stored() { psql -h 127.0.0.1 -U postgres -d "$id" -tAc 'SELECT count(*) FROM vessel_positions'; }
until [ "$(stored)" -gt 0 ]; do sleep 0.2; done
echo "SIGKILL wa with $(stored) of ${expected} positions stored; wc joins"
kill -KILL "$wa_pid"
worker wc
wait "$publish_pid"
head -n 1 "$work_dir/publish.log"

lag() {
  node bin/aisctl doctor --env "$id" --nats "$nats_url" --redis-url "$redis_url" --database-url "$db_url" --json |
    node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{const l=JSON.parse(t).log;console.log(l.partitions.reduce((s,p)=>s+p.pending+p.unacknowledged,0))})'
}
deadline=$((SECONDS + 300))
until [ "$(lag)" = 0 ] && [ "$(stored)" -ge "$expected" ]; do
  if [ $SECONDS -gt $deadline ]; then echo "FAIL: not done after 300 s (lag $(lag), stored $(stored))"; exit 1; fi
  sleep 1
done
read -r rows distinct < <(psql -h 127.0.0.1 -U postgres -d "$id" -tAF ' ' -c 'SELECT count(*), count(DISTINCT (vessel_id, ts)) FROM vessel_positions')
echo "stored ${rows} rows, ${distinct} distinct (vessel, time); expected ${expected}"
grep -h "lease expired\|lease acquired" "$work_dir"/wb.log "$work_dir"/wc.log | tail -n 3 || true
if [ "$rows" = "$expected" ] && [ "$distinct" = "$expected" ]; then echo "PASS: every position stored exactly once"; else echo "FAIL"; exit 1; fi
