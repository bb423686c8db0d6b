namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>What one run of <see cref="Notifier.DeliverDueAsync"/> did.</summary>
/// <param name="Sent">Messages the transport accepted.</param>
/// <param name="Failed">Sends that failed; each waits out its back-off and is retried.</param>
/// <param name="NotDue">Pending messages left alone: leased by another host, waiting out a back-off, taken first by another
/// host, or not tried because the mail server had failed twice in a row in this run.</param>
public sealed record DeliveryRun(int Sent, int Failed, int NotDue);
