namespace Camrelizumab.Safety.Storage;

/// <summary>A name for this host process on the claims and leases it takes: machine, process id and a random suffix.</summary>
internal static class HostName
{
    public static string New() => $"{Environment.MachineName}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}";
}
