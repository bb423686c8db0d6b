using System.Globalization;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Tabular;

namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>
/// Counts an AE export per arm against a subject file, offline: the numbers a safety physician checks a DSMB table
/// against. Subjects are counted once, at their worst grade; events are rows.
/// </summary>
/// <remarks>
/// Every cell is read as ingest reads it (<see cref="AeRowReading"/>, with the columns <see cref="ExportLayout"/>
/// recognises): grade or severity, fatal outcome (AEOUT FATAL, AESDTH = Y, a death date, or grade 5), serious,
/// relatedness (camrelizumab, radiotherapy or the generic AEREL/AREL; none reported counts as related), treatment
/// emergence (ADaM <c>TRTEMFL</c>, or SUPPAE <c>AETRTEM</c> = N keyed by subject and AESEQ), and the arm (actual before
/// planned). A row with an empty or unreadable grade, serious or relatedness cell is counted the conservative way and
/// listed in <see cref="ExportSummary.Queries"/>, as ingest stores it with a query. Two choices may differ from the
/// pipeline on purpose: <see cref="SummaryTerms"/> and <see cref="SummaryPopulation"/>; with
/// <see cref="SummaryTerms.Ctcae"/> and <see cref="SummaryPopulation.Roster"/> the per-arm subject counts are the
/// pipeline's. Coding is cached per distinct cell text, so a million rows code a few hundred terms.
/// </remarks>
public sealed class ExportSummarizer
{
    private readonly CtcaeCoder? _givenCoder;

    public ExportSummarizer(CtcaeCoder? coder = null)
    {
        _givenCoder = coder;
    }

    /// <param name="armColumn">The subject file's arm column; by default TRT01A, ACTARM, ACTARMCD, ARM or ARMCD, the first present.</param>
    /// <param name="supplemental">SUPPAE, for the AETRTEM treatment-emergent flag of SDTM AE rows.</param>
    /// <param name="seriousOnly">Count serious events only (as a serious TEAE table does).</param>
    /// <param name="population">Who is in the denominator: the dosed safety population, or the roster as the pipeline keeps it.</param>
    public ExportSummary Summarize(
        TabularReader subjects,
        string subjectsName,
        TabularReader events,
        string eventsName,
        string? armColumn = null,
        TabularReader? supplemental = null,
        SummaryTerms terms = SummaryTerms.Ctcae,
        bool seriousOnly = false,
        int topTerms = 10,
        SummaryPopulation population = SummaryPopulation.Dosed)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(events);
        var rejections = new List<RowRejection>();
        var queries = new List<RowQuery>();
        var (armOf, subjectRows, outside, died, withdrawnForAe) = ReadSubjects(subjects, subjectsName, armColumn, population, rejections);
        var notEmergentBySupplemental = supplemental is null ? null : ReadSupplemental(supplemental);

        var layout = ExportLayout.Of(events.Header, ExportKind.AdverseEvents);
        Require(layout, ExportField.SubjectId, eventsName, "a subject column (USUBJID or subject_id)");
        var subjectAt = layout.IndexOf(ExportField.SubjectId);
        var exportTermField = layout.Has(ExportField.CtcaeTerm) ? ExportField.CtcaeTerm : ExportField.VerbatimTerm;
        if (!layout.Has(ExportField.CtcaeTerm) && !layout.Has(ExportField.VerbatimTerm))
        {
            throw new Text.ExportFormatException("unrecognised-header", $"{eventsName} has no term column (AEDECOD, AETERM, verbatim_term or ctcae_term).", 1);
        }

        if (!layout.Has(ExportField.Grade) && !layout.Has(ExportField.Severity))
        {
            throw new Text.ExportFormatException("unrecognised-header", $"{eventsName} has neither a grade (AETOXGR, grade) nor a severity (AESEV) column.", 1);
        }

        // The coder (its dictionary and synonym tables) is loaded only when counting by CTCAE term.
        var coder = terms == SummaryTerms.Ctcae ? _givenCoder ?? CtcaeCoder.Default : null;
        var termOfCells = new Dictionary<(string?, string?, string?, string?, string?), (int Term, bool Coded)>();
        var counts = new Counts(armOf, died, withdrawnForAe);
        // How rows read, remembered by the cells that decide it (see ReadingFields and TermFields). SUPPAE's flag is
        // keyed by subject and AE id, not by the row's cells, so with it every row is read in full.
        var readings = notEmergentBySupplemental is null ? new CellTextCache<RowReading>(ReadingFields.Select(layout.IndexOf)) : null;
        var termsOfRows = new CellTextCache<(int Term, bool Coded)>(TermFields(terms, exportTermField).Select(layout.IndexOf));

        long rows = 0, counted = 0, outsideEvents = 0, notEmergent = 0, coded = 0;
        while (events.TryReadRecord())
        {
            rows++;
            var line = events.RecordNumber;
            if (events.CellCount != events.Header.Count)
            {
                rejections.Add(new(eventsName, line, "(row)", null, RejectionReason.FieldCountMismatch, FormattableString.Invariant($"Expected {events.Header.Count} fields, found {events.CellCount}.")));
                continue;
            }

            if (readings is not null && readings.TryFind(events, out var reading))
            {
                if (reading.Kind == RowReadingKind.NotEmergent)
                {
                    notEmergent++;
                    continue;
                }

                // A subject the roster does not name is rejected or counted outside the population by the full reading.
                if (counts.TryFindSubject(events.Cell(subjectAt).Trim(), out var knownSubject))
                {
                    if (reading.Kind == RowReadingKind.Skipped)
                    {
                        continue;
                    }

                    if (termsOfRows.TryFind(events, out var knownTerm))
                    {
                        counted++;
                        coded += knownTerm.Coded ? 1 : 0;
                        counts.Add(knownSubject, reading.Grade, knownTerm.Term, reading.Flags);
                        continue;
                    }
                }
            }

            var row = events.Cells;
            var queriesBefore = queries.Count;
            var subject = layout.Value(row, ExportField.SubjectId) ?? "";
            var (emergent, emergentUnreadable) = AeRowReading.Flag(layout, row, ExportField.TreatmentEmergent, unreadableAs: null);
            if (emergent is false || (notEmergentBySupplemental is not null && notEmergentBySupplemental.Contains((subject, layout.Value(row, ExportField.AeId) ?? ""))))
            {
                notEmergent++;
                readings?.Remember(events, new RowReading(RowReadingKind.NotEmergent, 0, 0));
                continue;
            }

            if (!counts.TryFindSubject(subject, out var subjectIndex))
            {
                if (subject.Length == 0 || !outside.Contains(subject))
                {
                    rejections.Add(new(eventsName, line, events.Header[subjectAt], subject.Length == 0 ? null : subject, subject.Length == 0 ? RejectionReason.MissingValue : RejectionReason.UnknownSubject));
                }
                else
                {
                    outsideEvents++;
                }

                continue;
            }

            void Query(QueryKind kind, ExportField field, string? raw, string? detail = null) =>
                queries.Add(new RowQuery(line, subject, layout.Value(row, ExportField.AeId) ?? "", new EventQuery(kind, layout.ColumnName(field), raw, detail)));

            var (serious, seriousUnreadable) = AeRowReading.Flag(layout, row, ExportField.Serious, unreadableAs: true);
            if (seriousOnly && serious is not true)
            {
                readings?.Remember(events, new RowReading(RowReadingKind.Skipped, 0, 0));
                continue;
            }

            var outcome = layout.Value(row, ExportField.Outcome);
            var resultsInDeath = AeRowReading.ResultsInDeath(layout, row);
            var fatalOutcome = AeRowReading.FatalOutcome(outcome, resultsInDeath);
            var grade = AeRowReading.Grade(layout, row, fatalOutcome);
            if (grade.Problem is { } gradeProblem)
            {
                Query(gradeProblem, grade.Field, grade.Raw, $"Counted as grade {grade.Grade.Value}.");
            }

            var (camrelizumab, camUnreadable) = AeRowReading.Flag(layout, row, ExportField.RelatedToCamrelizumab, unreadableAs: true);
            var (radiotherapy, rtUnreadable) = AeRowReading.Flag(layout, row, ExportField.RelatedToRadiotherapy, unreadableAs: true);
            var (studyDrug, drugUnreadable) = AeRowReading.Flag(layout, row, ExportField.RelatedToStudyDrug, unreadableAs: true);
            if (seriousUnreadable || camUnreadable || rtUnreadable || drugUnreadable || emergentUnreadable)
            {
                foreach (var (field, unreadable, kind) in new[]
                {
                    (ExportField.Serious, seriousUnreadable, QueryKind.UnreadableSeriousFlag),
                    (ExportField.RelatedToCamrelizumab, camUnreadable, QueryKind.UnreadableRelatedFlag),
                    (ExportField.RelatedToRadiotherapy, rtUnreadable, QueryKind.UnreadableRelatedFlag),
                    (ExportField.RelatedToStudyDrug, drugUnreadable, QueryKind.UnreadableRelatedFlag),
                    (ExportField.TreatmentEmergent, emergentUnreadable, QueryKind.UnreadableTreatmentEmergentFlag),
                })
                {
                    if (unreadable)
                    {
                        Query(kind, field, layout.Value(row, field), kind == QueryKind.UnreadableTreatmentEmergentFlag ? null : "Counted as Y.");
                    }
                }
            }

            var related = AdverseEvent.TreatmentRelated(AeRowReading.RelatedToCamrelizumab(camrelizumab, studyDrug), radiotherapy);
            var fatal = AdverseEvent.Fatal(grade.Grade.Value, outcome, resultsInDeath);

            int term;
            bool isCoded;
            if (terms == SummaryTerms.Ctcae)
            {
                // Ingest's ladder (AeRowReading.Code), once per distinct code, term, verbatim, grade and SOC cells.
                var cells = (layout.Value(row, ExportField.MedDraCode), layout.Value(row, ExportField.CtcaeTerm), layout.Value(row, ExportField.VerbatimTerm),
                    layout.Value(row, ExportField.Grade), layout.Value(row, ExportField.BodySystem));
                if (!termOfCells.TryGetValue(cells, out var known))
                {
                    var ctcae = AeRowReading.Code(coder!, CtcaeDictionary.V5, layout, row).Term;
                    known = (counts.TermIndex(ctcae, cells.Item3 ?? cells.Item2 ?? AdverseEvent.UncodedLabel, cells.Item5 ?? ""), ctcae is not null);
                    termOfCells[cells] = known;
                }

                (term, isCoded) = known;
            }
            else
            {
                term = counts.TermIndex(layout.Value(row, exportTermField) ?? AdverseEvent.UncodedLabel, layout.Value(row, ExportField.BodySystem) ?? "");
                isCoded = false;
            }

            if (isCoded)
            {
                coded++;
            }

            var action = (layout.Value(row, ExportField.ActionTaken) ?? "").ToUpperInvariant();
            var withdrawal = action.Contains("WITHDRAWN", StringComparison.Ordinal) || action.Contains("DISCONTINU", StringComparison.Ordinal);
            var modification = action is "DRUG INTERRUPTED" or "DOSE REDUCED" or "DOSE INCREASED";
            var severe = string.Equals(layout.Value(row, ExportField.Severity), "SEVERE", StringComparison.OrdinalIgnoreCase);
            var isSerious = serious is true;
            counted++;
            var flags = (isSerious ? Flag.Serious : 0) | (related ? Flag.Related : 0) | (fatal ? Flag.Fatal : 0)
                | (withdrawal ? Flag.Withdrawal : 0) | (modification ? Flag.Modification : 0) | (severe ? Flag.Severe : 0)
                | (isSerious && withdrawal ? Flag.SeriousWithdrawal : 0) | (isSerious && modification ? Flag.SeriousModification : 0)
                | (related && isSerious ? Flag.RelatedSerious : 0) | (related && withdrawal ? Flag.RelatedWithdrawal : 0)
                | (related && modification ? Flag.RelatedModification : 0);
            counts.Add(subjectIndex, grade.Grade.Value, term, flags);
            termsOfRows.Remember(events, (term, isCoded));
            if (queries.Count == queriesBefore)
            {
                // A row with a query is read in full every time: its query names its line.
                readings?.Remember(events, new RowReading(RowReadingKind.Counted, grade.Grade.Value, flags));
            }
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
            rejections)
        {
            Queries = queries,
        };
    }

    private static (Dictionary<string, string> ArmOf, long Rows, HashSet<string> Outside, HashSet<string> Died, HashSet<string> WithdrawnForAe) ReadSubjects(
        TabularReader subjects, string name, string? armColumn, SummaryPopulation population, List<RowRejection> rejections)
    {
        var layout = ExportLayout.Of(subjects.Header, ExportKind.SubjectRoster);
        Require(layout, ExportField.SubjectId, name, "a subject column (USUBJID or subject_id)");
        var armAt = layout.IndexOf(ExportField.Arm);
        if (armColumn is not null)
        {
            armAt = subjects.Header.Select(ExportValues.NormalizeHeader).ToList().IndexOf(ExportValues.NormalizeHeader(armColumn));
            if (armAt < 0)
            {
                throw NoColumn(layout, name, $"the arm column '{armColumn}'");
            }
        }
        else if (armAt < 0)
        {
            throw NoColumn(layout, name, "an arm column (TRT01A, ACTARM, ACTARMCD, ARM or ARMCD; or give --arm-column)");
        }

        var subjectAt = layout.IndexOf(ExportField.SubjectId);
        var died = new HashSet<string>(StringComparer.Ordinal);
        var withdrawnForAe = new HashSet<string>(StringComparer.Ordinal);
        var armOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var outside = new HashSet<string>(StringComparer.Ordinal);
        long rows = 0;
        while (subjects.TryRead(out var row))
        {
            rows++;
            var subject = layout.Value(row, ExportField.SubjectId);
            if (subject is null)
            {
                rejections.Add(new RowRejection(name, subjects.RecordNumber, subjects.Header[subjectAt], null, RejectionReason.MissingValue));
                continue;
            }

            var arm = armAt < row.Count && row[armAt].Trim() is { Length: > 0 } armText ? armText : null;
            if (AeRowReading.Standing(layout, row, arm, requireDose: population == SummaryPopulation.Dosed) != SubjectStanding.InArm)
            {
                outside.Add(subject);
                continue;
            }

            if (armOf.TryGetValue(subject, out var earlier) && earlier != arm)
            {
                rejections.Add(new RowRejection(name, subjects.RecordNumber, subjects.Header[armAt], arm, RejectionReason.ConflictingDuplicateId, $"The subject is already in arm '{earlier}'."));
                continue;
            }

            armOf[subject] = arm!;
            if (string.Equals(layout.Value(row, ExportField.SubjectDied), "Y", StringComparison.OrdinalIgnoreCase))
            {
                died.Add(subject);
            }

            if (string.Equals(layout.Value(row, ExportField.DiscontinuationReason), "ADVERSE EVENT", StringComparison.OrdinalIgnoreCase))
            {
                withdrawnForAe.Add(subject);
            }
        }

        return (armOf, rows, outside, died, withdrawnForAe);
    }

    /// <summary>SUPPAE: the (USUBJID, IDVARVAL) of AEs whose AETRTEM is N, where IDVAR is AESEQ; as ingest, only N keeps an AE out.</summary>
    private static HashSet<(string, string)> ReadSupplemental(TabularReader supp)
    {
        var layout = ExportLayout.Of(supp.Header, ExportKind.SupplementalQualifiers);
        if (!layout.Has(ExportField.SubjectId) || !layout.Has(ExportField.QualifierIdValue) || !layout.Has(ExportField.QualifierName) || !layout.Has(ExportField.QualifierValue))
        {
            throw new Text.ExportFormatException("unrecognised-header", "The supplemental file is not SUPPAE (needs USUBJID, IDVAR, IDVARVAL, QNAM, QVAL).", 1);
        }

        var notEmergent = new HashSet<(string, string)>();
        while (supp.TryRead(out var row))
        {
            if (string.Equals(layout.Value(row, ExportField.QualifierName), "AETRTEM", StringComparison.OrdinalIgnoreCase)
                && (layout.Value(row, ExportField.QualifierIdVariable) ?? "AESEQ").Equals("AESEQ", StringComparison.OrdinalIgnoreCase)
                && ExportValues.Flag(layout.Value(row, ExportField.QualifierValue)) is false)
            {
                notEmergent.Add((layout.Value(row, ExportField.SubjectId) ?? "", layout.Value(row, ExportField.QualifierIdValue) ?? ""));
            }
        }

        return notEmergent;
    }

    /// <summary>The cells the reading of a row looks at, besides its subject, AE id and term (see the loop in
    /// <see cref="Summarize"/> and <see cref="AeRowReading"/>): a field the reading comes to look at must be added here.</summary>
    private static readonly ExportField[] ReadingFields =
    [
        ExportField.TreatmentEmergent, ExportField.Serious, ExportField.Outcome, ExportField.ResultsInDeath, ExportField.DeathDate,
        ExportField.Grade, ExportField.Severity, ExportField.RelatedToCamrelizumab, ExportField.RelatedToRadiotherapy,
        ExportField.RelatedToStudyDrug, ExportField.ActionTaken,
    ];

    /// <summary>The cells the term a row counts under comes from: the coding ladder's (<see cref="AeRowReading.Code"/>,
    /// with the grade as a hint) or the export's own term, and the SOC.</summary>
    private static ExportField[] TermFields(SummaryTerms terms, ExportField exportTermField) => terms == SummaryTerms.Ctcae
        ? [ExportField.MedDraCode, ExportField.CtcaeTerm, ExportField.VerbatimTerm, ExportField.Grade, ExportField.BodySystem]
        : [exportTermField, ExportField.BodySystem];

    /// <summary>What a row amounts to, subject and term aside: left out as not treatment-emergent, skipped (not
    /// serious, when counting serious events only), or counted at a grade with flags.</summary>
    private readonly record struct RowReading(RowReadingKind Kind, int Grade, Flag Flags);

    private enum RowReadingKind
    {
        NotEmergent,
        Skipped,
        Counted,
    }

    private static void Require(ExportLayout layout, ExportField field, string file, string what)
    {
        if (!layout.Has(field))
        {
            throw NoColumn(layout, file, what);
        }
    }

    private static Text.ExportFormatException NoColumn(ExportLayout layout, string file, string what) =>
        new("unrecognised-header", $"{file} has no {what}. Columns: {string.Join(", ", layout.Header.Select(ExportValues.NormalizeHeader))}.", 1);

    /// <summary>
    /// The tallies, indexed by integers so each event costs two string look-ups (subject, term) and two set inserts:
    /// a subject is counted once per term and per SOC by a <see cref="SubjectSet"/> of each (the subject's arm is
    /// looked up when the arms are counted).
    /// </summary>
    private sealed class Counts
    {
        private readonly SubjectIndex _subjectIndex;
        private readonly List<string> _armNames = [];
        private readonly SubjectTally[] _tally;
        private readonly int[] _armSize;
        private readonly HashSet<string> _died;
        private readonly HashSet<string> _withdrawnForAe;
        private readonly string[] _subjectIds;
        private readonly long[] _events;
        private readonly Dictionary<string, int> _termByText = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Soc, string Term), int> _termBySocAndTerm = [];
        private readonly List<(string Soc, string Term, int SocIndex)> _terms = [];
        private readonly Dictionary<string, int> _socIndex = new(StringComparer.Ordinal);
        private readonly List<string> _socs = [];
        private readonly List<long>[] _termEvents;
        private readonly List<long>[] _socEvents;
        private readonly List<SubjectSet> _termSubjects = [];
        private readonly List<SubjectSet> _socSubjects = [];

        public Counts(Dictionary<string, string> armOf, HashSet<string> died, HashSet<string> withdrawnForAe)
        {
            _died = died;
            _withdrawnForAe = withdrawnForAe;
            _subjectIds = new string[armOf.Count];
            var arms = armOf.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            _armNames.AddRange(arms);
            var armIndex = arms.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i, StringComparer.Ordinal);
            _tally = new SubjectTally[armOf.Count];
            _armSize = new int[arms.Count];
            _events = new long[arms.Count];
            var index = 0;
            foreach (var (subject, arm) in armOf)
            {
                _subjectIds[index] = subject;
                _tally[index].Arm = armIndex[arm];
                _armSize[armIndex[arm]]++;
                index++;
            }

            _subjectIndex = new SubjectIndex(_subjectIds);

            _termEvents = [.. arms.Select(_ => new List<long>())];
            _socEvents = [.. arms.Select(_ => new List<long>())];
        }

        public bool TryFindSubject(ReadOnlySpan<char> subject, out int index) => _subjectIndex.TryFind(subject, out index);

        /// <summary>The term a row counts under when counting by the export's own term and SOC (AEDECOD, AEBODSYS).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public int TermIndex(string text, string soc)
        {
            var socName = soc.Length > 0 ? soc : "(no SOC)";
            if (_termByText.TryGetValue(text, out var index) && _terms[index].Soc == socName)
            {
                return index;
            }

            index = Intern(socName, text);
            _termByText.TryAdd(text, index);
            return index;
        }

        /// <summary>The term a row counts under when counting by CTCAE term: its CTCAE term and SOC, or while it awaits
        /// coding its own text and SOC.</summary>
        public int TermIndex(CtcaeTerm? ctcae, string ownText, string soc) =>
            ctcae is not null ? Intern(ctcae.Soc, ctcae.Name) : Intern(soc.Length > 0 ? soc : "(no SOC)", ownText);

        private int Intern(string socName, string termName)
        {
            if (!_termBySocAndTerm.TryGetValue((socName, termName), out var index))
            {
                if (!_socIndex.TryGetValue(socName, out var socIndex))
                {
                    socIndex = _socs.Count;
                    _socIndex[socName] = socIndex;
                    _socs.Add(socName);
                    _socSubjects.Add(new SubjectSet(_tally.Length));
                }

                index = _terms.Count;
                _terms.Add((socName, termName, socIndex));
                _termSubjects.Add(new SubjectSet(_tally.Length));
                _termBySocAndTerm[(socName, termName)] = index;
            }

            return index;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Add(int subject, int grade, int term, Flag flags)
        {
            var arm = _tally[subject].Arm;
            _events[arm]++;
            if (grade > _tally[subject].Worst)
            {
                _tally[subject].Worst = (byte)grade;
            }

            _tally[subject].Flags |= flags | Flag.AnyEvent;
            var soc = _terms[term].SocIndex;
            Bump(_termEvents[arm], term);
            Bump(_socEvents[arm], soc);
            _termSubjects[term].Add(subject);
            _socSubjects[soc].Add(subject);
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
            var termSubjectsByArm = _termSubjects.Select(SubjectsByArm).ToList();
            var socSubjectsByArm = _socSubjects.Select(SubjectsByArm).ToList();
            for (var arm = 0; arm < _armNames.Count; arm++)
            {
                var members = Enumerable.Range(0, _tally.Length).Where(i => _tally[i].Arm == arm).ToList();
                var withEvents = members.Where(i => _tally[i].Flags.HasFlag(Flag.AnyEvent)).ToList();
                int AtLeast(int grade) => withEvents.Count(i => _tally[i].Worst >= grade);
                int Flagged(Flag flag) => withEvents.Count(i => (_tally[i].Flags & flag) != 0);
                var termSubjects = Enumerable.Range(0, _terms.Count).Where(t => termSubjectsByArm[t][arm] > 0).ToDictionary(t => t, t => termSubjectsByArm[t][arm]);
                var socSubjects = Enumerable.Range(0, _socs.Count).Where(s => socSubjectsByArm[s][arm] > 0).ToDictionary(s => s, s => socSubjectsByArm[s][arm]);
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
                    SubjectsByWorstGrade = Enumerable.Range(1, 5).ToDictionary(g => g.ToString(CultureInfo.InvariantCulture), g => withEvents.Count(i => _tally[i].Worst == g)),
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
        private int SubjectsOfTerm(int arm, string term) =>
            Enumerable.Range(0, _terms.Count).Where(i => _terms[i].Term == term)
                .SelectMany(i => _termSubjects[i].Members()).Where(subject => _tally[subject].Arm == arm).Distinct().Count();

        private int[] SubjectsByArm(SubjectSet set)
        {
            var counts = new int[_armNames.Count];
            foreach (var subject in set.Members())
            {
                counts[_tally[subject].Arm]++;
            }

            return counts;
        }
    }

    /// <summary>One subject's arm, worst grade and what it has had, side by side so an event touches one place.</summary>
    private struct SubjectTally
    {
        public int Arm;
        public Flag Flags;
        public byte Worst;
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
