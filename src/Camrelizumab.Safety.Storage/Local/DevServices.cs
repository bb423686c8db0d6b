using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Camrelizumab.Safety.Storage.Local;

/// <summary>
/// Finds the repository's pinned npm dev services (Azurite, maildev) and installs them with <c>npm ci</c> when they are
/// missing. Used by <c>safety demo</c>, <c>safety run</c> and the tests; never in Azure.
/// </summary>
public static class DevServices
{
    /// <summary>The folder with the root <c>package.json</c>, searched upwards from the working and the base directory.</summary>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "Camrelizumab.Safety.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DevServicesUnavailableException(
            "the local Azurite comes from the repository's node_modules, and neither this folder nor the program's is inside the repository (the folder with package.json and Camrelizumab.Safety.sln). Run from inside the repository, or give a storage connection string (--connection-string or SAFETY_Storage__ConnectionString).");
    }

    /// <summary>The path of an npm package's entry script, running <c>npm ci</c> first when the package is missing.</summary>
    public static async Task<string> EnsureInstalledAsync(string root, string relativeScript, bool install, CancellationToken cancellationToken)
    {
        var script = Path.Combine(root, "node_modules", relativeScript);
        if (File.Exists(script))
        {
            return script;
        }

        if (!install)
        {
            throw new DevServicesUnavailableException($"{script} is missing. Run `npm ci` in {root} (needs Node.js 20 or later).");
        }

        // Test assemblies run in parallel processes: only one may run npm ci; the others wait and then find the script.
        await using var installLock = await AcquireLockAsync(Path.Combine(root, "node_modules.install.lock"), cancellationToken);
        if (File.Exists(script))
        {
            return script;
        }

        using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new DevServicesUnavailableException("Could not start npm. Install Node.js 20 or later, then run `npm ci` in " + root + ".");
        var stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
        _ = npm.StandardOutput.ReadToEndAsync(cancellationToken);
        await npm.WaitForExitAsync(cancellationToken);
        if (npm.ExitCode != 0 || !File.Exists(script))
        {
            throw new DevServicesUnavailableException($"`npm ci` in {root} failed (exit {npm.ExitCode}): {await stderr}");
        }

        return script;
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    /// <summary>A TCP port on 127.0.0.1 that is free right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until every port accepts a TCP connection on 127.0.0.1.</summary>
    public static async Task WaitForPortsAsync(Process process, IEnumerable<int> ports, TimeSpan timeout, Func<string> diagnostics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var deadline = Stopwatch.StartNew();
        foreach (var port in ports)
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{process.StartInfo.FileName} exited with code {process.ExitCode} before listening on {port}: {diagnostics()}");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                    break;
                }
                catch (SocketException) when (deadline.Elapsed < timeout)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }
        }
    }
}
