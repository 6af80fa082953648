using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using IntegrationHub.Gateway.Hosting;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// <c>keys add|list|rotate|revoke|cert-info</c>: manage credentials without a running hub, or beside one (the same data
/// folder): a running gateway looks every key, and every client certificate's revocation, up on every call, so what
/// this command changes applies to its next call.
/// </summary>
public static class KeysCommand
{
    /// <summary>How long a rotated key stays valid beside its successor unless <c>--overlap</c> says otherwise.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromDays(7);

    // The cert-info snippet keeps non-ASCII issuer names (a Chinese CA's) readable.
    private static readonly JsonSerializerOptions CertificateInfoJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public static int Run(IReadOnlyList<string> args, string defaultDataDirectory, TimeProvider time, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            var verb = args.Count > 0 ? args[0] : throw new ArgumentException("keys needs a verb: add, list, rotate, revoke or cert-info.");
            string? name = null;
            string? certificateFile = null;
            string? thumbprint = null;
            string? agency = null;
            string? keyId = null;
            var overlap = DefaultOverlap;
            var dataDirectory = defaultDataDirectory;
            var roles = new List<string>();
            var positional = new List<string>();
            for (var i = 1; i < args.Count; i++)
            {
                switch (args[i])
                {
                    case "--name": name = GatewayCommandLine.Value(args, ref i); break;
                    case "--agency": agency = GatewayCommandLine.Value(args, ref i); break;
                    case "--data-dir": dataDirectory = GatewayCommandLine.Value(args, ref i); break;
                    case "--role": roles.AddRange(GatewayCommandLine.Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                    case "--key-id": keyId = GatewayCommandLine.Value(args, ref i); break;
                    case "--overlap": overlap = ParseOverlap(GatewayCommandLine.Value(args, ref i)); break;
                    case "--cert": certificateFile = GatewayCommandLine.Value(args, ref i); break;
                    case "--thumbprint": thumbprint = GatewayCommandLine.Value(args, ref i); break;
                    default:
                        if (args[i].StartsWith("--", StringComparison.Ordinal))
                        {
                            throw new ArgumentException($"unknown argument '{args[i]}'.");
                        }

                        positional.Add(args[i]);
                        break;
                }
            }

            if (verb == "cert-info")
            {
                CertificateInfo(positional.Count == 1 ? positional[0] : certificateFile ?? throw new ArgumentException("keys cert-info needs a certificate FILE."), stdout);
                return 0;
            }

            Directory.CreateDirectory(dataDirectory);
            var database = new HubDatabase(Path.Combine(dataDirectory, "hub.db"));
            database.Migrate(time);
            var store = new ApiKeyStore(database, time);
            switch (verb)
            {
                case "add":
                    var key = store.Add(name ?? throw new ArgumentException("keys add needs --name."), roles, agency);
                    stdout.WriteLine($"Key '{name}' ({string.Join(",", roles)}) created. It is shown once; store it now:");
                    stdout.WriteLine(key);
                    return 0;
                case "list":
                    List(store.List(), time.GetUtcNow(), stdout);
                    ListCertificates(new CertificateRevocations(database, time).List(), stdout);
                    return 0;
                case "rotate":
                    var rotated = TargetName(positional, name, "rotate");
                    var rotation = store.Rotate(rotated, overlap);
                    stdout.WriteLine($"New key {rotation.KeyId} for '{rotated}'. It is shown once; store it now:");
                    stdout.WriteLine(rotation.Key);
                    foreach (var (oldId, until) in rotation.Retiring)
                    {
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Key {oldId} stays valid until {until:yyyy-MM-dd HH:mm:ss} UTC (or keys revoke {rotated} --key-id {oldId})."));
                    }

                    return 0;
                case "revoke" when certificateFile is not null || thumbprint is not null:
                    if (positional.Count > 0 || name is not null || keyId is not null || (certificateFile is not null && thumbprint is not null))
                    {
                        throw new ArgumentException("keys revoke takes a key's NAME [--key-id ID], or one certificate (--cert FILE or --thumbprint SHA256), not both.");
                    }

                    return RevokeCertificate(new CertificateRevocations(database, time), certificateFile, thumbprint, stdout);
                case "revoke":
                    var target = TargetName(positional, name, "revoke");
                    var revoked = store.Revoke(target, keyId);
                    if (revoked == 0)
                    {
                        stderr.WriteLine(keyId is null ? $"error: no valid key named '{target}'." : $"error: '{target}' has no valid key {keyId}.");
                        return 1;
                    }

                    stdout.WriteLine(keyId is null ? $"Key '{target}' revoked ({revoked} key(s))." : $"Key {keyId} of '{target}' revoked.");
                    return 0;
                default:
                    throw new ArgumentException($"unknown keys verb '{verb}': use add, list, rotate, revoke or cert-info.");
            }
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine(GatewayCommandLine.Usage);
            return 2;
        }
    }

    /// <summary>Adds a client certificate, from its file or thumbprint, to the hub's revocation list.</summary>
    private static int RevokeCertificate(CertificateRevocations revocations, string? file, string? thumbprint, TextWriter stdout)
    {
        string? issuer = null;
        if (file is not null)
        {
            using var certificate = ReadCertificate(file);
            thumbprint = TlsMaterial.Thumbprint(certificate);
            issuer = certificate.IssuerName.Name;
        }

        var normalised = TlsOptions.NormaliseThumbprint(thumbprint) ?? throw new ArgumentException($"--thumbprint '{thumbprint}' is not a SHA-256 thumbprint (64 hex digits).");
        stdout.WriteLine(revocations.Revoke(normalised, issuer)
            ? $"Certificate SHA256:{normalised} revoked: the hub refuses it from its next call on."
            : $"Certificate SHA256:{normalised} was revoked already.");
        return 0;
    }

    /// <summary>What configuration maps a certificate by: its issuer and SHA-256 thumbprint, and a snippet to paste.</summary>
    private static void CertificateInfo(string file, TextWriter stdout)
    {
        using var certificate = ReadCertificate(file);
        var thumbprint = TlsMaterial.Thumbprint(certificate);
        stdout.WriteLine($"Subject     {certificate.Subject}");
        stdout.WriteLine($"Issuer      {certificate.IssuerName.Name}");
        stdout.WriteLine($"Thumbprint  {thumbprint} (SHA-256)");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Valid       {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC"));
        stdout.WriteLine("Map it in Hub:Tls:Clients (fill in Name, Roles and Agency):");
        stdout.WriteLine(JsonSerializer.Serialize(
            new ClientCertificateMapping { Issuer = certificate.IssuerName.Name, Thumbprint = thumbprint, Name = "NAME", Roles = [Roles.Agency], Agency = "AGENCY" },
            CertificateInfoJson));
    }

    private static X509Certificate2 ReadCertificate(string file)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(file);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"'{file}' is not a readable PEM or DER certificate: {e.Message}", e);
        }
    }

    private static void ListCertificates(IReadOnlyList<RevokedCertificate> revoked, TextWriter stdout)
    {
        if (revoked.Count == 0)
        {
            return;
        }

        stdout.WriteLine();
        stdout.WriteLine($"{"REVOKED CLIENT CERTIFICATE (SHA-256)",-66} {"REVOKED (UTC)",-16} ISSUER");
        foreach (var c in revoked)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Thumbprint,-66} {c.RevokedAt:yyyy-MM-dd HH:mm} {c.Issuer ?? "-"}"));
        }
    }

    private static string TargetName(List<string> positional, string? name, string verb) =>
        positional.Count == 1 ? positional[0] : name ?? throw new ArgumentException($"keys {verb} needs the key's NAME.");

    private static TimeSpan ParseOverlap(string value) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var overlap) && overlap >= TimeSpan.Zero
            ? overlap
            : throw new ArgumentException($"--overlap '{value}' is not a duration like 7.00:00:00 (7 days) or 01:00:00 (1 hour).");

    private static void List(IReadOnlyList<ApiKeyInfo> keys, DateTimeOffset now, TextWriter stdout)
    {
        stdout.WriteLine($"{"NAME",-24} {"KEY ID",-12} {"ROLES",-32} {"AGENCY",-14} {"CREATED (UTC)",-19} STATE");
        foreach (var k in keys)
        {
            var state = k switch
            {
                { RevokedAt: { } r } => string.Create(CultureInfo.InvariantCulture, $"revoked {r:yyyy-MM-dd HH:mm}"),
                { ExpiresAt: { } e } when e <= now => string.Create(CultureInfo.InvariantCulture, $"expired {e:yyyy-MM-dd HH:mm} (rotated)"),
                { ExpiresAt: { } e } => string.Create(CultureInfo.InvariantCulture, $"active until {e:yyyy-MM-dd HH:mm} (rotated)"),
                _ => "active",
            };
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k.Name,-24} {k.KeyId,-12} {string.Join(",", k.Roles),-32} {k.Agency ?? "-",-14} {k.CreatedAt:yyyy-MM-dd HH:mm:ss} {state}"));
        }
    }
}
