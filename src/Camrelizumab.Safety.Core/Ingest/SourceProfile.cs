
namespace Camrelizumab.Safety.Core.Ingest;

/// <summary>One export source (an EDC, a site's folder): where its files arrive and how to read them.</summary>
public sealed record SourceProfile
{
    /// <summary>The source's name, stored on every event as its origin.</summary>
    public required string Name { get; init; }

    /// <summary>Blobs whose name starts with this (e.g. <c>edc/</c>) belong to the source.</summary>
    public required string BlobPrefix { get; init; }

    /// <summary>Every drop holds all of the source's AEs, so an AE missing from a later drop is marked deleted.</summary>
    public bool FullExport { get; init; }

    /// <summary>For XLSX drops, the sheet to read; the first sheet when not given.</summary>
    public string? Sheet { get; init; }

    /// <summary>The source's own column names and the field each holds; standard and SDTM/ADaM names still apply.</summary>
    public IReadOnlyDictionary<string, ExportField> Columns { get; init; } = new Dictionary<string, ExportField>();
}
