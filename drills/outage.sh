#!/bin/bash
# Storage outage drill: safety run on an external Azurite (persisted), a ROWS-row AE export dropped, Azurite killed
# KILL_AFTER s after the drop for DOWN s, restarted on the same ports and folder. Prints the time from storage back to
# the file processed, and the events stored.
set -u
REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}; ROWS=${ROWS:-20000}; KILL_AFTER=${KILL_AFTER:-8}; DOWN=${DOWN:-15}
D=$(mktemp -d /tmp/outage.XXXX); cd $D
AZ="node $REPO/node_modules/azurite/dist/src/azurite.js --location $D/az --blobHost 127.0.0.1 --blobPort 21000 --queueHost 127.0.0.1 --queuePort 21001 --tableHost 127.0.0.1 --tablePort 21002 --skipApiVersionCheck --disableTelemetry"
KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
CS="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:21000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:21001/devstoreaccount1;TableEndpoint=http://127.0.0.1:21002/devstoreaccount1;"
SAFETY="dotnet $REPO/src/Camrelizumab.Safety.Runner/bin/Debug/net10.0/safety.dll"
$AZ > az1.log 2>&1 & AZPID=$!; sleep 3
python3 - <<PY
rows=$ROWS
with open("roster.csv","w") as f:
    f.write("subject_id,arm,randomization_date,first_dose_date\n")
    for s in range(1,201): f.write(f"BJ01-{s:03d},{'CAMRT' if s%2 else 'CAM'},2026-01-05,2026-01-08\n")
with open("ae.csv","w") as f:
    f.write("subject_id,ae_id,ctcae_term,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,outcome\n")
    for i in range(rows): f.write(f"BJ01-{1+i%200:03d},{i+1},Anemia,{1+i%2},N,Y,N,2026-02-01,\n")
PY
SAFETY_Runner__PollSeconds=1 $SAFETY run --connection-string "$CS" --data $D/data > run.log 2>&1 & RUNPID=$!
sleep 12
$SAFETY drop roster.csv --connection-string "$CS" >/dev/null; sleep 4
$SAFETY drop ae.csv --connection-string "$CS" >/dev/null; DROP=$(date +%s.%N)
sleep $KILL_AFTER; kill -9 $AZPID; DOWNAT=$(date +%s.%N); sleep $DOWN
$AZ > az2.log 2>&1 & AZPID=$!; BACK=$(date +%s.%N)
for i in $(seq 1 600); do
  if grep -q "Ingested ae.csv" run.log; then break; fi; sleep 1; done
DONE=$(date +%s.%N)
echo "rows=$ROWS killed $(echo "$DOWNAT-$DROP"|bc) s after the drop, down ${DOWN} s; storage back -> processed: $(echo "$DONE-$BACK"|bc) s; drop -> processed $(echo "$DONE-$DROP"|bc) s"
grep -E "ae.csv" run.log | grep -vi "debug" | cut -c1-220 | head -20
$SAFETY receipts --connection-string "$CS" 2>&1 | head -8
kill $RUNPID; sleep 2; kill $AZPID; echo "dir $D"
