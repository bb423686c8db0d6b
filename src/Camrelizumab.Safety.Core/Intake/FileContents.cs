using Camrelizumab.Safety.Core.AdverseEvents;
using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Coding;
using Camrelizumab.Safety.Core.Ingest;
using Camrelizumab.Safety.Core.Subjects;

namespace Camrelizumab.Safety.Core.Intake;

/// <summary>
/// What one file's rows amount to, folded row by row as they are read: the tally (which owns rows read = stored +
/// refused), each event handed to the caller's sink, the queries and expedited alerts of the events as the coder
/// decisions in force code them, and the roster, SUPPAE, EX and DS records, which are kept until the whole file has
/// been read (a file that ends quarantined must leave none of them behind, e.g. no AETRTEM = N taking an event out of
/// the counts).
/// </summary>
/// <param name="decisions">The coder decisions in force: the stored event keeps what the ladder found; these code its
/// uncoded verbatims for expedited screening and the report.</param>
/// <param name="receivedAt">When the file arrived: day 0 of the expedited-reporting clock of a new event.</param>
/// <param name="keepEvent">Where each accepted event goes (the ingest spills them to disk).</param>
public sealed class FileContents(CodingDecisions decisions, ExpectedAdverseEvents expected, string study, DateTimeOffset receivedAt, Action<AdverseEvent> keepEvent)
{
    private readonly Dictionary<(string StudyId, string SubjectId), DateOnly> _firstExposure = [];

    public IngestTally Tally { get; } = new();

    public QueryTally Queries { get; } = new();

    /// <summary>The events that call for an expedited alert (treatment-related death, SUSAR candidate), in file order.</summary>
    public List<ExpeditedAlert> Expedited { get; } = [];

    public List<Subject> Subjects { get; } = [];

    public List<RowResult.AcceptedQualifier> Qualifiers { get; } = [];

    public List<ExposureRecord> Exposures { get; } = [];

    public List<DispositionRecord> Dispositions { get; } = [];

    /// <summary>Each subject's earliest exposure start in the file: its first dose.</summary>
    public IReadOnlyDictionary<(string StudyId, string SubjectId), DateOnly> FirstExposure => _firstExposure;

    /// <summary>Folds one row in; returns its refusal, if it was refused, for the caller's full list.</summary>
    public RowRejection? Add(RowResult row)
    {
        var rejection = Tally.Add(row);
        switch (row)
        {
            case RowResult.AcceptedEvent e:
                keepEvent(e.Event);
                var coded = decisions.Apply(e.Event);
                Queries.Add(coded);
                if (ExpeditedAlert.Screen(coded, expected, study, null, receivedAt) is { } alert)
                {
                    Expedited.Add(alert);
                }

                break;
            case RowResult.AcceptedSubject s:
                Subjects.Add(s.Subject);
                break;
            case RowResult.AcceptedQualifier q:
                Qualifiers.Add(q);
                break;
            case RowResult.AcceptedExposure x:
                var key = (x.StudyId, x.SubjectId);
                _firstExposure[key] = _firstExposure.TryGetValue(key, out var earlier) && earlier < x.Start ? earlier : x.Start;
                Exposures.Add(x.Record);
                break;
            case RowResult.AcceptedDisposition d:
                Dispositions.Add(d.Record);
                break;
        }

        return rejection;
    }
}
