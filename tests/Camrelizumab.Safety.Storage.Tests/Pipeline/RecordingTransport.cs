using Camrelizumab.Safety.Storage.Mail;
using MimeKit;

namespace Camrelizumab.Safety.Storage.Tests.Pipeline;

/// <summary>The one recording fake the style allows: an outside side effect (mail). Can be told to fail like a dead SMTP server.</summary>
internal sealed class RecordingTransport : IMailTransport
{
    public bool Fail { get; set; }

    public List<MimeMessage> Sent { get; } = [];

    public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (Fail)
        {
            throw new System.Net.Sockets.SocketException(111);
        }

        Sent.Add(message);
        return Task.CompletedTask;
    }
}
