using System.Diagnostics;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>
/// Credentials changed with the <c>keys</c> command, on the running gateway's data folder as a second process would,
/// are refused by that gateway within seconds.
/// </summary>
public sealed class CredentialRevocationServerTests(MutualTlsGatewayFixture hub) : IClassFixture<MutualTlsGatewayFixture>
{
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RevokedKey_IsRefusedByTheRunningGateway_WithinSeconds()
    {
        var key = NewKey("revoke-me");
        var exchange = new ExchangeService.ExchangeServiceClient(hub.Channel);
        var before = await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(key, purpose: null));

        Assert.Equal(0, Keys("revoke", "revoke-me"));
        var refusedAfter = await RefusedWithinAsync(() => exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(key, purpose: null)).ResponseAsync);

        Assert.Equal(Agency.Police, before.Agency);
        Assert.Equal((StatusCode.Unauthenticated, "UNKNOWN_KEY"), (refusedAfter.Error.StatusCode, MutualTlsGatewayFixture.Reason(refusedAfter.Error)));
        Assert.True(refusedAfter.Elapsed < WithinSeconds, $"refused after {refusedAfter.Elapsed}");
    }

    [Fact]
    public async Task RotatedKey_WorksBesideItsSuccessor_UntilTheOverlapEnds_ThenIsRefused()
    {
        var oldKey = NewKey("rotate-me");
        var output = new StringWriter();
        Assert.Equal(0, KeysCommand.Run(["rotate", "rotate-me", "--overlap", "00:00:02", "--data-dir", hub.Folder], "unused", TimeProvider.System, output, TextWriter.Null));
        var newKey = output.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("ih_", StringComparison.Ordinal));
        var exchange = new ExchangeService.ExchangeServiceClient(hub.Channel);

        var oldDuringOverlap = await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(oldKey, purpose: null));
        var refusedAfter = await RefusedWithinAsync(
            () => exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(oldKey, purpose: null)).ResponseAsync, TimeSpan.FromSeconds(2) + WithinSeconds);
        var newAfterOverlap = await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest(), GatewayFixture.Bearer(newKey, purpose: null));

        Assert.Equal(Agency.Police, oldDuringOverlap.Agency);
        Assert.Equal((StatusCode.Unauthenticated, "UNKNOWN_KEY"), (refusedAfter.Error.StatusCode, MutualTlsGatewayFixture.Reason(refusedAfter.Error)));
        Assert.Equal(Agency.Police, newAfterOverlap.Agency);
    }

    [Fact]
    public async Task RevokedCertificate_IsRefusedByTheRunningGateway_WithinSeconds_OnAnOpenConnection()
    {
        var certificateFile = Path.Combine(hub.Folder, "justice.crt");
        PrivateCertificateAuthority.WritePem(hub.Certificates.Justice, certificateFile, keyPath: null);
        using var channel = hub.TlsChannel(hub.Certificates.Justice);
        var exchange = new ExchangeService.ExchangeServiceClient(channel);
        var before = await exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest());

        Assert.Equal(0, Keys("revoke", "--cert", certificateFile));
        var refusedAfter = await RefusedWithinAsync(() => exchange.GetExchangeStatusAsync(new GetExchangeStatusRequest()).ResponseAsync);

        Assert.Equal(Agency.Justice, before.Agency);
        Assert.Equal((StatusCode.Unauthenticated, "CERTIFICATE_REVOKED"), (refusedAfter.Error.StatusCode, MutualTlsGatewayFixture.Reason(refusedAfter.Error)));
        Assert.True(refusedAfter.Elapsed < WithinSeconds, $"refused after {refusedAfter.Elapsed}");
    }

    private string NewKey(string name)
    {
        var output = new StringWriter();
        Assert.Equal(0, KeysCommand.Run(["add", "--name", name, "--role", "agency", "--agency", "police", "--data-dir", hub.Folder], "unused", TimeProvider.System, output, TextWriter.Null));
        return output.ToString().Trim().Split('\n')[^1].Trim();
    }

    /// <summary>The keys command on the running gateway's data folder, as an operator runs it beside the gateway.</summary>
    private int Keys(params string[] args) =>
        KeysCommand.Run([.. args, "--data-dir", hub.Folder], "unused", TimeProvider.System, TextWriter.Null, TextWriter.Null);

    /// <summary>Calls until the gateway refuses (or the time is up), returning the refusal and how long it took.</summary>
    private static async Task<(RpcException Error, TimeSpan Elapsed)> RefusedWithinAsync(Func<Task> call, TimeSpan? limit = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await call();
            }
            catch (RpcException e)
            {
                return (e, clock.Elapsed);
            }

            Assert.True(clock.Elapsed < (limit ?? WithinSeconds), "the gateway still accepts the credential");
            await Task.Delay(100);
        }
    }
}
