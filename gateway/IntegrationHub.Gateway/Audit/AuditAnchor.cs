using System.Globalization;

namespace IntegrationHub.Gateway.Audit;

/// <summary>The newest record the hub remembers having written: its sequence number and hash.</summary>
public sealed record AuditAnchorPoint(long Sequence, byte[] Hash);

/// <summary>
/// The chain's anchor, kept outside the database: <c>keys/audit-anchor</c>, rewritten (atomically) after every append.
/// A chain alone cannot tell that its newest records were cut off, nor that the whole database was put back to an
/// older copy; the anchor can, unless whoever did it could also write <c>keys/</c> (and then they hold the audit key
/// too). It is written after the append commits, so it may lag one record behind after a crash, never run ahead.
/// </summary>
public sealed class AuditAnchor(string path)
{
    public const string FileName = "audit-anchor";

    private const string Header = "integrationhub-audit-anchor v1";

    public string Path { get; } = path;

    /// <summary>The anchor, or null when none was ever written.</summary>
    /// <exception cref="FormatException">The file is not an anchor (someone wrote it by hand, or it was cut).</exception>
    public AuditAnchorPoint? Read()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var lines = File.ReadAllLines(Path);
        var parts = lines.Length >= 2 && lines[0] == Header ? lines[1].Split(' ') : [];
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || parts[1].Length != AuditRecord.HashSize * 2)
        {
            throw new FormatException($"{Path} is not an audit anchor.");
        }

        return new AuditAnchorPoint(sequence, Convert.FromHexString(parts[1]));
    }

    /// <summary>Replaces the anchor: a temporary file (owner-only) renamed over the old one, so a reader never sees half of it.</summary>
    public void Write(long sequence, byte[] hash)
    {
        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{Header}\n{sequence} {Convert.ToHexStringLower(hash)}\n"));
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
