using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MiniExcelLibs;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>One hostile or malformed file, and what ingest must make of it.</summary>
/// <param name="Expected"><c>stored</c> (processed: rows stored with their queries or refused row by row) or
/// <c>quarantined:REASON</c> (nothing stored, a one-line reason starting with the reason code).</param>
/// <param name="Mark">For a stored file, a query or rejection code that must appear in its report.</param>
internal sealed record HostileFile(string Name, byte[] Content, string Expected, string? Mark = null)
{
    public override string ToString() => Name.Length > 60 ? $"{Name[..40]}…({Name.Length} chars)" : Name;
}

/// <summary>
/// Files written to break an ingest pipeline: lying and truncated binary formats, bombs, entity tricks, injection,
/// broken encodings, absurd sizes and names. Generated here rather than checked in, so each says what it is.
/// </summary>
internal static class HostileCorpus
{
    public const string Study = "CAMREL-RT-EC2";
    private const string Header = "study_id,subject_id,ae_id,verbatim_term,grade,serious,onset_date,resolution_date";

    /// <summary>A valid row with the given cells substituted (subject, AE id, term, grade, onset, resolution).</summary>
    private static string Row(string subject = "BJ01-001", string ae = "1", string term = "Anemia", string grade = "2", string onset = "2026-03-01", string resolution = "") =>
        $"{Study},{subject},{ae},{term},{grade},N,{onset},{resolution}";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Csv(params string[] rows) => Utf8(Header + "\n" + string.Join("\n", rows) + "\n");

    public static IReadOnlyList<HostileFile> Build()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var files = new List<HostileFile>();
        files.AddRange(CsvFiles());
        files.AddRange(EncodingFiles());
        files.AddRange(DatasetJsonFiles());
        files.AddRange(XptFiles());
        files.AddRange(XlsxFiles());
        files.AddRange(XmlFiles());
        files.AddRange(NamedFiles());
        return files;
    }

    private static IEnumerable<HostileFile> CsvFiles()
    {
        yield return new("csv/formula-injection.csv", Csv(Row(ae: "1", term: "=HYPERLINK(\"http://x.invalid\";\"click\")"), Row(ae: "2", term: "+cmd|' /C calc'!A0"), Row(ae: "3", term: "@SUM(1+1)*cmd|' /C calc'!A0"), Row(ae: "4", term: "-2+3")), "stored", "uncoded");
        yield return new("csv/html-in-terms.csv", Csv(Row(ae: "1", term: "<script>alert(1)</script>"), Row(ae: "2", term: "<img src=x onerror=alert(1)>Rash"), Row(ae: "3", term: "\"<a href=\"\"javascript:alert(1)\"\">Anemia</a>\"")), "stored", "uncoded");
        yield return new("csv/nul-in-term.csv", Csv(Row(ae: "1", term: "Ane\0mia"), Row(ae: "2")), "stored");
        yield return new("csv/nul-in-subject.csv", Csv(Row(subject: "BJ01\0-001"), Row(ae: "2")), "stored", "identifier-normalized");
        yield return new("csv/nul-4kib.csv", new byte[4096], "quarantined:unrecognised-header");
        yield return new("csv/ten-thousand-columns.csv", Utf8(string.Join(",", Enumerable.Range(1, 10_000).Select(i => $"c{i}")) + "\n" + string.Join(",", Enumerable.Range(1, 10_000)) + "\n"), "quarantined:too-many-fields");
        yield return new("csv/one-megabyte-field.csv", Csv(Row(term: new string('A', 1024 * 1024))), "quarantined:field-too-long");
        yield return new("csv/longest-field-chinese.csv", Csv(Row(term: string.Concat(Enumerable.Repeat("恶心", 16_000)))), "stored", "uncoded");
        yield return new("csv/subject-id-of-slashes.csv", Csv(Row(subject: new string('/', 200)), Row(ae: "2")), "stored", "invalid-identifier");
        yield return new("csv/one-megabyte-line-no-newline.csv", Utf8(new string('x', 2 * 1024 * 1024)), "quarantined:field-too-long");
        yield return new("csv/grades-3a.csv", Csv(Row(ae: "1", grade: "3a"), Row(ae: "2", grade: "III"), Row(ae: "3", grade: "-1"), Row(ae: "4", grade: "9"), Row(ae: "5", grade: "0"), Row(ae: "6", grade: "Grade 3"), Row(ae: "7", grade: "2.5")), "stored", "unreadable-grade");
        yield return new("csv/impossible-dates.csv", Csv(Row(ae: "1", onset: "2026-02-30"), Row(ae: "2", onset: "0000-01-01"), Row(ae: "3", onset: "2026-13-01"), Row(ae: "4", onset: "31/02/2026"), Row(ae: "5", onset: "2026-02-29")), "stored", "unreadable-onset");
        yield return new("csv/onset-in-2031.csv", Csv(Row(onset: "2031-03-01")), "stored", "onset-after-receipt");
        yield return new("csv/resolution-before-onset.csv", Csv(Row(onset: "2026-03-10", resolution: "2026-03-01")), "stored", "resolution-before-onset");
        yield return new("csv/keys-with-url-characters.csv", Csv(Row(subject: "BJ01/001", ae: "1"), Row(subject: "BJ01\\001", ae: "2"), Row(subject: "BJ01#001", ae: "3"), Row(subject: "BJ01?001", ae: "4"), Row(ae: "a/b#c?d\\e")), "stored");
        yield return new("csv/keys-with-control-characters.csv", Csv(Row(subject: "BJ01\u0001001"), Row(ae: "x\u007F"), Row(subject: "BJ01-\u0085001", ae: "3"), Row(ae: "4")), "stored", "identifier-normalized");
        yield return new("csv/look-alike-subject-ids.csv", Csv(Row(subject: "BJ01\u2010001", ae: "1"), Row(subject: "BJ01-\u200B001", ae: "2"), Row(subject: "BJ01-\u202E100", ae: "3"), Row(subject: "\uFF22\uFF2A01-001", ae: "4")), "stored", "identifier-normalized");
        yield return new("csv/two-grade-columns.csv", Utf8(Header + ",AETOXGR\n" + Row(grade: "2") + ",4\n"), "stored", "grades-disagree");
        yield return new("csv/unterminated-quote.csv", Utf8(Header + "\n" + Row(ae: "1") + "\n" + $"{Study},BJ01-001,2,\"Rash,2,N,2026-03-01,\n"), "quarantined:unterminated-quote");
        yield return new("csv/empty.csv", [], "quarantined:empty-file");
        yield return new("csv/bom-only.csv", [0xEF, 0xBB, 0xBF], "quarantined:empty-file");
        yield return new("csv/header-only.csv", Utf8(Header + "\n"), "stored");
        yield return new("csv/no-header.csv", Csv(Row())[(Header.Length + 1)..], "quarantined:unrecognised-header");
        yield return new("csv/random-bytes.bin", RandomBytes(64 * 1024, 7), "quarantined:unrecognised-header");
        yield return new("csv/mixed-line-ends.csv", Utf8(Header + "\r\n" + Row(ae: "1") + "\r" + Row(ae: "2") + "\n" + Row(ae: "3") + "\r\n"), "stored");
        yield return new("csv/field-count-mismatch.csv", Csv(Row(ae: "1"), "x,y", Row(ae: "3") + ",extra"), "stored", "field-count-mismatch");
        yield return new("csv/exact-duplicate-rows.csv", Csv(Row(), Row()), "stored", "duplicate-row");
        yield return new("csv/another-studys-row.csv", Csv(Row(ae: "1"), Row(ae: "2").Replace(Study, "CDISCPILOT01", StringComparison.Ordinal)), "stored", "wrong-study");
        yield return new("csv/many-blank-lines.csv", Utf8(Header + new string('\n', 100_000) + Row() + "\n"), "stored");
        yield return new("csv/quoted-newlines-in-term.csv", Csv($"{Study},BJ01-001,1,\"Ane\nmia\r\n\",2,N,2026-03-01,"), "stored");
        yield return new("csv/semicolon-delimited.csv", Utf8(Header.Replace(',', ';') + "\n" + Row().Replace(',', ';') + "\n"), "stored");
    }

    private static IEnumerable<HostileFile> EncodingFiles()
    {
        var chinese = Header + "\n" + Row(ae: "1", term: "恶心") + "\n" + Row(ae: "2", term: "呕吐") + "\n" + Row(ae: "3", term: "腹泻") + "\n";

        // One stray byte (0xFF, never valid in UTF-8) after the last term.
        var oneBadByte = Utf8(chinese.Replace("腹泻", "腹泻|", StringComparison.Ordinal));
        oneBadByte[Array.IndexOf(oneBadByte, (byte)'|')] = 0xFF;
        yield return new("encoding/utf8-one-invalid-byte.csv", oneBadByte, "stored", "undecodable-text");
        yield return new("encoding/utf8-bom-one-invalid-byte.csv", [0xEF, 0xBB, 0xBF, .. oneBadByte], "stored", "undecodable-text");
        yield return new("encoding/utf16le-no-bom.csv", Encoding.Unicode.GetBytes(chinese), "stored");
        yield return new("encoding/utf16be-no-bom.csv", Encoding.BigEndianUnicode.GetBytes(chinese), "stored");
        yield return new("encoding/utf16le-lone-surrogate.csv", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Header + "\n"), 0x00, 0xD8, 0x0A, 0x00], "quarantined:undecodable-text");
        yield return new("encoding/gb18030.csv", Encoding.GetEncoding(54936).GetBytes(chinese), "stored");
        yield return new("encoding/windows-1252.csv", Encoding.GetEncoding(1252).GetBytes(Header + "\n" + Row(term: "Anémie – grade 3") + "\n"), "stored");
        yield return new("encoding/mixed-utf8-and-gbk.csv", [.. Utf8(Header + "\n" + Row(ae: "1", term: "恶心") + "\n"), .. Encoding.GetEncoding(936).GetBytes(Row(ae: "2", term: "呕吐") + "\n")], "stored");
    }

    private static IEnumerable<HostileFile> DatasetJsonFiles()
    {
        const string Columns = """[{"name":"STUDYID"},{"name":"USUBJID"},{"name":"AESEQ"},{"name":"AETERM"},{"name":"AETOXGR"}]""";
        const string Rows = """[["CAMREL-RT-EC2","BJ01-001",1,"Anemia","2"]]""";
        string Json(string body) => "{\"datasetJSONVersion\":\"1.1.0\",\"name\":\"AE\"," + body + "}";
        yield return new("json/valid.json", Utf8(Json($"\"records\":1,\"columns\":{Columns},\"rows\":{Rows}")), "stored");
        yield return new("json/rows-twice.json", Utf8(Json($"\"records\":1,\"columns\":{Columns},\"rows\":{Rows},\"rows\":[[\"CAMREL-RT-EC2\",\"BJ01-002\",1,\"Death\",\"5\"]]")), "quarantined:dataset-json-duplicate-member");
        yield return new("json/columns-twice.json", Utf8(Json($"\"columns\":{Columns},\"columns\":[{{\"name\":\"X\"}}],\"rows\":{Rows}")), "quarantined:dataset-json-duplicate-member");
        yield return new("json/records-lies.json", Utf8(Json($"\"records\":5,\"columns\":{Columns},\"rows\":{Rows}")), "quarantined:dataset-json-record-count");
        yield return new("json/records-huge.json", Utf8(Json($"\"records\":9223372036854775807,\"columns\":{Columns},\"rows\":{Rows}")), "quarantined:dataset-json-record-count");
        yield return new("json/truncated.json", Utf8(Json($"\"columns\":{Columns},\"rows\":{Rows}")[..^5]), "quarantined:truncated-json");
        yield return new("json/deep-nesting.json", Utf8(Json($"\"columns\":{Columns},\"rows\":[" + new string('[', 5000) + new string(']', 5000) + "]")), "quarantined:not-dataset-json");
        yield return new("json/row-of-objects.json", Utf8(Json($"\"columns\":{Columns},\"rows\":[{{\"USUBJID\":\"BJ01-001\"}}]")), "quarantined:not-dataset-json");
        yield return new("json/short-row.json", Utf8(Json($"\"columns\":{Columns},\"rows\":[[\"CAMREL-RT-EC2\",\"BJ01-001\"]]")), "quarantined:dataset-json-row-width");
        yield return new("json/rows-before-columns.json", Utf8(Json($"\"rows\":{Rows},\"columns\":{Columns}")), "quarantined:dataset-json-no-columns");
        yield return new("json/one-megabyte-term.json", Utf8(Json($"\"columns\":{Columns},\"rows\":[[\"CAMREL-RT-EC2\",\"BJ01-001\",1,\"{new string('B', 1024 * 1024)}\",\"2\"]]")), "quarantined:field-too-long");
        yield return new("json/nested-value-in-row.json", Utf8(Json($"\"columns\":{Columns},\"rows\":[[\"CAMREL-RT-EC2\",\"BJ01-001\",{{\"a\":1}},\"Anemia\",\"2\"]]")), "quarantined:not-dataset-json");
        yield return new("json/ndjson-columns-twice.ndjson", Utf8("{\"name\":\"AE\",\"columns\":" + Columns + ",\"columns\":[{\"name\":\"X\"}]}\n" + Rows[1..^1] + "\n"), "quarantined:dataset-json-duplicate-member");
        yield return new("json/top-level-array.json", Utf8("[" + Rows + "]"), "quarantined:unrecognised-header");
    }

    private static IEnumerable<HostileFile> XptFiles()
    {
        string[] names = ["STUDYID", "USUBJID", "AESEQ", "AETERM", "AETOXGR"];
        var valid = Xpt.Build([.. names.Select(n => (n, (short)20))], [[Study, "BJ01-001", "1", "Anemia", "2"], [Study, "BJ01-002", "1", "Rash", "1"]]);
        yield return new("xpt/valid.xpt", valid, "stored");
        yield return new("xpt/truncated-in-observation.xpt", valid[..^70], "quarantined:truncated-xpt");
        yield return new("xpt/truncated-in-header.xpt", valid[..250], "quarantined:truncated-xpt");

        // 9,999 variables of 32,767 bytes each: a 328 MB observation declared over a 1.4 MB file with no observations.
        (string, short)[] huge = [.. names.Select(n => (n, (short)32_767)), .. Enumerable.Range(names.Length + 1, 9_999 - names.Length).Select(i => ($"V{i:D4}", (short)32_767))];
        yield return new("xpt/lying-9999-variables-no-observations.xpt", Xpt.Build(huge, []), "stored");
        yield return new("xpt/lying-9999-variables-garbage.xpt", [.. Xpt.Build(huge, []), .. Enumerable.Repeat((byte)'X', 800)], "quarantined:truncated-xpt");
        yield return new("xpt/variable-length-zero.xpt", Xpt.Build([("USUBJID", 0)], []), "quarantined:not-xpt");
        yield return new("xpt/numeric-length-nine.xpt", Xpt.Build([("AESEQ", 9)], [], numeric: true), "quarantined:not-xpt");
        yield return new("xpt/header-only-magic.xpt", Utf8("HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000  "), "quarantined:truncated-xpt");
    }

    private static IEnumerable<HostileFile> XlsxFiles()
    {
        var valid = Workbook(new Dictionary<string, object>
        {
            ["study_id"] = Study, ["subject_id"] = "BJ01-001", ["ae_id"] = 1, ["verbatim_term"] = "=cmd|' /C calc'!A0", ["grade"] = 2, ["serious"] = "N", ["onset_date"] = "2026-03-01",
        });
        yield return new("xlsx/formula-injection.xlsx", valid, "stored", "uncoded");
        yield return new("xlsx/truncated.xlsx", valid[..(valid.Length / 2)], "quarantined:invalid-xlsx");
        yield return new("xlsx/not-a-zip.xlsx", [0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8], "quarantined:invalid-xlsx");
        yield return new("xlsx/zip-bomb.xlsx", ZipBomb(), "quarantined:xlsx-bomb");
        yield return new("xlsx/lying-entry-size.xlsx", LieAboutSize(valid), "quarantined:xlsx-bomb");
        yield return new("xlsx/too-many-entries.xlsx", ManyEntries(10_001), "quarantined:xlsx-too-many-entries");
        yield return new("xlsx/sheet-with-dtd.xlsx", WithDtd(valid), "quarantined:invalid-xlsx");
    }

    private static IEnumerable<HostileFile> XmlFiles()
    {
        const string Odm = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" xmlns:xi="http://www.w3.org/2001/XInclude" FileOID="F1" ODMVersion="1.3.2">
              <ClinicalData StudyOID="CAMREL-RT-EC2" MetaDataVersionOID="v1">
                <SubjectData SubjectKey="BJ01-001"><StudyEventData StudyEventOID="SE.AE"><FormData FormOID="F.AE">
                  <ItemGroupData ItemGroupOID="IG.AE" ItemGroupRepeatKey="1">
                    <ItemData ItemOID="IT.AE.AESEQ" Value="1"/><ItemData ItemOID="IT.AE.AETERM" Value="@TERM@"/><ItemData ItemOID="IT.AE.AETOXGR" Value="2"/>
                  </ItemGroupData>
                </FormData></StudyEventData></SubjectData>
              </ClinicalData>
            </ODM>
            """;
        yield return new("xml/valid-odm.xml", Utf8(Odm.Replace("@TERM@", "Anemia", StringComparison.Ordinal)), "stored");
        yield return new("xml/external-entity.xml", Utf8(Odm.Replace("<ODM ", "<!DOCTYPE ODM [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<ODM ", StringComparison.Ordinal).Replace("@TERM@", "&x;", StringComparison.Ordinal)), "quarantined:xml-dtd-prohibited");
        yield return new("xml/billion-laughs.xml", Utf8("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><ODM>&lol3;</ODM>"), "quarantined:xml-dtd-prohibited");
        yield return new("xml/xinclude.xml", Utf8(Odm.Replace("<ItemData ItemOID=\"IT.AE.AETERM\" Value=\"@TERM@\"/>", "<xi:include href=\"file:///etc/passwd\" parse=\"text\"/><ItemData ItemOID=\"IT.AE.AETERM\" Value=\"Rash\"/>", StringComparison.Ordinal)), "stored");
        yield return new("xml/not-odm.xml", Utf8("<html><body><script>alert(1)</script></body></html>"), "quarantined:not-odm");
        yield return new("xml/malformed.xml", Utf8(Odm[..(Odm.Length / 2)]), "quarantined:invalid-xml");
        yield return new("xml/utf16-odm.xml", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Odm.Replace("UTF-8", "UTF-16", StringComparison.Ordinal).Replace("@TERM@", "Anemia", StringComparison.Ordinal))], "stored");
    }

    /// <summary>Valid content under names a blob trigger may be handed.</summary>
    private static IEnumerable<HostileFile> NamedFiles()
    {
        var content = Csv(Row());
        yield return new("names/../../escape.csv", content, "refused-by-storage");
        yield return new("names/a..b/..csv", content, "stored");
        yield return new("names/%2e%2e/encoded-dots.csv", content, "stored");
        yield return new("names/ae\u202Evsc.exe", content, "stored");
        yield return new("names/site#1/ae?.csv", content, "stored");
        yield return new("names/站点/不良事件 报告.csv", content, "stored");
        yield return new("names/" + new string('n', 1_008 - "names/".Length - ".csv".Length) + ".csv", content, "stored");
        yield return new("names/" + new string('q', 1_008 - "names/".Length - ".csv".Length) + ".csv", [], "quarantined:empty-file");
        yield return new("names/" + string.Concat(Enumerable.Repeat("😀", 500)) + ".csv", content, "stored");
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Workbook(Dictionary<string, object> row)
    {
        using var stream = new MemoryStream();
        stream.SaveAs(new[] { row });
        return stream.ToArray();
    }

    private static byte[] ZipBomb()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 64; i++)
            {
                entry.Write(zeros);
            }
        }

        return stream.ToArray();
    }

    /// <summary>The workbook with every entry's uncompressed size (local and central headers) set to 4 GB − 16.</summary>
    private static byte[] LieAboutSize(byte[] workbook)
    {
        var bytes = workbook.ToArray();
        for (var i = 0; i + 46 <= bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), 0xFFFF_FFF0);
            }
            else if (signature == 0x02014b50)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), 0xFFFF_FFF0);
            }
        }

        return bytes;
    }

    private static byte[] ManyEntries(int count)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < count; i++)
            {
                zip.CreateEntry($"e{i}", CompressionLevel.NoCompression).Open().Dispose();
            }
        }

        return stream.ToArray();
    }

    /// <summary>The workbook with a DOCTYPE declaring an external entity put at the top of every worksheet.</summary>
    private static byte[] WithDtd(byte[] workbook)
    {
        using var input = new MemoryStream(workbook);
        using var output = new MemoryStream();
        using (var source = new ZipArchive(input, ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                var text = reader.ReadToEnd();
                if (entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal))
                {
                    var at = text.StartsWith("<?xml", StringComparison.Ordinal) ? text.IndexOf("?>", StringComparison.Ordinal) + 2 : 0;
                    text = text[..at] + "<!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + text[at..];
                }

                using var writer = new StreamWriter(target.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }

        return output.ToArray();
    }

    /// <summary>Writes SAS XPORT v5 by the published layout (TS-140): enough to lie about any part of it.</summary>
    private static class Xpt
    {
        public static byte[] Build((string Name, short Length)[] variables, string[][] rows, bool numeric = false)
        {
            var file = new List<byte>();
            void Record(string text) => file.AddRange(Encoding.ASCII.GetBytes(text.PadRight(80)[..80]));
            Record("HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000");
            Record("SAS     SAS     SASLIB  9.4     X64_7PRO                        24NOV26:08:00:00");
            Record("24NOV26:08:00:00");
            Record("HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!000000000000000001600000000140");
            Record("HEADER RECORD*******DSCRPTR HEADER RECORD!!!!!!!000000000000000000000000000000");
            Record("SAS     AE      SASDATA 9.4     X64_7PRO                        24NOV26:08:00:00");
            Record("24NOV26:08:00:00                Adverse Events");
            Record(FormattableString.Invariant($"HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!000000{variables.Length:D4}00000000000000000000"));
            var descriptors = new byte[(variables.Length * 140 + 79) / 80 * 80];
            for (var i = 0; i < variables.Length; i++)
            {
                var d = descriptors.AsSpan(i * 140, 140);
                BinaryPrimitives.WriteInt16BigEndian(d, (short)(numeric ? 1 : 2));
                BinaryPrimitives.WriteInt16BigEndian(d[4..], variables[i].Length);
                BinaryPrimitives.WriteInt16BigEndian(d[6..], (short)(i + 1));
                Encoding.ASCII.GetBytes(variables[i].Name.PadRight(8)).CopyTo(d[8..]);
                Encoding.ASCII.GetBytes(variables[i].Name.PadRight(40)).CopyTo(d[16..]);
            }

            file.AddRange(descriptors);
            Record("HEADER RECORD*******OBS     HEADER RECORD!!!!!!!000000000000000000000000000000");
            var observations = new List<byte>();
            foreach (var row in rows)
            {
                for (var i = 0; i < variables.Length; i++)
                {
                    observations.AddRange(Encoding.UTF8.GetBytes(row[i].PadRight(variables[i].Length)));
                }
            }

            while (observations.Count % 80 != 0)
            {
                observations.Add((byte)' ');
            }

            file.AddRange(observations);
            return [.. file];
        }
    }
}
