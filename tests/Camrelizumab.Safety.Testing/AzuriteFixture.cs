using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Storage;
using Camrelizumab.Safety.Storage.Local;

namespace Camrelizumab.Safety.Testing;

/// <summary>One in-memory Azurite per test assembly. Each test takes its own containers and tables via a unique suffix.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public string ConnectionString => (_azurite ?? throw new InvalidOperationException("Azurite is not running.")).ConnectionString;

    public async ValueTask InitializeAsync() => _azurite = await AzuriteProcess.StartAsync(location: null, install: true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>A fresh, unique 10-character suffix for container and table names.</summary>
    public static string NewSuffix() => "t" + Guid.NewGuid().ToString("N")[..9];

    /// <summary>Another host's view of the same storage: its own clients and its own worker identity.</summary>
    public SafetyStore OtherHost(SafetyStore store, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new SafetyStore(new BlobServiceClient(ConnectionString), new TableServiceClient(ConnectionString), store.Names, CtcaeDictionary.V5, timeProvider);
    }

    /// <summary>A store with its own containers and tables, created.</summary>
    public async Task<SafetyStore> CreateStoreAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var store = new SafetyStore(
            new BlobServiceClient(ConnectionString),
            new TableServiceClient(ConnectionString),
            new StorageNames(NewSuffix()),
            CtcaeDictionary.V5,
            timeProvider);
        await store.EnsureCreatedAsync(cancellationToken);
        return store;
    }
}
