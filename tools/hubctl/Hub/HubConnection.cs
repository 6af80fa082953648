using Grpc.Core;
using Grpc.Net.Client;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Configuration;

namespace IntegrationHub.Hubctl.Hub;

/// <summary>
/// One channel to the hub and the metadata every call carries: <c>authorization: Bearer KEY</c> and, when set,
/// <c>x-purpose</c>. <c>http://</c> addresses speak HTTP/2 without TLS (h2c), as the gateway's gRPC port does.
/// </summary>
internal sealed class HubConnection : IDisposable
{
    /// <summary>Each call's deadline unless a command says otherwise.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    private readonly TimeProvider time;
    private readonly GrpcChannel channel;
    private readonly Metadata headers;

    public HubConnection(HubSettings settings, TimeProvider time)
    {
        Settings = settings;
        this.time = time;
        channel = GrpcChannel.ForAddress(settings.Hub, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(10),
                EnableMultipleHttp2Connections = true,
            },
            DisposeHttpClient = true,
        });

        headers = [];
        if (settings.Key is not null)
        {
            headers.Add("authorization", $"Bearer {settings.Key}");
        }

        if (settings.Purpose is not null)
        {
            headers.Add("x-purpose", settings.Purpose);
        }

        View = new ViewService.ViewServiceClient(channel);
        Sync = new SyncService.SyncServiceClient(channel);
        Audit = new AuditService.AuditServiceClient(channel);
        Findings = new FindingsService.FindingsServiceClient(channel);
        Export = new ExportService.ExportServiceClient(channel);
    }

    public HubSettings Settings { get; }

    public ViewService.ViewServiceClient View { get; }

    public SyncService.SyncServiceClient Sync { get; }

    public AuditService.AuditServiceClient Audit { get; }

    public FindingsService.FindingsServiceClient Findings { get; }

    public ExportService.ExportServiceClient Export { get; }

    /// <summary>Options for one call: the metadata, a fresh deadline, and the cancellation of the whole command.</summary>
    public CallOptions Call(CancellationToken cancellation, TimeSpan? deadline = null) =>
        new(headers, time.GetUtcNow().UtcDateTime + (deadline ?? DefaultDeadline), cancellation);

    /// <summary>Options for a server stream (WatchRuns): the metadata and the command's cancellation, no deadline.</summary>
    public CallOptions Stream(CancellationToken cancellation) => new(headers, deadline: null, cancellation);

    public void Dispose() => channel.Dispose();
}
