using System.Text;
using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Core.Tests.Configuration;

public sealed class SourceProfilesTests
{
    [Theory]
    [InlineData("edc/ae-0101.csv", "edc", true)] // the shipped profile: full exports
    [InlineData("site-bj01/ae.csv", "site-bj01", false)] // any other folder is an incremental source of its own
    [InlineData("ae.csv", "inbox", false)]
    public void For_PicksTheProfileByFolder(string blob, string source, bool full)
    {
        var profile = SourceProfiles.LoadDefaults().For(blob);

        Assert.Equal((source, full), (profile.Name, profile.FullExport));
    }

    [Fact]
    public void Load_RefusesTwoColumnsForOneField()
    {
        const string json = """{ "version": "1", "sources": [ { "name": "x", "blobPrefix": "x/", "columns": { "PATNO": "subject-id", "PID": "subject-id" } } ] }""";

        var error = Assert.Throws<InvalidDataException>(() => SourceProfiles.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "sources.json"));

        Assert.Equal("sources.json: source 'x' maps PATNO and PID to the same field SubjectId.", error.Message);
    }

    [Fact]
    public void ShippedEdcProfile_MapsItsOwnColumns()
    {
        var layout = ExportLayout.FromHeader(["PATNO", "AENUM", "AETXT", "CTCGR"], SourceProfiles.LoadDefaults().For("edc/x.csv").Columns);

        Assert.Equal((ExportKind.AdverseEvents, "PATNO", "AENUM", "CTCGR"), (layout.Kind, layout.ColumnName(ExportField.SubjectId), layout.ColumnName(ExportField.AeId), layout.ColumnName(ExportField.Grade)));
    }
}
