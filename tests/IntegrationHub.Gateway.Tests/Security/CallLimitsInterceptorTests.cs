using Google.Rpc;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Tests.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Gateway.Tests.Security;

/// <summary>The largest response, held by the interceptor itself: JSON transcoding does not hold gRPC's send limit.</summary>
public sealed class CallLimitsInterceptorTests
{
    private readonly FakeTimeProvider time = new();
    private readonly LimitOptions limits = new() { MaxSendMessageBytes = 64 * 1024 };

    [Fact]
    public async Task Unary_ResponseOverTheSendLimit_IsResourceExhaustedResponseTooLarge()
    {
        var interceptor = new CallLimitsInterceptor(limits, new RateLimiter(limits, time), time);
        var big = Page(700);
        Assert.True(big.CalculateSize() > limits.MaxSendMessageBytes);

        var error = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler(new SearchPersonsRequest(), Context(), (_, _) => Task.FromResult(big)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("RESPONSE_TOO_LARGE", error.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Reason);
    }

    [Fact]
    public async Task Unary_ResponseWithinTheSendLimit_IsReturned()
    {
        var interceptor = new CallLimitsInterceptor(limits, new RateLimiter(limits, time), time);
        var page = Page(100);

        var response = await interceptor.UnaryServerHandler(new SearchPersonsRequest(), Context(), (_, _) => Task.FromResult(page));

        Assert.Same(page, response);
    }

    private TestCallContext Context()
    {
        var context = new TestCallContext("/integrationhub.v1.ViewService/SearchPersons", time);
        context.UserState["__HttpContext"] = new DefaultHttpContext();
        context.UserState[AuthInterceptor.PrincipalKey] = new HubPrincipal("analyst-1", new HashSet<string> { Roles.Analyst }, null);
        return context;
    }

    /// <summary>A search page of about 100 bytes a person.</summary>
    private static SearchPersonsResponse Page(int persons) => new()
    {
        Persons =
        {
            Enumerable.Range(0, persons).Select(i => new PersonSummary
            {
                PersonId = "P" + i.ToString("D32", System.Globalization.CultureInfo.InvariantCulture),
                ResidentIdMasked = "440104********123X",
                Name = "测试甲",
                PolicePersonNumber = "GZ2015001008",
                ResidenceDistrict = "440104",
                ResidenceStreet = "洪桥街道",
            }),
        },
    };
}
