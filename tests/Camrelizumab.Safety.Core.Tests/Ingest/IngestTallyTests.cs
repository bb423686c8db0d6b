using Camrelizumab.Safety.Core.Ingest;

namespace Camrelizumab.Safety.Core.Tests.Ingest;

public sealed class IngestTallyTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static readonly IngestReport File = new()
    {
        FileName = "edc/ae.csv", Sha256 = new string('a', 64), Status = IngestReportStatus.Processed, Kind = ExportKind.AdverseEvents,
        ArchiveBlob = new string('a', 64), ProcessedAt = At,
    };

    private static RowResult.Rejected Refused(long line, RejectionReason reason, string? raw = null) =>
        new RowResult.Rejected(new RowRejection("edc/ae.csv", line, "STUDYID", raw, reason));

    private static RowResult.AcceptedExposure Stored() => new RowResult.AcceptedExposure(new Core.Subjects.ExposureRecord("CAMREL-RT-EC2", "001-001", "CAMRELIZUMAB", new DateOnly(2026, 1, 5)));

    public static TheoryData<string, RowResult[], long, long, long, string> Files() => new()
    {
        // STYLE.md §4: rows read = accepted + rejected; an all-accepted file lists no refusals.
        { "all stored", [Stored(), Stored(), Stored()], 3, 3, 0, "" },
        // Refusals are counted by reason code, sorted, beside the rows stored.
        { "mixed", [Stored(), Refused(3, RejectionReason.WrongStudy, "X"), Refused(4, RejectionReason.MissingValue), Refused(5, RejectionReason.MissingValue)], 4, 1, 3, "missing-value=2,wrong-study=1" },
        // A file with no rows reports zeros, not a failure.
        { "empty", [], 0, 0, 0, "" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Report_CountsEveryRowOnce(string name, RowResult[] rows, long read, long accepted, long rejected, string byReason)
    {
        // Arrange
        var tally = new IngestTally();

        // Act
        foreach (var row in rows)
        {
            tally.Add(row);
        }

        var report = tally.Report(File, read);

        // Assert
        Assert.True((accepted, rejected) == (report.RowsAccepted, report.RowsRejected), name);
        Assert.Equal(report.RowsRead, report.RowsAccepted + report.RowsRejected);
        Assert.Equal(byReason, string.Join(',', report.RejectionsByReason.Select(r => $"{r.Key}={r.Value}")));
        Assert.Equal(rows.OfType<RowResult.Rejected>().Select(r => r.Rejection), report.Rejections);
    }

    [Theory]
    // The reader counted a row the fold never saw (or the reverse): the report would understate what the file holds.
    [InlineData(3)]
    [InlineData(1)]
    public void Report_RowsReadNotStoredPlusRefused_Throws(long read)
    {
        var tally = new IngestTally();
        tally.Add(Stored());
        tally.Add(Refused(3, RejectionReason.MissingValue));

        var ex = Assert.Throws<InvalidOperationException>(() => tally.Report(File, read));

        Assert.Contains($"edc/ae.csv: {read} rows read but 1 accepted + 1 rejected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_ListsTheFirstThousandRefusals_AndCountsThemAll()
    {
        var tally = new IngestTally();
        for (var line = 2; line < 2 + IngestReport.MaxListedRejections + 5; line++)
        {
            Assert.NotNull(tally.Add(Refused(line, RejectionReason.MissingValue)));
        }

        var report = tally.Report(File, IngestReport.MaxListedRejections + 5);

        Assert.Equal(IngestReport.MaxListedRejections + 5, report.RowsRejected);
        Assert.Equal(IngestReport.MaxListedRejections, report.Rejections.Count);
        Assert.Equal(2, report.Rejections[0].Line);
    }

    [Theory]
    // Every row another study's: the whole file is in the wrong inbox, named by the study it carries.
    [InlineData(new[] { "wrong-study", "wrong-study" }, 2L, "X")]
    // One row of this study: the file belongs here; its other rows are refused one by one.
    [InlineData(new[] { "wrong-study", "stored" }, 2L, null)]
    // Every row refused, but for different reasons: not a misplaced file.
    [InlineData(new[] { "wrong-study", "missing-subject" }, 2L, null)]
    // No rows at all: nothing says which study the file belongs to.
    [InlineData(new string[0], 0L, null)]
    public void AnotherStudy_OnlyWhenEveryRowIsAnotherStudys(string[] rows, long read, string? study)
    {
        var tally = new IngestTally();
        var line = 2;
        foreach (var row in rows)
        {
            tally.Add(row switch
            {
                "wrong-study" => Refused(line++, RejectionReason.WrongStudy, "X"),
                "missing-subject" => Refused(line++, RejectionReason.MissingValue),
                _ => Stored(),
            });
        }

        Assert.Equal(study, tally.AnotherStudy(read));
    }
}
