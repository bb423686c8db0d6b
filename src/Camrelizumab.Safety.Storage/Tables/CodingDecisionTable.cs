using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ctcae;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// Coder decisions, every version kept: PartitionKey = SHA-256 of the normalized verbatim (fixed length, whatever the
/// text), RowKey = version (zero-padded). A version is inserted, never replaced, so the table is its own audit trail
/// (who, when, why, what it replaced); two coders deciding at once cannot both write the same version.
/// </summary>
public sealed class CodingDecisionTable(TableClient table, CtcaeDictionary dictionary)
{
    private const int MaxAttempts = 5;

    /// <summary>Records a new version: <paramref name="term"/> assigned, or <c>null</c> to revoke the decision in force.
    /// The same decision again (same term, coder and reason as the one in force) records nothing, so a decisions file
    /// processed twice, or by two hosts at once, adds one version.</summary>
    /// <returns>The decision in force afterwards, and whether this call recorded it.</returns>
    /// <exception cref="InvalidOperationException">Revoking when no decision is in force.</exception>
    public async Task<(CodingDecision Decision, bool Recorded)> RecordAsync(string verbatim, CtcaeTerm? term, string decidedBy, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(verbatim);
        ArgumentException.ThrowIfNullOrWhiteSpace(decidedBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var key = CodingDecisions.KeyOf(verbatim);
        if (key.Length == 0)
        {
            throw new InvalidOperationException("The verbatim text has no letters or digits; there is nothing to code.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var versions = await ReadVersionsAsync(key, cancellationToken);
            var current = versions.LastOrDefault();
            if (current is not null && current.Term == term && current.DecidedBy == decidedBy && current.Reason == reason)
            {
                return (current, false);
            }

            if (term is null && current is not { IsRevoked: false })
            {
                throw new InvalidOperationException($"No coder decision is in force for '{verbatim}'; there is nothing to revoke.");
            }

            var decision = new CodingDecision(key, verbatim, term, (current?.Version ?? 0) + 1, decidedBy, at, reason, current?.Term?.Name);
            try
            {
                await table.AddEntityAsync(ToEntity(decision), cancellationToken);
                return (decision, true);
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && attempt < MaxAttempts)
            {
                // Another coder wrote this version first: read again and build on theirs.
            }
        }
    }

    /// <summary>Every version of every decision; <see cref="CodingDecisions"/> picks the latest per verbatim.</summary>
    public async Task<CodingDecisions> ReadAllAsync(CancellationToken cancellationToken) =>
        new((await TableBatches.ReadAllAsync(table, null, cancellationToken)).Select(FromEntity));

    /// <summary>Every version of the decision for one verbatim, oldest first: the audit trail.</summary>
    public async Task<List<CodingDecision>> ReadVersionsAsync(string verbatimKey, CancellationToken cancellationToken) =>
        [.. (await TableBatches.ReadAllAsync(table, PartitionKeyFor(verbatimKey), cancellationToken)).Select(FromEntity).OrderBy(d => d.Version)];

    private static string PartitionKeyFor(string verbatimKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(verbatimKey)))[..32];

    private static TableEntity ToEntity(CodingDecision d)
    {
        var entity = new TableEntity(PartitionKeyFor(d.VerbatimKey), d.Version.ToString("D6", CultureInfo.InvariantCulture))
        {
            ["VerbatimKey"] = d.VerbatimKey,
            ["Verbatim"] = d.Verbatim,
            ["CtcaeTerm"] = d.Term?.Name,
            ["MedDraCode"] = d.Term?.Code.Value,
            ["Version"] = d.Version,
            ["DecidedBy"] = d.DecidedBy,
            ["DecidedAt"] = d.DecidedAt,
            ["Reason"] = d.Reason,
            ["PreviousTerm"] = d.PreviousTerm,
            ["Revoked"] = d.IsRevoked,
        };
        EntitySize.Check(entity);
        return entity;
    }

    private CodingDecision FromEntity(TableEntity e) => new(
        e.GetString("VerbatimKey"),
        e.GetString("Verbatim"),
        e.GetInt32("MedDraCode") is { } code
            ? dictionary.Find(new MedDraCode(code)) ?? throw new InvalidOperationException($"Stored coding decision {e.PartitionKey}/{e.RowKey} has MedDRA code {code}, which is not in {CtcaeDictionary.Version}.")
            : null,
        e.GetInt32("Version") ?? 0,
        e.GetString("DecidedBy"),
        e.GetDateTimeOffset("DecidedAt") ?? DateTimeOffset.MinValue,
        e.GetString("Reason"),
        e.GetString("PreviousTerm"));
}
