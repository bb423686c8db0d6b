using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Configuration;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// The timer step: recompute per-arm aggregates and evaluate every stopping rule from the stored data, store both with
/// the inputs that reproduce them, reserve an alert for each new crossing, and deliver every pending alert.
/// </summary>
public sealed class EvaluateStoppingRules(
    SafetyStore store,
    SafetyRules rules,
    SnapshotReader snapshot,
    Notifier notifier,
    MailOptions mail,
    TimeProvider timeProvider,
    ILogger<EvaluateStoppingRules> logger)
{
    public const string CrossingCategory = "crossing";
    private const string Latest = "latest";

    public async Task<EvaluationRun> RunAsync(CancellationToken cancellationToken)
    {
        using var activity = SafetyTelemetry.ActivitySource.StartActivity("EvaluateStoppingRules");
        var now = timeProvider.GetUtcNow();
        var evaluation = await snapshot.EvaluateAndKeepInputsAsync(DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        await StoreAsync(evaluation, now, cancellationToken);

        var newAlerts = new List<string>();
        foreach (var result in evaluation.Evaluations.Where(e => e.Status == RuleStatus.Crossed))
        {
            var rule = result.Rule;
            var alertId = DsmbAlert.IdFor(rule.Id, rule.Arm, 1);
            var arm = rules.Arms.First(a => a.Code == rule.Arm);
            var alert = new DsmbAlert(alertId, rules.Study, arm.Label, result, evaluation.EvaluationId, now);
            var message = new OutboxMessage(
                CrossingCategory,
                alertId,
                AlertEmail.Compose(alert),
                mail.AddressesFor(rule.Recipients),
                new Dictionary<string, object?>
                {
                    ["RuleId"] = rule.Id,
                    ["Arm"] = rule.Arm,
                    ["EvaluationId"] = evaluation.EvaluationId,
                    ["Events"] = result.Events,
                    ["Evaluable"] = result.Evaluable,
                });
            if ((await notifier.ReserveAsync(message, cancellationToken)).Created)
            {
                newAlerts.Add(alertId);
                Log.CrossingDetected(logger, rule.Id, rule.Arm, alertId);
            }
        }

        var sent = await notifier.DeliverPendingAsync(cancellationToken);
        SafetyTelemetry.RulesEvaluated.Add(evaluation.Evaluations.Count);
        Log.RulesEvaluated(logger, evaluation.EvaluationId, evaluation.Evaluations.Count, evaluation.Evaluations.Count(e => e.Status == RuleStatus.Crossed));
        return new EvaluationRun(evaluation, newAlerts, sent);
    }

    private async Task StoreAsync(SafetyEvaluation evaluation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        foreach (var partition in new[] { TableKey.Encode(evaluation.EvaluationId), Latest })
        {
            rows.AddRange(evaluation.Evaluations.Select(e => EvaluationEntity(partition, evaluation, e, now)));
        }

        await TableBatches.UpsertAsync(store.RuleEvaluations, rows, cancellationToken);

        var aggregates = new List<TableEntity>();
        foreach (var partition in new[] { TableKey.Encode(evaluation.EvaluationId), Latest })
        {
            aggregates.AddRange(evaluation.Summary.Arms.Select(a => AggregateEntity(partition, evaluation, a)));
        }

        await TableBatches.UpsertAsync(store.ArmAggregates, aggregates, cancellationToken);
    }

    private static TableEntity EvaluationEntity(string partition, SafetyEvaluation evaluation, RuleEvaluation e, DateTimeOffset now) =>
        new(partition, TableKey.Encode(e.Rule.Id))
        {
            ["EvaluationId"] = evaluation.EvaluationId,
            ["EvaluatedAt"] = now,
            ["AsOf"] = evaluation.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["DataSnapshotSha256"] = evaluation.DataSnapshotSha256,
            ["RulesVersion"] = evaluation.RulesVersion,
            ["RulesSha256"] = evaluation.RulesSha256,
            ["DictionaryVersion"] = evaluation.DictionaryVersion,
            ["DictionarySha256"] = evaluation.DictionarySha256,
            ["CodeVersion"] = evaluation.CodeVersion,
            ["RuleId"] = e.Rule.Id,
            ["Arm"] = e.Rule.Arm,
            ["Method"] = e.Rule.Method,
            ["P0"] = e.Rule.P0.ToString(CultureInfo.InvariantCulture),
            ["Alpha"] = e.Rule.Alpha.ToString(CultureInfo.InvariantCulture),
            ["MaxPatients"] = e.Rule.MaxPatients,
            ["Boundaries"] = JsonSerializer.Serialize(e.Boundary.Boundaries),
            ["AchievedAlpha"] = e.Boundary.AchievedAlpha,
            ["Status"] = e.Status.ToString(),
            ["Events"] = e.Events,
            ["Evaluable"] = e.Evaluable,
            ["Pending"] = e.Pending,
            ["BoundaryAtEvaluable"] = e.BoundaryAtEvaluable,
            ["FirstCrossingPatients"] = e.FirstCrossing?.Patients,
            ["FirstCrossingEvents"] = e.FirstCrossing?.Events,
            ["EventsToCross"] = e.EventsToCross,
            ["SubjectsWithEvent"] = string.Join(';', e.SubjectsWithEvent),
        };

    private static TableEntity AggregateEntity(string partition, SafetyEvaluation evaluation, ArmSafetySummary a) =>
        new(partition, TableKey.Encode(a.Arm))
        {
            ["EvaluationId"] = evaluation.EvaluationId,
            ["AsOf"] = evaluation.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Subjects"] = a.Subjects,
            ["DosedSubjects"] = a.DosedSubjects,
            ["Events"] = a.Events,
            ["SubjectsWithAnyEvent"] = a.SubjectsWithAnyEvent,
            ["SubjectsWorstGrade1"] = a.SubjectsByWorstGrade[0],
            ["SubjectsWorstGrade2"] = a.SubjectsByWorstGrade[1],
            ["SubjectsWorstGrade3"] = a.SubjectsByWorstGrade[2],
            ["SubjectsWorstGrade4"] = a.SubjectsByWorstGrade[3],
            ["SubjectsWorstGrade5"] = a.SubjectsByWorstGrade[4],
            ["SubjectsWithGrade3OrWorse"] = a.SubjectsWithGrade3OrWorse,
            ["SubjectsWithSerious"] = a.SubjectsWithSerious,
            ["SubjectsWithTreatmentRelated"] = a.SubjectsWithTreatmentRelated,
            ["SubjectsWithTreatmentRelatedGrade3OrWorse"] = a.SubjectsWithTreatmentRelatedGrade3OrWorse,
            ["SubjectsWithCamrelizumabRelated"] = a.SubjectsWithCamrelizumabRelated,
            ["SubjectsWithRadiotherapyRelated"] = a.SubjectsWithRadiotherapyRelated,
            ["SubjectsWithFatal"] = a.SubjectsWithFatal,
            ["TopTerms"] = JsonSerializer.Serialize(a.Terms.Take(50).Select(t => new { term = t.Name, soc = t.Soc, subjects = t.Subjects, byWorstGrade = t.SubjectsByWorstGrade })),
        };
}
