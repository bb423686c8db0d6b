namespace Camrelizumab.Safety.Runner.CommandLine;

/// <summary>
/// A mistake in what the user gave a command (an option, a file, a setting), as opposed to a bug. The message is the
/// whole report: one line naming the input and saying what to do. <see cref="SafetyCommandLine"/> prints it and exits 2.
/// </summary>
internal sealed class InputError(string message) : Exception(message);
