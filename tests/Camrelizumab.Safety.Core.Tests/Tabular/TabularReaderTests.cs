using System.IO.Compression;
using System.Text;
using Camrelizumab.Safety.Core.Tabular;
using Camrelizumab.Safety.Core.Text;
using MiniExcelLibs;

namespace Camrelizumab.Safety.Core.Tests.Tabular;

public sealed class TabularReaderTests
{
    private static List<string[]> ReadAll(TabularReader reader)
    {
        var rows = new List<string[]>();
        while (reader.TryRead(out var cells))
        {
            rows.Add([.. cells]);
        }

        return rows;
    }

    [Theory]
    [InlineData("CdiscPilotSdtm/ae.xpt", "CdiscPilotSdtm/ae.csv")]
    [InlineData("CdiscPilotSdtm/dm.xpt", "CdiscPilotSdtm/dm.csv")]
    [InlineData("CdiscPilotAdam/adsl.xpt", "CdiscPilotAdam/adsl.csv")]
    public void Xpt_ReadsTheSameCellsAsThePublishedCsvConversion(string xpt, string csv)
    {
        using var fromXpt = External.Open(xpt);
        using var fromCsv = External.Open(csv);

        Assert.Equal("xpt", fromXpt.Format);
        Assert.Equal(fromCsv.Header, fromXpt.Header);
        var xptRows = ReadAll(fromXpt);
        var csvRows = ReadAll(fromCsv);
        Assert.Equal(csvRows.Count, xptRows.Count);
        for (var r = 0; r < csvRows.Count; r++)
        {
            for (var c = 0; c < csvRows[r].Length; c++)
            {
                // The CSV conversion writes SAS dates as ISO dates; the XPT cell is the day count since 1960-01-01.
                var expected = csvRows[r][c];
                var actual = xptRows[r][c];
                if (expected != actual && DateOnly.TryParse(expected, System.Globalization.CultureInfo.InvariantCulture, out var date) && int.TryParse(actual, out var days))
                {
                    actual = new DateOnly(1960, 1, 1).AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                }

                Assert.True(expected == actual, $"{xpt} record {r + 1} {fromXpt.Header[c]}: xpt '{actual}', csv '{expected}'");
            }
        }
    }

    [Theory]
    // IBM System/370 hexadecimal floating point, big-endian: sign, excess-64 base-16 exponent, 56-bit fraction.
    [InlineData(new byte[] { 0x41, 0x10, 0, 0, 0, 0, 0, 0 }, 1.0)]
    [InlineData(new byte[] { 0xC2, 0x76, 0xA0, 0, 0, 0, 0, 0 }, -118.625)]
    [InlineData(new byte[] { 0x40, 0x80, 0, 0, 0, 0, 0, 0 }, 0.5)]
    [InlineData(new byte[] { 0x43, 0x7E, 0x90 }, 2025.0)] // a 3-byte numeric, the rest implied zero
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 }, 0.0)]
    public void Xpt_ConvertsIbmFloatingPoint(byte[] bytes, double expected) => Assert.Equal(expected, XptReader.ReadIbmDouble(bytes));

    [Theory]
    [InlineData((byte)'.')]
    [InlineData((byte)'A')]
    [InlineData((byte)'Z')]
    [InlineData((byte)'_')]
    public void Xpt_ReadsSasMissingValuesAsEmpty(byte marker) => Assert.Null(XptReader.ReadIbmDouble(new byte[] { marker, 0, 0, 0, 0, 0, 0, 0 }));

    [Fact]
    public void DatasetJson_JsonAndNdjsonFormsReadAlike()
    {
        using var json = External.Open("DatasetJson/sdtm-msg-ae.json");
        using var ndjson = External.Open("DatasetJson/sdtm-msg-ae.ndjson");

        Assert.Equal(("dataset-json", "dataset-ndjson"), (json.Format, ndjson.Format));
        Assert.Equal(json.Header, ndjson.Header);
        var a = ReadAll(json);
        var b = ReadAll(ndjson);
        Assert.Equal(74, a.Count);
        Assert.Equal(a, b);
        Assert.Equal("Reported Term for the Adverse Event", json.Labels[json.Header.ToList().IndexOf("AETERM")]);
    }

    [Fact]
    public void DatasetJson_ReadsInSmallChunks_WhenTheStreamTricklesIn()
    {
        // A stream that returns a few bytes per read exercises every buffer refill of the token reader.
        var bytes = File.ReadAllBytes(External.Path("DatasetJson/adam-msg-adsl.json"));
        using var reader = DatasetJsonReader.Open(new TrickleStream(bytes, 7), ndjson: false);

        Assert.Equal(254, ReadAll(reader).Count);
    }

    [Fact]
    public void Xlsx_ReadsTheFirstSheet_WithRowNumbersAsExcelShowsThem()
    {
        using var stream = new MemoryStream();
        stream.SaveAs(new[]
        {
            new Dictionary<string, object> { ["subject_id"] = "BJ01-001", ["ae_id"] = 1, ["verbatim_term"] = "肺炎", ["grade"] = 3, ["onset_date"] = new DateTime(2026, 3, 1) },
            new Dictionary<string, object> { ["subject_id"] = "BJ01-002", ["ae_id"] = 2, ["verbatim_term"] = "Rash", ["grade"] = 1.5, ["onset_date"] = new DateTime(2026, 3, 2) },
        });
        stream.Position = 0;

        using var reader = TabularFile.Open(stream, "ae.xlsx");

        Assert.Equal("xlsx", reader.Format);
        Assert.Equal(["subject_id", "ae_id", "verbatim_term", "grade", "onset_date"], reader.Header);
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(["BJ01-001", "1", "肺炎", "3", "2026-03-01"], first);
        Assert.Equal(2, reader.RecordNumber);
        Assert.True(reader.TryRead(out var second));
        Assert.Equal("1.5", second[3]);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Xlsx_RefusesAZipBomb_BeforeInflatingIt()
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

        stream.Position = 0;

        var error = Assert.Throws<ExportFormatException>(() => TabularFile.Open(stream, "bomb.xlsx"));
        Assert.Equal("xlsx-bomb", error.ReasonCode);
    }

    [Fact]
    public void OdmXml_FlattensItemGroupDataToRows()
    {
        const string odm = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" FileOID="F1" FileType="Snapshot" ODMVersion="1.3.2">
              <ClinicalData StudyOID="CAMRT-II" MetaDataVersionOID="v1">
                <SubjectData SubjectKey="BJ01-001">
                  <StudyEventData StudyEventOID="SE.AE">
                    <FormData FormOID="F.AE">
                      <ItemGroupData ItemGroupOID="IG.AE" ItemGroupRepeatKey="1">
                        <ItemData ItemOID="IT.AE.AESEQ" Value="1"/><ItemData ItemOID="IT.AE.AETERM" Value="Pneumonitis"/><ItemData ItemOID="IT.AE.AETOXGR" Value="3"/>
                      </ItemGroupData>
                      <ItemGroupData ItemGroupOID="IG.AE" ItemGroupRepeatKey="2">
                        <ItemData ItemOID="IT.AE.AESEQ" Value="2"/><ItemData ItemOID="IT.AE.AETERM" Value="RCCEP"/>
                      </ItemGroupData>
                    </FormData>
                  </StudyEventData>
                </SubjectData>
              </ClinicalData>
            </ODM>
            """;

        using var reader = TabularFile.Open(new MemoryStream(Encoding.UTF8.GetBytes(odm)), "ae.xml");

        Assert.Equal(["SubjectKey", "StudyEventOID", "FormOID", "ItemGroupRepeatKey", "AESEQ", "AETERM", "AETOXGR"], reader.Header);
        var rows = ReadAll(reader);
        Assert.Equal(["BJ01-001", "SE.AE", "F.AE", "1", "1", "Pneumonitis", "3"], rows[0]);
        Assert.Equal(["BJ01-001", "SE.AE", "F.AE", "2", "2", "RCCEP", ""], rows[1]);
    }

    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(chunk, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(chunk, count));
    }
}
