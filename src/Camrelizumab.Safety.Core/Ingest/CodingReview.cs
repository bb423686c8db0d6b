namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>A row coded by a rung a coder should confirm (fuzzy match, qualifier dropped).</summary>
public sealed record CodingReview(long Line, string Verbatim, string Term, string Method, double Confidence);
