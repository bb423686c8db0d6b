using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// What one AE partition (one subject) holds live: by source, how many live AEs and a SHA-256 over their row keys and
/// contents in key order (<see cref="Origins"/>); and a SHA-256 over the live rows whole, sources and versions included
/// (<see cref="Rows"/>), the exact input of the subject's kept facts. It is a row of the partition itself (<see cref="RowKeyFor"/>), replaced in the
/// same transaction as every content change of the partition and conditional on the ETag it was computed from, so it
/// always describes the partition's rows. A re-drop of a full export compares the origins with the file's rows and reads
/// only the partitions that differ, or whose kept facts were folded from other rows (<see cref="AdverseEventTable.WriteAsync"/>).
/// </summary>
/// <remarks>
/// <para>
/// Content is what <see cref="AdverseEventTable"/> compares to decide on a new version: every property but the
/// bookkeeping ones, nulls left out, integers of either width as one. A deleted AE is not live and is left out.
/// </para>
/// <para>
/// The digest's row key is <c>%digest~</c> followed by its own partition key (<see cref="RowKeyFor"/>), a key no AE
/// id can take: <see cref="TableKey"/> writes <c>%</c> only before two hex digits. One more row keyed so, in partition
/// <see cref="CompletePartition"/>, says that every partition holding AEs has its digest (set on an empty table, or
/// after the digests of an older store were added), so a partition without one is empty. Every reader of AEs skips
/// rows whose key starts <c>%digest</c>.
/// </para>
/// <para>
/// The key differs from partition to partition because Azurite finds an entity by its row key first and then scans
/// every row holding that key for the partition: with one key shared by all digests (format 1 used <c>%digest</c>),
/// each digest written cost a pass over every other digest, and a first ingest of 100,000 AEs over 20,000 subjects
/// took five to six times the storage floor. The Table service itself looks rows up by both keys at once.
/// </para>
/// </remarks>
internal static class PartitionDigest
{
    /// <summary>How every digest's row key starts (and the whole row key of format 1's digests).</summary>
    public const string KeyPrefix = "%digest";

    /// <summary>Just above every row key starting <see cref="KeyPrefix"/>, for range filters.</summary>
    public const string KeyPrefixEnd = "%digesu";

    /// <summary>The partition of the row saying that every partition holding AEs has its digest.</summary>
    public const string CompletePartition = "%all";

    /// <summary>The digests' format, in the completeness row: a different one (or none) makes the next full export check
    /// and repair every digest first.</summary>
    public const int Format = 2;

    private const string OriginsProperty = "Origins";
    private const string RowsProperty = "Rows";

    /// <summary>Properties the service sets: not part of what a row holds.</summary>
    private static readonly HashSet<string> ServiceProperties = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp", "odata.etag" };

    /// <summary>Properties that are bookkeeping, not content: a change in them alone is not a new version.</summary>
    public static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal)
    {
        "PartitionKey", "RowKey", "Timestamp", "odata.etag", "SourceFile", "SourceSha256", "SourceLine", "Version", "Deleted", "DeletedByFile", "DeletedAt", "ChangedByFile", "ChangedAt", "FirstReceivedAt",
        "RevertedFile", "RevertedSha256", "RevertedAt",
    };

    /// <summary>
    /// The row key of the digest of partition <paramref name="partitionKey"/> (and of the completeness row, in
    /// <see cref="CompletePartition"/>): the prefix and the partition key, or, for a partition key within a few
    /// characters of the 1 KiB limit, the prefix and the key's SHA-256.
    /// </summary>
    public static string RowKeyFor(string partitionKey)
    {
        var key = $"{KeyPrefix}~{partitionKey}";
        return Encoding.Unicode.GetByteCount(key) <= TableKey.MaxKeyBytes ? key : $"{KeyPrefix}~sha256-{Convert.ToHexStringLower(SHA256.HashData(Encoding.Unicode.GetBytes(partitionKey)))}";
    }

    /// <summary>Whether a row of the AE table is a digest (or the completeness row), of this format or of format 1, not an AE.</summary>
    public static bool IsDigest(TableEntity entity) => entity.RowKey.StartsWith(KeyPrefix, StringComparison.Ordinal);

    /// <summary>Whether a row is a digest (or completeness row) of format 1, keyed <see cref="KeyPrefix"/> alone: left by an older build, removed by the repair.</summary>
    public static bool IsFormat1(TableEntity entity) => entity.RowKey == KeyPrefix;

    /// <summary>The content of these rows (one partition's, or what a file holds for it): live AEs by origin.</summary>
    public static SortedDictionary<string, string> Origins(IEnumerable<TableEntity> rows) => Compute(rows, withRows: false).Origins;

    /// <summary>The live rows whole (every property they hold), in key order: what a fold of the partition reads.</summary>
    public static string Rows(IEnumerable<TableEntity> rows) => Compute(rows, withRows: true).Rows!;

    /// <summary>
    /// Both hashes in one pass over the live rows in key order: each row's content (every property but the bookkeeping)
    /// goes to its origin's hash and, followed by its bookkeeping, to the rows hash.
    /// </summary>
    private static (SortedDictionary<string, string> Origins, string? Rows) Compute(IEnumerable<TableEntity> rows, bool withRows)
    {
        // Each row is written to one reused buffer and hashed from there: the bytes hashed are those of the whole
        // partition laid end to end, without holding them.
        var origins = new SortedDictionary<string, (IncrementalHash Hash, int Count)>(StringComparer.Ordinal);
        using var all = withRows ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var row = new ArrayBufferWriter<byte>(4096);
        var names = new List<string>();
        try
        {
            foreach (var entity in rows.Where(r => r.GetBoolean("Deleted") is not true).OrderBy(r => r.RowKey, StringComparer.Ordinal))
            {
                var origin = entity.GetString("Origin") ?? "";
                if (!origins.TryGetValue(origin, out var entry))
                {
                    // Held by the dictionary at once, so the finally below disposes it whatever happens next.
                    entry = (IncrementalHash.CreateHash(HashAlgorithmName.SHA256), 0);
                    origins[origin] = entry;
                }

                row.ResetWrittenCount();
                AppendText(row, entity.RowKey);
                Append(row, entity, names, bookkeeping: false);
                entry.Hash.AppendData(row.WrittenSpan);
                origins[origin] = (entry.Hash, entry.Count + 1);
                if (all is not null)
                {
                    all.AppendData(row.WrittenSpan);
                    row.ResetWrittenCount();
                    Append(row, entity, names, bookkeeping: true);
                    all.AppendData(row.WrittenSpan);
                }
            }

            var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            foreach (var (origin, (originHash, count)) in origins)
            {
                originHash.GetHashAndReset(hash);
                result[origin] = string.Create(CultureInfo.InvariantCulture, $"{count}:{Convert.ToHexStringLower(hash)}");
            }

            if (all is null)
            {
                return (result, null);
            }

            all.GetHashAndReset(hash);
            return (result, Convert.ToHexStringLower(hash));
        }
        finally
        {
            foreach (var (originHash, _) in origins.Values)
            {
                originHash.Dispose();
            }
        }
    }

    /// <summary>The <see cref="Rows"/> hash a digest row holds.</summary>
    public static string? RowsOf(TableEntity digest) => digest.GetString(RowsProperty);

    /// <summary>The <see cref="Origins"/> a digest row holds.</summary>
    public static SortedDictionary<string, string> Read(TableEntity digest) =>
        JsonSerializer.Deserialize<SortedDictionary<string, string>>(digest.GetString(OriginsProperty) ?? "{}") is { } origins
            ? new SortedDictionary<string, string>(origins, StringComparer.Ordinal)
            : new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The digest row of a partition holding <paramref name="rows"/> (at least one, deleted or not).</summary>
    public static TableEntity ToEntity(string partitionKey, IReadOnlyCollection<TableEntity> rows)
    {
        var (origins, all) = Compute(rows, withRows: true);
        var any = rows.First();
        return new(partitionKey, RowKeyFor(partitionKey))
        {
            ["StudyId"] = any.GetString("StudyId"),
            ["SubjectId"] = any.GetString("SubjectId"),
            [OriginsProperty] = JsonSerializer.Serialize(origins),
            [RowsProperty] = all,
        };
    }

    /// <summary>The subject whose partition a digest row describes.</summary>
    public static (string StudyId, string SubjectId) SubjectOf(TableEntity digest) => (digest.GetString("StudyId"), digest.GetString("SubjectId"));

    /// <summary>Whether two digest rows say the same.</summary>
    public static bool Same(TableEntity a, TableEntity b) =>
        a.GetString(OriginsProperty) == b.GetString(OriginsProperty) && a.GetString(RowsProperty) == b.GetString(RowsProperty);

    public static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && other == kv.Value);

    /// <summary>How many live AEs of <paramref name="origin"/> the digest counts.</summary>
    public static int LiveOf(IReadOnlyDictionary<string, string> origins, string origin) =>
        origins.TryGetValue(origin, out var entry) ? int.Parse(entry.AsSpan(0, entry.IndexOf(':', StringComparison.Ordinal)), CultureInfo.InvariantCulture) : 0;

    /// <summary>
    /// Writes a row's content properties (or, with <paramref name="bookkeeping"/>, its bookkeeping ones but those the
    /// service sets), nulls left out, in name order, length-prefixed field by field so that no two different rows write
    /// the same bytes.
    /// </summary>
    private static void Append(ArrayBufferWriter<byte> buffer, TableEntity row, List<string> names, bool bookkeeping)
    {
        names.Clear();
        foreach (var (name, value) in row)
        {
            if (value is not null && Bookkeeping.Contains(name) == bookkeeping && !ServiceProperties.Contains(name))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        AppendLength(buffer, names.Count);
        Span<char> number = stackalloc char[40];
        foreach (var name in names)
        {
            AppendText(buffer, name);
            switch (row[name])
            {
                case string text:
                    AppendTagged(buffer, 's', text);
                    break;
                case int i when i.TryFormat(number, out var written, default, CultureInfo.InvariantCulture):
                    AppendTagged(buffer, 'i', number[..written]);
                    break;
                case long l when l.TryFormat(number, out var written, default, CultureInfo.InvariantCulture):
                    AppendTagged(buffer, 'i', number[..written]);
                    break;
                case bool b:
                    AppendTagged(buffer, 'b', b ? "1" : "0");
                    break;
                case double d:
                    AppendTagged(buffer, 'd', d.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case DateTimeOffset t:
                    AppendTagged(buffer, 't', t.UtcTicks.ToString(CultureInfo.InvariantCulture));
                    break;
                case DateTime t:
                    AppendTagged(buffer, 't', new DateTimeOffset(t.ToUniversalTime()).UtcTicks.ToString(CultureInfo.InvariantCulture));
                    break;
                case Guid g:
                    AppendTagged(buffer, 'g', g.ToString("N"));
                    break;
                case byte[] bytes:
                    AppendTagged(buffer, 'x', Convert.ToBase64String(bytes));
                    break;
                case var other:
                    AppendTagged(buffer, '?', other!.GetType().Name + ":" + Convert.ToString(other, CultureInfo.InvariantCulture));
                    break;
            }
        }
    }

    private static void AppendTagged(ArrayBufferWriter<byte> buffer, char tag, ReadOnlySpan<char> text)
    {
        buffer.GetSpan(1)[0] = (byte)tag;
        buffer.Advance(1);
        AppendText(buffer, text);
    }

    private static void AppendText(ArrayBufferWriter<byte> buffer, ReadOnlySpan<char> text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        AppendLength(buffer, length);
        Encoding.UTF8.GetBytes(text, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    private static void AppendLength(ArrayBufferWriter<byte> buffer, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), length);
        buffer.Advance(4);
    }
}
