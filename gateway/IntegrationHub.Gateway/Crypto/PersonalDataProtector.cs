using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Gateway.Crypto;

/// <summary>
/// Encrypts personal data at rest (AES-256-GCM) and derives the keyed values the store matches on.
/// Each ciphertext is bound to its purpose (associated data), so a value copied into another column
/// does not decrypt.
/// </summary>
public sealed class PersonalDataProtector(KeyRing keys)
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    public string KeyFingerprint => keys.Fingerprint;

    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, DataPurpose purpose)
    {
        var output = new byte[HeaderSize + plaintext.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.DataKey, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(HeaderSize), output.AsSpan(1 + NonceSize, TagSize), AssociatedData(purpose));
        return output;
    }

    public byte[] Encrypt(string plaintext, DataPurpose purpose) => Encrypt(Encoding.UTF8.GetBytes(plaintext), purpose);

    /// <exception cref="CryptographicException">The ciphertext was altered, or belongs to another purpose or key.</exception>
    public byte[] Decrypt(ReadOnlySpan<byte> ciphertext, DataPurpose purpose)
    {
        if (ciphertext.Length < HeaderSize || ciphertext[0] != FormatVersion)
        {
            throw new CryptographicException("Not a ciphertext of this hub.");
        }

        var plaintext = new byte[ciphertext.Length - HeaderSize];
        using var aes = new AesGcm(keys.DataKey, TagSize);
        aes.Decrypt(ciphertext.Slice(1, NonceSize), ciphertext[HeaderSize..], ciphertext.Slice(1 + NonceSize, TagSize), plaintext, AssociatedData(purpose));
        return plaintext;
    }

    public string DecryptString(ReadOnlySpan<byte> ciphertext, DataPurpose purpose) => Encoding.UTF8.GetString(Decrypt(ciphertext, purpose));

    /// <summary>The blind index of a normalised resident ID: equal IDs give equal values, and without the key nothing can be learned.</summary>
    public byte[] BlindIndex(string normalisedResidentId) => HMACSHA256.HashData(keys.BlindIndexKey, Encoding.ASCII.GetBytes(normalisedResidentId));

    /// <summary>The blind index of a person's (normalised name, birth date): finds name-only matches for review.</summary>
    public byte[] NameBirthIndex(string normalisedName, DateOnly birthDate) =>
        HMACSHA256.HashData(keys.BlindIndexKey, Encoding.UTF8.GetBytes("name-birth|" + normalisedName + "|" + birthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A keyed hash of a raw payload: an unchanged re-send has the same hash.</summary>
    public byte[] ContentHash(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(keys.ContentHashKey, payload);

    private static byte[] AssociatedData(DataPurpose purpose)
    {
        var ad = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(ad, (int)purpose);
        return ad;
    }
}

/// <summary>What an encrypted value is; part of its associated data. Never renumber.</summary>
public enum DataPurpose
{
    ResidentId = 1,
    Name = 2,
    RawPayload = 3,
    FactContent = 4,
    CacheEntry = 5,
    FindingNote = 6,
}
