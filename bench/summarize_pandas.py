"""The per-arm aggregates of `safety summarize --terms export`, computed with pandas, for `safety bench ingest`.

Reads a subject roster and an AE export (CSV, quoted fields and embedded newlines allowed) and prints JSON with the
field names `safety summarize --json` uses. Per arm (the roster's arm column, each subject once):
- subjects: subjects in the roster with that arm;
- events: AE rows whose subject is in the arm (rows of unknown subjects are left out, as summarize rejects them);
- subjectsWithAnyEvent and subjectsByWorstGrade "1".."5": subjects counted once, at their worst grade;
- subjectsWithGrade3OrWorse / 4OrWorse / Grade5; subjectsWithFatal (worst grade 5: the generated exports mark a fatal
  outcome exactly on grade-5 rows);
- subjectsWithSerious: subjects with a row whose serious cell is Y;
- subjectsWithRelated: subjects with a row whose relatedness cell is not a "not related" answer (N, NOT RELATED,
  UNLIKELY RELATED: summarize counts any other or missing answer as related);
- topTerms: the term column's values by distinct subjects, then events, then name, the first --top.
Only the named columns are parsed into frames (usecols), the fastest way pandas offers. The generated exports hold no
leading or trailing spaces, empty grades or unknown answers, so no trimming or imputation is needed for the figures to
be summarize's. Peak resident memory goes to stderr as `peak-rss-bytes: N`.
"""
import argparse
import json
import resource
import sys

import pandas as pd

NOT_RELATED = ["N", "NOT RELATED", "UNLIKELY RELATED"]

parser = argparse.ArgumentParser()
parser.add_argument("subjects")
parser.add_argument("events")
parser.add_argument("--subject", default="subject_id")
parser.add_argument("--arm", default="arm")
parser.add_argument("--term", default="verbatim_term")
parser.add_argument("--grade", default="grade")
parser.add_argument("--serious", default="serious")
parser.add_argument("--related", default="related_camrelizumab")
parser.add_argument("--top", type=int, default=10)
a = parser.parse_args()

subjects = pd.read_csv(a.subjects, usecols=[a.subject, a.arm], dtype=str).rename(columns={a.subject: "subject", a.arm: "arm"})
events = pd.read_csv(a.events, usecols=[a.subject, a.term, a.grade, a.serious, a.related],
                     dtype={a.subject: str, a.term: str, a.grade: "int8", a.serious: str, a.related: str})
events = events.rename(columns={a.subject: "subject", a.term: "term", a.grade: "grade", a.serious: "serious", a.related: "related"})
events = events.merge(subjects, on="subject", how="inner")
worst = events.groupby(["arm", "subject"])["grade"].max()

arms = {}
for arm, n in subjects.groupby("arm").size().items():
    e = events[events["arm"] == arm]
    w = worst.loc[arm] if arm in worst.index.get_level_values(0) else pd.Series(dtype=int)
    by_term = e.groupby("term").agg(subjects=("subject", "nunique"), events=("subject", "size")).reset_index()
    top = by_term.sort_values(["subjects", "events", "term"], ascending=[False, False, True], kind="stable").head(a.top)
    arms[arm] = {
        "subjects": int(n),
        "events": int(len(e)),
        "subjectsWithAnyEvent": int(len(w)),
        "subjectsByWorstGrade": {str(g): int((w == g).sum()) for g in range(1, 6)},
        "subjectsWithGrade3OrWorse": int((w >= 3).sum()),
        "subjectsWithGrade4OrWorse": int((w >= 4).sum()),
        "subjectsWithGrade5": int((w == 5).sum()),
        "subjectsWithFatal": int((w == 5).sum()),
        "subjectsWithSerious": int(e.loc[e["serious"] == "Y", "subject"].nunique()),
        "subjectsWithRelated": int(e.loc[~e["related"].isin(NOT_RELATED), "subject"].nunique()),
        "topTerms": [{"term": t, "subjects": int(s), "events": int(v)} for t, s, v in zip(top["term"], top["subjects"], top["events"])],
    }

print(json.dumps({"arms": arms}))
print(f"peak-rss-bytes: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}", file=sys.stderr)
