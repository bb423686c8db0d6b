using System.Text;
using System.Text.Json;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tabular;

/// <summary>
/// Reads CDISC Dataset-JSON v1.1: top-level metadata, <c>columns</c> (name, label, dataType), then <c>rows</c>, each an
/// array in column order. The JSON form is read token by token from the stream, so a large dataset never sits in memory;
/// the NDJSON form (metadata on line 1, one row per line) line by line.
/// </summary>
/// <remarks>
/// <c>null</c> and <c>""</c> are both empty cells; numbers keep their JSON text ("1", "0.5"). The reader needs
/// <c>columns</c> before <c>rows</c>, as the specification's examples write them; a row with more or fewer cells than
/// columns is a file error naming the record.
/// </remarks>
internal sealed class DatasetJsonReader : TabularReader
{
    private const int MaxTokenBytes = 16 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly bool _ndjson;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state;
    private string[] _header = [];
    private string[] _labels = [];
    private string[] _cells = [];
    private long _record;
    private bool _inRows;
    private bool _done;
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);

    /// <summary>The top-level members this reader uses; a repeat of one is ambiguous, a repeat of another is harmless.</summary>
    private static readonly string[] DataMembers = ["rows", "columns", "records", "name"];

    private DatasetJsonReader(Stream stream, bool ndjson)
    {
        _stream = stream;
        _ndjson = ndjson;
        _state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
    }

    public string? Dataset { get; private set; }

    /// <summary>The <c>records</c> count the file declares, checked against the rows read when the file ends.</summary>
    public long? DeclaredRecords { get; private set; }

    public override IReadOnlyList<string> Header => _header;

    public override IReadOnlyList<string> Labels => _labels;

    public override long RecordNumber => _record;

    public override string Locator => "record";

    public override string Format => _ndjson ? "dataset-ndjson" : "dataset-json";

    /// <summary>Reads the metadata up to the first row.</summary>
    public static DatasetJsonReader Open(Stream stream, bool ndjson)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new DatasetJsonReader(stream, ndjson);
        try
        {
            if (ndjson)
            {
                reader.ReadNdjsonMetadata();
            }
            else
            {
                reader.ReadMetadata();
            }
        }
        catch (JsonException e)
        {
            throw new ExportFormatException("invalid-json", $"The Dataset-JSON metadata is not valid JSON: {e.Message}", null, e);
        }

        if (reader._header.Length == 0)
        {
            throw new ExportFormatException("dataset-json-no-columns", "The Dataset-JSON file has no columns before its rows.");
        }

        return reader;
    }

    public override bool TryRead(out IReadOnlyList<string> cells)
    {
        cells = _cells;
        if (_done)
        {
            return false;
        }

        try
        {
            var more = _ndjson ? ReadNdjsonRow() : ReadJsonRow();
            if (!more)
            {
                _done = true;
                if (DeclaredRecords is { } declared && declared != _record)
                {
                    throw new ExportFormatException("dataset-json-record-count", FormattableString.Invariant($"The Dataset-JSON file declares {declared} records but holds {_record}."));
                }
            }

            return more;
        }
        catch (JsonException e) when (_final && e.Message.Contains("end of data", StringComparison.Ordinal))
        {
            throw new ExportFormatException("truncated-json", "The Dataset-JSON file ends before its closing brackets.", _record + 1, e);
        }
        catch (JsonException e)
        {
            throw new ExportFormatException("invalid-json", FormattableString.Invariant($"Record {_record + 1} is not valid JSON: {e.Message}"), _record + 1, e);
        }
    }

    private void ReadMetadata()
    {
        var reader = NewReader();
        Next(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ExportFormatException("not-dataset-json", "A Dataset-JSON file is a JSON object.");
        }

        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                _done = true;
                break;
            }

            var name = Member(ref reader);
            Next(ref reader);
            if (name == "rows")
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new ExportFormatException("not-dataset-json", "'rows' must be an array.");
                }

                _inRows = true;
                break;
            }

            if (name == "columns")
            {
                ReadColumns(ref reader);
            }
            else if (name is "name" or "records" && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
            {
                if (name == "name")
                {
                    Dataset = reader.GetString();
                }
                else if (reader.TryGetInt64(out var records))
                {
                    DeclaredRecords = records;
                }
            }
            else
            {
                Skip(ref reader);
            }
        }

        Save(ref reader);
    }

    private bool ReadJsonRow()
    {
        if (!_inRows)
        {
            return false;
        }

        var reader = NewReader();
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndArray)
        {
            _inRows = false;
            ReadAfterRows(ref reader);
            Save(ref reader);
            return false;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new ExportFormatException("not-dataset-json", FormattableString.Invariant($"Record {_record + 1} is not an array of values."), _record + 1);
        }

        _record++;
        var i = 0;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (i < _cells.Length)
            {
                _cells[i] = Cell(ref reader);
            }

            i++;
        }

        Save(ref reader);
        CheckWidth(i);
        return true;
    }

    /// <summary>
    /// The members after <c>rows</c>, to the end of the top-level object: any that repeats one already read (a second
    /// <c>rows</c> array, another <c>columns</c> or <c>records</c>) makes the file ambiguous, so it is refused rather
    /// than read one way silently.
    /// </summary>
    private void ReadAfterRows(ref Utf8JsonReader reader)
    {
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            Member(ref reader);
            Next(ref reader);
            Skip(ref reader);
        }
    }

    /// <summary>A top-level member's name; a data member seen before is a file error (JSON leaves duplicates undefined, RFC 8259 §4).</summary>
    private string Member(ref Utf8JsonReader reader)
    {
        var name = reader.GetString()!;
        if (DataMembers.Contains(name) && !_members.Add(name))
        {
            throw DuplicateMember(name);
        }

        return name;
    }

    private static ExportFormatException DuplicateMember(string name) =>
        new("dataset-json-duplicate-member", $"The Dataset-JSON file has the member '{name}' twice; which one holds the data is ambiguous, so nothing of it is read.");

    private void ReadNdjsonMetadata()
    {
        var line = ReadLine() ?? throw new ExportFormatException("empty-file", "The NDJSON file is empty.");
        using var metadata = JsonDocument.Parse(line);
        if (metadata.RootElement.ValueKind == JsonValueKind.Object
            && metadata.RootElement.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => DataMembers.Contains(g.Key) && g.Count() > 1) is { } repeated)
        {
            throw DuplicateMember(repeated.Key);
        }

        if (metadata.RootElement.ValueKind != JsonValueKind.Object || !metadata.RootElement.TryGetProperty("columns", out var columns))
        {
            throw new ExportFormatException("not-dataset-json", "Line 1 of a Dataset-NDJSON file must be the metadata object with 'columns'.", 1);
        }

        ReadColumns(columns);
        Dataset = metadata.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        DeclaredRecords = metadata.RootElement.TryGetProperty("records", out var records) && records.TryGetInt64(out var n) ? n : null;
    }

    private bool ReadNdjsonRow()
    {
        ReadOnlyMemory<byte> line;
        do
        {
            if (ReadLine() is not { } next)
            {
                return false;
            }

            line = next;
        }
        while (line.Span.Trim(" \t\r"u8).IsEmpty);

        _record++;
        var reader = new Utf8JsonReader(line.Span, new JsonReaderOptions { MaxDepth = 4 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new ExportFormatException("not-dataset-json", FormattableString.Invariant($"Record {_record} (line {_record + 1}) is not an array of values."), _record);
        }

        var i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (i < _cells.Length)
            {
                _cells[i] = Cell(ref reader);
            }

            i++;
        }

        CheckWidth(i);
        return true;
    }

    private void CheckWidth(int count)
    {
        if (count != _cells.Length)
        {
            throw new ExportFormatException("dataset-json-row-width", FormattableString.Invariant($"Record {_record} has {count} values for {_cells.Length} columns."), _record);
        }
    }

    private void ReadColumns(JsonElement columns)
    {
        if (columns.ValueKind != JsonValueKind.Array)
        {
            throw new ExportFormatException("not-dataset-json", "'columns' must be an array.");
        }

        SetColumns(
            [.. columns.EnumerateArray().Select((c, i) => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } s ? s
                : throw new ExportFormatException("not-dataset-json", FormattableString.Invariant($"Column {i + 1} has no name.")))],
            [.. columns.EnumerateArray().Select(c => c.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null)]);
    }

    private void SetColumns(List<string> names, List<string?> labels)
    {
        _header = [.. names];
        _labels = [.. labels.Select((l, i) => l is { Length: > 0 } ? l : names[i])];
        _cells = new string[_header.Length];
    }

    private string Cell(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => Limited(reader.GetString()!),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "",
        _ => throw new ExportFormatException("not-dataset-json", "A row value must be a string, number, boolean or null."),
    };

    /// <summary>The same bound on one value as for delimited text (<see cref="CsvLimits.Default"/>, SAS's 32,767).</summary>
    private string Limited(string value) => value.Length <= CsvLimits.Default.MaxFieldLength
        ? value
        : throw new ExportFormatException("field-too-long", FormattableString.Invariant($"A value in record {_record} is longer than {CsvLimits.Default.MaxFieldLength:N0} characters."), _record);

    private Utf8JsonReader NewReader() => new(_buffer.AsSpan(_start, _end - _start), _final, _state);

    private void Save(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>Reads the next token, pulling more of the stream into the buffer when the current token is incomplete.</summary>
    private void Next(ref Utf8JsonReader reader)
    {
        while (!reader.Read())
        {
            if (_final)
            {
                throw new ExportFormatException("truncated-json", "The Dataset-JSON file ends before its closing brackets.");
            }

            Save(ref reader);
            Refill();
            reader = NewReader();
        }
    }

    private void Refill()
    {
        var pending = _end - _start;
        if (pending >= _buffer.Length / 2)
        {
            if (_buffer.Length >= MaxTokenBytes)
            {
                throw new ExportFormatException("json-token-too-long", FormattableString.Invariant($"A single JSON value is longer than {MaxTokenBytes / (1024 * 1024)} MiB."));
            }

            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        _start = 0;
        _end = pending;
        var read = _stream.ReadAtLeast(_buffer.AsSpan(_end), _buffer.Length - _end, throwOnEndOfStream: false);
        _end += read;
        _final = _end < _buffer.Length;
    }

    private void ReadColumns(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new ExportFormatException("not-dataset-json", "'columns' must be an array.");
        }

        var names = new List<string>();
        var labels = new List<string?>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ExportFormatException("not-dataset-json", "Each column must be an object.");
            }

            string? name = null, label = null;
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var property = reader.GetString();
                Next(ref reader);
                if (property is "name" or "label" && reader.TokenType == JsonTokenType.String)
                {
                    (name, label) = property == "name" ? (reader.GetString(), label) : (name, reader.GetString());
                }
                else
                {
                    Skip(ref reader);
                }
            }

            names.Add(name is { Length: > 0 } ? name : throw new ExportFormatException("not-dataset-json", FormattableString.Invariant($"Column {names.Count + 1} has no name.")));
            labels.Add(label);
        }

        SetColumns(names, labels);
    }

    private void Skip(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = reader.CurrentDepth;
        do
        {
            Next(ref reader);
        }
        while (reader.CurrentDepth > depth || reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray));
    }

    /// <summary>One NDJSON line as bytes (without the line end), or null at the end of the stream.</summary>
    private ReadOnlyMemory<byte>? ReadLine()
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = _buffer.AsMemory(_start, newline);
                _start += newline + 1;
                return line;
            }

            if (_final)
            {
                if (_start == _end)
                {
                    return null;
                }

                var rest = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return rest;
            }

            Refill();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream.Dispose();
        }

        base.Dispose(disposing);
    }
}
