using IntegrationHub.Adapters.Testing;

namespace IntegrationHub.Adapters.HumanResources.Tests.Fakes;

internal static class VirtualTimeExtensions
{
    /// <summary>The waits other than the pacer's spacing of back-to-back requests: backoffs and Retry-After waits.</summary>
    public static IReadOnlyList<TimeSpan> Backoffs(this VirtualTimeProvider time) => [.. time.Fired.Where(d => d != HrRequestPacer.Interval)];
}
