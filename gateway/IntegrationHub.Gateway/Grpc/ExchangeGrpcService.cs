using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Exchange;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Grpc;

/// <summary>What agency systems call: their own status, pushing their own records, and the change feed cut to their policy.</summary>
public sealed class ExchangeGrpcService(ExchangeQueries queries, PushIngest push, ChangeFeed feed, TimeProvider time) : ExchangeService.ExchangeServiceBase
{
    /// <summary>How often a caught-up subscriber looks for new events.</summary>
    public static readonly TimeSpan FeedPollInterval = TimeSpan.FromMilliseconds(500);

    public override Task<GetExchangeStatusResponse> GetExchangeStatus(GetExchangeStatusRequest request, ServerCallContext context)
    {
        var agency = AgencyOf(context);
        var response = new GetExchangeStatusResponse { Agency = ContractMapping.ToContractAgency(agency) };
        foreach (var d in queries.DatasetStatus(agency))
        {
            response.Datasets.Add(new DatasetStatus
            {
                Dataset = d.Dataset,
                RecordsHeld = d.Held,
                RecordsQuarantined = d.Quarantined,
                ReadUpTo = d.ReadUpTo is { } at ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) : null,
                LastCommittedAt = d.LastCommittedAt is { } c ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(c) : null,
            });
        }

        return Task.FromResult(response);
    }

    public override async Task<PushBatchResponse> PushBatch(PushBatchRequest request, ServerCallContext context) =>
        new() { Result = await PushAsync(context, Batches(request), context.CancellationToken) };

    public override async Task<PushRecordsResponse> PushRecords(IAsyncStreamReader<PushRecordsRequest> requestStream, ServerCallContext context) =>
        new() { Result = await PushAsync(context, Batches(requestStream, context.CancellationToken), context.CancellationToken) };

    private static async IAsyncEnumerable<IReadOnlyList<PushedRecord>> Batches(PushBatchRequest request)
    {
        await Task.CompletedTask;
        yield return request.Records;
    }

    private static async IAsyncEnumerable<IReadOnlyList<PushedRecord>> Batches(
        IAsyncStreamReader<PushRecordsRequest> stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await stream.MoveNext(cancellationToken))
        {
            yield return stream.Current.Records;
        }
    }

    /// <summary>One run per call; each batch commits on its own, so what was committed stays when a later one fails.</summary>
    private async Task<PushResult> PushAsync(ServerCallContext context, IAsyncEnumerable<IReadOnlyList<PushedRecord>> batches, CancellationToken cancellationToken)
    {
        var agency = AgencyOf(context);
        var result = new PushResult { RunId = push.Begin(agency) };
        var message = 0;
        try
        {
            await foreach (var records in batches.WithCancellation(cancellationToken))
            {
                CheckSize(records.Count, message);
                AuditContext.Touched(context, await push.CommitAsync(agency, result.RunId, records, message++, result, cancellationToken));
            }
        }
        catch (Exception e)
        {
            push.End(result.RunId, result, e);
            throw;
        }

        push.End(result.RunId, result);
        return result;
    }

    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<SubscribeResponse> responseStream, ServerCallContext context)
    {
        var principal = AuthInterceptor.PrincipalOf(context);
        var purpose = AuthInterceptor.PurposeOf(context);
        var cursor = ChangeFeed.ParseCursor(request.Cursor);
        var skipped = false;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var page = feed.Read(principal, purpose, cursor);
            foreach (var item in page)
            {
                cursor = item.Sequence;
                if (item.Event is null)
                {
                    skipped = true;
                    continue;
                }

                AuditContext.Touched(context, item.Persons);
                await responseStream.WriteAsync(item.Event, context.CancellationToken);
                skipped = false;
            }

            if (page.Count < ChangeFeed.PageSize)
            {
                if (skipped)
                {
                    // Caught up past events this subscriber may not see: hand it the cursor so a resume need not read them again.
                    await responseStream.WriteAsync(
                        new SubscribeResponse { Cursor = cursor.ToString(System.Globalization.CultureInfo.InvariantCulture), Heartbeat = new Heartbeat(), At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time.GetUtcNow()) },
                        context.CancellationToken);
                    skipped = false;
                }

                await Task.Delay(FeedPollInterval, time, context.CancellationToken);
            }
        }
    }

    private static string AgencyOf(ServerCallContext context) =>
        AuthInterceptor.PrincipalOf(context).Agency ?? throw HubErrors.PermissionDenied("AGENCY_REQUIRED", "this key is not bound to an agency");

    private static void CheckSize(int records, int message)
    {
        if (records > PushIngest.MaxRecordsPerBatch)
        {
            throw HubErrors.InvalidArgument("BATCH_TOO_LARGE", "records",
                $"message {message} has {records} records; at most {PushIngest.MaxRecordsPerBatch} per message (nothing of it was taken in)");
        }
    }
}
