using Camrelizumab.Safety.Runner.CommandLine;
using Camrelizumab.Safety.Runner.Hosting;

namespace Camrelizumab.Safety.Runner.Tests.Hosting;

/// <summary>Which storage a one-off command talks to, decided in one place.</summary>
public sealed class StorageTargetTests
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("storage-target-");

    [Fact]
    public void Resolve_Account_UsesItsServiceEndpointsWithEntraId()
    {
        var target = StorageTarget.Resolve(_data, null, "mystorage", null, null, "UseDevelopmentStorage=true");

        Assert.Null(target.ConnectionString);
        Assert.Equal(new Uri("https://mystorage.blob.core.windows.net"), target.BlobServiceUri);
        Assert.Equal(new Uri("https://mystorage.table.core.windows.net"), target.TableServiceUri);
    }

    [Fact]
    public void Resolve_ServiceUris_AreUsedAsGiven()
    {
        var target = StorageTarget.Resolve(_data, null, null, "https://x.blob.core.usgovcloudapi.net", "https://x.table.core.usgovcloudapi.net", null);

        Assert.Equal(new Uri("https://x.blob.core.usgovcloudapi.net"), target.BlobServiceUri);
        Assert.Equal(new Uri("https://x.table.core.usgovcloudapi.net"), target.TableServiceUri);
    }

    [Fact]
    public void Resolve_ConnectionString_WinsOverTheEnvironment_WhichWinsOverTheDataFolder()
    {
        Assert.Equal("given", StorageTarget.Resolve(_data, "given", null, null, null, "environment").ConnectionString);
        Assert.Equal("environment", StorageTarget.Resolve(_data, null, null, null, null, "environment").ConnectionString);
    }

    [Fact]
    public void Resolve_DataFolderOfARunningSafetyRun_UsesItsAzurite_AndRefusesOnceItStops()
    {
        using (RunState.Lock(_data))
        {
            new RunState(42, DateTimeOffset.UnixEpoch, _data.FullName, "azurite-connection", "http://127.0.0.1:1/devstoreaccount1", "ae-inbox", "mail").Write();

            Assert.Equal("azurite-connection", StorageTarget.Resolve(_data, null, null, null, null, null).ConnectionString);
            var second = Assert.Throws<InputError>(() => RunState.Lock(_data));
            Assert.Contains("already running on data folder", second.Message, StringComparison.Ordinal);
        }

        // The state file is still there (a killed run leaves it), but nobody holds the folder.
        var refused = Assert.Throws<InputError>(() => StorageTarget.Resolve(_data, null, null, null, null, null));
        Assert.Contains("no safety run is running on data folder", refused.Message, StringComparison.Ordinal);
    }
}
