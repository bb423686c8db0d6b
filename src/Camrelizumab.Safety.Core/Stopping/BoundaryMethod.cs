namespace Camrelizumab.Safety.Core.Stopping;

/// <summary>The boundary families of docs/stopping-rules.md §2.</summary>
public enum BoundaryMethod
{
    /// <summary>Constant nominal level (Ivanova, Qaqish and Schell 2005). Calibrated.</summary>
    Pocock,

    /// <summary>O'Brien–Fleming-type: S_n ≥ n p0 + c √(N p0 q0). Calibrated.</summary>
    ObrienFleming,

    /// <summary>Wang–Tsiatis(Δ): S_n ≥ n p0 + c (n/N)^(Δ−½) √(n p0 q0). Calibrated.</summary>
    WangTsiatis,

    /// <summary>Beta-binomial posterior P(p &gt; p0 | data) ≥ c (Geller et al. 2003). Calibrated.</summary>
    BetaBinomial,

    /// <summary>Chen and Chaloner 2006: P(p &gt; p0 | ·) &gt; c and P(p &gt; p1 | ·) &gt; ν. Calibrated in c.</summary>
    ChenChaloner,

    /// <summary>Truncated SPRT: log-likelihood ratio of p1 against p0 ≥ c. Calibrated.</summary>
    TruncatedSprt,

    /// <summary>Maximized SPRT (Kulldorff et al. 2011), one-sided binomial. Calibrated.</summary>
    MaxSprt,

    /// <summary>Wald's open SPRT with Wald's thresholds (from α and β), truncated at N; exact OC.</summary>
    WaldSprt,

    /// <summary>Uncalibrated Bayesian threshold: P(p &gt; p0 | data) &gt; c with fixed c (Thall–Simon–Estey type).</summary>
    BayesianThreshold,

    /// <summary>BOP2-type toxicity rule: P(θ &gt; φ | D_n) &gt; 1 − λ (n/N)^γ, prior Beta(φ, 1 − φ) (Zhou, Lee and Yuan 2017).</summary>
    Bop2,
}
