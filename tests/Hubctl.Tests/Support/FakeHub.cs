using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hubctl.Tests.Support;

/// <summary>
/// A stand-in hub on 127.0.0.1 with an ephemeral port, speaking gRPC over HTTP/2 without TLS as the gateway
/// does, serving <see cref="FakeViewService"/>, <see cref="FakeSyncService"/> and <see cref="FakeAuditService"/>.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeHub(WebApplication app, string address, FakeViewService view, FakeSyncService sync, FakeAuditService audit, FakeFindingsService findings)
    {
        Findings = findings;
        this.app = app;
        Address = address;
        View = view;
        Sync = sync;
        Audit = audit;
    }

    /// <summary>The ViewService the hub serves; set its handlers before running hubctl.</summary>
    public FakeViewService View { get; }

    /// <summary>The SyncService the hub serves.</summary>
    public FakeSyncService Sync { get; }

    /// <summary>The FindingsService the hub serves.</summary>
    public FakeFindingsService Findings { get; }

    /// <summary>The ExportService the hub serves.</summary>
    public FakeExportService Export { get; private init; } = null!;

    /// <summary>The AuditService the hub serves.</summary>
    public FakeAuditService Audit { get; }

    /// <summary>The address to pass as <c>--hub</c>, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Address { get; }

    public static async Task<FakeHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var view = new FakeViewService();
        var sync = new FakeSyncService();
        builder.Services.AddSingleton(view);
        builder.Services.AddSingleton(sync);
        var audit = new FakeAuditService();
        builder.Services.AddSingleton(audit);
        var findings = new FakeFindingsService();
        builder.Services.AddSingleton(findings);

        var export = new FakeExportService();
        builder.Services.AddSingleton(export);

        var app = builder.Build();
        app.MapGrpcService<FakeViewService>();
        app.MapGrpcService<FakeSyncService>();
        app.MapGrpcService<FakeAuditService>();
        app.MapGrpcService<FakeFindingsService>();
        app.MapGrpcService<FakeExportService>();
        await app.StartAsync();

        return new FakeHub(app, app.Urls.Single(), view, sync, audit, findings) { Export = export };
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
