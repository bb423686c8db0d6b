"""The per-arm aggregates of `safety summarize --terms export`, computed with pandas, for `safety bench ingest`.

Reads a subject roster (subject_id, arm) and a flat AE export (subject_id, ae_id, verbatim_term, grade, serious,
related_camrelizumab), counts subjects once at their worst grade, and prints JSON with the same field names.
Peak resident memory goes to stderr as `peak-rss-bytes: N`.
"""
import json
import resource
import sys

import pandas as pd

subjects = pd.read_csv(sys.argv[1], dtype=str)
events = pd.read_csv(sys.argv[2], dtype={"subject_id": str, "ae_id": str, "verbatim_term": str, "serious": str, "related_camrelizumab": str})
events = events.merge(subjects[["subject_id", "arm"]], on="subject_id", how="inner")
worst = events.groupby(["arm", "subject_id"])["grade"].max()

arms = {}
for arm, n in subjects.groupby("arm").size().items():
    e = events[events["arm"] == arm]
    w = worst.loc[arm] if arm in worst.index.get_level_values(0) else pd.Series(dtype=int)
    top = e.groupby("verbatim_term")["subject_id"].nunique().sort_values(ascending=False, kind="stable").head(10)
    arms[arm] = {
        "subjects": int(n),
        "events": int(len(e)),
        "subjectsWithAnyEvent": int(len(w)),
        "subjectsByWorstGrade": {str(g): int((w == g).sum()) for g in range(1, 6)},
        "subjectsWithGrade3OrWorse": int((w >= 3).sum()),
        "subjectsWithGrade4OrWorse": int((w >= 4).sum()),
        "subjectsWithGrade5": int((w == 5).sum()),
        "subjectsWithFatal": int((w == 5).sum()),
        "subjectsWithSerious": int(e.loc[e["serious"] == "Y", "subject_id"].nunique()),
        "subjectsWithRelated": int(e.loc[e["related_camrelizumab"] != "N", "subject_id"].nunique()),
        "topTerms": [{"term": t, "subjects": int(s)} for t, s in top.items()],
    }

print(json.dumps({"arms": arms}))
print(f"peak-rss-bytes: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}", file=sys.stderr)
