using System.Text.Json;
using Camrelizumab.Safety.Runner.CommandLine;

namespace Camrelizumab.Safety.Runner.Hosting;

/// <summary>
/// What a running <c>safety run</c> tells the one-off commands about itself, in <c>safety-run.json</c> in its data
/// folder. <c>safety-run.lock</c> beside it is held exclusively for the life of the process, so a state file left by a
/// run that was killed is never mistaken for a live one, and a second <c>safety run</c> on the folder is refused.
/// </summary>
/// <param name="ConnectionString">
/// The connection string of the Azurite it started (the emulator's published development key); <c>null</c> when the
/// run was given a connection string of its own, which is a secret and is not written down.
/// </param>
internal sealed record RunState(int ProcessId, DateTimeOffset StartedAt, string DataFolder, string? ConnectionString, string BlobEndpoint, string Inbox, string MailFolder)
{
    private const string StateFile = "safety-run.json";
    private const string LockFile = "safety-run.lock";

    /// <summary>Takes the data folder for this process, or refuses because another <c>safety run</c> holds it.</summary>
    public static FileStream Lock(DirectoryInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Inputs.CreateDirectory("--data", data.FullName);
        try
        {
            return new FileStream(Path.Combine(data.FullName, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var running = Read(data);
            throw new InputError(running is null
                ? $"another safety run is starting on data folder {data.FullName}; use it, or give this one another --data folder."
                : $"safety run is already running on data folder {data.FullName} (process {running.ProcessId}, since {running.StartedAt:yyyy-MM-dd HH:mm:ss}Z); use it, or stop it first.");
        }
    }

    public void Write()
    {
        var path = Path.Combine(DataFolder, StateFile);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, JsonSerializerOptions.Web));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public void Remove() => File.Delete(Path.Combine(DataFolder, StateFile));

    /// <summary>The live run on a data folder, or a one-line refusal saying what to pass instead.</summary>
    public static RunState FindRunning(DirectoryInfo data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var instead = "or pass --connection-string (Azurite) or --account NAME (Azure)";
        if (!IsLocked(data))
        {
            throw new InputError($"no safety run is running on data folder {data.FullName}; start `safety run --data {data.FullName}` in another terminal first, {instead}.");
        }

        return Read(data) ?? throw new InputError($"safety run on data folder {data.FullName} is still starting; try again in a few seconds, {instead}.");
    }

    private static bool IsLocked(DirectoryInfo data)
    {
        var path = Path.Combine(data.FullName, LockFile);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static RunState? Read(DirectoryInfo data)
    {
        try
        {
            return JsonSerializer.Deserialize<RunState>(File.ReadAllText(Path.Combine(data.FullName, StateFile)), JsonSerializerOptions.Web);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }
}
