namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>The order in which subjects are judged against the looks of a boundary.</summary>
public enum EvaluationOrder
{
    /// <summary>First-dose order; look n crosses once the known events among the first n reach b_n (what <see cref="RuleEvaluator"/> does).</summary>
    Enrolment,

    /// <summary>The order subjects became evaluable (event onset, or window end): the earlier rule, which inflates the false-alarm rate. For comparison only.</summary>
    BecameEvaluable,
}
