namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>An accepted AE whose reported grade is not the grade CTCAE v5.0 gives its lab result: a data query for
/// the site, listed in the ingest report. The reported grade stands until the site answers.</summary>
public sealed record LabGradeQuery(long Line, string SubjectId, string AeId, string Term, int ReportedGrade, int LabGrade, string Criteria);
