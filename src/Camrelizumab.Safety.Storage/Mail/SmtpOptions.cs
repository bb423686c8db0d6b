namespace Camrelizumab.Safety.Storage.Mail;

/// <summary>The SMTP relay. <see cref="Security"/> is one of <c>StartTls</c>, <c>SslOnConnect</c> or <c>None</c> (loopback test servers only).</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    public string Security { get; set; } = "StartTls";

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
