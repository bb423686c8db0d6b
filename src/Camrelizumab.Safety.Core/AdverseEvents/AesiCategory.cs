
namespace Camrelizumab.Safety.Core.AdverseEvents;

/// <summary>One category of adverse events of special interest, from the reviewed <c>config/aesi.json</c>.</summary>
public sealed record AesiCategory
{
    public required string Id { get; init; }

    /// <summary><c>camrelizumab</c> (RCCEP), <c>immune-related</c> or <c>radiation-related</c>.</summary>
    public required string Group { get; init; }

    public required string Label { get; init; }

    /// <summary>CTCAE v5.0 terms in the category.</summary>
    public IReadOnlyList<string> Terms { get; init; } = [];

    /// <summary>When present, the verbatim term must contain one of these (RCCEP is coded to an "Other, specify" term).</summary>
    public IReadOnlyList<string> VerbatimContains { get; init; } = [];

    /// <summary>The attribution the event needs: immune-related needs camrelizumab, radiation-related radiotherapy.</summary>
    public Attribution Attribution { get; init; } = Attribution.Any;

    /// <summary>
    /// Defined by a treatment only one arm receives (radiotherapy): the pooled count would be that arm's count, so the
    /// open report leaves the category out.
    /// </summary>
    public bool ArmSpecific { get; init; }

    public bool Includes(AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        if (adverseEvent.Term is not { } term || !Terms.Contains(term.Name, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (VerbatimContains.Count > 0
            && !VerbatimContains.Any(v => adverseEvent.VerbatimTerm?.Contains(v, StringComparison.OrdinalIgnoreCase) == true))
        {
            return false;
        }

        return IsAttributed(adverseEvent);
    }

    /// <summary>Whether the event has the attribution the category needs, whatever its term.</summary>
    public bool IsAttributed(AdverseEvent adverseEvent)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        return Attribution switch
        {
            Attribution.Any => true,
            Attribution.StudyTreatment => adverseEvent.IsTreatmentRelated,

            // A missing camrelizumab attribution counts, as for treatment-related events; radiotherapy needs a "yes".
            Attribution.Camrelizumab => adverseEvent.RelatedToCamrelizumab is not false,
            Attribution.Radiotherapy => adverseEvent.RelatedToRadiotherapy is true,
            _ => false,
        };
    }
}
