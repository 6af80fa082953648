using System.Runtime.CompilerServices;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Output;

namespace IntegrationHub.Hubctl.Commands;

/// <summary>
/// Runs as they progress, from SyncService.WatchRuns. Following one run, GetRun polling bridges the time before
/// it starts (WatchRuns answers NOT_FOUND, or ends at once, for a run still queued) and stands in for a hub that
/// does not implement WatchRuns.
/// </summary>
internal static class RunFollower
{
    /// <summary>How often a live display is told to tick while the stream is quiet.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Streams WatchRuns, reporting every update (and a tick while none comes), until a run for which
    /// <paramref name="stopAt"/> holds (returned) or the end of the stream (the last run seen is returned, or null).
    /// </summary>
    public static async Task<SyncRun?> WatchAsync(CommandContext context, WatchRunsRequest request, IRunObserver observer, Func<SyncRun, bool> stopAt)
    {
        using var call = context.Hub.Sync.WatchRuns(request, context.Stream());
        SyncRun? last = null;
        await foreach (var update in Ticking(call.ResponseStream, context.Environment.Time, context.Cancellation))
        {
            if (update?.Run is not { } run)
            {
                observer.Tick();
                continue;
            }

            observer.Update(run);
            last = run;
            if (stopAt(run))
            {
                break;
            }
        }

        return last;
    }

    /// <summary>Follows one run until it has an outcome, and returns it.</summary>
    public static async Task<SyncRun> FollowAsync(CommandContext context, string runId, IRunObserver observer)
    {
        var time = context.Environment.Time;
        var since = time.GetTimestamp();
        var canStream = true;
        while (true)
        {
            SyncRun? last = null;
            if (canStream)
            {
                try
                {
                    last = await WatchAsync(context, new WatchRunsRequest { RunId = runId }, observer, r => r.RunId == runId && RunText.HasEnded(r));
                    if (last is not null && RunText.HasEnded(last))
                    {
                        return last;
                    }
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
                {
                    canStream = false;
                }
                catch (RpcException e) when (IsQueued(e))
                {
                    // Not started yet: poll until it has.
                }
            }

            if (last is not null)
            {
                // The stream ended while the run was still running (the hub restarting?): look again after a pause.
                await Task.Delay(context.Environment.PollInterval, time, context.Cancellation);
            }

            var run = await PollAsync(context, runId, observer, since, untilEnded: !canStream);
            if (RunText.HasEnded(run))
            {
                return run;
            }
        }
    }

    /// <summary>
    /// GetRun every poll interval (NOT_FOUND: still queued) until the run exists, or with
    /// <paramref name="untilEnded"/> until it has an outcome.
    /// </summary>
    private static async Task<SyncRun> PollAsync(CommandContext context, string runId, IRunObserver observer, long since, bool untilEnded)
    {
        var time = context.Environment.Time;
        while (true)
        {
            SyncRun? run = null;
            try
            {
                run = (await context.Hub.Sync.GetRunAsync(new GetRunRequest { RunId = runId }, context.Call())).Run;
            }
            catch (RpcException e) when (IsQueued(e))
            {
                // Queued: the run has not started yet (it may wait for the job's current run to end).
            }

            if (run is null)
            {
                observer.Waiting(runId, time.GetElapsedTime(since));
            }
            else
            {
                observer.Update(run);
                if (!untilEnded || RunText.HasEnded(run))
                {
                    return run;
                }
            }

            await Task.Delay(context.Environment.PollInterval, time, context.Cancellation);
        }
    }

    /// <summary>
    /// NOT_FOUND means "queued, not started yet" unless the hub says RUN_NOT_FOUND (no such run: a mistyped id must
    /// not be waited for forever). Hubs that give no reason are taken to mean queued.
    /// </summary>
    private static bool IsQueued(RpcException e) =>
        e.StatusCode == StatusCode.NotFound && e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason != "RUN_NOT_FOUND";

    /// <summary>The stream's messages, and null each <see cref="TickInterval"/> that passes without one.</summary>
    private static async IAsyncEnumerable<T?> Ticking<T>(IAsyncStreamReader<T> stream, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellation)
        where T : class
    {
        var next = stream.MoveNext(cancellation);
        try
        {
            while (true)
            {
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
                {
                    var tick = Task.Delay(TickInterval, time, quiet.Token);
                    var first = await Task.WhenAny(next, tick);
                    await quiet.CancelAsync();
                    if (first != next)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        yield return null;
                        continue;
                    }
                }

                if (!await next)
                {
                    yield break;
                }

                yield return stream.Current;
                next = stream.MoveNext(cancellation);
            }
        }
        finally
        {
            // Left early (the run ended, or Ctrl+C): the pending read fails when the call is disposed; observe it.
            _ = next.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }
}
