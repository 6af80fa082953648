using System.Collections.Concurrent;
using Grpc.Core;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Support;

/// <summary>Serves ExportService: each handler writes what it likes, then returns to end the stream (or throws an RpcException).</summary>
public sealed class FakeExportService : ExportService.ExportServiceBase
{
    private readonly Recorder recorder = new();

    public ConcurrentQueue<ReceivedCall> Calls => recorder.Calls;

    public Func<ExportPersonsRequest, IServerStreamWriter<ExportPersonsResponse>, ServerCallContext, Task>? OnExportPersons { get; set; }

    public Func<ExportFindingsRequest, IServerStreamWriter<ExportFindingsResponse>, ServerCallContext, Task>? OnExportFindings { get; set; }

    public Func<ExportIndicatorsRequest, IServerStreamWriter<ExportIndicatorsResponse>, ServerCallContext, Task>? OnExportIndicators { get; set; }

    public IEnumerable<T> Requests<T>() => recorder.Requests<T>();

    public override Task ExportPersons(ExportPersonsRequest request, IServerStreamWriter<ExportPersonsResponse> responseStream, ServerCallContext context) =>
        Serve(request, responseStream, context, OnExportPersons);

    public override Task ExportFindings(ExportFindingsRequest request, IServerStreamWriter<ExportFindingsResponse> responseStream, ServerCallContext context) =>
        Serve(request, responseStream, context, OnExportFindings);

    public override Task ExportIndicators(ExportIndicatorsRequest request, IServerStreamWriter<ExportIndicatorsResponse> responseStream, ServerCallContext context) =>
        Serve(request, responseStream, context, OnExportIndicators);

    private Task Serve<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> stream, ServerCallContext context, Func<TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>? handler)
        where TRequest : class
    {
        recorder.Record(request, context);
        return handler is null ? throw Recorder.Unimplemented(context) : handler(request, stream, context);
    }
}
