using IntegrationHub.Adapters.Testing;
using System.Net;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using static IntegrationHub.Adapters.HumanResources.Tests.HrTestAdapters;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>The access token: obtained on demand, reused, renewed before it expires (on the injected clock) and once on 401.</summary>
public sealed class HumanResourcesAdapterTokenServerTests : IAsyncLifetime
{
    private readonly VirtualTimeProvider _clock = new();
    private FakeHrServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeHrServer.StartAsync(_clock);
        _server.AddRange(HrPersons.Sequence(20));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReadAsync_SeveralPages_ObtainsOneTokenAndSendsItWithEveryRequest()
    {
        var adapter = Create(_server, _clock, pageSize: 5);

        await ReadAllAsync(adapter);

        Assert.Single(_server.TokenRequests);
        Assert.True(_server.PageRequests.Count >= 6);
        Assert.All(_server.PageRequests, r => Assert.Equal("token-1", r.Token));
    }

    [Fact]
    public async Task ReadAsync_TwoRunsWithinTheTokensLifetime_ReuseTheToken()
    {
        var adapter = Create(_server, _clock, pageSize: 5);

        await ReadAllAsync(adapter);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await ReadAllAsync(adapter);

        Assert.Single(_server.TokenRequests);
    }

    [Fact]
    public async Task ReadAsync_TokenComesWithinTokenRenewBeforeOfItsExpiry_IsRenewedBeforeItExpiresWithout401()
    {
        // 600 s tokens renewed 60 s ahead: after 545 s the next request must carry a new token.
        _server.BeforeEmploymentPage = (_, request) =>
        {
            if (request.Page == "3")
            {
                _clock.Advance(TimeSpan.FromSeconds(545));
            }
        };
        var adapter = Create(_server, _clock, pageSize: 5);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(20, keys.Distinct().Count());
        Assert.Equal(2, _server.TokenRequests.Count);
        Assert.DoesNotContain(_server.PageRequests, r => r.Status == 401);
        var tokens = _server.PageRequests.Select(r => r.Token).ToList();
        var renewedAt = tokens.IndexOf("token-2");
        Assert.Equal("3", _server.PageRequests[renewedAt - 1].Page);
        Assert.All(tokens.Skip(renewedAt), t => Assert.Equal("token-2", t));
    }

    [Fact]
    public async Task ReadAsync_TokenLifetimeShorterThanTokenRenewBefore_RenewsAtHalfItsLifetimeNotOnEveryRequest()
    {
        _server.TokenLifetimeSeconds = 60;
        var options = Options(_server, pageSize: 5);
        options.TokenRenewBefore = TimeSpan.FromMinutes(5);
        var adapter = Create(options, _clock);

        await ReadAllAsync(adapter);

        Assert.Single(_server.TokenRequests);
    }

    [Fact]
    public async Task ReadAsync_TokenRejectedWith401_RenewsItOnceAndRepeatsTheRequest()
    {
        var revoked = false;
        _server.BeforeEmploymentPage = (server, request) =>
        {
            if (request.Page == "3" && !revoked)
            {
                revoked = true;
                server.RevokeTokens();
            }
        };
        var adapter = Create(_server, _clock, pageSize: 5);

        var records = Records(await ReadAllAsync(adapter));

        Assert.Equal(20, records.Select(r => r.SourceKey).Distinct().Count());
        Assert.Equal(2, _server.TokenRequests.Count);
        var rejected = Assert.Single(_server.PageRequests, r => r.Status == 401);
        var repeated = _server.PageRequests.SkipWhile(r => r != rejected).Skip(1).First();
        Assert.Equal((rejected.Page, rejected.Since), (repeated.Page, repeated.Since));
        Assert.Equal("token-2", repeated.Token);
    }

    [Fact]
    public async Task ReadAsync_401AgainWithARenewedToken_ThrowsConfigurationTellingToCheckTheCredentials()
    {
        _server.RejectEveryToken = true;
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:HumanResources:ClientId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Adapters:HumanResources:ClientSecret", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.TokenRequests.Count);
        Assert.Equal(2, _server.PageRequests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task ReadAsync_TokenEndpointRefusesTheCredentials_ThrowsConfigurationWithoutRetryingOrEchoingTheSecret(HttpStatusCode status)
    {
        _server.EnqueueTokenStatus(status, """{"error":"invalid_client"}""");
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:HumanResources:ClientSecret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeHrServer.ClientSecret, error.Message, StringComparison.Ordinal);
        Assert.Single(_server.TokenRequests);
        Assert.Empty(_server.PageRequests);
    }

    [Fact]
    public async Task ReadAsync_WrongClientSecret_ThrowsConfiguration()
    {
        _server.AcceptedSecret = "another-secret";
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.DoesNotContain(FakeHrServer.ClientSecret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TokenEndpointOverloadedOnce_RetriesAndReads()
    {
        _server.EnqueueTokenStatus(HttpStatusCode.ServiceUnavailable);
        var adapter = Create(_server, _clock);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(20, keys.Distinct().Count());
        Assert.Equal(2, _server.TokenRequests.Count);
        Assert.Single(_clock.Backoffs());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"token":"abc","expires_in":600}""")]
    [InlineData("""{"access_token":"","expires_in":600}""")]
    [InlineData("""{"access_token":"abc","expires_in":"600"}""")]
    [InlineData("""{"access_token":"abc"}""")]
    [InlineData("""{"access_token":"abc","expires_in":0}""")]
    public async Task ReadAsync_TokenAnswerNotTheDocumentedJson_ThrowsSystem(string body)
    {
        _server.EnqueueTokenStatus(HttpStatusCode.OK, body);
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("hrss/token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_WrongCredentials_ThrowsConfiguration()
    {
        _server.AcceptedSecret = "another-secret";
        var adapter = Create(_server, _clock);

        var error = await Assert.ThrowsAsync<AdapterException>(() => adapter.CheckAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Configuration, error.Kind);
    }
}
