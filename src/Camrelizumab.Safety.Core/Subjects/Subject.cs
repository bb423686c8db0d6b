namespace Camrelizumab.Safety.Core.Subjects;

/// <summary>A randomized subject as listed in the subject roster.</summary>
/// <param name="Arm">The arm code from the trial configuration (e.g. <c>CAM</c>, <c>CAMRT</c>).</param>
/// <param name="FirstDoseDate">The first dose of study treatment; <c>null</c> until dosed. Evaluation windows start here.</param>
public sealed record Subject(string StudyId, string SubjectId, string Arm, DateOnly? RandomizationDate, DateOnly? FirstDoseDate);
