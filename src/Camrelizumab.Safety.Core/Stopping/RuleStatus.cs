namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>The state of one rule in one arm.</summary>
public enum RuleStatus
{
    /// <summary>The boundary has not been reached.</summary>
    Ok,

    /// <summary>The cumulative toxicity count reached the boundary at some look.</summary>
    Crossed,

    /// <summary>No boundary of the configured family keeps the crossing probability at or below α: the rule cannot stop.</summary>
    Infeasible,
}
