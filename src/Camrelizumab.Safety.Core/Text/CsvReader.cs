using System.Text;

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
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];
    private readonly System.Buffers.SearchValues<char> _fieldEnds;
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
        _fieldEnds = System.Buffers.SearchValues.Create([Delimiter, '\r', '\n', '"']);
    }

    /// <summary>The field delimiter in use.</summary>
    public char Delimiter { get; }

    /// <summary>The physical line (1-based) on which the most recently read record started.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Reads the next record. The returned list is reused by the next call.</summary>
    // Hot paths (every field of every row) are compiled optimized at once rather than tiered up part-way through a
    // million-row file: a one-shot CLI run never reaches steady state otherwise.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public bool TryRead(out IReadOnlyList<string> fields)
    {
        _fields.Clear();
        fields = _fields;
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
            var atRecordEnd = ReadField(ref recordLength, out var value);
            if (_fields.Count >= _limits.MaxFieldCount)
            {
                throw new ExportFormatException(
                    "too-many-fields",
                    $"The record starting on line {RecordLine} has more than {_limits.MaxFieldCount} fields.",
                    RecordLine);
            }

            _fields.Add(value ?? _field.ToString());
            if (atRecordEnd)
            {
                return true;
            }
        }
    }

    /// <summary>Reads one field; <paramref name="value"/> is set on the fast path, else the field is in <c>_field</c>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool ReadField(ref int recordLength, out string? value)
    {
        value = null;
        _field.Clear();
        var first = Peek();
        if (first == '"')
        {
            _position++;
            ReadQuoted(ref recordLength);
        }
        else if (first >= 0)
        {
            // Fast path: an unquoted field that ends inside the buffer is sliced out whole.
            var rest = _buffer.AsSpan(_position, _length - _position);
            var end = rest.IndexOfAny(_fieldEnds);
            if (end >= 0 && rest[end] != '"')
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

                value = end == 0 ? "" : new string(rest[..end]);
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

            Append(c, ref recordLength);
            _position++;
        }
    }

    private void ReadQuoted(ref int recordLength)
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

            var c = _buffer[_position++];
            if (c == '"')
            {
                if (Peek() == '"')
                {
                    _position++;
                    Append('"', ref recordLength);
                    continue;
                }

                return;
            }

            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _line++;
            }

            Append(c, ref recordLength);
        }
    }

    private void Append(char c, ref int recordLength)
    {
        if (_field.Length >= _limits.MaxFieldLength)
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

        _field.Append(c);
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
