using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>Key rotation without downtime: two valid keys for one principal while it changes over, on a fake clock.</summary>
public sealed class ApiKeyRotationTests : IDisposable
{
    private readonly TestHub hub = new();

    [Fact]
    public void Rotate_OldKeyStaysValidUntilTheOverlapEnds_NewKeyAfterwards()
    {
        var store = new ApiKeyStore(hub.Database, hub.Time);
        var oldKey = store.Add("police-system", [Roles.Agency], "police");

        var rotation = store.Rotate("police-system", TimeSpan.FromHours(1));
        var duringOverlap = (Old: store.Authenticate(oldKey), New: store.Authenticate(rotation.Key));
        hub.Time.Advance(TimeSpan.FromMinutes(59));
        var justBeforeEnd = store.Authenticate(oldKey);
        hub.Time.Advance(TimeSpan.FromMinutes(1));
        var afterEnd = (Old: store.Authenticate(oldKey), New: store.Authenticate(rotation.Key));

        Assert.Equal("police-system", duringOverlap.Old?.Name);
        Assert.True(duringOverlap.New!.IsSamePrincipalAs(duringOverlap.Old!));
        Assert.Equal("police", duringOverlap.New.Agency);
        Assert.NotNull(justBeforeEnd);
        Assert.Null(afterEnd.Old);
        Assert.Equal("police-system", afterEnd.New?.Name);
        Assert.Equal(hub.Time.GetUtcNow(), Assert.Single(rotation.Retiring).ValidUntil);
    }

    [Fact]
    public void Rotate_Twice_TheFirstKeyKeepsItsEarlierEnd()
    {
        var store = new ApiKeyStore(hub.Database, hub.Time);
        var first = store.Add("ops", [Roles.Operator], null);
        store.Rotate("ops", TimeSpan.FromHours(1));
        hub.Time.Advance(TimeSpan.FromMinutes(30));

        var second = store.Rotate("ops", TimeSpan.FromHours(1));
        hub.Time.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(2, second.Retiring.Count);
        Assert.Null(store.Authenticate(first));
        Assert.Equal(2, store.List().Count(k => k.IsActive(hub.Time.GetUtcNow())));
    }

    [Fact]
    public void Revoke_WithKeyId_RevokesOnlyThatKey_WithoutIt_EveryKey()
    {
        var store = new ApiKeyStore(hub.Database, hub.Time);
        var oldKey = store.Add("ops", [Roles.Operator], null);
        var rotation = store.Rotate("ops", TimeSpan.FromDays(7));
        var oldId = rotation.Retiring.Single().KeyId;

        var one = store.Revoke("ops", oldId);
        var afterOne = (Old: store.Authenticate(oldKey), New: store.Authenticate(rotation.Key));
        var all = store.Revoke("ops", keyId: null);

        Assert.Equal(1, one);
        Assert.Null(afterOne.Old);
        Assert.NotNull(afterOne.New);
        Assert.Equal(1, all);
        Assert.Null(store.Authenticate(rotation.Key));
    }

    [Fact]
    public void Rotate_NameWithoutAValidKey_IsRefused_AndAddOfAnExistingName_Too()
    {
        var store = new ApiKeyStore(hub.Database, hub.Time);
        store.Add("ops", [Roles.Operator], null);
        store.Revoke("ops");

        var rotateRevoked = Assert.Throws<ArgumentException>(() => store.Rotate("ops", TimeSpan.FromDays(1)));
        var rotateUnknown = Assert.Throws<ArgumentException>(() => store.Rotate("nobody", TimeSpan.FromDays(1)));
        var addAgain = Assert.Throws<ArgumentException>(() => store.Add("ops", [Roles.Operator], null));

        Assert.Contains("No active key named 'ops'", rotateRevoked.Message, StringComparison.Ordinal);
        Assert.Contains("'nobody'", rotateUnknown.Message, StringComparison.Ordinal);
        Assert.Contains("already exists", addAgain.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_NamesTheKeyIdAsTheCredential_NeverTheKey()
    {
        var store = new ApiKeyStore(hub.Database, hub.Time);
        var key = store.Add("ops", [Roles.Operator], null);

        var principal = store.Authenticate(key)!;

        Assert.Equal("key " + store.List().Single().KeyId, principal.Credential);
        Assert.DoesNotContain(key[3..], principal.Credential, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrate_FromVersion4_KeepsEveryExistingKeyWorking()
    {
        var folder = Path.Combine(hub.Folder, "v4");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "hub.db");
        const string OldKey = "ih_a-key-issued-before-rotation-existed";
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            foreach (var sql in Migrations.All.Where(m => m.Version <= 4).Select(m => m.Sql)
                .Append("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)")
                .Append("INSERT INTO schema_migrations SELECT value, 'v' || value, '2026-01-01T00:00:00.0000000Z' FROM json_each('[1,2,3,4]')")
                .Append("INSERT INTO api_keys (name, key_hash, roles, agency, created_at) VALUES ('legacy', $hash, 'agency', 'hr', '2026-01-01T00:00:00.0000000Z')")
                .Append("INSERT INTO api_keys (name, key_hash, roles, agency, created_at, revoked_at) VALUES ('gone', x'00', 'operator', NULL, '2026-01-01T00:00:00.0000000Z', '2026-02-01T00:00:00.0000000Z')"))
            {
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.Parameters.AddWithValue("$hash", SHA256.HashData(Encoding.UTF8.GetBytes(OldKey)));
                command.ExecuteNonQuery();
            }
        }

        var database = new HubDatabase(path);
        database.Migrate(hub.Time);
        var store = new ApiKeyStore(database, hub.Time);
        var rotated = store.Rotate("legacy", TimeSpan.FromDays(1));

        Assert.Equal(("legacy", "hr"), (store.Authenticate(OldKey)?.Name, store.Authenticate(OldKey)?.Agency));
        Assert.Equal(["gone", "legacy", "legacy"], store.List().Select(k => k.Name));
        Assert.NotNull(store.List().Single(k => k.Name == "gone").RevokedAt);
        Assert.All(store.List(), k => Assert.Matches("^[0-9a-f]{12}$", k.KeyId));
        Assert.Equal("legacy", store.Authenticate(rotated.Key)?.Name);
    }

    [Fact]
    public void KeysCommand_RotateListRevoke_ShowsBothKeysButNeverTheirValues()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        string[] Args(params string[] args) => [.. args, "--data-dir", hub.Folder];
        KeysCommand.Run(Args("add", "--name", "police-system", "--role", "agency", "--agency", "police"), "unused", hub.Time, output, errors);
        var firstKey = output.ToString().Trim().Split('\n')[^1].Trim();

        var rotate = KeysCommand.Run(Args("rotate", "police-system", "--overlap", "01:00:00"), "unused", hub.Time, output, errors);
        var secondKey = output.ToString().Trim().Split('\n').Single(l => l.StartsWith("ih_", StringComparison.Ordinal) && l.Trim() != firstKey).Trim();
        var listed = new StringWriter();
        KeysCommand.Run(Args("list"), "unused", hub.Time, listed, errors);
        var store = new ApiKeyStore(hub.Database, hub.Time);
        var oldId = store.List().Single(k => k.ExpiresAt is not null).KeyId;
        var revokeOld = KeysCommand.Run(Args("revoke", "police-system", "--key-id", oldId), "unused", hub.Time, output, errors);
        var revokeAgain = KeysCommand.Run(Args("revoke", "police-system", "--key-id", oldId), "unused", hub.Time, output, errors);
        var badOverlap = KeysCommand.Run(Args("rotate", "police-system", "--overlap", "a week"), "unused", hub.Time, output, errors);

        Assert.Equal((0, 0, 1, 2), (rotate, revokeOld, revokeAgain, badOverlap));
        var rows = listed.ToString().Split('\n').Where(l => l.StartsWith("police-system", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains(oldId, StringComparison.Ordinal) && r.Contains("active until 2026-11-29 03:00 (rotated)", StringComparison.Ordinal));
        Assert.DoesNotContain("ih_", listed.ToString(), StringComparison.Ordinal);
        Assert.Null(store.Authenticate(firstKey));
        Assert.NotNull(store.Authenticate(secondKey));
        Assert.Contains("is not a duration", errors.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => hub.Dispose();
}
