using Camrelizumab.Safety.Core.AdverseEvents;

namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>What counts as a toxicity for a rule.</summary>
/// <remarks>
/// The evaluation window is [first dose, first dose + <see cref="WindowDays"/>): a subject is evaluable once the window
/// has closed, or earlier if the event has occurred. Events with an onset after the window do not count.
/// </remarks>
public sealed record EventDefinition
{
    /// <summary>CTCAE v5.0 term names; empty means any term.</summary>
    public IReadOnlyList<string> Terms { get; init; } = [];

    /// <summary>System organ classes; empty means any SOC.</summary>
    public IReadOnlyList<string> Socs { get; init; } = [];

    /// <summary>AESI category ids (config/aesi.json); empty means no AESI restriction.</summary>
    public IReadOnlyList<string> Aesi { get; init; } = [];

    public int MinGrade { get; init; } = 1;

    public Attribution Attribution { get; init; } = Attribution.Any;

    /// <summary>When true, only serious events count.</summary>
    public bool SeriousOnly { get; init; }

    /// <summary>Length of the evaluation window from first dose, in days.</summary>
    public int WindowDays { get; init; }

    /// <summary>True when the definition names terms, SOCs or AESI categories, so an uncoded event may or may not count.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool DependsOnTerm => Terms.Count > 0 || Socs.Count > 0 || Aesi.Count > 0;

    /// <summary>
    /// Not from the rules file: when true, an event awaiting coding passes the term, SOC and AESI conditions (every
    /// other condition still applies). Used to compute "the count if every open uncoded event qualified", which tells
    /// whether a crossing may depend on coding. By default an uncoded event counts only for term-independent definitions.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AssumeUncodedQualifies { get; init; }

    /// <summary>
    /// True when every event that counts for <paramref name="other"/> also counts here (grade 5 related ⊂ grade ≥3
    /// related), judged from the definitions alone: terms, SOCs, minimum grade, attribution, seriousness and window.
    /// </summary>
    public bool Contains(EventDefinition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var terms = Terms.Count == 0 || (other.Terms.Count > 0 && other.Terms.All(t => Terms.Contains(t, StringComparer.OrdinalIgnoreCase)));
        var socs = Socs.Count == 0 || (other.Socs.Count > 0 && other.Socs.All(t => Socs.Contains(t, StringComparer.OrdinalIgnoreCase)));
        var aesi = Aesi.Count == 0 || (other.Aesi.Count > 0 && other.Aesi.All(a => Aesi.Contains(a, StringComparer.Ordinal)));
        var attribution = Attribution == Attribution.Any
            || Attribution == other.Attribution
            || (Attribution == Attribution.StudyTreatment && other.Attribution is Attribution.Radiotherapy);
        return terms && socs && aesi && attribution && MinGrade <= other.MinGrade && (!SeriousOnly || other.SeriousOnly) && WindowDays >= other.WindowDays;
    }

    public bool Includes(AdverseEvent adverseEvent, DateOnly firstDose)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        return IncludesWhateverOnset(adverseEvent) && OnsetInWindow(OnsetKey(adverseEvent), firstDose);
    }

    /// <summary>The onset an event is judged by: the earliest possible day of its onset, or <see cref="DateOnly.MinValue"/>
    /// when it has none (an event with no onset date is taken to have happened at first dose, so it is always in the window).</summary>
    public static DateOnly OnsetKey(AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        return adverseEvent.Onset is { } onset ? onset.Earliest : DateOnly.MinValue;
    }

    /// <summary>Whether an event of this onset (<see cref="OnsetKey"/>) falls in the window [first dose, first dose + window).
    /// An onset known only to the month or year counts if its earliest possible day lies in the window.</summary>
    public bool OnsetInWindow(DateOnly onsetKey, DateOnly firstDose) => onsetKey == DateOnly.MinValue || onsetKey < firstDose.AddDays(WindowDays);

    /// <summary>Every criterion of <see cref="Includes"/> except the window, which depends on the subject's first dose.</summary>
    public bool IncludesWhateverOnset(AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        if (adverseEvent.Grade.Value < MinGrade)
        {
            return false;
        }

        if (adverseEvent.Term is not { } term)
        {
            // Awaiting coding: counts for term-independent definitions; for the others only in the "if every uncoded
            // event qualified" reading, and then only with an attribution one of the named AESI categories accepts.
            if (DependsOnTerm && !AssumeUncodedQualifies)
            {
                return false;
            }

            if (Aesi.Count > 0 && !AesiConfiguration.LoadDefaults().Categories.Any(c => Aesi.Contains(c.Id, StringComparer.Ordinal) && c.IsAttributed(adverseEvent)))
            {
                return false;
            }
        }
        else
        {
            if (Terms.Count > 0 && !Terms.Contains(term.Name, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }

            if (Socs.Count > 0 && !Socs.Contains(term.Soc, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }

            if (Aesi.Count > 0 && !AesiConfiguration.LoadDefaults().Categories.Any(c => Aesi.Contains(c.Id, StringComparer.Ordinal) && c.Includes(adverseEvent)))
            {
                return false;
            }
        }

        if (SeriousOnly && adverseEvent.Serious is not true)
        {
            return false;
        }

        var attributed = Attribution switch
        {
            Attribution.Any => true,
            Attribution.StudyTreatment => adverseEvent.IsTreatmentRelated,
            Attribution.Camrelizumab => adverseEvent.RelatedToCamrelizumab is not false,
            Attribution.Radiotherapy => adverseEvent.RelatedToRadiotherapy is true,
            _ => throw new InvalidOperationException($"Unknown attribution {Attribution}."),
        };
        return attributed;
    }
}
