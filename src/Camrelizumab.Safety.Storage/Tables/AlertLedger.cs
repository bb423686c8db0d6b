using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Text;
using Camrelizumab.Safety.Storage.Mail;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// The outbox: a message is reserved (Pending) before it is sent and marked Sent after. A reservation that already
/// exists is never duplicated, so the same crossing cannot be sent twice; a Pending entry is retried on the next run.
/// PartitionKey = category, RowKey = message id.
/// </summary>
public sealed class AlertLedger(TableClient table, TimeProvider timeProvider)
{
    /// <summary>Reserves the message; says whether this call created the entry and what status the entry has now.</summary>
    public async Task<Reservation> ReserveAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var entity = new TableEntity(TableKey.Encode(KebabCase.Name(message.Category)), TableKey.Encode(message.Id))
        {
            ["Status"] = nameof(LedgerStatus.Pending),
            ["MessageId"] = message.Content.MessageId,
            ["Subject"] = message.Content.Subject,
            ["PlainText"] = message.Content.PlainText,
            ["Html"] = message.Content.Html,
            ["Recipients"] = string.Join(';', message.Recipients),
            ["ReservedAt"] = timeProvider.GetUtcNow(),
            ["Attempts"] = 0,
        };
        foreach (var (key, value) in message.Details)
        {
            entity[key] = value;
        }

        EntitySize.Check(entity);
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return new Reservation(true, LedgerStatus.Pending);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
            return new Reservation(false, Enum.Parse<LedgerStatus>(existing.Value.GetString("Status")));
        }
    }

    /// <summary>Every entry still waiting to be sent, whatever its category.</summary>
    public async Task<List<AlertLedgerEntry>> PendingAsync(CancellationToken cancellationToken)
    {
        var result = new List<AlertLedgerEntry>();
        var filter = TableClient.CreateQueryFilter($"Status eq {nameof(LedgerStatus.Pending)}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(AlertLedgerEntry.Of(entity));
        }

        return result;
    }

    private async Task<List<TableEntity>> ReadCategoryAsync(MessageCategory category, CancellationToken cancellationToken) =>
        await TableBatches.ReadAllAsync(table, TableKey.Encode(KebabCase.Name(category)), cancellationToken);

    /// <summary>The entry of this category and id; <c>null</c> when nothing was reserved under it.</summary>
    public async Task<AlertLedgerEntry?> FindAsync(MessageCategory category, string id, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TableKey.Encode(KebabCase.Name(category)), TableKey.Encode(id), cancellationToken: cancellationToken);
        return response.HasValue ? AlertLedgerEntry.Of(response.Value!) : null;
    }

    /// <summary>Every entry with this id, whatever its category (an alert id is unique across categories).</summary>
    private async Task<List<TableEntity>> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        var result = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {TableKey.Encode(id)}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(entity);
        }

        return result;
    }

    /// <summary>
    /// Acknowledges an alert so that it is not escalated; <c>null</c> when no alert has this id (in any case). The first
    /// acknowledgement stands (<c>AcknowledgedBy</c>, <c>AcknowledgedAt</c>); every one, repeated or not, is appended to
    /// the entry's <c>AcknowledgementTrail</c>. Each write is conditioned on the ETag read, so an acknowledgement and a
    /// concurrent escalation or send never overwrite each other: on a conflict the entry is read again and the write retried.
    /// </summary>
    public async Task<Acknowledgement?> AcknowledgeAsync(string id, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var entries = await FindByIdAsync(id, cancellationToken);
        if (entries.Count == 0)
        {
            entries = await FindByIdIgnoringCaseAsync(id, cancellationToken);
        }

        Acknowledgement? result = null;
        foreach (var entry in entries)
        {
            result = await AcknowledgeEntryAsync(entry, by, cancellationToken);
        }

        return result;
    }

    /// <summary>Every entry of the given categories, oldest reservation first.</summary>
    private async Task<List<TableEntity>> ReadCategoriesAsync(IEnumerable<MessageCategory> categories, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var result = new List<TableEntity>();
        foreach (var category in categories)
        {
            result.AddRange(await ReadCategoryAsync(category, cancellationToken));
        }

        return [.. result.OrderBy(e => e.GetDateTimeOffset("ReservedAt"))];
    }

    private async Task<Acknowledgement> AcknowledgeEntryAsync(TableEntity entry, string by, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = timeProvider.GetUtcNow();
            var earlier = entry.GetDateTimeOffset("AcknowledgedAt");
            var trail = entry.GetString("AcknowledgementTrail") is { } json ? JsonSerializer.Deserialize<List<AcknowledgementEntry>>(json)! : [];
            trail.Add(new AcknowledgementEntry(by, now));
            entry["AcknowledgementTrail"] = JsonSerializer.Serialize(trail);
            if (earlier is null)
            {
                entry["AcknowledgedAt"] = now;
                entry["AcknowledgedBy"] = by;
            }

            EntitySize.Check(entry);
            try
            {
                await table.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace, cancellationToken);
                return new Acknowledgement(TableKey.Decode(entry.RowKey), entry.GetString("AcknowledgedBy"), entry.GetDateTimeOffset("AcknowledgedAt")!.Value, earlier is not null);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                entry = (await table.GetEntityAsync<TableEntity>(entry.PartitionKey, entry.RowKey, cancellationToken: cancellationToken)).Value;
            }
        }
    }

    /// <summary>People type ids from emails in any case; ids are few enough to compare all of them.</summary>
    private async Task<List<TableEntity>> FindByIdIgnoringCaseAsync(string id, CancellationToken cancellationToken)
    {
        var result = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (string.Equals(TableKey.Decode(entity.RowKey), id.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                result.Add(entity);
            }
        }

        return result;
    }

    private sealed record AcknowledgementEntry(string By, DateTimeOffset At);

    /// <summary>Entries of the given categories that <see cref="Escalation.IsDue"/> says are due for escalation now.</summary>
    public async Task<List<AlertLedgerEntry>> DueForEscalationAsync(IEnumerable<MessageCategory> categories, DateTimeOffset now, TimeSpan after, CancellationToken cancellationToken)
    {
        var result = new List<AlertLedgerEntry>();
        foreach (var category in categories)
        {
            foreach (var entity in await ReadCategoryAsync(category, cancellationToken))
            {
                var sent = entity.GetString("Status") == nameof(LedgerStatus.Sent) ? entity.GetDateTimeOffset("SentAt") : null;
                if (Escalation.IsDue(new SentAlert(sent, entity.GetDateTimeOffset("AcknowledgedAt"), entity.GetBoolean("Escalated") is true), now, after))
                {
                    result.Add(AlertLedgerEntry.Of(entity));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Marks a crossing (or a possible crossing, with its <paramref name="outcome"/>: <c>confirmed</c> or <c>cleared</c>)
    /// as no longer standing, conditioned on the entry as read. False when the entry changed since it was read (another
    /// host resolved it, or it was acknowledged): the next run reads it again.
    /// </summary>
    public Task<bool> TryMarkClearedAsync(AlertLedgerEntry entry, DateTimeOffset at, string evaluationId, string? outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var fields = new Dictionary<string, object?> { ["ClearedAt"] = at, ["ClearedByEvaluation"] = evaluationId };
        if (outcome is not null)
        {
            fields["Outcome"] = outcome;
        }

        return TryUpdateAsync(entry.Row, fields, cancellationToken);
    }

    /// <summary>Marks an alert escalated, conditioned on the entry as read; false when it changed since (acknowledged, or another host escalated it).</summary>
    public Task<bool> TryMarkEscalatedAsync(AlertLedgerEntry entry, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return TryUpdateAsync(entry.Row, new Dictionary<string, object?> { ["Escalated"] = true, ["EscalatedAt"] = at }, cancellationToken);
    }

    /// <summary>Sets fields on an entry with optimistic concurrency; false on a 412 (the entry changed since it was read).</summary>
    private async Task<bool> TryUpdateAsync(TableEntity entity, IReadOnlyDictionary<string, object?> fields, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in fields)
        {
            entity[key] = value;
        }

        try
        {
            await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>The category's entries, typed.</summary>
    public async Task<List<AlertLedgerEntry>> ReadEntriesAsync(MessageCategory category, CancellationToken cancellationToken) =>
        [.. (await ReadCategoryAsync(category, cancellationToken)).Select(AlertLedgerEntry.Of)];

    /// <summary>The entries of several categories, typed.</summary>
    public async Task<List<AlertLedgerEntry>> ReadEntriesAsync(IEnumerable<MessageCategory> categories, CancellationToken cancellationToken) =>
        [.. (await ReadCategoriesAsync(categories, cancellationToken)).Select(AlertLedgerEntry.Of)];

    /// <summary>Records that an expedited alert's arm update was reserved; false when another host recorded it first.</summary>
    public Task<bool> TryMarkArmUpdatedAsync(AlertLedgerEntry entry, string arm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return TryUpdateAsync(entry.Row, new Dictionary<string, object?> { ["ArmUpdated"] = true, ["ArmUpdatedTo"] = arm }, cancellationToken);
    }

    /// <summary>
    /// Takes the send lease on a Pending entry read by <see cref="PendingAsync"/>: a write conditioned on the ETag read,
    /// so of several hosts that read the same entry exactly one gets it. Returns the leased entry (with its new ETag), or
    /// <c>null</c> when the entry is not due: sent already, leased by another host until later, waiting out a back-off,
    /// or changed since it was read (another host got there first).
    /// </summary>
    public async Task<AlertLedgerEntry?> TryLeaseAsync(AlertLedgerEntry entry, string holder, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var entity = entry.Row;
        var now = timeProvider.GetUtcNow();
        if (entity.GetString("Status") != nameof(LedgerStatus.Pending)
            || entity.GetDateTimeOffset("LeaseUntil") > now
            || entity.GetDateTimeOffset("NextAttemptAt") > now)
        {
            return null;
        }

        entity["LeaseHolder"] = holder;
        entity["LeaseUntil"] = now + lease;
        entity["Attempts"] = (entity.GetInt32("Attempts") ?? 0) + 1;
        entity["LastAttemptAt"] = now;
        try
        {
            var response = await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            entity.ETag = response.Headers.ETag ?? throw new InvalidOperationException("The table service returned no ETag for the lease.");
            return AlertLedgerEntry.Of(entity);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Marks a leased entry Sent, conditioned on the lease's ETag. False when the lease was lost (it expired and another
    /// host took it): that host sends the same message again, with the same Message-ID — the one duplicate a crash or a
    /// send slower than the lease allows.
    /// </summary>
    public async Task<bool> MarkSentAsync(AlertLedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var leased = entry.Row;
        leased["Status"] = nameof(LedgerStatus.Sent);
        leased["SentAt"] = timeProvider.GetUtcNow();
        leased.Remove("LeaseUntil");
        leased.Remove("NextAttemptAt");
        try
        {
            await table.UpdateEntityAsync(leased, leased.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Records a failed send on a leased entry and releases the lease; the entry is not due again before
    /// <see cref="RetryDelay"/> has passed, so a dead mail server is not hammered. A lost lease is left to its new holder.
    /// </summary>
    public async Task RecordFailureAsync(AlertLedgerEntry entry, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(error);
        var leased = entry.Row;
        var now = timeProvider.GetUtcNow();
        leased["LastError"] = error.Length > 2000 ? error[..2000] : error;
        leased["NextAttemptAt"] = now + RetryDelay(leased.GetInt32("Attempts") ?? 1);
        leased.Remove("LeaseUntil");
        try
        {
            await table.UpdateEntityAsync(leased, leased.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // The lease expired and another host holds the entry now; its outcome stands.
        }
    }

    /// <summary>Back-off after the n-th failed attempt: 30 s, doubling, at most 15 minutes.</summary>
    public static TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Max(0, attempts - 1)), 15 * 60));
}
