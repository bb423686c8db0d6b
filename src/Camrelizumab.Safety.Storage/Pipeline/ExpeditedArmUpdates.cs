using Camrelizumab.Safety.Core.Alerts;
using Camrelizumab.Safety.Core.Stopping;
using Camrelizumab.Safety.Storage.Mail;
using Camrelizumab.Safety.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace Camrelizumab.Safety.Storage.Pipeline;

/// <summary>
/// An expedited alert sent before any roster named the subject says "arm: not in the roster yet". Once a roster names
/// the subject, the same recipients get one update naming the arm. Run after every roster ingest and by the evaluation
/// timer (which catches a roster that arrived while this failed); the update's id makes it once only.
/// </summary>
public sealed class ExpeditedArmUpdates(SafetyStore store, SafetyRules rules, Notifier notifier, ILogger<ExpeditedArmUpdates> logger)
{
    public async Task<int> RaiseAsync(CancellationToken cancellationToken)
    {
        var withoutArm = (await store.AlertLedger.ReadEntriesAsync(MessageCategory.Expedited, cancellationToken))
            .Where(e => e.Arm is null && e.SubjectId is not null && !e.ArmUpdated)
            .ToList();
        if (withoutArm.Count == 0)
        {
            return 0;
        }

        var arms = (await store.Subjects.ReadAllAsync(rules.Study, cancellationToken)).ToDictionary(s => s.SubjectId, s => s.Arm, StringComparer.Ordinal);
        var raised = 0;
        foreach (var entry in withoutArm)
        {
            if (arms.GetValueOrDefault(entry.SubjectId!) is not { } arm)
            {
                continue;
            }

            var alertId = entry.Id;
            var label = rules.Arms.FirstOrDefault(a => a.Code == arm)?.Label ?? arm;
            var reservation = await notifier.ReserveAsync(
                new OutboxMessage(MessageCategory.ExpeditedUpdate, alertId + ".arm",
                    AlertEmail.ComposeExpeditedArmUpdate(rules.Study, alertId, entry.SubjectId!, entry.AeId ?? "", label),
                    entry.Recipients,
                    LedgerDetails.ExpeditedArmUpdate(alertId, entry.SubjectId!, arm)),
                cancellationToken);
            // False when another host marked it first; the update's reservation is keyed by id, so it is still one message.
            await store.AlertLedger.TryMarkArmUpdatedAsync(entry, arm, cancellationToken);

            if (reservation.Created)
            {
                raised++;
                Log.ExpeditedArmUpdate(logger, alertId, arm);
            }
        }

        return raised;
    }
}
