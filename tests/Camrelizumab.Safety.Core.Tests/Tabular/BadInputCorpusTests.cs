using System.Text;
using Camrelizumab.Safety.Core.Tabular;
using Camrelizumab.Safety.Core.Text;

namespace Camrelizumab.Safety.Core.Tests.Tabular;

/// <summary>Files a data manager might drop that cannot be read at all: each gets the exact error they will see.</summary>
public sealed class BadInputCorpusTests
{
    private static ExportFormatException Fails(byte[] bytes, string name)
    {
        return Assert.Throws<ExportFormatException>(() =>
        {
            using var reader = TabularFile.Open(new MemoryStream(bytes), name);
            while (reader.TryRead(out _))
            {
            }
        });
    }

    [Fact]
    public void TruncatedXpt_IsRefused_NamingTheRecord()
    {
        var bytes = File.ReadAllBytes(External.Path("CdiscPilotSdtm/dm.xpt"));

        // Cut half-way through the observations.
        var error = Fails(bytes[..(bytes.Length / 2)], "dm.xpt");

        Assert.Equal("truncated-xpt", error.ReasonCode);
        Assert.Matches(@"^The SAS transport file ends inside record \d+: \d+ of \d+ bytes\.$", error.Message);
    }

    [Fact]
    public void XptCutInsideItsHeader_IsRefused()
    {
        var bytes = File.ReadAllBytes(External.Path("CdiscPilotSdtm/dm.xpt"));

        var error = Fails(bytes[..300], "dm.xpt");

        Assert.Equal(("truncated-xpt", "The SAS transport file ends inside the member header."), (error.ReasonCode, error.Message));
    }

    [Fact]
    public void XmlWithADtd_IsRefused()
    {
        var xml = """<?xml version="1.0"?><!DOCTYPE ODM [<!ENTITY x SYSTEM "file:///etc/passwd">]><ODM><ClinicalData><SubjectData SubjectKey="&x;"/></ClinicalData></ODM>""";

        var error = Fails(Encoding.UTF8.GetBytes(xml), "ae.xml");

        Assert.Equal("xml-dtd-prohibited", error.ReasonCode);
        Assert.StartsWith("The XML file declares a DTD (DOCTYPE), which is refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void XmlThatIsNotOdm_IsRefused()
    {
        var error = Fails(Encoding.UTF8.GetBytes("<html><body>export failed</body></html>"), "ae.xml");

        Assert.Equal(("not-odm", "The XML file is not a CDISC ODM document (no ODM element)."), (error.ReasonCode, error.Message));
    }

    [Fact]
    public void DatasetJsonThatBreaksOff_IsRefused()
    {
        var json = File.ReadAllText(External.Path("DatasetJson/sdtm-msg-dm.json"));

        var error = Fails(Encoding.UTF8.GetBytes(json[..(json.Length - 200)]), "dm.json");

        Assert.Equal(("truncated-json", "The Dataset-JSON file ends before its closing brackets."), (error.ReasonCode, error.Message));
    }

    [Fact]
    public void DatasetJsonWithAShortRow_IsRefused_NamingTheRecord()
    {
        var json = """{"datasetJSONVersion":"1.1.0","name":"AE","records":2,"columns":[{"name":"USUBJID"},{"name":"AETERM"}],"rows":[["S1","Rash"],["S2"]]}""";

        var error = Fails(Encoding.UTF8.GetBytes(json), "ae.json");

        Assert.Equal(("dataset-json-row-width", "Record 2 has 1 values for 2 columns.", 2L), (error.ReasonCode, error.Message, error.Line));
    }

    [Fact]
    public void DatasetJsonWhoseRecordCountDisagrees_IsRefused()
    {
        var json = """{"datasetJSONVersion":"1.1.0","name":"AE","records":3,"columns":[{"name":"USUBJID"}],"rows":[["S1"],["S2"]]}""";

        var error = Fails(Encoding.UTF8.GetBytes(json), "ae.json");

        Assert.Equal(("dataset-json-record-count", "The Dataset-JSON file declares 3 records but holds 2."), (error.ReasonCode, error.Message));
    }

    [Fact]
    public void ZipThatIsNotAWorkbook_IsRefused()
    {
        var error = Fails([0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6], "ae.xlsx");

        Assert.Equal("invalid-xlsx", error.ReasonCode);
        Assert.StartsWith("The file starts like a ZIP archive (XLSX) but is not one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFile_IsRefused()
    {
        var error = Fails([], "ae.csv");

        Assert.Equal(("empty-file", "The file is empty: there is no header line.", 1L), (error.ReasonCode, error.Message, error.Line));
    }
}
