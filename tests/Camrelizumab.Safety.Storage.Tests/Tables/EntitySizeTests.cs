using Azure.Data.Tables;
using Camrelizumab.Safety.Storage.Tables;

namespace Camrelizumab.Safety.Storage.Tests.Tables;

public sealed class EntitySizeTests
{
    [Fact]
    public void Check_Refuses253Properties_WhichAzureRejectsButAzuriteAccepts()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 253; i++)
        {
            entity[$"P{i}"] = i;
        }

        var ex = Assert.Throws<InvalidOperationException>(() => EntitySize.Check(entity));
        Assert.Contains("253 properties", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_RefusesEntityOver1MiB()
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < 20; i++)
        {
            entity[$"P{i}"] = new string('x', 30_000);
        }

        Assert.Throws<InvalidOperationException>(() => EntitySize.Check(entity));
    }

    [Fact]
    public void Check_RefusesStringPropertyOver64KiB()
    {
        var entity = new TableEntity("p", "r") { ["Html"] = new string('x', 40_000) };

        Assert.Throws<InvalidOperationException>(() => EntitySize.Check(entity));
    }

    [Fact]
    public void Check_AcceptsTypicalAdverseEventEntity()
    {
        var entity = new TableEntity("CAMREL|BJ01-001", "1") { ["CtcaeTerm"] = "Esophageal fistula", ["Grade"] = 3, ["Serious"] = true };

        EntitySize.Check(entity);
        Assert.True(EntitySize.Of(entity) < 1024);
    }
}
