using MimeKit;

namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>
/// Writes each message as an <c>.eml</c> file named after its Message-ID, so sending the same message twice leaves one file.
/// </summary>
public sealed class PickupFolderMailTransport(string directory) : IMailTransport
{
    public string Directory => directory;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.IO.Directory.CreateDirectory(directory);
        var name = string.Concat((message.MessageId ?? throw new ArgumentException("A message needs a Message-ID.", nameof(message))).Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
        var path = Path.Combine(directory, name + ".eml");
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await message.WriteToAsync(stream, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
