using Camrelizumab.Safety.Runner.Commands;

namespace Camrelizumab.Safety.Runner.Tests.Commands;

/// <summary>The kinds <c>safety bench pipeline</c> counts Table service requests under.</summary>
public sealed class RequestTallyTests
{
    private const string Account = "http://127.0.0.1:10002/devstoreaccount1";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "POST", "/$batch", "POST batch" },
        { "GET", "/FileLedger(PartitionKey='files',RowKey='abc')", "GET FileLedger entity" },
        { "PUT", "/FileLedger(PartitionKey='files',RowKey='abc')", "PUT FileLedger entity" },
        { "POST", "/SubjectFacts", "POST SubjectFacts" },
        { "GET", "/AdverseEvents()", "GET AdverseEvents query all" },
        { "GET", "/AdverseEvents()?$filter=PartitionKey%20eq%20'CAMREL%7CBJ01'", "GET AdverseEvents query partition" },
        { "GET", "/AdverseEvents()?$filter=PartitionKey%20eq%20'P'&NextPartitionKey=P&NextRowKey=5", "GET AdverseEvents query partition next page" },
        { "GET", "/AdverseEvents()?$filter=PartitionKey%20ge%20'A'%20and%20PartitionKey%20lt%20'B'", "GET AdverseEvents query partition range" },
        { "GET", "/AdverseEvents()?$filter=RowKey%20gt%20'%25digest'", "GET AdverseEvents query filtered" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kind_NamesMethodTableAndShape(string method, string path, string expected) =>
        Assert.Equal(expected, RequestTally.Kind(method, new Uri(Account + path)));

    [Fact]
    public void Summary_IsMostFrequentFirst_PerRow_AndEmptyAfterReset()
    {
        var tally = new RequestTally();
        Assert.Equal("none", tally.Summary(10));
        tally.Count("GET T entity");
        tally.Count("POST batch");
        tally.Count("POST batch");
        tally.Count("POST batch");
        tally.Count("GET S entity");
        Assert.Equal("POST batch 3 (0.300/row); GET S entity 1 (0.100/row); GET T entity 1 (0.100/row)", tally.Summary(10));
        tally.Reset();
        Assert.Equal("none", tally.Summary(10));
    }
}
