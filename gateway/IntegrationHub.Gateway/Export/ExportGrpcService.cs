using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Grpc;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Sharing;

namespace IntegrationHub.Gateway.Export;

/// <summary>
/// Analysts' exports. Each export pages through the read it names (SearchPersons, ListFindings, GetIndicators) with the
/// largest page those reads serve, so that it validates, orders, cuts to the sharing policy and reports persons to the
/// audit exactly as the read does; the store is read one keyset page at a time and each page leaves as one message
/// (gRPC's flow control holds the next page back while the client is slow), so memory stays flat whatever the size.
/// Columns the caller's policy withholds are left out (<see cref="ExportColumns"/>).
/// </summary>
public sealed class ExportGrpcService(IServiceProvider services, SharingPolicy sharing, TimeProvider time) : ExportService.ExportServiceBase
{
    // The reads themselves, built with the gateway's services as gRPC builds them for a call.
    private readonly ViewGrpcService views = ActivatorUtilities.CreateInstance<ViewGrpcService>(services);
    private readonly FindingsGrpcService findings = ActivatorUtilities.CreateInstance<FindingsGrpcService>(services);

    public override Task ExportPersons(ExportPersonsRequest request, IServerStreamWriter<ExportPersonsResponse> responseStream, ServerCallContext context)
    {
        var search = new SearchPersonsRequest
        {
            District = request.District,
            Street = request.Street,
            Grade = request.Grade,
            ControlStatus = request.ControlStatus,
            PageSize = ViewGrpcService.MaxPageSize,
        };

        // SearchPersons refuses a caller who sees nothing, and filters by withheld items, before anything is sent.
        return StreamAsync(
            ExportColumns.Persons,
            VisibilityOf(context),
            time.GetUtcNow(),
            async token =>
            {
                search.PageToken = token;
                var page = await views.SearchPersons(search, context);
                return (page.Persons, page.TotalSize, page.NextPageToken);
            },
            header => responseStream.WriteAsync(new ExportPersonsResponse { Header = header }, context.CancellationToken),
            rows => responseStream.WriteAsync(new ExportPersonsResponse { Rows = rows }, context.CancellationToken));
    }

    public override Task ExportFindings(ExportFindingsRequest request, IServerStreamWriter<ExportFindingsResponse> responseStream, ServerCallContext context)
    {
        var visibility = VisibilityOf(context);
        foreach (var item in ExportColumns.FindingPlace)
        {
            ViewGrpcService.RequireFilterItem(request.District.Length > 0, visibility, item, "district");
            ViewGrpcService.RequireFilterItem(request.Street.Length > 0, visibility, item, "street");
        }

        var list = new ListFindingsRequest
        {
            TargetAgency = request.TargetAgency,
            Rule = request.Rule,
            District = request.District,
            Street = request.Street,
            PersonId = request.PersonId,
            PageSize = FindingsGrpcService.MaxPageSize,
        };
        list.States.AddRange(request.States);
        return StreamAsync(
            ExportColumns.Findings,
            visibility,
            time.GetUtcNow(),
            async token =>
            {
                list.PageToken = token;
                var page = await findings.ListFindings(list, context);
                return (page.Findings, page.TotalSize, page.NextPageToken);
            },
            header => responseStream.WriteAsync(new ExportFindingsResponse { Header = header }, context.CancellationToken),
            rows => responseStream.WriteAsync(new ExportFindingsResponse { Rows = rows }, context.CancellationToken));
    }

    public override async Task ExportIndicators(ExportIndicatorsRequest request, IServerStreamWriter<ExportIndicatorsResponse> responseStream, ServerCallContext context)
    {
        // Aggregates of everyone, as GetIndicators gives them to any analyst: no person-level item to cut.
        var indicators = await views.GetIndicators(new GetIndicatorsRequest { District = request.District }, context);
        var columns = ExportColumns.Indicators;
        await responseStream.WriteAsync(
            new ExportIndicatorsResponse { Header = Header(columns, indicators.Sets.Count, indicators.AsOf) }, context.CancellationToken);
        await responseStream.WriteAsync(new ExportIndicatorsResponse { Rows = Rows(columns, indicators.Sets) }, context.CancellationToken);
    }

    /// <summary>
    /// The header (its total from the first page), then one message per page until the read's page tokens end. Each
    /// page's persons were reported to the audit by the read itself, so the audit appends them before the page leaves.
    /// </summary>
    private static async Task StreamAsync<T>(
        IReadOnlyList<ExportColumnSpec<T>> all, Visibility visibility, DateTimeOffset asOf,
        Func<string, Task<(IReadOnlyList<T> Items, long Total, string NextToken)>> page, Func<ExportHeader, Task> writeHeader, Func<ExportRows, Task> writeRows)
    {
        var columns = all.Where(c => c.IsShownTo(visibility)).ToList();
        var (items, total, next) = await page("");
        await writeHeader(Header(columns, total, Timestamp.FromDateTimeOffset(asOf)));
        while (true)
        {
            if (items.Count > 0)
            {
                await writeRows(Rows(columns, items));
            }

            if (next.Length == 0)
            {
                return;
            }

            (items, _, next) = await page(next);
        }
    }

    private static ExportHeader Header<T>(IEnumerable<ExportColumnSpec<T>> columns, long total, Timestamp asOf)
    {
        var header = new ExportHeader { TotalRows = total, AsOf = asOf };
        header.Columns.AddRange(columns.Select(c => c.ToContract()));
        return header;
    }

    private static ExportRows Rows<T>(IReadOnlyList<ExportColumnSpec<T>> columns, IEnumerable<T> items)
    {
        var rows = new ExportRows();
        foreach (var item in items)
        {
            var row = new ExportRow();
            row.Cells.AddRange(columns.Select(c => c.Cell(item)));
            rows.Rows.Add(row);
        }

        return rows;
    }

    /// <summary>What the caller may see for this call's purpose, as the reads compute it.</summary>
    private Visibility VisibilityOf(ServerCallContext context) =>
        sharing.For(AuthInterceptor.PrincipalOf(context), AuthInterceptor.PurposeOf(context));
}
