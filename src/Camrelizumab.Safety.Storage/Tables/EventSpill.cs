using System.Buffers.Binary;
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
    private readonly BlockWriter _writer;
    private readonly Dictionary<string, int> _rowsByPartition = new(StringComparer.Ordinal);

    public EventSpill(int sliceRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceRows, 1);
        _sliceRows = sliceRows;
        _file = TemporaryFile();
        _writer = new BlockWriter(_file, MainBlockBytes);
    }

    /// <summary>Events added so far.</summary>
    public long Count { get; private set; }

    public void Add(AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        var entity = AdverseEventTable.ToEntity(adverseEvent);
        _writer.Write(entity);
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

        foreach (var slice in Cut(_file, lasts, 0, lasts.Count))
        {
            yield return slice;
        }
    }

    /// <summary>
    /// Slices <paramref name="from"/> to <paramref name="to"/> (exclusive) of <paramref name="lasts"/>, whose records
    /// are all in <paramref name="source"/>, handed out one at a time: one sequential pass, a record at a time, cuts the
    /// source into at most <see cref="MaxFanOut"/> files of consecutive slices; a file of one slice is then read and
    /// handed out, a file of several is cut again the same way. So memory holds one slice and <see cref="MaxFanOut"/>
    /// writers' blocks, never the file, and a file of many slices costs a pass over the spill more, not more memory.
    /// </summary>
    private static IEnumerable<EventSlice> Cut(FileStream source, List<string> lasts, int from, int to)
    {
        var groups = Math.Min(MaxFanOut, to - from);
        var bounds = Enumerable.Range(0, groups + 1).Select(g => from + (int)((long)(to - from) * g / groups)).ToArray();
        var files = Enumerable.Range(0, groups).Select(_ => TemporaryFile()).ToList();
        try
        {
            var writers = files.Select(f => new BlockWriter(f, SliceBlockBytes)).ToList();
            foreach (var (partitionKey, record) in Records(source))
            {
                var index = lasts.BinarySearch(from, to - from, partitionKey, StringComparer.Ordinal);
                var group = Array.BinarySearch(bounds, index < 0 ? ~index : index);
                writers[group < 0 ? ~group - 1 : group].WriteRecord(record.Span);
            }

            foreach (var writer in writers)
            {
                writer.Dispose();
            }

            for (var g = 0; g < groups; g++)
            {
                if (bounds[g + 1] - bounds[g] == 1)
                {
                    var slice = bounds[g];
                    yield return new EventSlice(slice == lasts.Count - 1 ? null : lasts[slice], [.. Read(files[g])]);
                }
                else
                {
                    foreach (var slice in Cut(files[g], lasts, bounds[g], bounds[g + 1]))
                    {
                        yield return slice;
                    }
                }

                files[g].Dispose();
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
        _writer.Dispose();
        await _file.DisposeAsync();
    }

    /// <summary>Bytes of entities the spill collects in memory before writing them to its file as one block.</summary>
    private const int MainBlockBytes = 1 << 20;

    /// <summary>The same for each file the spill is cut into: smaller, as <see cref="MaxFanOut"/> are written at once.</summary>
    private const int SliceBlockBytes = 1 << 16;

    /// <summary>Files a pass over the spill (or over a part of it) is cut into at most.</summary>
    internal const int MaxFanOut = 16;

    private static FileStream TemporaryFile() =>
        new(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 65536, FileOptions.DeleteOnClose);

    /// <summary>
    /// The entities of a spill file, read one at a time from its start. The file is a sequence of blocks (a length, then
    /// that many bytes of records), each read whole and parsed from memory: reading the file field by field costs
    /// several times as much. A record is its length, the entity's partition key, then its properties.
    /// </summary>
    private static IEnumerable<TableEntity> Read(FileStream file)
    {
        foreach (var reader in Blocks(file))
        {
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                reader.ReadInt32();
                reader.ReadString();
                yield return ReadEntity(reader);
            }
        }
    }

    /// <summary>The records of a spill file as they are, with their partition keys: for cutting the spill into slices
    /// without parsing the entities.</summary>
    private static IEnumerable<(string PartitionKey, ReadOnlyMemory<byte> Record)> Records(FileStream file)
    {
        foreach (var reader in Blocks(file))
        {
            var block = ((MemoryStream)reader.BaseStream).GetBuffer();
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                var length = reader.ReadInt32();
                var start = (int)reader.BaseStream.Position;
                var partitionKey = reader.ReadString();
                reader.BaseStream.Position = start + length;
                yield return (partitionKey, block.AsMemory(start, length));
            }
        }
    }

    /// <summary>Each block of a spill file, read whole, as a reader over it.</summary>
    private static IEnumerable<BinaryReader> Blocks(FileStream file)
    {
        file.Position = 0;
        var length = file.Length;
        var header = new byte[sizeof(int)];
        var block = Array.Empty<byte>();
        while (file.Position < length)
        {
            file.ReadExactly(header);
            var size = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (block.Length < size)
            {
                block = new byte[size];
            }

            file.ReadExactly(block, 0, size);
            using var reader = new BinaryReader(new MemoryStream(block, 0, size, writable: false, publiclyVisible: true), Encoding.UTF8);
            yield return reader;
        }
    }

    private static TableEntity ReadEntity(BinaryReader reader)
    {
        var entity = new TableEntity();
        for (var n = reader.ReadInt32(); n > 0; n--)
        {
            var known = reader.ReadByte();
            var name = known == 0 ? reader.ReadString() : KnownNames[known - 1];
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

        return entity;
    }

    /// <summary>Property names written as one byte (their index + 1); any other name is written out after a 0.</summary>
    private static readonly string[] KnownNames =
    [
        "PartitionKey", "RowKey", "StudyId", "SubjectId", "AeId", "VerbatimTerm", "MedDraCode", "CtcaeTerm", "Soc", "CodingMethod", "CodingConfidence",
        "Grade", "GradeDerivedFromSeverity", "Serious", "RelatedToCamrelizumab", "RelatedToRadiotherapy", "Onset", "Resolution", "Outcome", "ActionTaken",
        "ResultsInDeath", "TreatmentEmergent", "Origin", "SourceFile", "SourceSha256", "SourceLine", "Queries",
    ];

    private static readonly Dictionary<string, byte> KnownIndex = KnownNames.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => (byte)(x.i + 1), StringComparer.Ordinal);

    private static void Write(BinaryWriter writer, TableEntity entity)
    {
        writer.Write(entity.Count);
        foreach (var (name, value) in entity)
        {
            if (KnownIndex.TryGetValue(name, out var known))
            {
                writer.Write(known);
            }
            else
            {
                writer.Write((byte)0);
                writer.Write(name);
            }

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

    /// <summary>Writes records to a spill file in blocks (see <see cref="Read"/>).</summary>
    private sealed class BlockWriter(FileStream file, int blockBytes) : IDisposable
    {
        private readonly MemoryStream _block = new();
        private BinaryWriter? _writer;

        public void Write(TableEntity entity)
        {
            _writer ??= new BinaryWriter(_block, Encoding.UTF8, leaveOpen: true);
            var start = (int)_block.Length;
            _writer.Write(0);
            _writer.Write(entity.PartitionKey);
            EventSpill.Write(_writer, entity);
            _writer.Flush();
            BinaryPrimitives.WriteInt32LittleEndian(_block.GetBuffer().AsSpan(start), (int)_block.Length - start - sizeof(int));
            EndRecord();
        }

        /// <summary>Writes a record read by <see cref="Records"/> as it is.</summary>
        public void WriteRecord(ReadOnlySpan<byte> record)
        {
            Span<byte> length = stackalloc byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(length, record.Length);
            _block.Write(length);
            _block.Write(record);
            EndRecord();
        }

        /// <summary>Writes the block collected so far to the file.</summary>
        public void Flush()
        {
            _writer?.Flush();
            if (_block.Length == 0)
            {
                return;
            }

            Span<byte> header = stackalloc byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(header, (int)_block.Length);
            file.Write(header);
            file.Write(_block.GetBuffer(), 0, (int)_block.Length);
            file.Flush();
            _block.SetLength(0);
        }

        public void Dispose()
        {
            Flush();
            _writer?.Dispose();
            _block.Dispose();
        }

        private void EndRecord()
        {
            if (_block.Length >= blockBytes)
            {
                Flush();
            }
        }
    }
}

/// <summary>The events of consecutive partitions, whose keys sort after the previous slice's and up to <paramref name="Through"/> (null for the last slice).</summary>
public sealed record EventSlice(string? Through, List<TableEntity> Entities);
