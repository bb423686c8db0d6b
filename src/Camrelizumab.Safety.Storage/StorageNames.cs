namespace Camrelizumab.Safety.Storage;

/// <summary>
/// Container and table names (README "Storage layout"). A suffix isolates test runs; container names get it after a
/// hyphen, table names (letters and digits only) directly.
/// </summary>
public sealed record StorageNames(string Suffix)
{
    public string Inbox => Container("ae-inbox");

    public string Archive => Container("ae-archive");

    public string Quarantine => Container("ae-quarantine");

    public string IngestReports => Container("ingest-reports");

    public string DsmbClosed => Container("dsmb-closed");

    public string DsmbOpen => Container("dsmb-open");

    /// <summary>The exact inputs of every stored evaluation: data snapshots and rules files, named by SHA-256, written once.</summary>
    public string EvaluationInputs => Container("evaluation-inputs");

    /// <summary>Leases and schedule status for the single-instance timers (like the Functions host's azure-webjobs-hosts).</summary>
    public string Runtime => Container("safety-runtime");

    /// <summary>Files of coder decisions (CSV) dropped where no CLI runs; each gets a receipt in <see cref="IngestReports"/>.</summary>
    public string CodingDecisionsInbox => Container("coding-decisions");

    public string AdverseEvents => Table("AdverseEvents");

    /// <summary>Coder decisions, every version: who assigned which CTCAE term to which verbatim, when and why.</summary>
    public string CodingDecisions => Table("CodingDecisions");

    /// <summary>Every earlier version of every AE: what a later export replaced or a full export marked deleted.</summary>
    public string AdverseEventHistory => Table("AdverseEventHistory");

    /// <summary>SDTM supplemental qualifiers of AEs (SUPPAE), whatever order AE and SUPPAE files arrive in.</summary>
    public string AdverseEventQualifiers => Table("AdverseEventQualifiers");

    public string Subjects => Table("Subjects");

    /// <summary>SDTM EX records: what each subject received, for exposure and days from the last dose.</summary>
    public string Exposures => Table("Exposures");

    /// <summary>SDTM DS records: why and when each subject left study treatment or the study.</summary>
    public string Dispositions => Table("Dispositions");

    public string ArmAggregates => Table("ArmAggregates");

    public string RuleEvaluations => Table("RuleEvaluations");

    /// <summary>Per subject, the rule-relevant facts of its counted events, kept as events change (the evaluation reads these).</summary>
    public string SubjectFacts => Table("SubjectFacts");

    public string AlertLedger => Table("AlertLedger");

    public string FileLedger => Table("FileLedger");

    public IEnumerable<string> Containers => [Inbox, Archive, Quarantine, IngestReports, DsmbClosed, DsmbOpen, EvaluationInputs, Runtime, CodingDecisionsInbox];

    public IEnumerable<string> Tables => [AdverseEvents, AdverseEventHistory, AdverseEventQualifiers, Subjects, Exposures, Dispositions, ArmAggregates, RuleEvaluations, SubjectFacts, AlertLedger, FileLedger, CodingDecisions];

    private string Container(string name) => Suffix.Length == 0 ? name : $"{name}-{Suffix}";

    private string Table(string name) => name + Suffix;
}
