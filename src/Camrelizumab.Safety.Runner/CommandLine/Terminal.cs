using Spectre.Console;
using Spectre.Console.Rendering;

namespace Camrelizumab.Safety.Runner.CommandLine;

/// <summary>
/// Spectre's console, set up on first use: redirected output (CI logs, files, pipes) gets wide tables instead of
/// Spectre's 80-column fallback. A command that prints no table (<c>summarize --json</c>) does not pay for detecting
/// the terminal, about a twentieth of a short run.
/// </summary>
internal static class Terminal
{
    private static readonly Lazy<IAnsiConsole> Shared = new(() =>
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = 200;
        }

        return console;
    });

    public static IAnsiConsole Console => Shared.Value;

    public static void Write(IRenderable renderable) => Console.Write(renderable);
}
