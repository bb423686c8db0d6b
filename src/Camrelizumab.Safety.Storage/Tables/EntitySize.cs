using Azure.Data.Tables;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// Checks an entity against Azure Table storage limits before it is written: at most 252 custom properties, 1 MiB in
/// all, 64 KiB per string or binary property. Azurite does not enforce these; Azure rejects the whole batch.
/// </summary>
/// <remarks>Sizes follow Azure's published formula: 4 + 2·len(PK) + 2·len(RK) + Σ (8 + 2·len(name) + value size).</remarks>
public static class EntitySize
{
    public const int MaxProperties = 252;
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxPropertyBytes = 64 * 1024;

    public static long Of(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        long size = 4 + (2 * entity.PartitionKey.Length) + (2 * entity.RowKey.Length);
        foreach (var (name, value) in entity)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")
            {
                continue;
            }

            size += 8 + (2 * name.Length) + ValueSize(value);
        }

        return size;
    }

    public static void Check(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var properties = entity.Keys.Count(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"));
        if (properties > MaxProperties)
        {
            throw new InvalidOperationException($"Entity {entity.PartitionKey}/{entity.RowKey} has {properties} properties; Azure allows {MaxProperties}.");
        }

        foreach (var (name, value) in entity)
        {
            if (ValueSize(value) > MaxPropertyBytes)
            {
                throw new InvalidOperationException($"Property {name} of entity {entity.PartitionKey}/{entity.RowKey} is over 64 KiB.");
            }
        }

        var size = Of(entity);
        if (size > MaxEntityBytes)
        {
            throw new InvalidOperationException($"Entity {entity.PartitionKey}/{entity.RowKey} is {size:N0} bytes; Azure allows {MaxEntityBytes:N0}.");
        }
    }

    private static long ValueSize(object? value) => value switch
    {
        null => 0,
        string s => 4 + (2L * s.Length),
        byte[] b => 4 + b.Length,
        BinaryData b => 4 + b.ToMemory().Length,
        bool => 1,
        int => 4,
        long or double or DateTime or DateTimeOffset => 8,
        Guid => 16,
        _ => 8,
    };
}
