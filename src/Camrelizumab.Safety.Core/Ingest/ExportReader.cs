using System.Globalization;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Configuration;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Grading;
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
/// A row nothing codes is rejected as <c>needs-coding</c> with the closest terms, never guessed. When both a code and a
/// term are given they must agree.
/// </remarks>
public sealed class ExportReader
{
    private const int MaxIdentifierLength = 200;

    private readonly TabularReader _table;
    private readonly string _fileName;
    private readonly string _sha256;
    private readonly SafetyRules _rules;
    private readonly CtcaeDictionary _dictionary;
    private readonly Dictionary<(string Subject, string AeId), long> _seenEvents = [];
    private readonly Dictionary<CodingMethod, int> _codingCounts = [];
    private readonly List<CodingReview> _review = [];
    private readonly List<LabGradeQuery> _labQueries = [];
    private readonly CtcaeCoder _coder = CtcaeCoder.Default;

    private ExportReader(TabularReader table, ExportLayout layout, string fileName, string sha256, SafetyRules rules, CtcaeDictionary dictionary, SourceProfile? profile)
    {
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

    /// <summary>Every (subject, AE id) the file holds, accepted or rejected: for a full export, the AEs that still exist.</summary>
    public IReadOnlyCollection<(string Subject, string AeId)> EventKeys => _seenEvents.Keys;

    /// <summary>Recognises the columns of any table (CSV, XLSX, XPT, Dataset-JSON, ODM-XML); the caller disposes the table.</summary>
    public static ExportReader Open(TabularReader table, string fileName, string sha256, SafetyRules rules, CtcaeDictionary dictionary, SourceProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(dictionary);
        return new ExportReader(table, ExportLayout.FromHeader([.. table.Header], profile?.Columns), fileName, sha256, rules, dictionary, profile);
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
                _ => ParseSubject(row, line),
            };
            yield return result is RowResult.Rejected rejected ? Identify(rejected, row) : result;
        }
    }

    private RowResult ParseSubject(IReadOnlyList<string> row, long line)
    {
        if (!TryIdentifier(row, line, ExportField.SubjectId, out var subjectId, out var rejected))
        {
            return rejected;
        }

        var armText = Layout.Value(row, ExportField.Arm);
        if (armText is null)
        {
            return Reject(line, ExportField.Arm, null, RejectionReason.MissingValue);
        }

        if (ExportValues.IsNotAnArm(armText))
        {
            return Reject(line, ExportField.Arm, armText, RejectionReason.ScreenFailure);
        }

        if (Layout.Value(row, ExportField.SafetyPopulation) is { } safety && !safety.Equals("Y", StringComparison.OrdinalIgnoreCase))
        {
            return Reject(line, ExportField.SafetyPopulation, safety, RejectionReason.OutsideSafetyPopulation);
        }

        if (_rules.FindArm(armText) is not { } arm)
        {
            return Reject(line, ExportField.Arm, armText, RejectionReason.UnknownArm, $"Known arms: {string.Join(", ", _rules.Arms.Select(a => $"{a.Code} ({a.Label})"))}.");
        }

        if (!TryFullDate(row, line, ExportField.RandomizationDate, out var randomized, out rejected)
            || !TryFullDate(row, line, ExportField.FirstDoseDate, out var firstDose, out rejected))
        {
            return rejected;
        }

        var study = Layout.Value(row, ExportField.StudyId) ?? _rules.Study;
        return new RowResult.AcceptedSubject(new Subject(study, subjectId, arm.Code, randomized, firstDose));
    }

    /// <summary>SUPPAE: a qualifier keyed by subject and AESEQ (IDVAR) of an AE.</summary>
    private RowResult ParseQualifier(IReadOnlyList<string> row, long line)
    {
        if (!TryIdentifier(row, line, ExportField.SubjectId, out var subjectId, out var rejected)
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

        return new RowResult.AcceptedQualifier(Layout.Value(row, ExportField.StudyId) ?? _rules.Study, subjectId, aeId, name.ToUpperInvariant(), value);
    }

    /// <summary>EX: the start of one exposure record.</summary>
    private RowResult ParseExposure(IReadOnlyList<string> row, long line)
    {
        if (!TryIdentifier(row, line, ExportField.SubjectId, out var subjectId, out var rejected)
            || !TryFullDate(row, line, ExportField.ExposureStart, out var start, out rejected))
        {
            return rejected;
        }

        return start is { } date
            ? new RowResult.AcceptedExposure(Layout.Value(row, ExportField.StudyId) ?? _rules.Study, subjectId, date)
            : Reject(line, ExportField.ExposureStart, null, RejectionReason.MissingValue);
    }

    private RowResult ParseEvent(IReadOnlyList<string> row, long line)
    {
        if (!TryIdentifier(row, line, ExportField.SubjectId, out var subjectId, out var rejected)
            || !TryIdentifier(row, line, ExportField.AeId, out var aeId, out rejected))
        {
            return rejected;
        }

        var fingerprint = Fingerprint(row);
        if (_seenEvents.TryGetValue((subjectId, aeId), out var earlier))
        {
            return earlier == fingerprint
                ? Reject(line, "(row)", null, RejectionReason.DuplicateRow)
                : Reject(line, Layout.ColumnName(ExportField.AeId), aeId, RejectionReason.ConflictingDuplicateId);
        }

        _seenEvents[(subjectId, aeId)] = fingerprint;

        if (!TryTerm(row, line, out var coding, out rejected))
        {
            return rejected;
        }

        var term = coding.Term!;
        _codingCounts[coding.Method] = _codingCounts.GetValueOrDefault(coding.Method) + 1;
        if (coding.Method is CodingMethod.Fuzzy or CodingMethod.QualifierDropped)
        {
            _review.Add(new CodingReview(line, coding.Verbatim, term.Name, CodingResult.MethodName(coding.Method), coding.Confidence));
        }

        var gradeText = Layout.Value(row, ExportField.Grade);
        var derived = false;
        CtcaeGrade grade;
        if (gradeText is null && Layout.Value(row, ExportField.Severity) is { } severity)
        {
            // Severity-only exports (SDTM AESEV): mild 1, moderate 2, severe 3, life-threatening 4, fatal 5, marked derived.
            if (ExportValues.SeverityGrade(severity) is not { } fromSeverity)
            {
                return Reject(line, ExportField.Severity, severity, RejectionReason.InvalidSeverity);
            }

            grade = fromSeverity;
            gradeText = severity;
            derived = true;
        }
        else if (gradeText is null)
        {
            return Reject(line, Layout.Has(ExportField.Grade) ? ExportField.Grade : ExportField.Severity, null, RejectionReason.MissingValue);
        }
        else if (!CtcaeGrade.TryParse(gradeText, out grade))
        {
            return Reject(line, ExportField.Grade, gradeText, RejectionReason.InvalidGrade);
        }

        if (!term.Defines(grade))
        {
            return Reject(line, ExportField.Grade, gradeText, RejectionReason.GradeNotDefinedForTerm,
                $"{term.Name} has grades {string.Join(", ", Enumerable.Range(1, 5).Where(g => term.Defines(new CtcaeGrade(g))))}.");
        }

        // Grade 5 is death related to the AE (CTCAE v5.0): it must agree with a fatal outcome or a death date, where the
        // export carries either column.
        var outcome = Layout.Value(row, ExportField.Outcome);
        var deathDate = Layout.Value(row, ExportField.DeathDate);
        var fatalOutcome = string.Equals(outcome, "FATAL", StringComparison.OrdinalIgnoreCase);
        if (grade.Value == 5 && !fatalOutcome && deathDate is null && (outcome is not null || Layout.Has(ExportField.DeathDate)))
        {
            return outcome is not null
                ? Reject(line, ExportField.Outcome, outcome, RejectionReason.FatalGradeWithoutFatalOutcome)
                : Reject(line, ExportField.DeathDate, null, RejectionReason.FatalGradeWithoutFatalOutcome);
        }

        if (!TryLabCheck(row, line, subjectId, aeId, term, grade, out rejected))
        {
            return rejected;
        }

        if (!TryFlag(row, line, ExportField.Serious, out var serious, out rejected)
            || !TryFlag(row, line, ExportField.RelatedToCamrelizumab, out var relatedCam, out rejected)
            || !TryFlag(row, line, ExportField.RelatedToRadiotherapy, out var relatedRt, out rejected)
            || !TryFlag(row, line, ExportField.RelatedToStudyDrug, out var relatedStudyDrug, out rejected)
            || !TryFlag(row, line, ExportField.TreatmentEmergent, out var treatmentEmergent, out rejected)
            || !TryPartialDate(row, line, ExportField.Onset, out var onset, out rejected)
            || !TryPartialDate(row, line, ExportField.Resolution, out var resolution, out rejected))
        {
            return rejected;
        }

        return new RowResult.AcceptedEvent(new AdverseEvent
        {
            StudyId = Layout.Value(row, ExportField.StudyId) ?? _rules.Study,
            SubjectId = subjectId,
            AeId = aeId,
            VerbatimTerm = Layout.Value(row, ExportField.VerbatimTerm),
            Term = term,
            CodingMethod = coding.Method,
            CodingConfidence = coding.Confidence,
            Grade = grade,
            GradeDerivedFromSeverity = derived,
            Serious = serious,

            // A single generic relatedness column (SDTM AEREL) refers to the study drug, camrelizumab.
            RelatedToCamrelizumab = relatedCam ?? relatedStudyDrug,
            RelatedToRadiotherapy = relatedRt,
            Onset = onset,
            Resolution = resolution,
            Outcome = outcome,
            ActionTaken = Layout.Value(row, ExportField.ActionTaken),
            Source = new SourceReference(_fileName, _sha256, line),
            Origin = Profile.Name,
            TreatmentEmergent = treatmentEmergent,
        });
    }

    private bool TryTerm(IReadOnlyList<string> row, long line, out CodingResult coding, out RowResult rejected)
    {
        coding = null!;
        rejected = null!;
        CtcaeTerm? byCode = null;
        var codeText = Layout.Value(row, ExportField.MedDraCode);
        if (codeText is not null)
        {
            if (!MedDraCode.TryParse(codeText, out var code))
            {
                rejected = Reject(line, ExportField.MedDraCode, codeText, RejectionReason.InvalidMedDraCode);
                return false;
            }

            byCode = _dictionary.Find(code);
            if (byCode is null)
            {
                rejected = Reject(line, ExportField.MedDraCode, codeText, RejectionReason.MedDraCodeNotFound);
                return false;
            }
        }

        var termField = Layout.Value(row, ExportField.CtcaeTerm) is not null ? ExportField.CtcaeTerm : ExportField.VerbatimTerm;
        var termText = Layout.Value(row, termField);
        if (termText is null)
        {
            if (byCode is null)
            {
                rejected = Reject(line, termField, null, RejectionReason.MissingValue);
                return false;
            }

            coding = new CodingResult(codeText!, byCode, CodingMethod.MedDraCode, 1, null, []);
            return true;
        }

        var gradeHint = CtcaeGrade.TryParse(Layout.Value(row, ExportField.Grade), out var hint) ? hint : (CtcaeGrade?)null;
        var byText = _coder.Code(termText, null, gradeHint);
        if (!byText.IsCoded && termField == ExportField.CtcaeTerm && Layout.Value(row, ExportField.VerbatimTerm) is { } verbatim && verbatim != termText)
        {
            byText = _coder.Code(verbatim) is { IsCoded: true } fromVerbatim ? fromVerbatim : byText;
        }

        if (byCode is not null)
        {
            if (byText.IsCoded && byText.Term != byCode && byText.Method != CodingMethod.Fuzzy)
            {
                rejected = Reject(line, ExportField.MedDraCode, codeText, RejectionReason.MedDraCodeTermMismatch,
                    $"{codeText} is '{byCode.Name}'; the term column says '{termText}'.");
                return false;
            }

            coding = new CodingResult(termText, byCode, CodingMethod.MedDraCode, 1, null, []);
            return true;
        }

        if (!byText.IsCoded)
        {
            var suggestions = byText.Suggestions.Count == 0
                ? null
                : "Closest terms: " + string.Join("; ", byText.Suggestions.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Term.Name} ({s.Similarity:0.00})"))) + ".";
            rejected = Reject(line, termField, termText, RejectionReason.NeedsCoding, suggestions);
            return false;
        }

        coding = byText;
        return true;
    }

    /// <summary>Where the row carries the lab result behind a lab term (neutrophil count decreased, ALT increased, …),
    /// grades it by CTCAE v5.0 and queries a reported grade 1–4 that differs. The unit decides SI or US conventional.</summary>
    private bool TryLabCheck(IReadOnlyList<string> row, long line, string subjectId, string aeId, CtcaeTerm term, CtcaeGrade grade, out RowResult rejected)
    {
        rejected = null!;
        if (Layout.Value(row, ExportField.LabValue) is null || grade.Value == 5)
        {
            return true;
        }

        if (!TryNumber(row, line, ExportField.LabValue, out var value, out rejected)
            || !TryNumber(row, line, ExportField.LabLowerLimit, out var lowerLimit, out rejected)
            || !TryNumber(row, line, ExportField.LabUpperLimit, out var upperLimit, out rejected)
            || !TryNumber(row, line, ExportField.LabBaseline, out var baseline, out rejected))
        {
            return false;
        }

        var measurement = new LabMeasurement
        {
            Value = value,
            Unit = Layout.Value(row, ExportField.LabUnit),
            LowerLimit = lowerLimit,
            UpperLimit = upperLimit,
            Baseline = baseline,
            BaselineRange = Layout.Value(row, ExportField.LabBaselineRange),
        };

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
            }

            break;
        }

        return true;
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

        if (value.Length > MaxIdentifierLength || value.Any(char.IsControl))
        {
            rejected = Reject(line, field, value, RejectionReason.InvalidIdentifier);
            return false;
        }

        return true;
    }

    private bool TryFlag(IReadOnlyList<string> row, long line, ExportField field, out bool? value, out RowResult rejected)
    {
        rejected = null!;
        value = null;
        var text = Layout.Value(row, field);
        if (text is null)
        {
            return true;
        }

        value = ExportValues.Flag(text);
        if (value is null)
        {
            rejected = Reject(line, field, text, RejectionReason.InvalidFlag);
            return false;
        }

        return true;
    }

    private bool TryNumber(IReadOnlyList<string> row, long line, ExportField field, out decimal? value, out RowResult rejected)
    {
        rejected = null!;
        value = null;
        var text = Layout.Value(row, field);
        if (text is null)
        {
            return true;
        }

        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            rejected = Reject(line, field, text, RejectionReason.InvalidNumber);
            return false;
        }

        value = number;
        return true;
    }

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
