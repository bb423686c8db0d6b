using System.Globalization;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Grading;
using Camrelizumab.Safety.Core.Queries;

namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>
/// The one reading of an AE row and of a subject row: grade, fatal outcome, Y/N flags, relatedness, treatment emergence
/// and who is in an arm. Ingest (<see cref="ExportReader"/>) and offline summaries
/// (<see cref="Summaries.ExportSummarizer"/>) both read through it, with the columns <see cref="ExportLayout"/>
/// recognises, so the numbers a statistician checks offline are the numbers the pipeline alerts on. The deliberate
/// differences an offline summary may choose are <see cref="Summaries.SummaryTerms"/> and
/// <see cref="Summaries.SummaryPopulation"/>.
/// </summary>
/// <remarks>
/// Every problem takes the reading that can only bring a signal forward: an empty or unreadable grade counts as grade 3
/// (5 with a fatal outcome), an unreadable serious or relatedness answer as Y, an unreadable treatment-emergent flag as
/// not flagged. Ingest stores the event with a query; a summary counts it the same way and lists it.
/// </remarks>
public static class AeRowReading
{
    /// <summary>A fatal outcome: AEOUT FATAL, or the event resulted in death (<see cref="ResultsInDeath"/>).</summary>
    public static bool FatalOutcome(ExportLayout layout, IReadOnlyList<string> row) =>
        FatalOutcome(layout.Value(row, ExportField.Outcome), ResultsInDeath(layout, row));

    /// <summary>A fatal outcome from a row's outcome cell and <see cref="ResultsInDeath"/>.</summary>
    public static bool FatalOutcome(string? outcome, bool? resultsInDeath) =>
        string.Equals(outcome, "FATAL", StringComparison.OrdinalIgnoreCase) || resultsInDeath is true;

    /// <summary>AESDTH = Y or a death date on the AE row (AEDTHDTC) is a death; AESDTH = N alone is not; otherwise
    /// <c>null</c>, not reported.</summary>
    public static bool? ResultsInDeath(ExportLayout layout, IReadOnlyList<string> row) =>
        layout.Value(row, ExportField.DeathDate) is not null ? true : ExportValues.Flag(layout.Value(row, ExportField.ResultsInDeath));

    /// <summary>
    /// The grade column, else the severity's grade (mild 1, moderate 2, severe 3, life-threatening 4, fatal 5, marked
    /// derived); empty or unreadable is grade 3, or 5 when the outcome is fatal, with the problem named.
    /// </summary>
    public static GradeReading Grade(ExportLayout layout, IReadOnlyList<string> row, bool fatalOutcome)
    {
        var imputed = new CtcaeGrade(fatalOutcome ? 5 : 3);
        var gradeText = layout.Value(row, ExportField.Grade);
        if (gradeText is null && layout.Value(row, ExportField.Severity) is { } severity)
        {
            return ExportValues.SeverityGrade(severity) is { } fromSeverity
                ? new GradeReading(fromSeverity, true, null, ExportField.Severity, null)
                : new GradeReading(imputed, true, QueryKind.UnreadableGrade, ExportField.Severity, severity);
        }

        if (gradeText is null)
        {
            return new GradeReading(imputed, false, QueryKind.MissingGrade, layout.Has(ExportField.Grade) ? ExportField.Grade : ExportField.Severity, null);
        }

        return CtcaeGrade.TryParse(gradeText, out var grade)
            ? new GradeReading(grade, false, null, ExportField.Grade, null)
            : new GradeReading(imputed, false, QueryKind.UnreadableGrade, ExportField.Grade, gradeText);
    }

    /// <summary>A Y/N or relatedness answer: <c>null</c> when the column is absent or the cell empty; an answer outside
    /// the vocabulary is <paramref name="unreadableAs"/>, with <c>Unreadable</c> set.</summary>
    public static (bool? Value, bool Unreadable) Flag(ExportLayout layout, IReadOnlyList<string> row, ExportField field, bool? unreadableAs)
    {
        var text = layout.Value(row, field);
        if (text is null)
        {
            return (field == ExportField.TreatmentEmergent && layout.HasAdamTreatmentEmergentFlag ? false : null, false);
        }

        return ExportValues.Flag(text) is { } value ? (value, false) : (unreadableAs, true);
    }

    /// <summary>
    /// The coding ladder over a row: a MedDRA code that is a CTCAE term wins; otherwise the CTCAE term column (AEDECOD)
    /// goes down <see cref="CtcaeCoder"/>'s ladder, with the grade as a hint, then the verbatim (AETERM) when the term
    /// column does not code. <c>ByText</c> is <c>null</c> when the row has no term text at all.
    /// </summary>
    public static TermCoding Code(CtcaeCoder coder, CtcaeDictionary dictionary, ExportLayout layout, IReadOnlyList<string> row)
    {
        var codeText = layout.Value(row, ExportField.MedDraCode);
        var byCode = codeText is not null && MedDraCode.TryParse(codeText, out var code) ? dictionary.Find(code) : null;
        var termField = layout.Value(row, ExportField.CtcaeTerm) is not null ? ExportField.CtcaeTerm : ExportField.VerbatimTerm;
        var termText = layout.Value(row, termField);
        if (termText is null)
        {
            return new TermCoding(byCode, codeText, termField, null, null);
        }

        var gradeHint = CtcaeGrade.TryParse(layout.Value(row, ExportField.Grade), out var hint) ? hint : (CtcaeGrade?)null;
        var byText = coder.Code(termText, null, gradeHint);
        if (!byText.IsCoded && termField == ExportField.CtcaeTerm && layout.Value(row, ExportField.VerbatimTerm) is { } verbatim && verbatim != termText)
        {
            byText = coder.Code(verbatim) is { IsCoded: true } fromVerbatim ? fromVerbatim : byText;
        }

        return new TermCoding(byCode, codeText, termField, termText, byText);
    }

    /// <summary>
    /// The lab result on a row, as CTCAE v5.0 grading needs it (value, unit, limits, baseline, baseline range, percent
    /// change); <c>null</c> without a value. A number that does not parse names its column in <c>Unreadable</c>.
    /// </summary>
    public static (LabMeasurement? Measurement, ExportField? Unreadable) LabResult(ExportLayout layout, IReadOnlyList<string> row)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.Value(row, ExportField.LabValue) is null)
        {
            return (null, null);
        }

        var numbers = new Dictionary<ExportField, decimal?>();
        foreach (var field in new[] { ExportField.LabValue, ExportField.LabLowerLimit, ExportField.LabUpperLimit, ExportField.LabBaseline, ExportField.LabPercentChange })
        {
            var text = layout.Value(row, field);
            if (text is null)
            {
                numbers[field] = null;
            }
            else if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                numbers[field] = number;
            }
            else
            {
                return (null, field);
            }
        }

        return (new LabMeasurement
        {
            Value = numbers[ExportField.LabValue]!.Value,
            Unit = layout.Value(row, ExportField.LabUnit),
            LowerLimit = numbers[ExportField.LabLowerLimit],
            UpperLimit = numbers[ExportField.LabUpperLimit],
            Baseline = numbers[ExportField.LabBaseline],
            BaselineRange = layout.Value(row, ExportField.LabBaselineRange),
            PercentChange = numbers[ExportField.LabPercentChange],
        }, null);
    }

    /// <summary>Related to camrelizumab: its own column, else a single generic relatedness column (SDTM AEREL, ADaM AREL),
    /// which refers to the study drug.</summary>
    public static bool? RelatedToCamrelizumab(bool? camrelizumab, bool? studyDrug) => camrelizumab ?? studyDrug;

    /// <summary>
    /// Whether a subject-file row puts the subject in an arm. Screen failures and subjects never assigned (DM ARM
    /// "Screen Failure", "Not Assigned") and subjects outside the safety population (ADSL SAFFL not Y, where the file has
    /// it) are in no arm; with <paramref name="requireDose"/>, neither is a subject without a first dose (DM RFXSTDTC
    /// empty, where the file has it).
    /// </summary>
    public static SubjectStanding Standing(ExportLayout layout, IReadOnlyList<string> row, string? arm, bool requireDose)
    {
        if (arm is null)
        {
            return SubjectStanding.NoArm;
        }

        if (ExportValues.IsNotAnArm(arm))
        {
            return SubjectStanding.NotAnArm;
        }

        if (layout.Value(row, ExportField.SafetyPopulation) is { } safety && !safety.Equals("Y", StringComparison.OrdinalIgnoreCase))
        {
            return SubjectStanding.OutsideSafetyPopulation;
        }

        return requireDose && layout.Has(ExportField.FirstDoseDate) && layout.Value(row, ExportField.FirstDoseDate) is null
            ? SubjectStanding.NotDosed
            : SubjectStanding.InArm;
    }
}

/// <summary>A row's grade as read, and what was wrong with the grade or severity cell when something was.</summary>
/// <param name="Derived">The grade came from a severity (AESEV), not a toxicity grade.</param>
/// <param name="Problem">Why the grade was imputed; <c>null</c> when it was read.</param>
/// <param name="Field">The column the grade came from or the problem is in.</param>
/// <param name="Raw">The unreadable cell; <c>null</c> when empty.</param>
public readonly record struct GradeReading(CtcaeGrade Grade, bool Derived, QueryKind? Problem, ExportField Field, string? Raw);

/// <summary>What the coding ladder made of a row's MedDRA code and term columns.</summary>
/// <param name="ByCode">The CTCAE term of the MedDRA code; <c>null</c> without a usable code.</param>
/// <param name="TermField">The column the term text came from: the CTCAE term column when filled, else the verbatim.</param>
public readonly record struct TermCoding(CtcaeTerm? ByCode, string? CodeText, ExportField TermField, string? TermText, CodingResult? ByText)
{
    /// <summary>The coding as ingest stores it: the MedDRA code's term when it has one, else the text's rung of the
    /// ladder; an empty term is <see cref="CodingMethod.NeedsCoding"/>.</summary>
    public CodingResult Result => ByCode is not null
        ? new CodingResult(TermText ?? CodeText!, ByCode, CodingMethod.MedDraCode, 1, null, [])
        : ByText ?? new CodingResult("", null, CodingMethod.NeedsCoding, 0, null, []);

    /// <summary>The term the row counts under: the code's, else the text's; <c>null</c> while it awaits coding.</summary>
    public CtcaeTerm? Term => ByCode ?? ByText?.Term;
}

/// <summary>Where a subject-file row puts the subject.</summary>
public enum SubjectStanding
{
    InArm,
    NoArm,
    NotAnArm,
    OutsideSafetyPopulation,
    NotDosed,
}
