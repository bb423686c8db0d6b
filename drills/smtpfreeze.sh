#!/bin/bash
# Hung-SMTP drill: safety run (own Azurite) sending to maildev; maildev frozen (SIGSTOP: TCP accepted, no greeting);
# FILES files each with one treatment-related death dropped; time until all are ingested; maildev thawed; time until
# every reserved message arrived; messages per Message-ID.
set -u
REPO=${REPO:-$(cd "$(dirname "$0")/.." && pwd)}; FILES=${FILES:-10}
D=$(mktemp -d /tmp/smtp.XXXX); cd $D
SAFETY="dotnet $REPO/src/Camrelizumab.Safety.Runner/bin/Debug/net10.0/safety.dll"
node $REPO/node_modules/maildev/dist/bin/maildev.js --ip 127.0.0.1 --web-ip 127.0.0.1 --smtp 21025 --web 21080 --mail-directory $D/mail > maildev.log 2>&1 & MDPID=$!
sleep 3
python3 - <<PY
with open("roster.csv","w") as f:
    f.write("subject_id,arm,randomization_date,first_dose_date\n")
    for s in range(1,21): f.write(f"BJ01-{s:03d},{'CAMRT' if s%2 else 'CAM'},2026-01-05,2026-01-08\n")
for k in range(1,$FILES+1):
    with open(f"death{k}.csv","w") as f:
        f.write("subject_id,ae_id,ctcae_term,grade,serious,related_camrelizumab,related_radiotherapy,onset_date,outcome\n")
        f.write(f"BJ01-{k:03d},{k},Pneumonitis,5,Y,Y,N,2026-03-01,FATAL\n")
PY
SAFETY_Runner__PollSeconds=1 SAFETY_Mail__Smtp__Host=127.0.0.1 SAFETY_Mail__Smtp__Port=21025 SAFETY_Mail__Smtp__Security=None \
  $SAFETY run --data $D/data > run.log 2>&1 & RUNPID=$!
for i in $(seq 1 120); do grep -q "is watching" run.log && break; sleep 1; done
$SAFETY drop roster.csv --data $D/data >/dev/null; sleep 5
kill -STOP $MDPID; FROZE=$(date +%s.%N)
$SAFETY drop death*.csv --data $D/data >/dev/null; DROP=$(date +%s.%N)
for i in $(seq 1 600); do n=$(grep -c "Ingested death" run.log); [ "$n" -ge $FILES ] && break; sleep 0.5; done
ING=$(date +%s.%N)
echo "SMTP frozen; $FILES files dropped; all ingested $(echo "$ING-$DROP"|bc) s after the drop"
sleep 20; kill -CONT $MDPID; THAW=$(date +%s.%N)
EXPECT=$((FILES))
for i in $(seq 1 900); do
  n=$(curl -s http://127.0.0.1:21080/api/email | python3 -c "import json,sys; m=json.load(sys.stdin); print(sum(1 for e in m if 'EXPEDITED' in e.get('subject','')))")
  [ "$n" -ge $EXPECT ] && break; sleep 1; done
DEL=$(date +%s.%N)
echo "thawed; $n expedited emails $(echo "$DEL-$THAW"|bc) s after the thaw"
sleep 20
echo "messages per Message-ID (maildev's .eml files):"; grep -h -i "^message-id" mail/*.eml | sort | uniq -c | awk '{print $1}' | sort | uniq -c | awk '{print "  " $1 " id(s) received " $2 " time(s)"}'
grep -E "failed|Failed|timed|within" run.log | cut -c1-200 | head -8
kill $RUNPID; sleep 3; kill $MDPID; echo "dir $D"
