using Camrelizumab.Safety.Core.Text;
using Camrelizumab.Safety.Storage.Mail;

namespace Camrelizumab.Safety.Storage.Tests.Tables;

public sealed class MessageCategoryTests
{
    [Theory]
    // The alert ledger's partitions as stored before the categories became an enum: existing ledgers keep working.
    [InlineData(MessageCategory.Crossing, "crossing")]
    [InlineData(MessageCategory.CrossingBlinded, "crossing-blinded")]
    [InlineData(MessageCategory.Correction, "correction")]
    [InlineData(MessageCategory.Escalation, "escalation")]
    [InlineData(MessageCategory.PossibleCrossing, "possible-crossing")]
    [InlineData(MessageCategory.PossibleCleared, "possible-cleared")]
    [InlineData(MessageCategory.Expedited, "expedited")]
    [InlineData(MessageCategory.ExpeditedUpdate, "expedited-update")]
    [InlineData(MessageCategory.Ingest, "ingest")]
    [InlineData(MessageCategory.Summary, "summary")]
    [InlineData(MessageCategory.Poison, "poison")]
    [InlineData(MessageCategory.Operations, "operations")]
    public void Name_IsThePartitionStoredBefore(MessageCategory category, string partition) =>
        Assert.Equal(partition, KebabCase.Name(category));

    [Fact]
    public void Names_AreDistinct() =>
        Assert.Equal(Enum.GetValues<MessageCategory>().Length, Enum.GetValues<MessageCategory>().Select(KebabCase.Name).Distinct(StringComparer.Ordinal).Count());
}
