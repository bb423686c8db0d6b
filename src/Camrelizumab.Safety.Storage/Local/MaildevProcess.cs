using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Camrelizumab.Safety.Storage.Local;

/// <summary>
/// maildev (the npm package pinned in the root package.json): a real SMTP server on a free loopback port, whose
/// messages are read through its REST API under <c>/api</c>. For benchmarks and tests, never for real mail.
/// </summary>
public sealed class MaildevProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private MaildevProcess(Process process, string directory, int smtpPort, int webPort)
    {
        _process = process;
        _directory = directory;
        SmtpPort = smtpPort;
        WebPort = webPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/") };
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    /// <param name="install">Run <c>npm ci</c> when maildev is not installed yet.</param>
    public static async Task<MaildevProcess> StartAsync(bool install, CancellationToken cancellationToken)
    {
        var root = DevServices.FindRepositoryRoot();
        var script = await DevServices.EnsureInstalledAsync(root, Path.Combine("maildev", "dist", "bin", "maildev.js"), install, cancellationToken);
        var (smtp, web) = (DevServices.FreeLoopbackPort(), DevServices.FreeLoopbackPort());
        var directory = Directory.CreateTempSubdirectory("maildev-").FullName;
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            script, "--ip", "127.0.0.1", "--web-ip", "127.0.0.1",
            "--smtp", smtp.ToString(CultureInfo.InvariantCulture), "--web", web.ToString(CultureInfo.InvariantCulture),
            "--mail-directory", directory,
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node; install Node.js 20 or later.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var maildev = new MaildevProcess(process, directory, smtp, web);
        try
        {
            await DevServices.WaitForPortsAsync(process, [smtp, web], TimeSpan.FromSeconds(30), () => "maildev did not start", cancellationToken);
            return maildev;
        }
        catch
        {
            await maildev.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every message maildev holds, as its API returns them (subject, date, to, …).</summary>
    public async Task<List<JsonElement>> MessagesAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<List<JsonElement>>("api/email", cancellationToken) ?? [];

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
