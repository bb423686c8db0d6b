namespace Camrelizumab.Safety.Core.AdverseEvents;

/// <summary>Where a stored record came from: the blob as dropped, its content hash and the physical line.</summary>
public sealed record SourceReference(string FileName, string Sha256, long Line);
