namespace Camrelizumab.Safety.Core.Summaries;

/// <summary>One arm of an offline summary: subjects counted once, at their worst grade.</summary>
public sealed record ArmSummary
{
    public required int Subjects { get; init; }

    public required long Events { get; init; }

    public required int SubjectsWithAnyEvent { get; init; }

    /// <summary>Subjects by their worst grade, keys "1" to "5".</summary>
    public required IReadOnlyDictionary<string, int> SubjectsByWorstGrade { get; init; }

    public required int SubjectsWithGrade3OrWorse { get; init; }

    public required int SubjectsWithGrade4OrWorse { get; init; }

    public required int SubjectsWithGrade5 { get; init; }

    public required int SubjectsWithSerious { get; init; }

    public required int SubjectsWithRelated { get; init; }

    public required int SubjectsWithFatal { get; init; }

    /// <summary>Subjects the subject file records as dead (ADSL/DM DTHFL = Y), whatever the cause.</summary>
    public int SubjectsDied { get; init; }

    /// <summary>Subjects who left the study because of an AE (ADSL DCSREAS "ADVERSE EVENT").</summary>
    public int SubjectsWithdrawnFromStudyForAe { get; init; }

    /// <summary>Subjects with an AE leading to withdrawal of study treatment (AEACN DRUG WITHDRAWN, or discontinued).</summary>
    public int SubjectsWithAeLeadingToWithdrawal { get; init; }

    /// <summary>Subjects with an AE leading to dose modification or interruption (AEACN DRUG INTERRUPTED, DOSE REDUCED,
    /// DOSE INCREASED; as chevron's AET01 counts, DOSE RATE REDUCED is not one).</summary>
    public int SubjectsWithAeLeadingToDoseModification { get; init; }

    public int SubjectsWithSeriousLeadingToWithdrawal { get; init; }

    public int SubjectsWithSeriousLeadingToDoseModification { get; init; }

    public int SubjectsWithRelatedSerious { get; init; }

    public int SubjectsWithRelatedLeadingToWithdrawal { get; init; }

    public int SubjectsWithRelatedLeadingToDoseModification { get; init; }

    /// <summary>Subjects with a severe AE at greatest intensity (AESEV SEVERE), where the export has severity.</summary>
    public int SubjectsWithSevere { get; init; }

    /// <summary>Terms by number of subjects (then events, then name), at most the requested number.</summary>
    public required IReadOnlyList<TermSummary> TopTerms { get; init; }

    /// <summary>Every SOC and term of the arm, by subjects then name.</summary>
    public required IReadOnlyList<SocSummary> BySoc { get; init; }
}

/// <summary>Subjects (counted once) and events for one term.</summary>
public sealed record TermSummary(string Term, int Subjects, long Events);

/// <summary>Subjects and events for one system organ class, with its terms.</summary>
public sealed record SocSummary(string Soc, int Subjects, long Events, IReadOnlyList<TermSummary> Terms);
