namespace Camrelizumab.Safety.Core.Text;

/// <summary>
/// A streaming RFC 4180 reader: quoted fields with doubled quotes and embedded newlines, CR, LF or CRLF line ends,
/// and a delimiter that is either given or sniffed from the header line (comma, semicolon, tab or pipe).
/// </summary>
/// <remarks>
/// Blank lines are skipped and not counted as records. <see cref="RecordLine"/> is the physical line on which the
/// last record started, so a data manager can find it in a text editor even when earlier fields span lines.
/// Memory is bounded by <see cref="CsvLimits"/> whatever the file size.
/// </remarks>
public sealed class CsvReader
{
    private const int BufferSize = 64 * 1024;
    private static readonly char[] CandidateDelimiters = [',', ';', '\t', '|'];

    private readonly TextReader _reader;
    private readonly CsvLimits _limits;
    private readonly char[] _buffer = new char[BufferSize];
    private readonly List<string> _fields = [];
    // The last record read, unescaped: its fields' characters one after another, and where each field ends.
    private char[] _chars = new char[1024];
    private int[] _fieldEnds = new int[64];
    private int _fieldCount;
    private int _charCount;
    private int _position;
    private int _length;
    private long _line = 1;

    public CsvReader(TextReader reader, char? delimiter = null, CsvLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _limits = limits ?? CsvLimits.Default;
        Fill();
        SkipByteOrderMark();
        Delimiter = delimiter ?? SniffDelimiter();
    }

    /// <summary>The field delimiter in use.</summary>
    public char Delimiter { get; }

    /// <summary>The physical line (1-based) on which the most recently read record started.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Fields in the last record read by <see cref="TryReadRecord"/>.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>A field of the last record read by <see cref="TryReadRecord"/>, unescaped; valid until the next read.</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_fieldCount, nameof(index));
        var start = index == 0 ? 0 : _fieldEnds[index - 1];
        return _chars.AsSpan(start, _fieldEnds[index] - start);
    }

    /// <summary>Reads the next record. The returned list is reused by the next call.</summary>
    public bool TryRead(out IReadOnlyList<string> fields)
    {
        _fields.Clear();
        fields = _fields;
        if (!TryReadRecord())
        {
            return false;
        }

        fields = Fields();
        return true;
    }

    /// <summary>The fields of the last record read, as strings; the list is reused by the next read.</summary>
    public IReadOnlyList<string> Fields()
    {
        _fields.Clear();
        for (var i = 0; i < _fieldCount; i++)
        {
            var field = Field(i);
            _fields.Add(field.IsEmpty ? "" : new string(field));
        }

        return _fields;
    }

    /// <summary>Reads the next record into <see cref="Field"/> without making a string of each field: for readers
    /// that look at a few cells of each of a million rows.</summary>
    // Hot paths (every field of every row) are compiled optimized at once rather than tiered up part-way through a
    // million-row file: a one-shot CLI run never reaches steady state otherwise.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool TryReadRecord()
    {
        _fieldCount = 0;
        _charCount = 0;
        while (true)
        {
            if (_position >= _length && !Fill())
            {
                return false;
            }

            var c = _buffer[_position];
            if (c is '\r' or '\n')
            {
                ConsumeLineEnd();
                continue;
            }

            break;
        }

        RecordLine = _line;
        var recordLength = 0;
        while (true)
        {
            var fieldStart = _charCount;
            var atRecordEnd = ReadField(ref recordLength, fieldStart);
            if (_fieldCount >= _limits.MaxFieldCount)
            {
                throw new ExportFormatException(
                    "too-many-fields",
                    $"The record starting on line {RecordLine} has more than {_limits.MaxFieldCount} fields.",
                    RecordLine);
            }

            if (_fieldCount == _fieldEnds.Length)
            {
                Array.Resize(ref _fieldEnds, _fieldEnds.Length * 2);
            }

            _fieldEnds[_fieldCount++] = _charCount;
            if (atRecordEnd)
            {
                return true;
            }
        }
    }

    /// <summary>Reads one field onto the end of <c>_chars</c>, from <paramref name="fieldStart"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool ReadField(ref int recordLength, int fieldStart)
    {
        var first = Peek();
        if (first == '"')
        {
            _position++;
            ReadQuoted(ref recordLength, fieldStart);
        }
        else if (first >= 0)
        {
            // Fast path: an unquoted field that ends inside the buffer is sliced out whole. A quote inside an unquoted
            // field is kept as it stands, here and in the loop below. Three characters are searched for, not a
            // SearchValues of four: the three-character search is precompiled in the runtime, while a four-character
            // SearchValues is a generic instantiation compiled at start-up and run unoptimized for much of a short run.
            var rest = _buffer.AsSpan(_position, _length - _position);
            var end = rest.IndexOfAny(Delimiter, '\r', '\n');
            if (end >= 0)
            {
                if (end > _limits.MaxFieldLength)
                {
                    throw new ExportFormatException(
                        "field-too-long",
                        $"A field in the record starting on line {RecordLine} is longer than {_limits.MaxFieldLength:N0} characters.",
                        RecordLine);
                }

                recordLength += end;
                if (recordLength > _limits.MaxRecordLength)
                {
                    throw new ExportFormatException(
                        "line-too-long",
                        $"The record starting on line {RecordLine} is longer than {_limits.MaxRecordLength:N0} characters.",
                        RecordLine);
                }

                EnsureRoom(end);
                rest[..end].CopyTo(_chars.AsSpan(_charCount));
                _charCount += end;
                _position += end;
                if (rest[end] == Delimiter)
                {
                    _position++;
                    return false;
                }

                ConsumeLineEnd();
                return true;
            }
        }

        while (true)
        {
            if (_position >= _length && !Fill())
            {
                return true;
            }

            var c = _buffer[_position];
            if (c == Delimiter)
            {
                _position++;
                return false;
            }

            if (c is '\r' or '\n')
            {
                ConsumeLineEnd();
                return true;
            }

            Append(c, ref recordLength, fieldStart);
            _position++;
        }
    }

    private void ReadQuoted(ref int recordLength, int fieldStart)
    {
        var startLine = _line;
        while (true)
        {
            if (_position >= _length && !Fill())
            {
                throw new ExportFormatException(
                    "unterminated-quote",
                    $"A quoted field that starts on line {startLine} is never closed; the file ends inside it.",
                    startLine);
            }

            // Text up to the next quote or line break is copied whole.
            var rest = _buffer.AsSpan(_position, _length - _position);
            var run = rest.IndexOfAny('"', '\r', '\n');
            if (run != 0)
            {
                run = run < 0 ? rest.Length : run;
                Append(rest[..run], ref recordLength, fieldStart);
                _position += run;
                continue;
            }

            var c = _buffer[_position++];
            if (c == '"')
            {
                if (Peek() == '"')
                {
                    _position++;
                    Append('"', ref recordLength, fieldStart);
                    continue;
                }

                return;
            }

            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _line++;
            }

            Append(c, ref recordLength, fieldStart);
        }
    }

    private void Append(ReadOnlySpan<char> text, ref int recordLength, int fieldStart)
    {
        if (_charCount - fieldStart + text.Length > _limits.MaxFieldLength || recordLength + text.Length > _limits.MaxRecordLength)
        {
            // One character at a time, so the limit is reported exactly where it is crossed.
            foreach (var c in text)
            {
                Append(c, ref recordLength, fieldStart);
            }

            return;
        }

        EnsureRoom(text.Length);
        text.CopyTo(_chars.AsSpan(_charCount));
        _charCount += text.Length;
        recordLength += text.Length;
    }

    private void Append(char c, ref int recordLength, int fieldStart)
    {
        if (_charCount - fieldStart >= _limits.MaxFieldLength)
        {
            throw new ExportFormatException(
                "field-too-long",
                $"A field in the record starting on line {RecordLine} is longer than {_limits.MaxFieldLength:N0} characters.",
                RecordLine);
        }

        if (++recordLength > _limits.MaxRecordLength)
        {
            throw new ExportFormatException(
                "line-too-long",
                $"The record starting on line {RecordLine} is longer than {_limits.MaxRecordLength:N0} characters.",
                RecordLine);
        }

        EnsureRoom(1);
        _chars[_charCount++] = c;
    }

    /// <summary>Grows <c>_chars</c> to hold <paramref name="more"/> characters after the record's; the limits above
    /// bound it by the longest record.</summary>
    private void EnsureRoom(int more)
    {
        if (_charCount + more > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _charCount + more));
        }
    }

    private void ConsumeLineEnd()
    {
        var c = _buffer[_position++];
        if (c == '\r' && Peek() == '\n')
        {
            _position++;
        }

        _line++;
    }

    private int Peek()
    {
        if (_position >= _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position];
    }

    private bool Fill()
    {
        if (_position < _length)
        {
            // Keep unread characters; only happens while sniffing.
            Array.Copy(_buffer, _position, _buffer, 0, _length - _position);
            _length -= _position;
            _position = 0;
        }
        else
        {
            _position = 0;
            _length = 0;
        }

        var read = _reader.Read(_buffer, _length, _buffer.Length - _length);
        _length += read;
        return read > 0;
    }

    private void SkipByteOrderMark()
    {
        if (_length > 0 && _buffer[0] == '\uFEFF')
        {
            _position = 1;
        }
    }

    /// <summary>Chooses the candidate delimiter that occurs most often, outside quotes, in the first line.</summary>
    private char SniffDelimiter()
    {
        Span<int> counts = stackalloc int[CandidateDelimiters.Length];
        var inQuotes = false;
        for (var i = _position; i < _length; i++)
        {
            var c = _buffer[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && c is '\r' or '\n')
            {
                break;
            }
            else if (!inQuotes)
            {
                var index = Array.IndexOf(CandidateDelimiters, c);
                if (index >= 0)
                {
                    counts[index]++;
                }
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return CandidateDelimiters[best];
    }
}
