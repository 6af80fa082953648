using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Gateway.Crypto;

namespace IntegrationHub.Gateway.Tests.Crypto;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // checks Unix file modes
public sealed class PersonalDataProtectorTests
{
    private readonly PersonalDataProtector protector = new(KeyRing.CreateEphemeral());

    [Fact]
    public void Encrypt_ThenDecrypt_RoundTrips()
    {
        var cipher = protector.Encrypt("张伟", DataPurpose.Name);

        Assert.Equal("张伟", protector.DecryptString(cipher, DataPurpose.Name));
        Assert.DoesNotContain(Encoding.UTF8.GetBytes("张伟"), SplitWindows(cipher, 6));
    }

    [Fact]
    public void Encrypt_SameValueTwice_GivesDifferentCiphertexts()
    {
        Assert.NotEqual(protector.Encrypt("x", DataPurpose.Name), protector.Encrypt("x", DataPurpose.Name));
    }

    [Fact]
    public void Decrypt_AlteredByte_Throws()
    {
        var cipher = protector.Encrypt("440104198503071230", DataPurpose.ResidentId);
        cipher[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => protector.Decrypt(cipher, DataPurpose.ResidentId));
    }

    [Fact]
    public void Decrypt_OtherPurpose_Throws()
    {
        var cipher = protector.Encrypt("440104198503071230", DataPurpose.ResidentId);

        Assert.ThrowsAny<CryptographicException>(() => protector.Decrypt(cipher, DataPurpose.Name));
    }

    [Fact]
    public void BlindIndex_SameKey_IsStable_OtherKey_Differs()
    {
        var other = new PersonalDataProtector(KeyRing.CreateEphemeral());

        Assert.Equal(protector.BlindIndex("440104198503071230"), protector.BlindIndex("440104198503071230"));
        Assert.NotEqual(protector.BlindIndex("440104198503071230"), protector.BlindIndex("440104198503071231"));
        Assert.NotEqual(protector.BlindIndex("440104198503071230"), other.BlindIndex("440104198503071230"));
    }

    [Fact]
    public void LoadOrCreate_SecondLoad_ReadsSameKeys_WithOwnerOnlyPermissions()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ih-keys-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = KeyRing.LoadOrCreate(folder);
            var second = KeyRing.LoadOrCreate(folder);

            Assert.Equal(first.Fingerprint, second.Fingerprint);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.All(Directory.GetFiles(folder), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<byte[]> SplitWindows(byte[] data, int size)
    {
        for (var i = 0; i + size <= data.Length; i++)
        {
            yield return data[i..(i + size)];
        }
    }
}
