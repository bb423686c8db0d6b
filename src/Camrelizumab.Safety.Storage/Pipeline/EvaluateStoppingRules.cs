using System.Globalization;
using Camrelizumab.Safety.Core.Aggregation;
using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// The timer step: recompute per-arm aggregates and evaluate every stopping rule from the stored data, store both with
/// the inputs that reproduce them, and reserve an alert for each new crossing (and each escalation) in the outbox,
/// which the delivery timer sends.
/// </summary>
public sealed class EvaluateStoppingRules(
    SafetyStore store,
    SafetyRules rules,
    SnapshotReader snapshot,
    Notifier notifier,
    MailOptions mail,
    ExpeditedArmUpdates armUpdates,
    TimeProvider timeProvider,
    ILogger<EvaluateStoppingRules> logger)
{
    public async Task<EvaluationRun> RunAsync(CancellationToken cancellationToken)
    {
        using var activity = SafetyTelemetry.ActivitySource.StartActivity("EvaluateStoppingRules");
        var now = timeProvider.GetUtcNow();
        var evaluation = await snapshot.EvaluateAndKeepInputsAsync(DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        await store.RuleEvaluations.StoreAsync(evaluation, now, cancellationToken);
        await store.ArmAggregates.StoreAsync(evaluation, cancellationToken);

        var newAlerts = await RaiseCrossingsAsync(evaluation, now, cancellationToken);
        newAlerts.AddRange(await RaisePossibleCrossingsAsync(evaluation, now, cancellationToken));
        await armUpdates.RaiseAsync(cancellationToken);
        await EscalateAsync(now, cancellationToken);

        SafetyTelemetry.RulesEvaluated.Add(evaluation.Evaluations.Count);
        Log.RulesEvaluated(logger, evaluation.EvaluationId, evaluation.Evaluations.Count, evaluation.Evaluations.Count(e => e.Status == RuleStatus.Crossed));
        return new EvaluationRun(evaluation, newAlerts);
    }

    /// <summary>
    /// Applies <see cref="CrossingLedger.Decide"/> to each rule in each arm: a new crossing is reserved as number n + 1
    /// (by-arm content to the closed roles only, the blinded twin to the others when they have an address); a crossing
    /// that no longer holds gets a correction and is marked cleared; an infeasible rule leaves the ledger alone.
    /// </summary>
    private async Task<List<string>> RaiseCrossingsAsync(SafetyEvaluation evaluation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ledger = await store.AlertLedger.ReadEntriesAsync(MessageCategory.Crossing, cancellationToken);
        var lastSummary = await store.RuleEvaluations.ReadLastSummaryAsync(cancellationToken);
        var newAlerts = new List<string>();
        foreach (var result in evaluation.Evaluations)
        {
            var rule = result.Rule;
            var arm = rules.Arms.First(a => a.Code == rule.Arm);
            var history = ledger
                .Select(e => (Entry: e, Number: CrossingLedger.ParseNumber(e.Id, rule.Id, rule.Arm)))
                .Where(x => x.Number is not null)
                .ToDictionary(x => x.Number!.Value, x => x.Entry);
            var action = CrossingLedger.Decide(result.Status, [.. history.Select(h => new AlertedCrossing(h.Key, h.Value.ClearedAt is not null))]);
            var audience = AlertAudience.Of(rule.Recipients, mail.EffectiveClosedRoles, mail.AddressesFor);
            var closedRoles = audience.ClosedRoles;
            var details = LedgerDetails.Crossing(rule.Id, rule.Arm, evaluation.EvaluationId, result.Events, result.Evaluable);

            switch (action)
            {
                case CrossingAction.Raise raise:
                    var alertId = DsmbAlert.IdFor(rule.Id, rule.Arm, raise.Number);
                    var alert = new DsmbAlert(alertId, rules.Study, arm.Label, result, evaluation.EvaluationId, now);
                    var reservation = await notifier.ReserveAsync(
                        new OutboxMessage(MessageCategory.Crossing, alertId, AlertEmail.Compose(alert, lastSummary.GetValueOrDefault(rule.Id), evaluation.DataQueries), mail.AddressesFor(closedRoles), details),
                        cancellationToken);
                    if (audience.BlindedTwin)
                    {
                        await notifier.ReserveAsync(
                            new OutboxMessage(MessageCategory.CrossingBlinded, AlertEmail.BlindedReference(alertId), AlertEmail.ComposeBlinded(alert), mail.AddressesFor(audience.BlindedRoles), LedgerDetails.BlindedCrossing(rule.Id)),
                            cancellationToken);
                    }

                    if (reservation.Created)
                    {
                        newAlerts.Add(alertId);
                        Log.CrossingDetected(logger, rule.Id, rule.Arm, alertId);
                    }

                    break;
                case CrossingAction.Clear clear:
                    // The correction is reserved before the crossing is marked cleared: a crash between the two leaves
                    // the crossing open, the next run decides the same, and the correction, keyed by id, does not double.
                    var open = history[clear.Number];
                    var correctedId = open.Id;
                    await notifier.ReserveAsync(
                        new OutboxMessage(MessageCategory.Correction, "correction." + correctedId, AlertEmail.ComposeCorrection(rules.Study, arm.Label, result, correctedId, evaluation.EvaluationId, now), mail.AddressesFor(closedRoles), details),
                        cancellationToken);
                    // False when another host cleared it (or it was acknowledged) since it was read: the next run reads it again.
                    if (await store.AlertLedger.TryMarkClearedAsync(open, now, evaluation.EvaluationId, outcome: null, cancellationToken))
                    {
                        Log.CrossingCleared(logger, rule.Id, rule.Arm, "correction." + correctedId);
                    }

                    break;
                case CrossingAction.HoldInfeasible hold:
                    Log.RuleInfeasible(logger, rule.Id, rule.Arm, hold.OpenNumber is { } n ? DsmbAlert.IdFor(rule.Id, rule.Arm, n) : "none");
                    break;
            }
        }

        return newAlerts;
    }

    /// <summary>
    /// A rule not crossed on coded data that would cross if the events awaiting coding qualified gets one "possible
    /// crossing pending coding" alert (to the closed roles; nothing by arm goes to the others). When coding resolves it,
    /// the possibility is closed: confirmed if the rule is now crossed (the crossing alert says so), otherwise cleared
    /// with a notice. A later possibility for the same rule is number n + 1.
    /// </summary>
    private async Task<List<string>> RaisePossibleCrossingsAsync(SafetyEvaluation evaluation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ledger = await store.AlertLedger.ReadEntriesAsync(MessageCategory.PossibleCrossing, cancellationToken);
        var raised = new List<string>();
        foreach (var result in evaluation.Evaluations)
        {
            var rule = result.Rule;
            var arm = rules.Arms.First(a => a.Code == rule.Arm);
            var prefix = $"possible.{rule.Id}.{rule.Arm}.".ToLowerInvariant();
            var history = ledger.Where(e => e.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            var open = history.FirstOrDefault(e => e.ClearedAt is null);
            var closedRoles = AlertAudience.Of(rule.Recipients, mail.EffectiveClosedRoles, mail.AddressesFor).ClosedRoles;
            var possible = result.Status != RuleStatus.Crossed
                && evaluation.IfUncodedQualified.TryGetValue(rule.Id, out var widened) && widened.Status == RuleStatus.Crossed;
            if (possible && open is null)
            {
                var alertId = prefix + (history.Count + 1).ToString(CultureInfo.InvariantCulture);
                var reservation = await notifier.ReserveAsync(
                    new OutboxMessage(MessageCategory.PossibleCrossing, alertId,
                        AlertEmail.ComposePossibleCrossing(rules.Study, arm.Label, result, evaluation.IfUncodedQualified[rule.Id], alertId, evaluation.EvaluationId, now, evaluation.DataQueries),
                        mail.AddressesFor(closedRoles),
                        LedgerDetails.PossibleCrossing(rule.Id, rule.Arm, evaluation.EvaluationId, result.Events)),
                    cancellationToken);
                if (reservation.Created)
                {
                    raised.Add(alertId);
                    Log.PossibleCrossing(logger, rule.Id, rule.Arm, alertId);
                }
            }
            else if (!possible && open is not null)
            {
                var alertId = open.Id;
                var outcome = result.Status == RuleStatus.Crossed ? "confirmed" : "cleared";

                // The notice first, then the mark: a crash between the two cannot lose the notice (keyed by id, it does not double).
                if (outcome == "cleared")
                {
                    await notifier.ReserveAsync(
                        new OutboxMessage(MessageCategory.PossibleCleared, "cleared." + alertId,
                            AlertEmail.ComposePossibleCrossingCleared(rules.Study, arm.Label, result, alertId, evaluation.EvaluationId, now),
                            open.Recipients,
                            LedgerDetails.PossibleCleared(rule.Id, rule.Arm, alertId)),
                        cancellationToken);
                }

                if (!await store.AlertLedger.TryMarkClearedAsync(open, now, evaluation.EvaluationId, outcome, cancellationToken))
                {
                    // Another host resolved it on the same evaluation.
                    continue;
                }

                Log.PossibleCrossingResolved(logger, alertId, outcome);
            }
        }

        return raised;
    }

    /// <summary>
    /// Re-sends, to the escalation role, every alert nobody acknowledged within the configured hours. The escalation is
    /// reserved before the alert is marked escalated, so a crash between the two cannot lose it (the next run finds the
    /// alert unmarked and the reservation, keyed by the alert's id, does not double).
    /// </summary>
    private async Task EscalateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = await store.AlertLedger.DueForEscalationAsync(
            [MessageCategory.Crossing, MessageCategory.Correction, MessageCategory.PossibleCrossing, MessageCategory.Expedited],
            now,
            TimeSpan.FromHours(mail.EscalateAfterHours),
            cancellationToken);
        var addresses = mail.AddressesFor([mail.EscalationRole]);
        foreach (var entry in due)
        {
            var alertId = entry.Id;
            if (addresses.Count == 0)
            {
                Log.NoEscalationAddress(logger, alertId, mail.EscalationRole);
                continue;
            }

            var sentAt = entry.SentAt!.Value;

            // The escalation role sees the alert itself only when it is a closed role; otherwise it is told that an alert
            // waits, with nothing by arm (the blinding of Mail:ClosedRoles holds for escalations too).
            var content = AlertAudience.IsClosed(mail.EscalationRole, mail.EffectiveClosedRoles)
                ? AlertEmail.ComposeEscalation(entry.Content, alertId, now - sentAt)
                : AlertEmail.ComposeBlindedEscalation(rules.Study, alertId, sentAt, now - sentAt);
            await notifier.ReserveAsync(
                new OutboxMessage(MessageCategory.Escalation, alertId, content, addresses, LedgerDetails.Escalation(entry.Category)),
                cancellationToken);
            if (await store.AlertLedger.TryMarkEscalatedAsync(entry, now, cancellationToken))
            {
                Log.Escalated(logger, alertId, sentAt);
            }
            else
            {
                // Changed since it was read (acknowledged, or another host escalated it): the next run reads it again,
                // and the escalation reserved above is the one message either way.
                Log.EscalationSkipped(logger, alertId);
            }
        }
    }
}
