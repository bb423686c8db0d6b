using Camrelizumab.Safety.Storage.Tables;

namespace Camrelizumab.Safety.Storage.Tests.Tables;

public sealed class TableKeyTests
{
    [Theory]
    [InlineData("BJ01-001", "BJ01-001")]
    [InlineData("01/003", "01%2F003")]
    [InlineData(@"a\b#c?d", "a%5Cb%23c%3Fd")]
    [InlineData("50%", "50%25")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("北京-001", "北京-001")]
    public void Encode_ReplacesCharactersAzureForbids_AndDecodeRestoresThem(string id, string key)
    {
        Assert.Equal(key, TableKey.Encode(id));
        Assert.Equal(id, TableKey.Decode(key));
    }

    [Fact]
    public void Encode_RefusesEmptyKey() => Assert.Throws<ArgumentException>(() => TableKey.Encode(""));
}
