using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Grading;
using Camrelizumab.Safety.Core.Queries;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Core.Subjects;
using Camrelizumab.Safety.Core.Tabular;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>
/// Reads one delimited export row by row: each row becomes an accepted AE, an accepted subject, or a rejection that
/// names file, line, column, raw value and reason. The header decides the <see cref="ExportKind"/>.
/// </summary>
/// <remarks>
/// Coding follows <see cref="CtcaeCoder"/>'s ladder: a MedDRA code, else the CTCAE term column, else the verbatim term.
/// A row nothing codes is stored uncoded with an <see cref="QueryKind.Uncoded"/> query and the closest terms, never
/// guessed. When both a code and a term are given and disagree, the code's term is used with a query.
/// </remarks>
public sealed class ExportReader
{
    private const int MaxIdentifierLength = 200;

    private readonly TabularReader _table;
    private readonly string _fileName;
    private readonly string _sha256;
    private readonly SafetyRules _rules;
    private readonly CtcaeDictionary _dictionary;
    /// <summary>
    /// The file's per-file index: each (subject, AE id) it holds, accepted or rejected, by its 128-bit
    /// <see cref="EventKey"/>, with the row's <see cref="Fingerprint"/>, not the ids' text. Two keys sharing all 128 bits
    /// would only make the later row a repeat of the earlier: stored under an id of its own with a query, or refused if
    /// its whole row's 64-bit fingerprint matched as well. The hash is seeded per reader (the index is never kept past
    /// the file), so no file can be crafted to collide.
    /// </summary>
    private readonly EventIndex _seenEvents;

    /// <summary>The seed of <see cref="EventKey"/> for this reader.</summary>
    private readonly long _keySeed = BitConverter.ToInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(sizeof(long)));

    /// <summary>The subjects among <see cref="_seenEvents"/>' keys.</summary>
    private readonly HashSet<string> _eventSubjects = new(StringComparer.Ordinal);

    /// <summary>One string per subject id among the file's events (a file has many rows per subject).</summary>
    private readonly Dictionary<string, string> _subjectIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Subject Subject, long Line)> _seenSubjects = new(StringComparer.Ordinal);
    private readonly Dictionary<CodingMethod, int> _codingCounts = [];
    private readonly List<CodingReview> _review = [];
    private readonly List<LabGradeQuery> _labQueries = [];
    private readonly CtcaeCoder _coder = CtcaeCoder.Default;
    private readonly DateOnly? _receivedOn;

    private ExportReader(TabularReader table, ExportLayout layout, string fileName, string sha256, SafetyRules rules, CtcaeDictionary dictionary, SourceProfile? profile, DateOnly? receivedOn, EventIndex index)
    {
        _seenEvents = index;
        _receivedOn = receivedOn;
        Profile = profile ?? new SourceProfile { Name = "inbox", BlobPrefix = "" };
        _table = table;
        Layout = layout;
        _fileName = fileName;
        _sha256 = sha256;
        _rules = rules;
        _dictionary = dictionary;
    }

    public ExportLayout Layout { get; }

    public ExportKind Kind => Layout.Kind;

    /// <summary>Accepted events by the rung of the coding ladder that coded them.</summary>
    public IReadOnlyDictionary<string, int> CodingByMethod => _codingCounts.ToDictionary(p => CodingResult.MethodName(p.Key), p => p.Value, StringComparer.Ordinal);

    /// <summary>Rows coded by a fuzzy match or with a qualifier dropped, for a coder to confirm.</summary>
    public IReadOnlyList<CodingReview> CodedForReview => _review;

    /// <summary>Accepted events whose reported grade differs from the CTCAE v5.0 grade of the lab result on the row.</summary>
    public IReadOnlyList<LabGradeQuery> LabGradeQueries => _labQueries;

    /// <summary>Data rows read so far (blank lines are not rows).</summary>
    public long RowsRead { get; private set; }

    /// <summary>Reads the header of delimited text; throws <see cref="ExportFormatException"/> when the file is not an export at all.</summary>
    public static ExportReader Open(TextReader text, string fileName, string sha256, SafetyRules rules, CtcaeDictionary dictionary) =>
        Open(new CsvTableReader(text), fileName, sha256, rules, dictionary);

    /// <summary>The source the file belongs to: its name becomes each event's origin.</summary>
    public SourceProfile Profile { get; }

    /// <summary>The subjects of the file's events (rows with a subject and an AE id, accepted or rejected).</summary>
    public IReadOnlyCollection<string> EventSubjects => _eventSubjects;

    /// <summary>
    /// Whether the file holds a row of this (subject, AE id), accepted or rejected: for a full export, whether the AE
    /// still exists. Answered from the per-file index of 128-bit key hashes: two keys would have to share all 128 bits
    /// for a wrong yes, and a wrong yes only keeps an AE the export lacks, never deletes one it holds.
    /// </summary>
    public bool HoldsEvent(string subject, string aeId) => _seenEvents.Contains(EventKey(subject, aeId));

    /// <summary>Recognises the columns of any table (CSV, XLSX, XPT, Dataset-JSON, ODM-XML); the caller disposes the table.</summary>
    /// <param name="receivedOn">The day the file was received (UTC): an onset after it is queried. Not checked when null.</param>
    /// <param name="index">Where the per-file index of (subject, AE id) keys is kept (the caller disposes it, after the
    /// last <see cref="HoldsEvent"/>); on the heap when null.</param>
    public static ExportReader Open(TabularReader table, string fileName, string sha256, SafetyRules rules, CtcaeDictionary dictionary, SourceProfile? profile = null, DateOnly? receivedOn = null, EventIndex? index = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(dictionary);
        return new ExportReader(table, ExportLayout.FromHeader([.. table.Header], profile?.Columns), fileName, sha256, rules, dictionary, profile, receivedOn, index ?? EventIndex.InMemory());
    }

    /// <summary>The table being read (its format and what its record numbers count).</summary>
    public TabularReader Table => _table;

    public IEnumerable<RowResult> ReadRows()
    {
        while (_table.TryRead(out var row))
        {
            RowsRead++;
            var line = _table.RecordNumber;
            if (row.Count != Layout.Header.Count)
            {
                yield return Reject(line, "(row)", null, RejectionReason.FieldCountMismatch, $"Expected {Layout.Header.Count} fields, found {row.Count}.");
                continue;
            }

            var result = Kind switch
            {
                ExportKind.AdverseEvents => ParseEvent(row, line),
                ExportKind.SupplementalQualifiers => ParseQualifier(row, line),
                ExportKind.Exposure => ParseExposure(row, line),
                ExportKind.Disposition => ParseDisposition(row, line),
                _ => ParseSubject(row, line),
            };
            yield return result is RowResult.Rejected rejected ? Identify(rejected, row) : result;
        }
    }

    private RowResult ParseSubject(IReadOnlyList<string> row, long line)
    {
        if (!TryIdentifier(row, line, ExportField.SubjectId, out var subjectId, out var rejected)
            || !TryStudy(row, line, out var study, out rejected))
        {
            return rejected;
        }

        // The pipeline's population is the roster: a subject not yet dosed is kept (SummaryPopulation.Roster).
        var armText = Layout.Value(row, ExportField.Arm);
        switch (AeRowReading.Standing(Layout, row, armText, requireDose: false))
        {
            case SubjectStanding.NoArm:
                return Reject(line, ExportField.Arm, null, RejectionReason.MissingValue);
            case SubjectStanding.NotAnArm:
                return Reject(line, ExportField.Arm, armText, RejectionReason.ScreenFailure);
            case SubjectStanding.OutsideSafetyPopulation:
                return Reject(line, ExportField.SafetyPopulation, Layout.Value(row, ExportField.SafetyPopulation), RejectionReason.OutsideSafetyPopulation);
        }

        if (_rules.FindArm(armText!) is not { } arm)
        {
            return Reject(line, ExportField.Arm, armText, RejectionReason.UnknownArm, $"Known arms: {string.Join(", ", _rules.Arms.Select(a => $"{a.Code} ({a.Label})"))}.");
        }

        if (!TryFullDate(row, line, ExportField.RandomizationDate, out var randomized, out rejected)
            || !TryFullDate(row, line, ExportField.FirstDoseDate, out var firstDose, out rejected))
        {
            return rejected;
        }

        // A subject listed twice is one row of the roster: the first is kept, a repeat or a conflicting row (another
        // arm or other dates) is refused on its own line, never written twice (Azure refuses a batch with a key twice).
        var subject = new Subject(study, subjectId, arm.Code, randomized, firstDose);
        if (_seenSubjects.TryGetValue(subjectId, out var first))
        {
            if (first.Subject == subject)
            {
                return Reject(line, "(row)", null, RejectionReason.DuplicateRow);
            }

            return first.Subject.Arm != subject.Arm
                ? Reject(line, ExportField.Arm, armText, RejectionReason.ConflictingSubject, string.Create(CultureInfo.InvariantCulture, $"Line {first.Line} gives arm {first.Subject.Arm}."))
                : Reject(line, "(row)", null, RejectionReason.ConflictingSubject, string.Create(CultureInfo.InvariantCulture, $"Line {first.Line} gives other randomization or first-dose dates."));
        }

        _seenSubjects[subjectId] = (subject, line);
        return new RowResult.AcceptedSubject(subject);
    }

    /// <summary>SUPPAE: a qualifier keyed by subject and AESEQ (IDVAR) of an AE.</summary>
    private RowResult ParseQualifier(IReadOnlyList<string> row, long line)
    {
        if (!TryIdentifier(row, line, ExportField.SubjectId, out var subjectId, out var rejected)
            || !TryStudy(row, line, out var study, out rejected)
            || !TryIdentifier(row, line, ExportField.QualifierIdValue, out var aeId, out rejected)
            || !TryIdentifier(row, line, ExportField.QualifierName, out var name, out rejected))
        {
            return rejected;
        }

        if (Layout.Value(row, ExportField.QualifierIdVariable) is { } idVariable && !idVariable.Equals("AESEQ", StringComparison.OrdinalIgnoreCase))
        {
            return Reject(line, ExportField.QualifierIdVariable, idVariable, RejectionReason.InvalidIdentifier, "Only qualifiers keyed by AESEQ can be matched to AEs.");
        }

        var value = Layout.Value(row, ExportField.QualifierValue) ?? "";
        if (name.Equals("AETRTEM", StringComparison.OrdinalIgnoreCase) && value.ToUpperInvariant() is not ("Y" or "N"))
        {
            return Reject(line, ExportField.QualifierValue, value, RejectionReason.InvalidFlag);
        }

        return new RowResult.AcceptedQualifier(study, subjectId, aeId, name.ToUpperInvariant(), value);
    }

    /// <summary>EX: the start of one exposure record.</summary>
    private RowResult ParseExposure(IReadOnlyList<string> row, long line)
    {
        if (!TryIdentifier(row, line, ExportField.SubjectId, out var subjectId, out var rejected)
            || !TryStudy(row, line, out var study, out rejected)
            || !TryFullDate(row, line, ExportField.ExposureStart, out var start, out rejected))
        {
            return rejected;
        }

        if (start is not { } date)
        {
            return Reject(line, ExportField.ExposureStart, null, RejectionReason.MissingValue);
        }

        if (!TryFullDate(row, line, ExportField.ExposureEnd, out var end, out rejected))
        {
            return rejected;
        }

        decimal? dose = null;
        if (Layout.Value(row, ExportField.ExposureDose) is { } doseText)
        {
            if (!decimal.TryParse(doseText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
            {
                return Reject(line, ExportField.ExposureDose, doseText, RejectionReason.InvalidNumber);
            }

            dose = parsed;
        }

        return new RowResult.AcceptedExposure(new ExposureRecord(study, subjectId, Layout.Value(row, ExportField.ExposureTreatment)?.Trim() ?? "", date)
        {
            End = end,
            Dose = dose,
            Unit = Layout.Value(row, ExportField.ExposureDoseUnit)?.Trim(),
            Frequency = Layout.Value(row, ExportField.ExposureFrequency)?.Trim(),
            Sequence = Layout.Value(row, ExportField.ExposureSequence)?.Trim(),
        });
    }

    /// <summary>DS: one disposition record (reason, category, scope, date).</summary>
    private RowResult ParseDisposition(IReadOnlyList<string> row, long line)
    {
        if (!TryIdentifier(row, line, ExportField.SubjectId, out var subjectId, out var rejected)
            || !TryStudy(row, line, out var study, out rejected)
            || !TryPartialDate(row, line, ExportField.DispositionDate, out var date, out rejected))
        {
            return rejected;
        }

        if (Layout.Value(row, ExportField.DispositionTerm)?.Trim() is not { Length: > 0 } term)
        {
            return Reject(line, ExportField.DispositionTerm, null, RejectionReason.MissingValue);
        }

        return new RowResult.AcceptedDisposition(new DispositionRecord(study, subjectId, term.ToUpperInvariant(), DispositionRecord.ScopeOf(Layout.Value(row, ExportField.DispositionScope)), Layout.Value(row, ExportField.DispositionCategory)?.Trim(), date?.Earliest));
    }

    /// <summary>
    /// An AE row is stored whenever it identifies a subject and an event (subject id with an AE id, or with a term and
    /// an onset); every other problem is an <see cref="EventQuery"/> on the stored event, and the event's fields hold
    /// the conservative reading meanwhile (README "Queries, not drops"). Refused: no or unusable subject id, another
    /// study's id, no AE id and no term-and-onset to stand for one, an exact repeat of an earlier row, a row whose
    /// fields do not line up with the header.
    /// </summary>
    private RowResult ParseEvent(IReadOnlyList<string> row, long line)
    {
        if (!TryIdentifier(row, line, ExportField.SubjectId, out var subjectId, out var rejected)
            || !TryStudy(row, line, out var study, out rejected))
        {
            return rejected;
        }

        if (!_subjectIds.TryAdd(subjectId, subjectId))
        {
            subjectId = _subjectIds[subjectId];
        }

        var queries = new List<EventQuery>();
        if (!TryEventId(row, line, queries, out var aeId, out rejected))
        {
            return rejected;
        }

        QueryNormalized(row, ExportField.SubjectId, subjectId, queries);
        QueryNormalized(row, ExportField.AeId, aeId, queries);
        for (var i = 0; i < row.Count; i++)
        {
            if (row[i].Contains('\uFFFD', StringComparison.Ordinal))
            {
                queries.Add(new EventQuery(QueryKind.UndecodableText, Layout.Header[i], row[i]));
            }
        }

        var fingerprint = Fingerprint(row);
        if (_seenEvents.AddOrGet(EventKey(subjectId, aeId), fingerprint) is { } earlier)
        {
            if (earlier == fingerprint)
            {
                return Reject(line, "(row)", null, RejectionReason.DuplicateRow);
            }

            // Both rows describe events the site reported: keep this one under an id of its own, with a query.
            queries.Add(Query(QueryKind.ConflictingDuplicateId, ExportField.AeId, aeId, string.Create(CultureInfo.InvariantCulture, $"Stored as AE id '{aeId}.L{line}'.")));
            aeId = string.Create(CultureInfo.InvariantCulture, $"{aeId}.L{line}");
            while (_seenEvents.AddOrGet(EventKey(subjectId, aeId), fingerprint) is not null)
            {
                // An earlier row's own AE id is literally "<id>.L<line>": keep both, this one under a longer id.
                aeId += "'";
            }
        }

        _eventSubjects.Add(subjectId);

        var coding = CodeTerm(row, queries);
        var term = coding.Term;
        _codingCounts[coding.Method] = _codingCounts.GetValueOrDefault(coding.Method) + 1;
        if (term is not null && coding.Method is CodingMethod.Fuzzy or CodingMethod.QualifierDropped)
        {
            _review.Add(new CodingReview(line, coding.Verbatim, term.Name, CodingResult.MethodName(coding.Method), coding.Confidence));
        }

        // Grade 5 is death related to the AE (CTCAE v5.0): it must agree with a fatal outcome, AESDTH or a death date,
        // where the export carries any of these columns.
        var outcome = Layout.Value(row, ExportField.Outcome);
        var fatalOutcome = AeRowReading.FatalOutcome(Layout, row);
        var (grade, derived) = ReadGrade(row, fatalOutcome, queries);
        if (term is not null && !term.Defines(grade))
        {
            queries.Add(Query(QueryKind.GradeNotDefinedForTerm, Layout.Has(ExportField.Grade) ? ExportField.Grade : ExportField.Severity, Layout.Value(row, ExportField.Grade) ?? Layout.Value(row, ExportField.Severity),
                $"{term.Name} has grades {string.Join(", ", Enumerable.Range(1, 5).Where(g => term.Defines(new CtcaeGrade(g))))}."));
        }

        if (grade.Value == 5 && !fatalOutcome && (outcome is not null || Layout.Has(ExportField.DeathDate) || Layout.Has(ExportField.ResultsInDeath)))
        {
            var field = outcome is not null ? ExportField.Outcome : Layout.Has(ExportField.ResultsInDeath) ? ExportField.ResultsInDeath : ExportField.DeathDate;
            queries.Add(Query(QueryKind.FatalGradeWithoutFatalOutcome, field, Layout.Value(row, field)));
        }

        if (term is not null)
        {
            CheckLabGrade(row, line, subjectId, aeId, term, grade, queries);
        }

        // Unreadable flags take the reading that can only bring a signal forward: serious, related.
        var serious = Flag(row, ExportField.Serious, QueryKind.UnreadableSeriousFlag, unreadableAs: true, queries);
        var relatedCam = Flag(row, ExportField.RelatedToCamrelizumab, QueryKind.UnreadableRelatedFlag, unreadableAs: true, queries);
        var relatedRt = Flag(row, ExportField.RelatedToRadiotherapy, QueryKind.UnreadableRelatedFlag, unreadableAs: true, queries);
        var relatedStudyDrug = Flag(row, ExportField.RelatedToStudyDrug, QueryKind.UnreadableRelatedFlag, unreadableAs: true, queries);
        var treatmentEmergent = Flag(row, ExportField.TreatmentEmergent, QueryKind.UnreadableTreatmentEmergentFlag, unreadableAs: null, queries);

        // An unreadable onset is stored as missing: a missing onset counts from the first dose, the earliest the data allow.
        var onset = Date(row, ExportField.Onset, QueryKind.UnreadableOnset, queries);
        var resolution = Date(row, ExportField.Resolution, QueryKind.UnreadableResolution, queries);
        (onset, resolution) = CheckDates(row, onset, resolution, queries);

        return new RowResult.AcceptedEvent(new AdverseEvent
        {
            StudyId = study,
            SubjectId = subjectId,
            AeId = aeId,
            VerbatimTerm = Layout.Value(row, ExportField.VerbatimTerm) ?? Layout.Value(row, ExportField.CtcaeTerm),
            Term = term,
            CodingMethod = coding.Method,
            CodingConfidence = coding.Confidence,
            Grade = grade,
            GradeDerivedFromSeverity = derived,
            Serious = serious,

            RelatedToCamrelizumab = AeRowReading.RelatedToCamrelizumab(relatedCam, relatedStudyDrug),
            RelatedToRadiotherapy = relatedRt,
            Onset = onset,
            Resolution = resolution,
            Outcome = outcome,
            ResultsInDeath = AeRowReading.ResultsInDeath(Layout, row),
            ActionTaken = Layout.Value(row, ExportField.ActionTaken),
            Source = new SourceReference(_fileName, _sha256, line),
            Origin = Profile.Name,
            TreatmentEmergent = treatmentEmergent,
            Queries = queries,
        });
    }

    /// <summary>The study the row belongs to; a row of another study is refused (it must never count in this trial).</summary>
    private bool TryStudy(IReadOnlyList<string> row, long line, out string study, out RowResult rejected)
    {
        rejected = null!;
        study = Layout.Value(row, ExportField.StudyId) ?? _rules.Study;
        if (string.Equals(study.Trim(), _rules.Study, StringComparison.OrdinalIgnoreCase))
        {
            study = _rules.Study;
            return true;
        }

        rejected = Reject(line, ExportField.StudyId, study, RejectionReason.WrongStudy, $"This trial is {_rules.Study}.");
        return false;
    }

    /// <summary>The AE id; without one, subject + term + onset still identify the event, under an id made from them.</summary>
    private bool TryEventId(IReadOnlyList<string> row, long line, List<EventQuery> queries, out string aeId, out RowResult rejected)
    {
        rejected = null!;
        aeId = Layout.Value(row, ExportField.AeId)!;
        if (aeId is not null)
        {
            return TryIdentifier(row, line, ExportField.AeId, out aeId, out rejected);
        }

        var termText = Layout.Value(row, ExportField.VerbatimTerm) ?? Layout.Value(row, ExportField.CtcaeTerm) ?? Layout.Value(row, ExportField.MedDraCode);
        var onsetText = Layout.Value(row, ExportField.Onset);
        if (termText is null || onsetText is null)
        {
            rejected = Reject(line, ExportField.AeId, null, RejectionReason.MissingValue, "Without an AE id, a term and an onset date are needed to identify the event.");
            return false;
        }

        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(TermKey.Of(termText) + "\u001f" + onsetText.Trim())))[..12];
        aeId = "noid-" + digest;
        queries.Add(Query(QueryKind.MissingAeId, ExportField.AeId, null, $"Stored as AE id '{aeId}'."));
        return true;
    }

    /// <summary>The grade, or the severity's grade; empty or unreadable is counted as grade 3, or 5 when the outcome is fatal
    /// (<see cref="AeRowReading.Grade"/>), with a query.</summary>
    private (CtcaeGrade Grade, bool Derived) ReadGrade(IReadOnlyList<string> row, bool fatalOutcome, List<EventQuery> queries)
    {
        var reading = AeRowReading.Grade(Layout, row, fatalOutcome);
        if (reading.Problem is { } problem)
        {
            queries.Add(Query(problem, reading.Field, reading.Raw, $"Counted as grade {reading.Grade.Value}."));
        }

        var grade = reading.Grade;
        if (reading.Problem is null && !reading.Derived && Layout.Value(row, ExportField.Grade) is { } gradeText)
        {
            // A second grade column (AETOXGR beside a flat "grade") that disagrees: the higher grade counts, never the first.
            foreach (var (column, text) in Layout.AlternateValues(row, ExportField.Grade))
            {
                if (CtcaeGrade.TryParse(text, out var other) && other != grade)
                {
                    var higher = other.Value > grade.Value ? other : grade;
                    queries.Add(Query(QueryKind.GradesDisagree, ExportField.Grade, gradeText,
                        string.Create(CultureInfo.InvariantCulture, $"{Layout.ColumnName(ExportField.Grade)} says {grade.Value}, {column} says {other.Value}; counted as grade {higher.Value}.")));
                    grade = higher;
                }
            }
        }

        return (grade, reading.Derived);
    }

    /// <summary>
    /// Dates that cannot both be true: an onset after the day the file arrived (a typo for another year), a resolution
    /// before the onset. The doubtful date is stored as missing, the conservative reading (onset from the first dose,
    /// not resolved), and the query keeps what the cell said.
    /// </summary>
    private (PartialDate? Onset, PartialDate? Resolution) CheckDates(IReadOnlyList<string> row, PartialDate? onset, PartialDate? resolution, List<EventQuery> queries)
    {
        if (onset is { } start && _receivedOn is { } received && start.Earliest > received)
        {
            queries.Add(Query(QueryKind.OnsetAfterReceipt, ExportField.Onset, Layout.Value(row, ExportField.Onset),
                string.Create(CultureInfo.InvariantCulture, $"The file was received on {received:yyyy-MM-dd}.")));
            onset = null;
        }

        if (onset is { } from && resolution is { } end && end.Latest < from.Earliest)
        {
            queries.Add(Query(QueryKind.ResolutionBeforeOnset, ExportField.Resolution, Layout.Value(row, ExportField.Resolution),
                $"The onset is {from}."));
            resolution = null;
        }

        return (onset, resolution);
    }

    /// <summary>Queries an identifier stored in another form than the cell's (see <see cref="IdentifierText"/>).</summary>
    private void QueryNormalized(IReadOnlyList<string> row, ExportField field, string stored, List<EventQuery> queries)
    {
        if (Layout.Value(row, field) is { } raw && raw != stored)
        {
            queries.Add(Query(QueryKind.IdentifierNormalized, field, raw, $"Stored as '{stored}'."));
        }
    }

    /// <summary>
    /// A MedDRA code that is a CTCAE term wins; otherwise the CTCAE term column, then the verbatim, go down the ladder.
    /// What cannot be coded is returned uncoded with a query and the closest terms; never guessed.
    /// </summary>
    private CodingResult CodeTerm(IReadOnlyList<string> row, List<EventQuery> queries)
    {
        var ladder = AeRowReading.Code(_coder, _dictionary, Layout, row);
        var (byCode, codeText, termField, termText) = (ladder.ByCode, ladder.CodeText, ladder.TermField, ladder.TermText);
        if (codeText is not null && byCode is null)
        {
            queries.Add(Query(QueryKind.UnusableMedDraCode, ExportField.MedDraCode, codeText));
        }

        if (ladder.ByText is not { } byText)
        {
            if (byCode is not null)
            {
                return ladder.Result;
            }

            queries.Add(Query(QueryKind.Uncoded, termField, null, "The term is empty."));
            return new CodingResult("", null, CodingMethod.NeedsCoding, 0, null, []);
        }

        if (byCode is not null)
        {
            if (byText.IsCoded && byText.Term != byCode && byText.Method != CodingMethod.Fuzzy)
            {
                queries.Add(Query(QueryKind.MedDraCodeTermMismatch, ExportField.MedDraCode, codeText, $"{codeText} is '{byCode.Name}'; the term column says '{termText}'."));
            }

            return ladder.Result;
        }

        if (!byText.IsCoded)
        {
            var suggestions = byText.Suggestions.Count == 0
                ? null
                : "Closest terms: " + string.Join("; ", byText.Suggestions.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Term.Name} ({s.Similarity:0.00})"))) + ".";
            queries.Add(Query(QueryKind.Uncoded, termField, termText, suggestions));
        }

        return byText;
    }

    /// <summary>Where the row carries the lab result behind a lab term (neutrophil count decreased, ALT increased, …),
    /// grades it by CTCAE v5.0 and queries a reported grade 1–4 that differs. The unit decides SI or US conventional.</summary>
    private void CheckLabGrade(IReadOnlyList<string> row, long line, string subjectId, string aeId, CtcaeTerm term, CtcaeGrade grade, List<EventQuery> queries)
    {
        if (Layout.Value(row, ExportField.LabValue) is null || grade.Value == 5)
        {
            return;
        }

        var (result, unreadable) = AeRowReading.LabResult(Layout, row);
        if (result is not { } measurement)
        {
            queries.Add(Query(QueryKind.UnreadableLabValue, unreadable!.Value, Layout.Value(row, unreadable.Value)));
            return;
        }

        // Corrected, not ionized, calcium is the default reading of Hyper-/Hypocalcemia.
        foreach (var system in new[] { LabUnitSystem.SI, LabUnitSystem.UsConventional })
        {
            if (LabCriteria.For(system).FirstOrDefault(c => c.CtcaeTerm == term.Name) is not { } criterion)
            {
                break;
            }

            if (criterion.Grade(measurement) is not { IsGraded: true, Grade: { } labGrade })
            {
                continue;
            }

            if (labGrade != grade.Value)
            {
                _labQueries.Add(new LabGradeQuery(line, subjectId, aeId, term.Name, grade.Value, labGrade, criterion.Criteria));
                queries.Add(Query(QueryKind.LabGradeDiffers, ExportField.LabValue, Layout.Value(row, ExportField.LabValue),
                    string.Create(CultureInfo.InvariantCulture, $"Reported grade {grade.Value}; the lab result is grade {labGrade} ({criterion.Criteria}).")));
            }

            break;
        }
    }

    /// <summary>
    /// A (subject, AE id) as XxHash128 of the subject's length and both ids' UTF-16 code units: the per-file index keeps
    /// these 16 bytes instead of the ids, so its memory is a small constant a row.
    /// </summary>
    private UInt128 EventKey(string subject, string aeId)
    {
        var length = sizeof(int) + ((subject.Length + aeId.Length) * sizeof(char));
        Span<byte> bytes = length <= 1024 ? stackalloc byte[length] : new byte[length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, subject.Length);
        MemoryMarshal.AsBytes(subject.AsSpan()).CopyTo(bytes[sizeof(int)..]);
        MemoryMarshal.AsBytes(aeId.AsSpan()).CopyTo(bytes[(sizeof(int) + (subject.Length * sizeof(char)))..]);
        return XxHash128.HashToUInt128(bytes, _keySeed);
    }

    /// <summary>A 64-bit digest of a row's cells, enough to tell an exact repeat from a conflicting one without keeping the text.</summary>
    private static long Fingerprint(IReadOnlyList<string> row)
    {
        var low = new HashCode();
        var high = new HashCode();
        high.Add(0x5AFE);
        foreach (var cell in row)
        {
            low.Add(cell, StringComparer.Ordinal);
            high.Add(cell.Length);
            high.Add(cell, StringComparer.Ordinal);
        }

        return unchecked(((long)low.ToHashCode() << 32) | (uint)high.ToHashCode());
    }

    private bool TryIdentifier(IReadOnlyList<string> row, long line, ExportField field, out string value, out RowResult rejected)
    {
        rejected = null!;
        value = Layout.Value(row, field)!;
        if (value is null)
        {
            rejected = Reject(line, field, null, RejectionReason.MissingValue);
            return false;
        }

        // Table keys write / \ # ? % as three characters (%2F): the stored form must fit too, or one id would fail the file.
        if (value.Length + (2 * value.Count(c => c is '/' or '\\' or '#' or '?' or '%')) > MaxIdentifierLength)
        {
            rejected = Reject(line, field, value, RejectionReason.InvalidIdentifier);
            return false;
        }

        // Look-alike characters are normalized (the roster's S04-0052 must match the AE file's S04‐0052) or refused.
        if (IdentifierText.Normalize(value, out var problem) is not { Length: > 0 } normalized)
        {
            rejected = Reject(line, field, value, RejectionReason.InvalidIdentifier, problem is null ? null : $"Refused because {problem}.");
            return false;
        }

        value = normalized;
        return true;
    }

    private bool? Flag(IReadOnlyList<string> row, ExportField field, QueryKind kind, bool? unreadableAs, List<EventQuery> queries)
    {
        var (value, unreadable) = AeRowReading.Flag(Layout, row, field, unreadableAs);
        if (unreadable)
        {
            queries.Add(Query(kind, field, Layout.Value(row, field), unreadableAs is true ? "Counted as Y." : null));
        }

        return value;
    }

    private PartialDate? Date(IReadOnlyList<string> row, ExportField field, QueryKind kind, List<EventQuery> queries)
    {
        var text = Layout.Value(row, field);
        if (text is null)
        {
            return null;
        }

        if (PartialDate.TryParse(text, out var date))
        {
            return date;
        }

        queries.Add(Query(kind, field, text));
        return null;
    }

    private EventQuery Query(QueryKind kind, ExportField field, string? raw, string? detail = null) =>
        new(kind, Layout.ColumnName(field), raw, detail);

    private bool TryPartialDate(IReadOnlyList<string> row, long line, ExportField field, out PartialDate? value, out RowResult rejected)
    {
        rejected = null!;
        value = null;
        var text = Layout.Value(row, field);
        if (text is null)
        {
            return true;
        }

        if (!PartialDate.TryParse(text, out var date))
        {
            rejected = Reject(line, field, text, RejectionReason.InvalidDate);
            return false;
        }

        value = date;
        return true;
    }

    private bool TryFullDate(IReadOnlyList<string> row, long line, ExportField field, out DateOnly? value, out RowResult rejected)
    {
        if (!TryPartialDate(row, line, field, out var partial, out rejected))
        {
            value = null;
            return false;
        }

        if (partial is { IsComplete: false })
        {
            value = null;
            rejected = Reject(line, field, Layout.Value(row, field), RejectionReason.InvalidDate, "A full date (YYYY-MM-DD) is needed here.");
            return false;
        }

        value = partial?.Earliest;
        return true;
    }

    /// <summary>
    /// Says whose row was rejected, so a data manager can find it at the source: subject and AE id where they are valid
    /// identifiers, and the serious flag (uncoded serious events come first in the data managers' email).
    /// </summary>
    private RowResult.Rejected Identify(RowResult.Rejected rejected, IReadOnlyList<string> row)
    {
        string? Identifier(ExportField field) =>
            Layout.Has(field) && Layout.Value(row, field)?.Trim() is { Length: > 0 and <= 200 } id && !id.Any(char.IsControl) ? id : null;
        bool? serious = Kind == ExportKind.AdverseEvents && Layout.Has(ExportField.Serious)
            ? Layout.Value(row, ExportField.Serious)?.Trim().ToUpperInvariant() switch { "Y" or "YES" or "1" or "TRUE" => true, "N" or "NO" or "0" or "FALSE" => false, _ => null }
            : null;
        return new(rejected.Rejection with { SubjectId = Identifier(ExportField.SubjectId), AeId = Kind == ExportKind.AdverseEvents ? Identifier(ExportField.AeId) : null, Serious = serious });
    }

    private RowResult.Rejected Reject(long line, ExportField field, string? raw, RejectionReason reason, string? detail = null) =>
        Reject(line, Layout.ColumnName(field), raw, reason, detail);

    private RowResult.Rejected Reject(long line, string column, string? raw, RejectionReason reason, string? detail = null) =>
        new(new RowRejection(_fileName, line, column, raw, reason, detail));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{_fileName} ({Kind}, {RowsRead} rows read)");
}
