using Grpc.Core;
using IntegrationHub.Gateway.Grpc;

namespace IntegrationHub.Gateway.Security;

/// <summary>
/// Who is calling, from the call's credentials. Precedence, so that two credentials never disagree silently:
/// <list type="bullet">
/// <item>on the plain ports the key in <c>authorization: Bearer …</c> is the only credential;</item>
/// <item>on the TLS port the client certificate is the credential (a mapped, trusted, valid certificate, else the call
/// is refused whatever else it carries). A bearer key may come too, but then it must be a valid key of the very same
/// principal (name, roles and agency), else the call is refused with <c>CREDENTIALS_DISAGREE</c>; a key never stands in
/// for a certificate.</item>
/// </list>
/// </summary>
public sealed class CredentialAuthenticator(ApiKeyStore keys, ClientCertificateAuthenticator? certificates = null)
{
    /// <exception cref="RpcException">UNAUTHENTICATED with the reason.</exception>
    public HubPrincipal Authenticate(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        var http = HttpContextOf(context);
        if (http is not { Request.IsHttps: true })
        {
            return AuthenticateKey(header) ?? throw HubErrors.Unauthenticated("MISSING_CREDENTIAL", "missing credential: send 'authorization: Bearer <key>'");
        }

        var principal = certificates?.Authenticate(http.Connection.ClientCertificate)
            ?? throw HubErrors.Unauthenticated("CERTIFICATE_NOT_MAPPED", "this hub maps no client certificates");
        if (AuthenticateKey(header) is { } keyPrincipal && !keyPrincipal.IsSamePrincipalAs(principal))
        {
            throw HubErrors.Unauthenticated(
                "CREDENTIALS_DISAGREE",
                $"the client certificate authenticates '{principal.Name}' but the bearer key belongs to '{keyPrincipal.Name}' (or has other roles): on the TLS port the certificate is the credential; send no key, or one of the same principal");
        }

        return principal;
    }

    /// <summary>The principal of a bearer key; null when there is no header; refused when the header or key is bad.</summary>
    private HubPrincipal? AuthenticateKey(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw HubErrors.Unauthenticated("MALFORMED_CREDENTIAL", "the authorization header must be 'Bearer <key>'");
        }

        return keys.Authenticate(header["Bearer ".Length..].Trim()) ?? throw HubErrors.Unauthenticated("UNKNOWN_KEY", "unknown key");
    }

    private static HttpContext? HttpContextOf(ServerCallContext context)
    {
        try
        {
            return context.GetHttpContext();
        }
        catch (InvalidOperationException)
        {
            // A call context outside ASP.NET Core (a unit test's): no connection, so no certificate.
            return null;
        }
    }
}
