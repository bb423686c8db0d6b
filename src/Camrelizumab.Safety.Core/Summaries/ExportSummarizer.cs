using System.Globalization;
using System.Text;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Tabular;

namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>
/// Counts an AE export per arm against a subject file, offline: the numbers a safety physician checks a DSMB table
/// against. Subjects are counted once, at their worst grade; events are rows.
/// </summary>
/// <remarks>
/// Population: ADSL <c>SAFFL</c> = Y where the subject file has it; DM screen failures (arm "Screen Failure",
/// "Not Assigned" or empty) and subjects never dosed (empty <c>RFXSTDTC</c>) are not in any arm. Treatment emergence:
/// ADAE <c>TRTEMFL</c> = Y, or SUPPAE <c>AETRTEM</c> = Y keyed by subject and AESEQ; a row with no flag at all counts.
/// Grades: the toxicity grade column (AETOXGR, ATOXGR, grade), else severity mapped mild 1 … fatal 5 as ingest does.
/// Relatedness follows ingest: possible, probable, definite, related, Y are related; none, remote, unlikely, not
/// related, N are not; an empty attribution counts as related (the conservative reading). Fatal: outcome FATAL,
/// AESDTH = Y, or grade 5. Coding is cached per distinct term text, so a million rows code a few hundred terms.
/// </remarks>
public sealed class ExportSummarizer
{
    private static readonly string[] SubjectColumns = ["usubjid", "subjectid", "subject", "subjectkey", "patientid"];
    private static readonly string[] ArmColumns = ["trt01a", "actarm", "arm", "armcd"];
    private static readonly string[] GradeColumns = ["aetoxgr", "atoxgr", "grade", "ctcaegrade"];
    private static readonly string[] SeverityColumns = ["aesev", "asev", "severity"];
    private static readonly string[] ExportTermColumns = ["aedecod", "ctcaeterm", "aeterm", "verbatimterm", "verbatim", "term"];
    private static readonly string[] VerbatimColumns = ["aeterm", "verbatimterm", "verbatim", "aedecod", "ctcaeterm", "term"];
    private static readonly string[] SocColumns = ["aebodsys", "aesoc", "soc"];

    private readonly CtcaeCoder _coder;
    private readonly Dictionary<string, CtcaeTerm?> _coding = new(StringComparer.Ordinal);

    public ExportSummarizer(CtcaeCoder? coder = null)
    {
        _coder = coder ?? CtcaeCoder.Default;
    }

    /// <param name="armColumn">The subject file's arm column; by default TRT01A, ACTARM, ARM or ARMCD, the first present.</param>
    /// <param name="supplemental">SUPPAE, for the AETRTEM treatment-emergent flag of SDTM AE rows.</param>
    /// <param name="seriousOnly">Count serious events only (as a serious TEAE table does).</param>
    public ExportSummary Summarize(
        TabularReader subjects,
        string subjectsName,
        TabularReader events,
        string eventsName,
        string? armColumn = null,
        TabularReader? supplemental = null,
        SummaryTerms terms = SummaryTerms.Ctcae,
        bool seriousOnly = false,
        int topTerms = 10)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(events);
        var rejections = new List<RowRejection>();
        var (armOf, subjectRows, outside) = ReadSubjects(subjects, subjectsName, armColumn, rejections);
        var treatmentEmergent = supplemental is null ? null : ReadSupplemental(supplemental);

        var h = Columns(events.Header);
        var subjectAt = Require(h, SubjectColumns, eventsName, "a subject column (USUBJID or subject_id)");
        var seqAt = Find(h, "aeseq", "aeid", "aespid");
        var gradeAt = Find(h, GradeColumns);
        var severityAt = Find(h, SeverityColumns);
        var temAt = Find(h, "trtemfl");
        var seriousAt = Find(h, "aeser", "serious");
        var relatedAt = Find(h, "aerel", "arel", "related", "relatedcamrelizumab");
        var outcomeAt = Find(h, "aeout", "outcome");
        var deathAt = Find(h, "aesdth");
        var termAt = terms == SummaryTerms.Export ? Find(h, ExportTermColumns) : Find(h, VerbatimColumns);
        var socAt = Find(h, SocColumns);
        if (termAt < 0)
        {
            throw new Text.ExportFormatException("unrecognised-header", $"{eventsName} has no term column (AEDECOD, AETERM, verbatim_term or ctcae_term).", 1);
        }

        if (gradeAt < 0 && severityAt < 0)
        {
            throw new Text.ExportFormatException("unrecognised-header", $"{eventsName} has neither a grade (AETOXGR, grade) nor a severity (AESEV) column.", 1);
        }

        var arms = armOf.Values.Distinct(StringComparer.Ordinal).ToDictionary(a => a, _ => new ArmCounter(), StringComparer.Ordinal);
        foreach (var (subject, arm) in armOf)
        {
            arms[arm].Subjects.Add(subject);
        }

        long rows = 0, counted = 0, outsideEvents = 0, notEmergent = 0, coded = 0;
        while (events.TryRead(out var row))
        {
            rows++;
            var line = events.RecordNumber;
            string Cell(int i) => i >= 0 && i < row.Count ? row[i].Trim() : "";
            RowRejection Reject(int column, RejectionReason reason, string? detail = null) =>
                new(eventsName, line, column >= 0 ? events.Header[column] : "(row)", column >= 0 ? Cell(column) : null, reason, detail);

            if (row.Count != events.Header.Count)
            {
                rejections.Add(Reject(-1, RejectionReason.FieldCountMismatch, FormattableString.Invariant($"Expected {events.Header.Count} fields, found {row.Count}.")));
                continue;
            }

            var subject = Cell(subjectAt);
            if (temAt >= 0 ? !Cell(temAt).Equals("Y", StringComparison.OrdinalIgnoreCase)
                : treatmentEmergent is not null && treatmentEmergent.TryGetValue((subject, Cell(seqAt)), out var flag) && !flag)
            {
                notEmergent++;
                continue;
            }

            if (!armOf.TryGetValue(subject, out var arm))
            {
                if (subject.Length == 0 || !outside.Contains(subject))
                {
                    rejections.Add(Reject(subjectAt, subject.Length == 0 ? RejectionReason.MissingValue : RejectionReason.UnknownSubject));
                }
                else
                {
                    outsideEvents++;
                }

                continue;
            }

            int grade;
            if (Cell(gradeAt) is { Length: > 0 } gradeText)
            {
                if (!CtcaeGrade.TryParse(gradeText, out var parsed))
                {
                    rejections.Add(Reject(gradeAt, RejectionReason.InvalidGrade));
                    continue;
                }

                grade = parsed.Value;
            }
            else if (SeverityGrade(Cell(severityAt)) is { } fromSeverity)
            {
                grade = fromSeverity;
            }
            else
            {
                var column = Cell(severityAt).Length > 0 ? severityAt : gradeAt >= 0 ? gradeAt : severityAt;
                rejections.Add(Reject(column, Cell(severityAt).Length > 0 ? RejectionReason.InvalidSeverity : RejectionReason.MissingValue));
                continue;
            }

            var termText = Cell(termAt);
            if (termText.Length == 0)
            {
                rejections.Add(Reject(termAt, RejectionReason.MissingValue));
                continue;
            }

            var serious = IsYes(Cell(seriousAt));
            if (seriousOnly && !serious)
            {
                continue;
            }

            var related = relatedAt < 0 || Related(Cell(relatedAt));
            var fatal = grade == 5 || Cell(outcomeAt).Equals("FATAL", StringComparison.OrdinalIgnoreCase) || IsYes(Cell(deathAt));

            string term, soc;
            if (terms == SummaryTerms.Ctcae && Code(termText) is { } ctcae)
            {
                (term, soc) = (ctcae.Name, ctcae.Soc);
                coded++;
            }
            else
            {
                (term, soc) = (termText, Cell(socAt) is { Length: > 0 } s ? s : "(no SOC)");
                if (terms == SummaryTerms.Export && Code(termText) is not null)
                {
                    coded++;
                }
            }

            counted++;
            arms[arm].Add(subject, grade, serious, related, fatal, soc, term);
        }

        return new ExportSummary(
            arms.OrderBy(a => a.Key, StringComparer.Ordinal).ToDictionary(a => a.Key, a => a.Value.ToSummary(topTerms), StringComparer.Ordinal),
            subjectRows,
            outside.Count,
            rows,
            counted,
            outsideEvents,
            notEmergent,
            coded,
            rejections.Count,
            rejections);
    }

    private CtcaeTerm? Code(string text)
    {
        if (!_coding.TryGetValue(text, out var term))
        {
            term = _coder.Code(text).Term;
            _coding[text] = term;
        }

        return term;
    }

    private static (Dictionary<string, string> ArmOf, long Rows, HashSet<string> Outside) ReadSubjects(TabularReader subjects, string name, string? armColumn, List<RowRejection> rejections)
    {
        var h = Columns(subjects.Header);
        var subjectAt = Require(h, SubjectColumns, name, "a subject column (USUBJID or subject_id)");
        var armAt = armColumn is null ? Require(h, ArmColumns, name, "an arm column (TRT01A, ACTARM, ARM or ARMCD; or give --arm-column)")
            : Require(h, [Normalize(armColumn)], name, $"the arm column '{armColumn}'");
        var safetyAt = Find(h, "saffl");
        var dosedAt = Find(h, "rfxstdtc");
        var armOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var outside = new HashSet<string>(StringComparer.Ordinal);
        long rows = 0;
        while (subjects.TryRead(out var row))
        {
            rows++;
            string Cell(int i) => i >= 0 && i < row.Count ? row[i].Trim() : "";
            var subject = Cell(subjectAt);
            if (subject.Length == 0)
            {
                rejections.Add(new RowRejection(name, subjects.RecordNumber, subjects.Header[subjectAt], null, RejectionReason.MissingValue));
                continue;
            }

            var arm = Cell(armAt);
            var notInArm = arm.Length == 0 || arm.Equals("Screen Failure", StringComparison.OrdinalIgnoreCase) || arm.Equals("SCRNFAIL", StringComparison.OrdinalIgnoreCase)
                || arm.Equals("Not Assigned", StringComparison.OrdinalIgnoreCase) || arm.Equals("NOTASSGN", StringComparison.OrdinalIgnoreCase);
            if (notInArm || (safetyAt >= 0 && !Cell(safetyAt).Equals("Y", StringComparison.OrdinalIgnoreCase)) || (dosedAt >= 0 && Cell(dosedAt).Length == 0))
            {
                outside.Add(subject);
                continue;
            }

            if (armOf.TryGetValue(subject, out var earlier) && earlier != arm)
            {
                rejections.Add(new RowRejection(name, subjects.RecordNumber, subjects.Header[armAt], arm, RejectionReason.ConflictingDuplicateId, $"The subject is already in arm '{earlier}'."));
                continue;
            }

            armOf[subject] = arm;
        }

        return (armOf, rows, outside);
    }

    /// <summary>SUPPAE AETRTEM by (USUBJID, IDVARVAL) where IDVAR is AESEQ.</summary>
    private static Dictionary<(string, string), bool> ReadSupplemental(TabularReader supp)
    {
        var h = Columns(supp.Header);
        int subjectAt = Find(h, "usubjid"), idVarAt = Find(h, "idvar"), idAt = Find(h, "idvarval"), qnamAt = Find(h, "qnam"), qvalAt = Find(h, "qval");
        var flags = new Dictionary<(string, string), bool>();
        if (subjectAt < 0 || idAt < 0 || qnamAt < 0 || qvalAt < 0)
        {
            throw new Text.ExportFormatException("unrecognised-header", "The supplemental file is not SUPPAE (needs USUBJID, IDVAR, IDVARVAL, QNAM, QVAL).", 1);
        }

        while (supp.TryRead(out var row))
        {
            if (row[qnamAt].Trim() == "AETRTEM" && (idVarAt < 0 || row[idVarAt].Trim() == "AESEQ"))
            {
                flags[(row[subjectAt].Trim(), row[idAt].Trim())] = row[qvalAt].Trim().Equals("Y", StringComparison.OrdinalIgnoreCase);
            }
        }

        return flags;
    }

    private static int? SeverityGrade(string text) => text.ToUpperInvariant() switch
    {
        "MILD" => 1,
        "MODERATE" => 2,
        "SEVERE" => 3,
        "LIFE THREATENING" or "LIFE-THREATENING" => 4,
        "FATAL" or "DEATH" => 5,
        _ => null,
    };

    private static bool IsYes(string text) => text.Equals("Y", StringComparison.OrdinalIgnoreCase) || text.Equals("YES", StringComparison.OrdinalIgnoreCase);

    private static bool Related(string text) => text.ToUpperInvariant() switch
    {
        "" => true,
        "N" or "NO" or "NONE" or "NOT RELATED" or "UNRELATED" or "REMOTE" or "UNLIKELY" or "UNLIKELY RELATED" or "NOT SUSPECTED" => false,
        _ => true,
    };

    private static Dictionary<string, int> Columns(IReadOnlyList<string> header)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            columns.TryAdd(Normalize(header[i]), i);
        }

        return columns;
    }

    private static int Find(Dictionary<string, int> columns, params string[] names)
    {
        foreach (var name in names)
        {
            if (columns.TryGetValue(name, out var index))
            {
                return index;
            }
        }

        return -1;
    }

    private static int Require(Dictionary<string, int> columns, string[] names, string file, string what) =>
        Find(columns, names) is var index and >= 0 ? index
            : throw new Text.ExportFormatException("unrecognised-header", $"{file} has no {what}. Columns: {string.Join(", ", columns.OrderBy(c => c.Value).Select(c => c.Key))}.", 1);

    private static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private sealed class ArmCounter
    {
        private readonly Dictionary<string, int> _worst = new(StringComparer.Ordinal);
        private readonly HashSet<string> _serious = new(StringComparer.Ordinal);
        private readonly HashSet<string> _related = new(StringComparer.Ordinal);
        private readonly HashSet<string> _fatal = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (HashSet<string> Subjects, long Events, Dictionary<string, (HashSet<string> Subjects, long Events)> Terms)> _socs = new(StringComparer.Ordinal);
        private long _events;

        public HashSet<string> Subjects { get; } = new(StringComparer.Ordinal);

        public void Add(string subject, int grade, bool serious, bool related, bool fatal, string soc, string term)
        {
            _events++;
            _worst[subject] = Math.Max(grade, _worst.GetValueOrDefault(subject));
            if (serious)
            {
                _serious.Add(subject);
            }

            if (related)
            {
                _related.Add(subject);
            }

            if (fatal)
            {
                _fatal.Add(subject);
            }

            if (!_socs.TryGetValue(soc, out var s))
            {
                s = (new HashSet<string>(StringComparer.Ordinal), 0, new Dictionary<string, (HashSet<string>, long)>(StringComparer.Ordinal));
            }

            s.Subjects.Add(subject);
            var t = s.Terms.TryGetValue(term, out var found) ? found : (new HashSet<string>(StringComparer.Ordinal), 0);
            t.Subjects.Add(subject);
            s.Terms[term] = (t.Subjects, t.Events + 1);
            _socs[soc] = (s.Subjects, s.Events + 1, s.Terms);
        }

        public ArmSummary ToSummary(int top)
        {
            int AtLeast(int grade) => _worst.Values.Count(g => g >= grade);
            var bySoc = _socs
                .Select(s => new SocSummary(s.Key, s.Value.Subjects.Count, s.Value.Events,
                    [.. s.Value.Terms.Select(t => new TermSummary(t.Key, t.Value.Subjects.Count, t.Value.Events)).OrderByDescending(t => t.Subjects).ThenBy(t => t.Term, StringComparer.Ordinal)]))
                .OrderByDescending(s => s.Subjects).ThenBy(s => s.Soc, StringComparer.Ordinal)
                .ToList();
            var allTerms = _socs.SelectMany(s => s.Value.Terms)
                .GroupBy(t => t.Key, StringComparer.Ordinal)
                .Select(g => new TermSummary(g.Key, g.SelectMany(t => t.Value.Subjects).Distinct(StringComparer.Ordinal).Count(), g.Sum(t => t.Value.Events)))
                .OrderByDescending(t => t.Subjects).ThenByDescending(t => t.Events).ThenBy(t => t.Term, StringComparer.Ordinal)
                .Take(top)
                .ToList();
            return new ArmSummary
            {
                Subjects = Subjects.Count,
                Events = _events,
                SubjectsWithAnyEvent = _worst.Count,
                SubjectsByWorstGrade = Enumerable.Range(1, 5).ToDictionary(g => g.ToString(CultureInfo.InvariantCulture), g => _worst.Values.Count(w => w == g)),
                SubjectsWithGrade3OrWorse = AtLeast(3),
                SubjectsWithGrade4OrWorse = AtLeast(4),
                SubjectsWithGrade5 = AtLeast(5),
                SubjectsWithSerious = _serious.Count,
                SubjectsWithRelated = _related.Count,
                SubjectsWithFatal = _fatal.Count,
                TopTerms = allTerms,
                BySoc = bySoc,
            };
        }
    }
}
