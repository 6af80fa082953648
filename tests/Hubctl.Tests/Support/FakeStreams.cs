using Grpc.Core;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Support;

/// <summary>Ready-made WatchRuns handlers for <see cref="FakeSyncService.OnWatchRuns"/>.</summary>
public static class FakeStreams
{
    /// <summary>Sends each run as one WatchRunsResponse, in order, then ends the stream.</summary>
    public static Func<WatchRunsRequest, IServerStreamWriter<WatchRunsResponse>, ServerCallContext, Task> Sends(params SyncRun[] runs) =>
        async (_, writer, _) =>
        {
            foreach (var run in runs)
            {
                await writer.WriteAsync(new WatchRunsResponse { Run = run });
            }
        };

    /// <summary>Sends the runs, tells <paramref name="sent"/>, then keeps the stream open until the caller goes away.</summary>
    public static Func<WatchRunsRequest, IServerStreamWriter<WatchRunsResponse>, ServerCallContext, Task> SendsThenHolds(TaskCompletionSource sent, params SyncRun[] runs) =>
        async (request, writer, context) =>
        {
            await Sends(runs)(request, writer, context);
            sent.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The client cancelled: the stream ends.
            }
        };
}
