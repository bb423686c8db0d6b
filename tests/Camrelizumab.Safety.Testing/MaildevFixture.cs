using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Camrelizumab.Safety.Storage.Local;

namespace Camrelizumab.Safety.Testing;

/// <summary>A real SMTP server (npm maildev) on loopback; what arrived is read through its REST API under <c>/api</c>.</summary>
public sealed class MaildevFixture : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private Process? _process;
    private string? _directory;

    public int SmtpPort { get; private set; }

    public int WebPort { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var root = DevServices.FindRepositoryRoot();
        var script = await DevServices.EnsureInstalledAsync(root, Path.Combine("maildev", "dist", "bin", "maildev.js"), install: true, CancellationToken.None);
        SmtpPort = DevServices.FreeLoopbackPort();
        WebPort = DevServices.FreeLoopbackPort();
        _directory = Directory.CreateTempSubdirectory("maildev-").FullName;
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            script, "--ip", "127.0.0.1", "--web-ip", "127.0.0.1",
            "--smtp", SmtpPort.ToString(CultureInfo.InvariantCulture), "--web", WebPort.ToString(CultureInfo.InvariantCulture),
            "--mail-directory", _directory,
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start maildev.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await DevServices.WaitForPortsAsync(_process, [SmtpPort, WebPort], TimeSpan.FromSeconds(30), () => "maildev did not start", CancellationToken.None);

        // Another process may own a port we were told was free; ours must still be running once the ports answer.
        await Task.Delay(300);
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"maildev exited (code {_process.ExitCode}); ports {SmtpPort}/{WebPort} were taken.");
        }
        _http.BaseAddress = new Uri($"http://127.0.0.1:{WebPort}/");
    }

    /// <summary>Every message maildev holds.</summary>
    public async Task<List<JsonElement>> MessagesAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<List<JsonElement>>("api/email", cancellationToken) ?? [];

    /// <summary>The raw source of one message.</summary>
    public Task<string> SourceAsync(string id, CancellationToken cancellationToken) =>
        _http.GetStringAsync($"api/email/{id}/source", cancellationToken);

    /// <summary>Deletes every message, so a test starts from an empty mailbox.</summary>
    public async Task ClearAsync(CancellationToken cancellationToken) =>
        (await _http.DeleteAsync("api/email/all", cancellationToken)).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
