namespace Camrelizumab.Safety.Storage;

/// <summary>Where the pipeline keeps its data. Binds to the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// A storage connection string (Azurite locally). In Azure the Functions host uses identity-based settings instead
    /// and passes ready clients; see the README's app-settings table.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Appended to every container and table name; tests use it to isolate runs. Empty in production.</summary>
    public string NameSuffix { get; set; } = "";
}
