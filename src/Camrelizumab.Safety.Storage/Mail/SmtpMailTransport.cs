using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>Sends through an SMTP relay with MailKit: STARTTLS and authentication when configured.</summary>
public sealed class SmtpMailTransport(SmtpOptions options) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient();
        var security = options.Security switch
        {
            "StartTls" => SecureSocketOptions.StartTls,
            "SslOnConnect" => SecureSocketOptions.SslOnConnect,
            "None" => SecureSocketOptions.None,
            _ => throw new InvalidOperationException($"Mail:Smtp:Security '{options.Security}' is not one of StartTls, SslOnConnect, None."),
        };
        await client.ConnectAsync(options.Host, options.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(options.UserName))
        {
            await client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }
}
