using System.CommandLine;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Camrelizumab.Safety.Runner.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace Camrelizumab.Safety.Runner.Hosting;

/// <summary>
/// The storage a command talks to, decided in one place for every command: an Azurite or account connection string,
/// a storage account signed in with Entra ID (<see cref="DefaultAzureCredential"/>, as <c>az</c> users expect), or
/// the <c>safety run</c> running on the data folder. A one-off command never starts an emulator of its own.
/// </summary>
internal sealed record StorageTarget(string Description, string? ConnectionString, Uri? BlobServiceUri, Uri? TableServiceUri)
{
    public const string ConnectionStringVariable = "SAFETY_Storage__ConnectionString";

    /// <summary>Settings for <see cref="SafetyRuntime.StartAsync"/>.</summary>
    public Dictionary<string, string?> Settings() =>
        ConnectionString is null ? [] : new() { ["Storage:ConnectionString"] = ConnectionString };

    /// <summary>Registers identity-based clients when the target is an account; the pipeline then uses them.</summary>
    public void Register(IServiceCollection services)
    {
        if (BlobServiceUri is null || TableServiceUri is null)
        {
            return;
        }

        TokenCredential credential = new DefaultAzureCredential();
        services.AddSingleton(new BlobServiceClient(BlobServiceUri, credential));
        services.AddSingleton(new TableServiceClient(TableServiceUri, credential));
    }

    /// <summary>The options every storage command takes, added to the command.</summary>
    public sealed class Choice
    {
        private readonly Option<DirectoryInfo> _data = new("--data") { Description = "Data folder of the running `safety run` to talk to", DefaultValueFactory = _ => new DirectoryInfo(".safety-data") };
        private readonly Option<string?> _connectionString = new("--connection-string") { Description = $"A storage connection string, e.g. Azurite's (or {ConnectionStringVariable})" };
        private readonly Option<string?> _account = new("--account") { Description = "An Azure storage account name; signs in with Entra ID (az login, managed identity, environment)" };
        private readonly Option<string?> _blobUri = new("--blob-service-uri") { Description = "Blob service URI of the account (with --table-service-uri, instead of --account)" };
        private readonly Option<string?> _tableUri = new("--table-service-uri") { Description = "Table service URI of the account" };

        public Choice(Command command)
        {
            ArgumentNullException.ThrowIfNull(command);
            command.Options.Add(_data);
            command.Options.Add(_connectionString);
            command.Options.Add(_account);
            command.Options.Add(_blobUri);
            command.Options.Add(_tableUri);
        }

        public StorageTarget Resolve(ParseResult parse)
        {
            ArgumentNullException.ThrowIfNull(parse);
            return StorageTarget.Resolve(
                parse.GetValue(_data)!,
                parse.GetValue(_connectionString),
                parse.GetValue(_account),
                parse.GetValue(_blobUri),
                parse.GetValue(_tableUri),
                Environment.GetEnvironmentVariable(ConnectionStringVariable));
        }
    }

    /// <summary>
    /// In order: an explicit connection string; an account (by name or service URIs); the connection string in the
    /// environment; the <c>safety run</c> running on the data folder. Mixed choices are refused, not guessed between.
    /// </summary>
    public static StorageTarget Resolve(DirectoryInfo data, string? connectionString, string? account, string? blobUri, string? tableUri, string? environmentConnectionString)
    {
        ArgumentNullException.ThrowIfNull(data);
        var identity = account is not null || blobUri is not null || tableUri is not null;
        if (connectionString is not null && identity)
        {
            throw new InputError("--connection-string and --account/--blob-service-uri name two storages; give one of them.");
        }

        if (account is not null && (blobUri is not null || tableUri is not null))
        {
            throw new InputError($"--account {account} and --blob-service-uri/--table-service-uri name the account twice; give the name or the two URIs.");
        }

        if (account is not null)
        {
            if (account.Length is < 3 or > 24 || !account.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
            {
                throw new InputError($"--account {account} is not a storage account name (3 to 24 lower-case letters and digits); give the name as in the Azure portal.");
            }

            return new($"storage account {account} (Entra ID)", null, new Uri($"https://{account}.blob.core.windows.net"), new Uri($"https://{account}.table.core.windows.net"));
        }

        if (blobUri is not null || tableUri is not null)
        {
            if (blobUri is null || tableUri is null)
            {
                throw new InputError("--blob-service-uri and --table-service-uri go together; give both, or --account NAME.");
            }

            return new($"{blobUri} (Entra ID)", null, ServiceUri("--blob-service-uri", blobUri), ServiceUri("--table-service-uri", tableUri));
        }

        if (connectionString is not null)
        {
            return string.IsNullOrWhiteSpace(connectionString)
                ? throw new InputError("--connection-string is empty; give the connection string, or leave the option out to use the running safety run.")
                : new("the given connection string", connectionString, null, null);
        }

        if (!string.IsNullOrWhiteSpace(environmentConnectionString))
        {
            return new(ConnectionStringVariable, environmentConnectionString, null, null);
        }

        var running = RunState.FindRunning(data);
        return running.ConnectionString is null
            ? throw new InputError($"safety run on data folder {data.FullName} was given its own connection string, which it does not write down; pass the same --connection-string.")
            : new($"safety run on {running.DataFolder} (process {running.ProcessId})", running.ConnectionString, null, null);
    }

    private static Uri ServiceUri(string option, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            ? uri
            : throw new InputError($"{option} {text} is not a service URI; give it like https://ACCOUNT.blob.core.windows.net.");
}
