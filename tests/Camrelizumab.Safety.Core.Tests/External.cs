using Camrelizumab.Safety.Core.Tabular;

namespace Camrelizumab.Safety.Core.Tests;

/// <summary>The public datasets under TestData/External (each folder has its SOURCE.md), copied beside the test assembly.</summary>
internal static class External
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "External", relative);

    public static TabularReader Open(string relative) => TabularFile.Open(File.OpenRead(Path(relative)), relative);
}
