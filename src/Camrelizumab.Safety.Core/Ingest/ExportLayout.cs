namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>
/// Which column of a file holds which <see cref="ExportField"/>, recognised from the header by the trial's flat-export
/// names and the SDTM/ADaM variable names (case, spaces and punctuation ignored).
/// </summary>
public sealed class ExportLayout
{
    // A plain dictionary: built once per process and read once per header cell, so a frozen one's build cost is not repaid.
    private static readonly Dictionary<string, ExportField> Aliases = new(StringComparer.Ordinal)
    {
        ["studyid"] = ExportField.StudyId,
        ["study"] = ExportField.StudyId,
        ["subjectid"] = ExportField.SubjectId,
        ["usubjid"] = ExportField.SubjectId,
        ["subjectkey"] = ExportField.SubjectId,
        ["subject"] = ExportField.SubjectId,
        ["patientid"] = ExportField.SubjectId,
        ["aeid"] = ExportField.AeId,
        ["aeseq"] = ExportField.AeId,
        ["aespid"] = ExportField.AeId,
        ["verbatimterm"] = ExportField.VerbatimTerm,
        ["aeterm"] = ExportField.VerbatimTerm,
        ["verbatim"] = ExportField.VerbatimTerm,
        ["ctcaeterm"] = ExportField.CtcaeTerm,
        ["aedecod"] = ExportField.CtcaeTerm,
        ["meddracode"] = ExportField.MedDraCode,
        ["aelltcd"] = ExportField.MedDraCode,
        ["meddrallt"] = ExportField.MedDraCode,
        ["grade"] = ExportField.Grade,
        ["ctcaegrade"] = ExportField.Grade,
        ["aetoxgr"] = ExportField.Grade,
        ["atoxgr"] = ExportField.Grade,
        ["severity"] = ExportField.Severity,
        ["aesev"] = ExportField.Severity,
        ["asev"] = ExportField.Severity,
        ["deathdate"] = ExportField.DeathDate,
        ["aedthdtc"] = ExportField.DeathDate,
        ["dthdtc"] = ExportField.DeathDate,
        ["aesdth"] = ExportField.ResultsInDeath,
        ["resultsindeath"] = ExportField.ResultsInDeath,
        ["serious"] = ExportField.Serious,
        ["aeser"] = ExportField.Serious,
        ["relatedcamrelizumab"] = ExportField.RelatedToCamrelizumab,
        ["aerelcam"] = ExportField.RelatedToCamrelizumab,
        ["relatedradiotherapy"] = ExportField.RelatedToRadiotherapy,
        ["aerelrt"] = ExportField.RelatedToRadiotherapy,
        ["aerel"] = ExportField.RelatedToStudyDrug,
        ["related"] = ExportField.RelatedToStudyDrug,
        ["arel"] = ExportField.RelatedToStudyDrug,
        ["onsetdate"] = ExportField.Onset,
        ["aestdtc"] = ExportField.Onset,
        ["resolutiondate"] = ExportField.Resolution,
        ["aeendtc"] = ExportField.Resolution,
        ["outcome"] = ExportField.Outcome,
        ["aeout"] = ExportField.Outcome,
        ["actiontaken"] = ExportField.ActionTaken,
        ["aeacn"] = ExportField.ActionTaken,
        ["arm"] = ExportField.Arm,
        ["armcd"] = ExportField.Arm,
        ["actarmcd"] = ExportField.Arm,
        ["actarm"] = ExportField.Arm,
        ["randomizationdate"] = ExportField.RandomizationDate,
        ["randdt"] = ExportField.RandomizationDate,
        ["firstdosedate"] = ExportField.FirstDoseDate,
        ["rfxstdtc"] = ExportField.FirstDoseDate,
        ["saffl"] = ExportField.SafetyPopulation,
        ["exstdtc"] = ExportField.ExposureStart,
        ["exposurestart"] = ExportField.ExposureStart,
        ["exendtc"] = ExportField.ExposureEnd,
        ["extrt"] = ExportField.ExposureTreatment,
        ["exdose"] = ExportField.ExposureDose,
        ["exdosu"] = ExportField.ExposureDoseUnit,
        ["exdosfrq"] = ExportField.ExposureFrequency,
        ["exseq"] = ExportField.ExposureSequence,
        ["dsdecod"] = ExportField.DispositionTerm,
        ["dsterm"] = ExportField.DispositionTerm,
        ["dscat"] = ExportField.DispositionCategory,
        ["dsscat"] = ExportField.DispositionScope,
        ["epoch"] = ExportField.DispositionScope,
        ["dsstdtc"] = ExportField.DispositionDate,
        ["idvar"] = ExportField.QualifierIdVariable,
        ["idvarval"] = ExportField.QualifierIdValue,
        ["qnam"] = ExportField.QualifierName,
        ["qval"] = ExportField.QualifierValue,
        ["trt01a"] = ExportField.Arm,
        ["trtemfl"] = ExportField.TreatmentEmergent,
        ["aetrtem"] = ExportField.TreatmentEmergent,
        ["treatmentemergent"] = ExportField.TreatmentEmergent,
        ["labvalue"] = ExportField.LabValue,
        ["aval"] = ExportField.LabValue,
        ["lbstresn"] = ExportField.LabValue,
        ["labunit"] = ExportField.LabUnit,
        ["avalu"] = ExportField.LabUnit,
        ["lbstresu"] = ExportField.LabUnit,
        ["lablln"] = ExportField.LabLowerLimit,
        ["anrlo"] = ExportField.LabLowerLimit,
        ["lbstnrlo"] = ExportField.LabLowerLimit,
        ["labuln"] = ExportField.LabUpperLimit,
        ["anrhi"] = ExportField.LabUpperLimit,
        ["lbstnrhi"] = ExportField.LabUpperLimit,
        ["labbaseline"] = ExportField.LabBaseline,
        ["base"] = ExportField.LabBaseline,
        ["labbaselinerange"] = ExportField.LabBaselineRange,
        ["bnrind"] = ExportField.LabBaselineRange,
        ["lln"] = ExportField.LabLowerLimit,
        ["uln"] = ExportField.LabUpperLimit,
        ["value"] = ExportField.LabValue,
        ["unit"] = ExportField.LabUnit,
        ["baseline"] = ExportField.LabBaseline,
        ["baselinerange"] = ExportField.LabBaselineRange,
        ["pctchange"] = ExportField.LabPercentChange,
        ["pchg"] = ExportField.LabPercentChange,
        ["term"] = ExportField.CtcaeTerm,
        ["atoxdscl"] = ExportField.CtcaeTerm,
        ["atoxdsch"] = ExportField.CtcaeTerm,
        ["aebodsys"] = ExportField.BodySystem,
        ["aesoc"] = ExportField.BodySystem,
        ["soc"] = ExportField.BodySystem,
        ["dthfl"] = ExportField.SubjectDied,
        ["dcsreas"] = ExportField.DiscontinuationReason,
    };

    /// <summary>
    /// Fields where a file may hold several candidate columns, best first: the one read is the best present, whatever
    /// the header order. The arm is the actual treatment before the planned one (ADaM TRT01A, SDTM ACTARM/ACTARMCD,
    /// then ARM/ARMCD), since safety is counted as treated.
    /// </summary>
    private static readonly (ExportField Field, string[] Names)[] Preferred =
    [
        (ExportField.Arm, ["trt01a", "actarm", "actarmcd", "arm", "armcd"]),
        (ExportField.DispositionTerm, ["dsdecod", "dsterm"]),
        (ExportField.DispositionScope, ["dsscat", "epoch"]),
    ];

    private readonly Dictionary<ExportField, int> _columns;
    private readonly Dictionary<ExportField, List<int>> _alternates = [];
    private readonly int[] _index;

    private ExportLayout(IReadOnlyList<string> header, Dictionary<ExportField, int> columns, ExportKind kind)
    {
        Header = header;
        _columns = columns;
        Kind = kind;
        for (var i = 0; i < header.Count; i++)
        {
            if (Aliases.TryGetValue(ExportValues.NormalizeHeader(header[i]), out var field) && _columns.TryGetValue(field, out var used) && used != i && !_columns.ContainsValue(i))
            {
                (_alternates.TryGetValue(field, out var list) ? list : _alternates[field] = []).Add(i);
            }
        }
        _index = new int[Enum.GetValues<ExportField>().Length];
        Array.Fill(_index, -1);
        foreach (var (field, index) in columns)
        {
            _index[(int)field] = index;
        }

        HasAdamTreatmentEmergentFlag = columns.TryGetValue(ExportField.TreatmentEmergent, out var flag) && ExportValues.NormalizeHeader(header[flag]) == "trtemfl";
    }

    public IReadOnlyList<string> Header { get; }

    public ExportKind Kind { get; }

    /// <summary>Recognises the columns and tells an AE export from a subject roster.</summary>
    /// <param name="profileColumns">A source profile's own column names (any case), tried before the standard names.</param>
    public static ExportLayout FromHeader(IReadOnlyList<string> header, IReadOnlyDictionary<string, ExportField>? profileColumns = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var columns = Recognise(header, profileColumns);
        var hasTerm = columns.ContainsKey(ExportField.CtcaeTerm) || columns.ContainsKey(ExportField.VerbatimTerm) || columns.ContainsKey(ExportField.MedDraCode);
        var hasGrade = columns.ContainsKey(ExportField.Grade) || columns.ContainsKey(ExportField.Severity);
        if (columns.ContainsKey(ExportField.SubjectId) && columns.ContainsKey(ExportField.QualifierIdValue)
            && columns.ContainsKey(ExportField.QualifierName) && columns.ContainsKey(ExportField.QualifierValue))
        {
            return new ExportLayout([.. header], columns, ExportKind.SupplementalQualifiers);
        }

        if (columns.ContainsKey(ExportField.SubjectId) && columns.ContainsKey(ExportField.ExposureStart) && !hasTerm && !columns.ContainsKey(ExportField.Arm))
        {
            return new ExportLayout([.. header], columns, ExportKind.Exposure);
        }

        if (columns.ContainsKey(ExportField.SubjectId) && columns.ContainsKey(ExportField.DispositionTerm) && !hasTerm && !columns.ContainsKey(ExportField.Arm))
        {
            return new ExportLayout([.. header], columns, ExportKind.Disposition);
        }

        if (columns.ContainsKey(ExportField.SubjectId) && hasTerm && hasGrade && columns.ContainsKey(ExportField.AeId))
        {
            return new ExportLayout([.. header], columns, ExportKind.AdverseEvents);
        }

        if (columns.ContainsKey(ExportField.SubjectId) && columns.ContainsKey(ExportField.Arm) && !hasTerm)
        {
            return new ExportLayout([.. header], columns, ExportKind.SubjectRoster);
        }

        // Without a header, line 1 is data: its cells are raw values and stay out of the message (it goes by email).
        var found = header.All(LooksLikeColumnName)
            ? "Columns found: " + string.Join(", ", header.Select(h => $"'{h}'")) + "."
            : "Line 1 holds values rather than column names: the file seems to have no header row; export it again with its header.";
        throw new Text.ExportFormatException(
            "unrecognised-header",
            "The header on line 1 is not an AE export (needs subject_id, ae_id, a term or MedDRA code, and grade or severity), " +
            "a subject roster (subject_id and arm), SUPPAE (USUBJID, IDVARVAL, QNAM, QVAL), EX (USUBJID, EXSTDTC) or DS (USUBJID, DSDECOD). " + found,
            1);
    }

    /// <summary>
    /// The columns of a file read for an offline summary, where the caller knows what the file is (the subject file, the
    /// AE export): recognised as <see cref="FromHeader"/> does, without classifying the file.
    /// </summary>
    public static ExportLayout Of(IReadOnlyList<string> header, ExportKind kind) => new([.. header], Recognise(header, null), kind);

    /// <summary>Profile names first, then the standard names; for a field with a preference, the best column present.</summary>
    private static Dictionary<ExportField, int> Recognise(IReadOnlyList<string> header, IReadOnlyDictionary<string, ExportField>? profileColumns)
    {
        var columns = new Dictionary<ExportField, int>();
        if (profileColumns is not null)
        {
            var byName = profileColumns.ToDictionary(p => p.Key.Trim(), p => p.Value, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Count; i++)
            {
                if (byName.TryGetValue(header[i].Trim(), out var field) && !columns.ContainsKey(field))
                {
                    columns[field] = i;
                }
            }
        }

        var fromProfile = columns.Keys.ToHashSet();
        var names = header.Select(ExportValues.NormalizeHeader).ToList();
        for (var i = 0; i < header.Count; i++)
        {
            if (Aliases.TryGetValue(names[i], out var field) && !columns.ContainsKey(field) && !columns.ContainsValue(i))
            {
                columns[field] = i;
            }
        }

        foreach (var (field, preferred) in Preferred)
        {
            if (!fromProfile.Contains(field) && preferred.Select(n => names.IndexOf(n)).FirstOrDefault(i => i >= 0, -1) is var best and >= 0)
            {
                columns[field] = best;
            }
        }

        return columns;
    }

    public bool Has(ExportField field) => _columns.ContainsKey(field);

    /// <summary>
    /// The other columns a field's names also match (AETOXGR beside a flat "grade"): the first is the field's column,
    /// these are read only to check that they agree with it. Each is (column name, trimmed value or <c>null</c>).
    /// </summary>
    public IEnumerable<(string Column, string? Value)> AlternateValues(IReadOnlyList<string> row, ExportField field)
    {
        ArgumentNullException.ThrowIfNull(row);
        foreach (var index in _alternates.GetValueOrDefault(field) ?? [])
        {
            var value = index < row.Count ? row[index].Trim() : "";
            yield return (Header[index], value.Length == 0 ? null : value);
        }
    }

    /// <summary>
    /// The treatment-emergent flag is ADaM TRTEMFL, which is Y or null by definition (ADaMIG, OCCDS): an empty cell there
    /// means not treatment-emergent. Other treatment-emergent columns (SUPPAE AETRTEM, a flat export's own) are Y or N,
    /// and an empty cell is not flagged.
    /// </summary>
    public bool HasAdamTreatmentEmergentFlag { get; }

    /// <summary>The column index of a field, or -1 when the file has no such column.</summary>
    public int IndexOf(ExportField field) => _index[(int)field];

    /// <summary>A column name as exports write them (AETERM, subject_id, "Onset date"): a letter first, at most 40 characters.</summary>
    private static bool LooksLikeColumnName(string cell)
    {
        var name = cell.Trim();
        return name.Length is > 0 and <= 40 && char.IsLetter(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c is '_' or ' ' or '-' or '.');
    }

    /// <summary>The header name of a field's column, for rejection records.</summary>
    public string ColumnName(ExportField field) => _columns.TryGetValue(field, out var index) ? Header[index] : field.ToString();

    /// <summary>The trimmed value of a field in a row, or <c>null</c> when the column is absent or the cell empty.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public string? Value(IReadOnlyList<string> row, ExportField field)
    {
        ArgumentNullException.ThrowIfNull(row);
        var index = _index[(int)field];
        if (index < 0 || index >= row.Count)
        {
            return null;
        }

        var value = row[index].Trim();
        return value.Length == 0 ? null : value;
    }

}
