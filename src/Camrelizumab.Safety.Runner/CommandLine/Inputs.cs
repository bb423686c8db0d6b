using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Camrelizumab.Safety.Runner.CommandLine;

/// <summary>
/// Checks on what the user passed, each failing with one line that names the input and says what to do: files that
/// must be read, files and folders that will be written, numbers in any notation, and values parsed by Core.
/// </summary>
internal static class Inputs
{
    private const int SniffBytes = 4096;

    /// <summary>The option (of <see cref="FileInfo"/>) names a file that exists, is not a folder, can be read and is not empty.</summary>
    /// <param name="kind">What the file should be, for the message (“a CSV file”).</param>
    /// <param name="text">Also refuse binary content (a NUL byte near the start without a UTF-16 byte-order mark).</param>
    public static Option<T> MustBeReadable<T>(this Option<T> option, string kind, bool text = false)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result => Validate(result, result.GetValueOrDefault<FileInfo?>(), kind, text));
        return option;
    }

    /// <summary>The option names a file to write: not an existing folder.</summary>
    public static Option<FileInfo> MustBeWritable(this Option<FileInfo> option, string example)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo?>() is { } file && Directory.Exists(file.FullName))
            {
                result.AddError($"{option.Name} {file.FullName} is a folder; give a file name inside it, such as {Path.Combine(file.FullName, example)}.");
            }
        });
        return option;
    }

    /// <summary>Creates a folder the user named, or fails with one line saying why.</summary>
    public static DirectoryInfo CreateDirectory(string option, string path)
    {
        try
        {
            if (File.Exists(path))
            {
                throw new InputError($"{option} {Path.GetFullPath(path)} is a file; give a folder.");
            }

            return Directory.CreateDirectory(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InputError($"{option} {Path.GetFullPath(path)}: cannot create this folder ({Reason(ex)}); choose a folder you can write to.");
        }
    }

    /// <summary>Parses a value with a Core parser whose messages already say what is expected.</summary>
    public static T Parse<T>(string option, string text, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse(text);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw new InputError($"{option} {text}: {Reason(ex)}");
        }
    }

    /// <summary>Runs a Core computation whose argument checks are about what the user passed.</summary>
    public static T Check<T>(string options, Func<T> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        try
        {
            return compute();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new InputError($"{options}: {Reason(ex)}");
        }
    }

    /// <summary>
    /// Gives every numeric option of the tree a parser that accepts scientific notation (<c>1e-6</c>), and says what is
    /// wrong in words instead of a type name.
    /// </summary>
    public static void AcceptNumbersInAnyNotation(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<decimal> o when o.CustomParser is null:
                    o.CustomParser = r => Number(r, o.Name, Decimal) ?? 0m;
                    break;
                case Option<decimal?> o when o.CustomParser is null:
                    o.CustomParser = r => Number(r, o.Name, Decimal);
                    break;
                case Option<double> o when o.CustomParser is null:
                    o.CustomParser = r => Number(r, o.Name, Double) ?? 0d;
                    break;
                case Option<double?> o when o.CustomParser is null:
                    o.CustomParser = r => Number(r, o.Name, Double);
                    break;
                case Option<int> o when o.CustomParser is null:
                    o.CustomParser = r => Number(r, o.Name, Whole) ?? 0;
                    break;
                case Option<int?> o when o.CustomParser is null:
                    o.CustomParser = r => Number(r, o.Name, Whole);
                    break;
            }
        }

        foreach (var subcommand in command.Subcommands)
        {
            AcceptNumbersInAnyNotation(subcommand);
        }
    }

    /// <summary>An exception's message as one line without the parameter name .NET appends.</summary>
    public static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        if (exception is ArgumentException { ParamName: { } name })
        {
            message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
        }

        var firstLine = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return firstLine.TrimEnd('.');
    }

    private static T? Number<T>(ArgumentResult result, string name, Func<string, T?> parse)
        where T : struct
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var token = result.Tokens[0].Value;
        if (parse(token) is { } value)
        {
            return value;
        }

        result.AddError(typeof(T) == typeof(int)
            ? $"{name} {token} is not a whole number; write it like 60 or 1e3."
            : $"{name} {token} is not a number; write it like 0.05 or 5e-2.");
        return null;
    }

    private static decimal? Decimal(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static double? Double(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static int? Whole(string text) =>
        Double(text) is { } value && value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue ? (int)value : null;

    private static void Validate(OptionResult result, FileInfo? file, string kind, bool text)
    {
        if (file is not null && Problem(file, kind, text) is { } problem)
        {
            result.AddError($"{result.Option.Name} {file.FullName} {problem}");
        }
    }

    /// <summary>What is wrong with a file the user gave to be read, in words ending with what to give instead; <c>null</c> when nothing.</summary>
    public static string? Problem(FileInfo file, string kind, bool text)
    {
        if (Directory.Exists(file.FullName))
        {
            return $"is a folder; give the path of {kind}.";
        }

        if (!File.Exists(file.FullName))
        {
            return $"does not exist; check the path (relative paths start at {Environment.CurrentDirectory}).";
        }

        var head = new byte[SniffBytes];
        int read;
        try
        {
            using var stream = file.OpenRead();
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read ({Reason(ex)}); check that it is {kind} you may read.";
        }

        if (read == 0)
        {
            return $"is empty; give {kind}.";
        }

        var utf16 = read >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
        return text && !utf16 && head.AsSpan(0, read).Contains((byte)0)
            ? $"holds binary data, not text; give {kind}."
            : null;
    }
}
