using System.Globalization;
using System.Text;

namespace Camrelizumab.Safety.Storage.Tables;

/// <summary>
/// Makes any identifier safe as a PartitionKey or RowKey. Azure Table storage forbids <c>/ \ # ?</c> and control
/// characters in keys (Azurite accepts them, Azure does not); those and <c>%</c> itself are written as <c>%XX</c>,
/// so the encoding is reversible and an ID such as <c>01/003</c> survives.
/// </summary>
public static class TableKey
{
    /// <summary>The most bytes (UTF-16) a partition or row key may have.</summary>
    internal const int MaxKeyBytes = 1024;

    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var key = Escape(value);
        if (key.Length == 0 || Encoding.Unicode.GetByteCount(key) > MaxKeyBytes)
        {
            throw new ArgumentException($"'{value}' cannot be a table key: it is empty or longer than 1 KiB.", nameof(value));
        }

        return key;
    }

    /// <summary>
    /// A key for a name that can be longer than a key (a blob name may have 1,024 characters, a key 512): the encoded
    /// name when it fits, else <c>sha256-</c> and the name's digest. Keep the name in a property; this key is one-way.
    /// </summary>
    public static string EncodeOrDigest(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var key = Escape(value);
        return Encoding.Unicode.GetByteCount(key) <= MaxKeyBytes
            ? key
            : "sha256-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(value)));
    }

    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string Decode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }
}
