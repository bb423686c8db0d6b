using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Camrelizumab.Safety.Storage.Local;

/// <summary>
/// Azurite (the npm package pinned in the root package.json) on free loopback ports. In memory for tests and the demo;
/// in a folder (<c>--location</c>) for a long-running <c>safety run</c>.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (published by Microsoft; valid only for the emulator).</summary>
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private AzuriteProcess(Process process, StringBuilder output, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _output = output;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;");

    /// <param name="location">A folder to keep data in, or <c>null</c> for in-memory persistence.</param>
    /// <param name="install">Run <c>npm ci</c> when Azurite is not installed yet.</param>
    public static async Task<AzuriteProcess> StartAsync(string? location, bool install, CancellationToken cancellationToken)
    {
        var root = DevServices.FindRepositoryRoot();
        var script = await DevServices.EnsureInstalledAsync(root, Path.Combine("azurite", "dist", "src", "azurite.js"), install, cancellationToken);

        // A free port can be taken by another process between our check and Azurite's bind (test assemblies start
        // their own Azurite in parallel). Azurite then exits, so try again on fresh ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(script, location, cancellationToken);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    private static async Task<AzuriteProcess> StartOnFreePortsAsync(string script, string? location, CancellationToken cancellationToken)
    {
        var (blob, queue, table) = (DevServices.FreeLoopbackPort(), DevServices.FreeLoopbackPort(), DevServices.FreeLoopbackPort());
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            script,
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(CultureInfo.InvariantCulture),
            "--skipApiVersionCheck", "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (location is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(location);
        }

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node; install Node.js 20 or later.");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, output, blob, queue, table);
        try
        {
            await DevServices.WaitForPortsAsync(process, [blob, queue, table], TimeSpan.FromSeconds(60), () => Snapshot(output), cancellationToken);

            // The ports answering is not enough: another Azurite may hold them. Ours says it listens on each.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!new[] { blob, queue, table }.All(p => Snapshot(output).Contains($"successfully listening at http://127.0.0.1:{p}", StringComparison.Ordinal)))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite did not start on 127.0.0.1:{blob}/{queue}/{table}: {Snapshot(output)}");
                }

                await Task.Delay(50, cancellationToken);
            }
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        return azurite;
    }

    /// <summary>The CPU time the emulator's process has used so far (user and system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public override string ToString() => $"Azurite on 127.0.0.1:{BlobPort}/{QueuePort}/{TablePort}: {Snapshot(_output)}";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 64 * 1024)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
