using System.Text.RegularExpressions;
using Camrelizumab.Safety.Core.Stopping;
using MimeKit;

namespace Camrelizumab.Safety.Runner.Tests;

/// <summary>The README's first command, as a user runs it, and what its mail says to people outside the closed roles.</summary>
public sealed class DemoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Demo_RunsEndToEnd_AndNoEmailToARoleOutsideTheClosedRolesNamesAnArm()
    {
        var output = Directory.CreateTempSubdirectory("demo-");
        try
        {
            var (exit, stdout, stderr) = await SafetyProcess.RunAsync(null, output.FullName, "demo", "--out", output.FullName);
            Assert.True(exit == 0, $"safety demo exited {exit}: {stderr}");
            Assert.Contains("Alert ledger", stdout, StringComparison.Ordinal);

            var messages = Directory.GetFiles(Path.Combine(output.FullName, "mail"), "*.eml").Select(f => MimeMessage.Load(f)).ToList();
            var closed = new[] { "safety.physician@example.org", "dsmb.chair@example.org", "dsmb.statistician@example.org" };
            Assert.Contains(messages, m => m.To.Mailboxes.Any(b => closed.Contains(b.Address)));
            var open = messages.Where(m => m.To.Mailboxes.All(b => !closed.Contains(b.Address))).ToList();
            Assert.NotEmpty(open);

            // The data managers get ingest reports (subject and AE ids, which they need to answer queries) and, for a
            // roster row with an unknown arm, the list of the trial's arms; never a subject's arm or a count by arm.
            var arms = SafetyRules.LoadDefaults().Arms;
            foreach (var message in open)
            {
                var text = Regex.Replace($"{message.Subject}\n{message.TextBody}\n{message.HtmlBody}", "Known arms: [^.<\n]*", "");
                foreach (var arm in arms)
                {
                    Assert.DoesNotMatch($@"\b{Regex.Escape(arm.Label)}\b", text);
                    Assert.DoesNotMatch($@"\b{arm.Code}\b", text);
                }
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
