using System.Globalization;
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

    private readonly CtcaeCoder? _givenCoder;
    private readonly Dictionary<string, CtcaeTerm?> _coding = new(StringComparer.Ordinal);

    public ExportSummarizer(CtcaeCoder? coder = null)
    {
        _givenCoder = coder;
    }

    /// <param name="armColumn">The subject file's arm column; by default TRT01A, ACTARM, ARM or ARMCD, the first present.</param>
    /// <param name="supplemental">SUPPAE, for the AETRTEM treatment-emergent flag of SDTM AE rows.</param>
    /// <param name="seriousOnly">Count serious events only (as a serious TEAE table does).</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
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
        var (armOf, subjectRows, outside, died, withdrawnForAe) = ReadSubjects(subjects, subjectsName, armColumn, rejections);
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
        var actionAt = Find(h, "aeacn", "actiontaken");
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

        var counts = new Counts(armOf, died, withdrawnForAe);

        long rows = 0, counted = 0, outsideEvents = 0, notEmergent = 0, coded = 0;
        while (events.TryRead(out var row))
        {
            rows++;
            string Cell(int i) => CellOf(row, i);
            RowRejection Reject(int column, RejectionReason reason, string? detail = null) =>
                new(eventsName, events.RecordNumber, column >= 0 ? events.Header[column] : "(row)", column >= 0 ? CellOf(row, column) : null, reason, detail);

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

            if (!counts.TryFindSubject(subject, out var subjectIndex))
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
            else if (ExportValues.SeverityGrade(Cell(severityAt)) is { } fromSeverity)
            {
                grade = fromSeverity.Value;
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

            var serious = ExportValues.Flag(Cell(seriousAt)) is true;
            if (seriousOnly && !serious)
            {
                continue;
            }

            var related = ExportValues.Flag(Cell(relatedAt)) is not false;
            var fatal = grade == 5 || Cell(outcomeAt).Equals("FATAL", StringComparison.OrdinalIgnoreCase) || ExportValues.Flag(Cell(deathAt)) is true;

            var socText = socAt >= 0 ? Cell(socAt) : "";
            var term = counts.TermIndex(termText, socText, terms == SummaryTerms.Ctcae ? Code : null, out var isCoded);
            if (isCoded)
            {
                coded++;
            }

            var action = Cell(actionAt).ToUpperInvariant();
            var withdrawal = action.Contains("WITHDRAWN", StringComparison.Ordinal) || action.Contains("DISCONTINU", StringComparison.Ordinal);
            var modification = action is "DRUG INTERRUPTED" or "DOSE REDUCED" or "DOSE INCREASED";
            var severe = Cell(severityAt).Equals("SEVERE", StringComparison.OrdinalIgnoreCase);
            counted++;
            counts.Add(subjectIndex, grade, term, (serious ? Flag.Serious : 0) | (related ? Flag.Related : 0) | (fatal ? Flag.Fatal : 0)
                | (withdrawal ? Flag.Withdrawal : 0) | (modification ? Flag.Modification : 0) | (severe ? Flag.Severe : 0)
                | (serious && withdrawal ? Flag.SeriousWithdrawal : 0) | (serious && modification ? Flag.SeriousModification : 0)
                | (related && serious ? Flag.RelatedSerious : 0) | (related && withdrawal ? Flag.RelatedWithdrawal : 0)
                | (related && modification ? Flag.RelatedModification : 0));
        }

        return new ExportSummary(
            counts.ToSummaries(topTerms),
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
            term = (_givenCoder ?? CtcaeCoder.Default).Code(text).Term;
            _coding[text] = term;
        }

        return term;
    }

    private static (Dictionary<string, string> ArmOf, long Rows, HashSet<string> Outside, HashSet<string> Died, HashSet<string> WithdrawnForAe) ReadSubjects(TabularReader subjects, string name, string? armColumn, List<RowRejection> rejections)
    {
        var h = Columns(subjects.Header);
        var subjectAt = Require(h, SubjectColumns, name, "a subject column (USUBJID or subject_id)");
        var armAt = armColumn is null ? Require(h, ArmColumns, name, "an arm column (TRT01A, ACTARM, ARM or ARMCD; or give --arm-column)")
            : Require(h, [ExportValues.NormalizeHeader(armColumn)], name, $"the arm column '{armColumn}'");
        var safetyAt = Find(h, "saffl");
        var dosedAt = Find(h, "rfxstdtc");
        var diedAt = Find(h, "dthfl");
        var reasonAt = Find(h, "dcsreas");
        var died = new HashSet<string>(StringComparer.Ordinal);
        var withdrawnForAe = new HashSet<string>(StringComparer.Ordinal);
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
            var notInArm = arm.Length == 0 || ExportValues.IsNotAnArm(arm);
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
            if (Cell(diedAt).Equals("Y", StringComparison.OrdinalIgnoreCase))
            {
                died.Add(subject);
            }

            if (Cell(reasonAt).Equals("ADVERSE EVENT", StringComparison.OrdinalIgnoreCase))
            {
                withdrawnForAe.Add(subject);
            }
        }

        return (armOf, rows, outside, died, withdrawnForAe);
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

    private static Dictionary<string, int> Columns(IReadOnlyList<string> header)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            columns.TryAdd(ExportValues.NormalizeHeader(header[i]), i);
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

    private static string CellOf(IReadOnlyList<string> row, int index)
    {
        if (index < 0 || index >= row.Count)
        {
            return "";
        }

        var cell = row[index];
        return cell.Length > 0 && (char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[^1])) ? cell.Trim() : cell;
    }

    /// <summary>
    /// The tallies, indexed by integers so each event costs two string look-ups (subject, term) and two set inserts:
    /// a subject is counted once per term and per SOC by a 64-bit (term or SOC, subject) key.
    /// </summary>
    private sealed class Counts
    {
        private readonly Dictionary<string, int> _subjectIndex = new(StringComparer.Ordinal);
        private readonly List<string> _armNames = [];
        private readonly int[] _armOf;
        private readonly int[] _armSize;
        private readonly byte[] _worst;
        private readonly Flag[] _flags;
        private readonly HashSet<string> _died;
        private readonly HashSet<string> _withdrawnForAe;
        private readonly string[] _subjectIds;
        private readonly long[] _events;
        private readonly Dictionary<string, int> _termByText = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Soc, string Term), int> _termBySocAndTerm = [];
        private readonly List<(string Soc, string Term, int SocIndex)> _terms = [];
        private readonly List<bool> _coded = [];
        private readonly Dictionary<string, int> _socIndex = new(StringComparer.Ordinal);
        private readonly List<string> _socs = [];
        private readonly List<long>[] _termEvents;
        private readonly List<long>[] _socEvents;
        private readonly HashSet<long>[] _termSubjects;
        private readonly HashSet<long>[] _socSubjects;

        public Counts(Dictionary<string, string> armOf, HashSet<string> died, HashSet<string> withdrawnForAe)
        {
            _died = died;
            _withdrawnForAe = withdrawnForAe;
            _subjectIds = new string[armOf.Count];
            var arms = armOf.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            _armNames.AddRange(arms);
            var armIndex = arms.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i, StringComparer.Ordinal);
            _armOf = new int[armOf.Count];
            _armSize = new int[arms.Count];
            _worst = new byte[armOf.Count];
            _flags = new Flag[armOf.Count];
            _events = new long[arms.Count];
            foreach (var (subject, arm) in armOf)
            {
                var index = _subjectIndex.Count;
                _subjectIndex[subject] = index;
                _subjectIds[index] = subject;
                _armOf[index] = armIndex[arm];
                _armSize[armIndex[arm]]++;
            }

            _termEvents = [.. arms.Select(_ => new List<long>())];
            _socEvents = [.. arms.Select(_ => new List<long>())];
            _termSubjects = [.. arms.Select(_ => new HashSet<long>())];
            _socSubjects = [.. arms.Select(_ => new HashSet<long>())];
        }

        public bool TryFindSubject(string subject, out int index) => _subjectIndex.TryGetValue(subject, out index);

        /// <summary>The term a row counts under: its CTCAE term when <paramref name="code"/> codes it, else its own term and SOC.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public int TermIndex(string text, string soc, Func<string, CtcaeTerm?>? code, out bool coded)
        {
            if (_termByText.TryGetValue(text, out var index) && (code is not null || _terms[index].Soc == (soc.Length > 0 ? soc : "(no SOC)")))
            {
                coded = _coded[index];
                return index;
            }

            var ctcae = code?.Invoke(text);
            var (termName, socName) = ctcae is not null ? (ctcae.Name, ctcae.Soc) : (text, soc.Length > 0 ? soc : "(no SOC)");
            if (!_termBySocAndTerm.TryGetValue((socName, termName), out index))
            {
                if (!_socIndex.TryGetValue(socName, out var socIndex))
                {
                    socIndex = _socs.Count;
                    _socIndex[socName] = socIndex;
                    _socs.Add(socName);
                }

                index = _terms.Count;
                _terms.Add((socName, termName, socIndex));
                _termBySocAndTerm[(socName, termName)] = index;
                _coded.Add(ctcae is not null);
            }

            _termByText.TryAdd(text, index);
            coded = ctcae is not null;
            return index;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Add(int subject, int grade, int term, Flag flags)
        {
            var arm = _armOf[subject];
            _events[arm]++;
            if (grade > _worst[subject])
            {
                _worst[subject] = (byte)grade;
            }

            _flags[subject] |= flags | Flag.AnyEvent;
            var soc = _terms[term].SocIndex;
            Bump(_termEvents[arm], term);
            Bump(_socEvents[arm], soc);
            _termSubjects[arm].Add(((long)term << 32) | (uint)subject);
            _socSubjects[arm].Add(((long)soc << 32) | (uint)subject);
        }

        private static void Bump(List<long> counts, int index)
        {
            while (counts.Count <= index)
            {
                counts.Add(0);
            }

            counts[index]++;
        }

        public Dictionary<string, ArmSummary> ToSummaries(int top)
        {
            var result = new Dictionary<string, ArmSummary>(StringComparer.Ordinal);
            for (var arm = 0; arm < _armNames.Count; arm++)
            {
                var members = Enumerable.Range(0, _armOf.Length).Where(i => _armOf[i] == arm).ToList();
                var withEvents = members.Where(i => _flags[i].HasFlag(Flag.AnyEvent)).ToList();
                int AtLeast(int grade) => withEvents.Count(i => _worst[i] >= grade);
                int Flagged(Flag flag) => withEvents.Count(i => (_flags[i] & flag) != 0);
                var termSubjects = _termSubjects[arm].GroupBy(k => (int)(k >> 32)).ToDictionary(g => g.Key, g => g.Count());
                var socSubjects = _socSubjects[arm].GroupBy(k => (int)(k >> 32)).ToDictionary(g => g.Key, g => g.Count());
                var termEvents = _termEvents[arm];
                var socEvents = _socEvents[arm];
                var termsOfArm = termSubjects.Keys
                    .Select(t => (Soc: _terms[t].SocIndex, Summary: new TermSummary(_terms[t].Term, termSubjects[t], termEvents[t])))
                    .ToList();
                var bySoc = socSubjects.Keys
                    .Select(s => new SocSummary(_socs[s], socSubjects[s], socEvents[s],
                        [.. termsOfArm.Where(t => t.Soc == s).Select(t => t.Summary).OrderByDescending(t => t.Subjects).ThenBy(t => t.Term, StringComparer.Ordinal)]))
                    .OrderByDescending(s => s.Subjects).ThenBy(s => s.Soc, StringComparer.Ordinal)
                    .ToList();
                var allTerms = termsOfArm.Select(t => t.Summary)
                    .GroupBy(t => t.Term, StringComparer.Ordinal)
                    .Select(g => g.Count() == 1 ? g.First() : new TermSummary(g.Key, SubjectsOfTerm(arm, g.Key), g.Sum(t => t.Events)))
                    .OrderByDescending(t => t.Subjects).ThenByDescending(t => t.Events).ThenBy(t => t.Term, StringComparer.Ordinal)
                    .Take(top)
                    .ToList();
                result[_armNames[arm]] = new ArmSummary
                {
                    Subjects = _armSize[arm],
                    Events = _events[arm],
                    SubjectsWithAnyEvent = withEvents.Count,
                    SubjectsByWorstGrade = Enumerable.Range(1, 5).ToDictionary(g => g.ToString(CultureInfo.InvariantCulture), g => withEvents.Count(i => _worst[i] == g)),
                    SubjectsWithGrade3OrWorse = AtLeast(3),
                    SubjectsWithGrade4OrWorse = AtLeast(4),
                    SubjectsWithGrade5 = AtLeast(5),
                    SubjectsWithSerious = Flagged(Flag.Serious),
                    SubjectsWithRelated = Flagged(Flag.Related),
                    SubjectsWithFatal = Flagged(Flag.Fatal),
                    SubjectsDied = members.Count(i => _died.Contains(_subjectIds[i])),
                    SubjectsWithdrawnFromStudyForAe = members.Count(i => _withdrawnForAe.Contains(_subjectIds[i])),
                    SubjectsWithAeLeadingToWithdrawal = Flagged(Flag.Withdrawal),
                    SubjectsWithAeLeadingToDoseModification = Flagged(Flag.Modification),
                    SubjectsWithSeriousLeadingToWithdrawal = Flagged(Flag.SeriousWithdrawal),
                    SubjectsWithSeriousLeadingToDoseModification = Flagged(Flag.SeriousModification),
                    SubjectsWithRelatedSerious = Flagged(Flag.RelatedSerious),
                    SubjectsWithRelatedLeadingToWithdrawal = Flagged(Flag.RelatedWithdrawal),
                    SubjectsWithRelatedLeadingToDoseModification = Flagged(Flag.RelatedModification),
                    SubjectsWithSevere = Flagged(Flag.Severe),
                    TopTerms = allTerms,
                    BySoc = bySoc,
                };
            }

            return result;
        }

        /// <summary>Subjects with a term that occurs under more than one SOC, each counted once.</summary>
        private int SubjectsOfTerm(int arm, string term)
        {
            var indexes = Enumerable.Range(0, _terms.Count).Where(i => _terms[i].Term == term).ToHashSet();
            return _termSubjects[arm].Where(k => indexes.Contains((int)(k >> 32))).Select(k => unchecked((uint)k)).Distinct().Count();
        }
    }

    /// <summary>What a subject has had at least once, as bits.</summary>
    [Flags]
    private enum Flag
    {
        Serious = 1,
        Related = 2,
        Fatal = 4,
        AnyEvent = 8,
        Withdrawal = 16,
        Modification = 32,
        Severe = 64,
        SeriousWithdrawal = 128,
        SeriousModification = 256,
        RelatedSerious = 512,
        RelatedWithdrawal = 1024,
        RelatedModification = 2048,
    }
}
