using MimeKit;

namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>Sends one message. Two real implementations: SMTP and the <c>.eml</c> pickup folder.</summary>
public interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
