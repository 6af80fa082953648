using System.Security.Cryptography;

namespace IntegrationHub.Gateway.Crypto;

/// <summary>
/// The hub's secret keys, kept in the data folder's <c>keys/</c> (owner-only), never in the database: the
/// data-encryption key (AES-256-GCM), the blind-index key (HMAC-SHA256 over resident IDs), the
/// content-hash key (HMAC over raw payloads, so that a hash cannot be brute-forced back to an ID) and the
/// audit-chain key (HMAC over audit records, so that write access to hub.db alone cannot rebuild the chain).
/// </summary>
public sealed class KeyRing
{
    private const string DataKeyFile = "data-encryption.key";
    private const string BlindIndexKeyFile = "blind-index.key";
    private const string ContentHashKeyFile = "content-hash.key";
    private const string AuditKeyFile = "audit-chain.key";

    private KeyRing(byte[] dataKey, byte[] blindIndexKey, byte[] contentHashKey, byte[] auditKey)
    {
        DataKey = dataKey;
        BlindIndexKey = blindIndexKey;
        ContentHashKey = contentHashKey;
        AuditKey = auditKey;
    }

    internal byte[] DataKey { get; }
    internal byte[] BlindIndexKey { get; }
    internal byte[] ContentHashKey { get; }
    internal byte[] AuditKey { get; }

    /// <summary>A short, non-secret fingerprint that tells whether these keys are the ones a database was written with.</summary>
    public string Fingerprint => Convert.ToHexString(HMACSHA256.HashData(BlindIndexKey, "integrationhub-key-check"u8))[..16];

    /// <summary>Loads the keys, creating any that do not exist yet (first start).</summary>
    public static KeyRing LoadOrCreate(string keysDirectory)
    {
        if (!Directory.Exists(keysDirectory))
        {
            Directory.CreateDirectory(keysDirectory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keysDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return new KeyRing(
            LoadOrCreateKey(Path.Combine(keysDirectory, DataKeyFile)),
            LoadOrCreateKey(Path.Combine(keysDirectory, BlindIndexKeyFile)),
            LoadOrCreateKey(Path.Combine(keysDirectory, ContentHashKeyFile)),
            LoadOrCreateKey(Path.Combine(keysDirectory, AuditKeyFile)));
    }

    /// <summary>Keys for tests: random, in memory.</summary>
    public static KeyRing CreateEphemeral() =>
        new(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));

    private static byte[] LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (key.Length != 32)
            {
                throw new InvalidOperationException($"The key file {path} does not hold a 256-bit key.");
            }

            return key;
        }

        var created = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(created));
        }

        return created;
    }
}
