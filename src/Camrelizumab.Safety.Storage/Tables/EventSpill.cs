using System.Text;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.AdverseEvents;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// A file's accepted events, kept on local disk while the file is read and then handed out as slices of whole
/// partitions in key order, each of at most <c>sliceRows</c> rows (or one partition). Memory holds one slice and a
/// count per partition, not the file's rows; each partition's events come together, so they are written in full
/// batches and its stored rows are read once per file, however the rows of the file are ordered.
/// </summary>
public sealed class EventSpill : IAsyncDisposable
{
    private readonly int _sliceRows;
    private readonly FileStream _file;
    private readonly BinaryWriter _writer;
    private readonly Dictionary<string, int> _rowsByPartition = new(StringComparer.Ordinal);

    public EventSpill(int sliceRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceRows, 1);
        _sliceRows = sliceRows;
        _file = TemporaryFile();
        _writer = new BinaryWriter(_file, Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>Events added so far.</summary>
    public long Count { get; private set; }

    public void Add(AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        var entity = AdverseEventTable.ToEntity(adverseEvent);
        Write(_writer, entity);
        _rowsByPartition[entity.PartitionKey] = _rowsByPartition.GetValueOrDefault(entity.PartitionKey) + 1;
        Count++;
    }

    /// <summary>
    /// The events in slices of consecutive partition keys, in key order; each slice holds its partitions' every event.
    /// With no events there is one slice, empty.
    /// </summary>
    public IEnumerable<EventSlice> Slices()
    {
        _writer.Flush();
        var keys = _rowsByPartition.Keys.Order(StringComparer.Ordinal).ToList();
        var lasts = new List<string>();
        var rows = 0;
        for (var i = 0; i < keys.Count; i++)
        {
            rows += _rowsByPartition[keys[i]];
            if (i == keys.Count - 1 || rows + _rowsByPartition[keys[i + 1]] > _sliceRows)
            {
                lasts.Add(keys[i]);
                rows = 0;
            }
        }

        if (lasts.Count <= 1)
        {
            yield return new EventSlice(null, [.. Read(_file)]);
            yield break;
        }

        // Cut the spill into one file per slice (one sequential pass, an entity at a time, so memory holds one slice and
        // never the file), then hand the slices out one at a time.
        var files = lasts.Select(_ => TemporaryFile()).ToList();
        try
        {
            var writers = files.Select(f => new BinaryWriter(f, Encoding.UTF8, leaveOpen: true)).ToList();
            foreach (var entity in Read(_file))
            {
                var index = lasts.BinarySearch(entity.PartitionKey, StringComparer.Ordinal);
                Write(writers[index < 0 ? ~index : index], entity);
            }

            foreach (var writer in writers)
            {
                writer.Dispose();
            }

            for (var i = 0; i < files.Count; i++)
            {
                yield return new EventSlice(i == files.Count - 1 ? null : lasts[i], [.. Read(files[i])]);
                files[i].Dispose();
            }
        }
        finally
        {
            foreach (var file in files)
            {
                file.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _file.DisposeAsync();
    }

    private static FileStream TemporaryFile() =>
        new(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 65536, FileOptions.DeleteOnClose);

    /// <summary>The entities of a spill file, read one at a time from its start.</summary>
    private static IEnumerable<TableEntity> Read(FileStream file)
    {
        file.Position = 0;
        using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
        while (file.Position < file.Length)
        {
            var entity = new TableEntity();
            for (var n = reader.ReadInt32(); n > 0; n--)
            {
                var name = reader.ReadString();
                entity[name] = reader.ReadByte() switch
                {
                    0 => null,
                    1 => reader.ReadString(),
                    2 => reader.ReadInt32(),
                    3 => reader.ReadInt64(),
                    4 => reader.ReadDouble(),
                    5 => reader.ReadBoolean(),
                    var tag => throw new InvalidDataException($"Unknown value tag {tag} in the event spill."),
                };
            }

            yield return entity;
        }
    }

    private static void Write(BinaryWriter writer, TableEntity entity)
    {
        writer.Write(entity.Count);
        foreach (var (name, value) in entity)
        {
            writer.Write(name);
            switch (value)
            {
                case null:
                    writer.Write((byte)0);
                    break;
                case string s:
                    writer.Write((byte)1);
                    writer.Write(s);
                    break;
                case int i:
                    writer.Write((byte)2);
                    writer.Write(i);
                    break;
                case long l:
                    writer.Write((byte)3);
                    writer.Write(l);
                    break;
                case double d:
                    writer.Write((byte)4);
                    writer.Write(d);
                    break;
                case bool b:
                    writer.Write((byte)5);
                    writer.Write(b);
                    break;
                default:
                    throw new InvalidOperationException($"Property {name} of {entity.PartitionKey}/{entity.RowKey} has a type ({value.GetType().Name}) the event spill does not keep.");
            }
        }
    }
}

/// <summary>The events of consecutive partitions, whose keys sort after the previous slice's and up to <paramref name="Through"/> (null for the last slice).</summary>
public sealed record EventSlice(string? Through, List<TableEntity> Entities);
