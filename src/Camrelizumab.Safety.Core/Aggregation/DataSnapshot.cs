using System.Globalization;
using System.Text;
using System.Text.Json;
using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Ctcae;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Aggregation;

/// <summary>
/// The subjects and events an evaluation saw, written as canonical JSON lines (sorted, one record a line) so that the
/// bytes, and so their SHA-256, depend only on the data. Stored once per hash; reading it back reproduces the inputs of
/// any past decision.
/// </summary>
public static class DataSnapshot
{
    public static byte[] Write(IEnumerable<Subject> subjects, IEnumerable<AdverseEvent> events)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(events);
        return Lines(subjects.Select(SubjectLine).Concat(events.Select(e => JsonSerializer.Serialize(EventRecord(e)))));
    }

    /// <summary>
    /// The inputs of an evaluation on folded facts: the roster and each subject's <see cref="SubjectFacts"/> (whose
    /// <see cref="SubjectFacts.EventsSha256"/> pins the events they were folded from), canonical as <see cref="Write"/>.
    /// </summary>
    public static byte[] WriteFacts(IEnumerable<Subject> subjects, IEnumerable<SubjectFacts> facts)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(facts);
        return Lines(subjects.Select(SubjectLine).Concat(facts.Select(f => FactsPrefix + f.ToJson()[1..])));
    }

    /// <summary>Reads a snapshot of either kind: the subjects, and the events (<see cref="Write"/>) or the facts (<see cref="WriteFacts"/>).</summary>
    public static (List<Subject> Subjects, List<AdverseEvent> Events, List<SubjectFacts> Facts) ReadAny(ReadOnlySpan<byte> content, CtcaeDictionary dictionary)
    {
        var facts = new List<SubjectFacts>();
        var rest = new StringBuilder();
        foreach (var line in Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith(FactsPrefix, StringComparison.Ordinal))
            {
                facts.Add(SubjectFacts.FromJson("{" + line[FactsPrefix.Length..]));
            }
            else
            {
                rest.Append(line).Append('\n');
            }
        }

        var (subjects, events) = Read(Encoding.UTF8.GetBytes(rest.ToString()), dictionary);
        return (subjects, events, facts);
    }

    private const string FactsPrefix = "{\"kind\":\"facts\",";

    private static string SubjectLine(Subject s) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["kind"] = "subject",
        ["study"] = s.StudyId,
        ["subject"] = s.SubjectId,
        ["arm"] = s.Arm,
        ["randomized"] = s.RandomizationDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["firstDose"] = s.FirstDoseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    });

    private static byte[] Lines(IEnumerable<string> lines) =>
        Encoding.UTF8.GetBytes(string.Join('\n', lines.Order(StringComparer.Ordinal)) + "\n");

    /// <summary>
    /// One event's canonical record. Fields added later (a coder decision, open queries) are written only when they
    /// have a value, so the snapshots of events without them keep the bytes, and so the hashes, they always had.
    /// </summary>
    private static Dictionary<string, object?> EventRecord(AdverseEvent e)
    {
        var record = new Dictionary<string, object?>
            {
                ["kind"] = "event",
                ["study"] = e.StudyId,
                ["subject"] = e.SubjectId,
                ["ae"] = e.AeId,
                ["verbatim"] = e.VerbatimTerm,
                ["meddra"] = e.Term?.Code.Value,
                ["grade"] = e.Grade.Value,
                ["gradeDerived"] = e.GradeDerivedFromSeverity,
                ["serious"] = e.Serious,
                ["relatedCamrelizumab"] = e.RelatedToCamrelizumab,
                ["relatedRadiotherapy"] = e.RelatedToRadiotherapy,
                ["onset"] = e.Onset?.ToString(),
                ["resolution"] = e.Resolution?.ToString(),
                ["outcome"] = e.Outcome,
                ["actionTaken"] = e.ActionTaken,
                ["sourceFile"] = e.Source.FileName,
                ["sourceSha256"] = e.Source.Sha256,
                ["sourceLine"] = e.Source.Line,
            };
        if (e.ResultsInDeath is not null)
        {
            // Written only when reported, so snapshots of events without AESDTH keep the bytes they always had.
            record["resultsInDeath"] = e.ResultsInDeath;
        }

        if (e.CodingDecision is not null)
        {
            record["decision"] = e.CodingDecision;
        }

        if (e.Queries.Count > 0)
        {
            record["queries"] = e.Queries.Select(q => new Dictionary<string, string?> { ["kind"] = q.Code, ["column"] = q.Column, ["raw"] = q.RawValue, ["detail"] = q.Detail }).ToList();
        }

        return record;
    }

    public static (List<Subject> Subjects, List<AdverseEvent> Events) Read(ReadOnlySpan<byte> content, CtcaeDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        var subjects = new List<Subject>();
        var events = new List<AdverseEvent>();
        foreach (var line in Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var r = json.RootElement;
            string? Text(string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetString();
            bool? Flag(string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetBoolean();
            DateOnly? Date(string name) => Text(name) is { } d ? DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
            PartialDate? Partial(string name) => PartialDate.TryParse(Text(name), out var d) ? d : null;
            if (Text("kind") == "subject")
            {
                subjects.Add(new Subject(Text("study")!, Text("subject")!, Text("arm")!, Date("randomized"), Date("firstDose")));
                continue;
            }

            events.Add(new AdverseEvent
            {
                StudyId = Text("study")!,
                SubjectId = Text("subject")!,
                AeId = Text("ae")!,
                VerbatimTerm = Text("verbatim"),
                Term = r.GetProperty("meddra").ValueKind == JsonValueKind.Null
                    ? null
                    : dictionary.Find(new MedDraCode(r.GetProperty("meddra").GetInt32()))
                        ?? throw new InvalidDataException($"Snapshot event {Text("subject")}/{Text("ae")} has a MedDRA code not in {CtcaeDictionary.Version}."),
                CodingMethod = r.TryGetProperty("decision", out _) ? Coding.CodingMethod.CoderDecision
                    : r.GetProperty("meddra").ValueKind == JsonValueKind.Null ? Coding.CodingMethod.NeedsCoding : Coding.CodingMethod.ExactTerm,
                CodingDecision = r.TryGetProperty("decision", out var decision) ? decision.GetString() : null,
                Queries = r.TryGetProperty("queries", out var queries)
                    ? [.. queries.EnumerateArray().Select(q => new Queries.EventQuery(
                        Queries.QueryMessages.Parse(q.GetProperty("kind").GetString()!) ?? throw new InvalidDataException($"Snapshot event {Text("subject")}/{Text("ae")} has an unknown query kind."),
                        q.GetProperty("column").GetString()!,
                        q.GetProperty("raw").GetString(),
                        q.GetProperty("detail").GetString()))]
                    : [],
                Grade = new CtcaeGrade(r.GetProperty("grade").GetInt32()),
                GradeDerivedFromSeverity = r.TryGetProperty("gradeDerived", out var derived) && derived.GetBoolean(),
                Serious = Flag("serious"),
                RelatedToCamrelizumab = Flag("relatedCamrelizumab"),
                RelatedToRadiotherapy = Flag("relatedRadiotherapy"),
                Onset = Partial("onset"),
                Resolution = Partial("resolution"),
                Outcome = Text("outcome"),
                ActionTaken = r.TryGetProperty("actionTaken", out _) ? Text("actionTaken") : null,
                ResultsInDeath = r.TryGetProperty("resultsInDeath", out var death) ? death.GetBoolean() : null,
                Source = new SourceReference(Text("sourceFile")!, Text("sourceSha256")!, r.GetProperty("sourceLine").GetInt64()),
            });
        }

        return (subjects, events);
    }
}
