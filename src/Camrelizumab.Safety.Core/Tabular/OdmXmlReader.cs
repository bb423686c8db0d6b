using System.Xml;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tabular;

/// <summary>
/// CDISC ODM-XML 1.3 ClinicalData as a table: one record per <c>ItemGroupData</c> of the most frequent item group (AE in
/// an AE export), with the subject key, study event, form and repeat key, then one column per <c>ItemOID</c>.
/// </summary>
/// <remarks>
/// Parsed with DTD processing prohibited and no resolver, so a DOCTYPE, external entity or entity expansion is a file
/// error, not a request or a memory blow-up. Two streaming passes (columns, then rows) keep memory to one record. A
/// column is named after the part of the ItemOID after its last dot (<c>IT.AE.AETERM</c> is AETERM), so SDTM-named
/// items map like any SDTM export.
/// </remarks>
internal sealed class OdmXmlReader : TabularReader
{
    private static readonly string[] KeyColumns = ["SubjectKey", "StudyEventOID", "FormOID", "ItemGroupRepeatKey"];

    private readonly Stream _stream;
    private readonly XmlReader _xml;
    private readonly string _itemGroup;
    private readonly Dictionary<string, int> _columnOf;
    private readonly string[] _header;
    private readonly string[] _cells;
    private string _subject = "";
    private string _event = "";
    private string _form = "";
    private long _record;

    private OdmXmlReader(Stream stream, string itemGroup, IReadOnlyList<string> itemOids)
    {
        _stream = stream;
        _itemGroup = itemGroup;
        _header = [.. KeyColumns, .. itemOids.Select(ColumnName)];
        _columnOf = itemOids.Select((oid, i) => (oid, i)).ToDictionary(p => p.oid, p => p.i + KeyColumns.Length, StringComparer.Ordinal);
        _cells = new string[_header.Length];
        _xml = XmlReader.Create(stream, Settings);
    }

    public string ItemGroupOid => _itemGroup;

    public override IReadOnlyList<string> Header => _header;

    public override long RecordNumber => _record;

    public override string Locator => "record";

    public override string Format => "odm-xml";

    private static XmlReaderSettings Settings => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersInDocument = 0,
        MaxCharactersFromEntities = 1024,
    };

    public static OdmXmlReader Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var start = stream.Position;
        var groups = new Dictionary<string, (long Count, List<string> Items, HashSet<string> Seen)>(StringComparer.Ordinal);
        try
        {
            using (var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = false }))
            {
                var sawOdm = false;
                (long Count, List<string> Items, HashSet<string> Seen)? current = null;
                while (xml.Read())
                {
                    if (xml.NodeType != XmlNodeType.Element)
                    {
                        continue;
                    }

                    sawOdm |= xml.LocalName == "ODM";
                    if (xml.LocalName == "ItemGroupData")
                    {
                        var oid = xml.GetAttribute("ItemGroupOID") ?? "";
                        var entry = groups.TryGetValue(oid, out var found) ? found : (0, new List<string>(), new HashSet<string>(StringComparer.Ordinal));
                        groups[oid] = entry with { Count = entry.Count + 1 };
                        current = groups[oid];
                    }
                    else if (xml.LocalName == "ItemData" && current is { } group && xml.GetAttribute("ItemOID") is { } item && group.Seen.Add(item))
                    {
                        group.Items.Add(item);
                    }
                }

                if (!sawOdm)
                {
                    throw new ExportFormatException("not-odm", "The XML file is not a CDISC ODM document (no ODM element).");
                }
            }
        }
        catch (XmlException e)
        {
            var dtd = e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase);
            throw new ExportFormatException(
                dtd ? "xml-dtd-prohibited" : "invalid-xml",
                dtd ? "The XML file declares a DTD (DOCTYPE), which is refused: DTDs and entities can read local files or expand without limit."
                    : $"The XML is malformed at line {e.LineNumber}, position {e.LinePosition}: {e.Message}",
                e.LineNumber > 0 ? e.LineNumber : null,
                e);
        }

        if (groups.Count == 0)
        {
            throw new ExportFormatException("odm-no-clinical-data", "The ODM file has no ClinicalData ItemGroupData records.");
        }

        var (oidOfMost, most) = groups.MaxBy(g => g.Value.Count);
        stream.Position = start;
        return new OdmXmlReader(stream, oidOfMost, most.Items);
    }

    public override bool TryRead(out IReadOnlyList<string> cells)
    {
        cells = _cells;
        try
        {
            while (_xml.Read())
            {
                if (_xml.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (_xml.LocalName)
                {
                    case "SubjectData":
                        _subject = _xml.GetAttribute("SubjectKey") ?? "";
                        break;
                    case "StudyEventData":
                        _event = _xml.GetAttribute("StudyEventOID") ?? "";
                        break;
                    case "FormData":
                        _form = _xml.GetAttribute("FormOID") ?? "";
                        break;
                    case "ItemGroupData" when _xml.GetAttribute("ItemGroupOID") == _itemGroup:
                        ReadGroup();
                        return true;
                }
            }

            return false;
        }
        catch (XmlException e)
        {
            throw new ExportFormatException("invalid-xml", $"The XML is malformed at line {e.LineNumber}, position {e.LinePosition}: {e.Message}", e.LineNumber, e);
        }
    }

    private void ReadGroup()
    {
        _record++;
        Array.Fill(_cells, "");
        (_cells[0], _cells[1], _cells[2], _cells[3]) = (_subject, _event, _form, _xml.GetAttribute("ItemGroupRepeatKey") ?? "");
        if (_xml.IsEmptyElement)
        {
            return;
        }

        var depth = _xml.Depth;
        while (_xml.Read() && _xml.Depth > depth)
        {
            if (_xml.NodeType == XmlNodeType.Element && _xml.LocalName == "ItemData"
                && _xml.GetAttribute("ItemOID") is { } oid && _columnOf.TryGetValue(oid, out var column))
            {
                _cells[column] = _xml.GetAttribute("Value") ?? "";
            }
        }
    }

    private static string ColumnName(string itemOid) => itemOid.LastIndexOf('.') is var dot and >= 0 ? itemOid[(dot + 1)..] : itemOid;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _xml.Dispose();
            _stream.Dispose();
        }

        base.Dispose(disposing);
    }
}
