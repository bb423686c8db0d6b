namespace Camrelizumab.Safety.Core.Alerts;

/// <summary>A message ready for any transport: subject, plain text and HTML (already encoded).</summary>
/// <param name="MessageId">A stable RFC 5322 Message-ID local part, so a re-send after a crash is recognisable as the same message.</param>
public sealed record EmailContent(string MessageId, string Subject, string PlainText, string Html);
