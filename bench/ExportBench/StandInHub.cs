using System.Globalization;
using Grpc.Core;
using IntegrationHub.Contract.V1;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace IntegrationHub.Bench.Export;

/// <summary>
/// A stand-in hub serving ExportPersons from generated rows shaped like the gateway's (ten columns, Chinese names and
/// streets, masked IDs), 500 rows a message as the gateway sends them. Rows are made as they are sent, so the stand-in
/// holds none of them.
/// </summary>
public sealed class StandInExportService(StandInOptions options) : ExportService.ExportServiceBase
{
    private const int RowsPerMessage = 500;

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "欧阳", "司马"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "海峰", "玉庆"];
    private static readonly string[] Streets = ["洪桥街道", "大塘街道", "北京街道", "人民街道", "东山街道", "农林街道"];
    private static readonly string[] Grades = ["extreme", "high", "medium", "low", "none"];
    private static readonly string[] Statuses = ["in-community", "compulsory-isolation", "detained", "lost-contact"];

    private static readonly (string Name, ExportColumnType Type)[] Columns =
    [
        ("person_id", ExportColumnType.Text), ("resident_id_masked", ExportColumnType.Text), ("name", ExportColumnType.Text),
        ("police_person_number", ExportColumnType.Text), ("residence_district", ExportColumnType.Text), ("residence_street", ExportColumnType.Text),
        ("grade", ExportColumnType.Text), ("control_status", ExportColumnType.Text), ("responsible_people", ExportColumnType.Integer),
        ("required_responsible_people", ExportColumnType.Integer),
    ];

    public override async Task ExportPersons(ExportPersonsRequest request, IServerStreamWriter<ExportPersonsResponse> responseStream, ServerCallContext context)
    {
        var header = new ExportHeader { TotalRows = options.Rows, AsOf = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TimeProvider.System.GetUtcNow()) };
        header.Columns.AddRange(Columns.Select(c => new ExportColumn { Name = c.Name, Type = c.Type }));
        await responseStream.WriteAsync(new ExportPersonsResponse { Header = header }, context.CancellationToken);
        var random = new Random(20261129);
        for (var first = 0; first < options.Rows; first += RowsPerMessage)
        {
            var rows = new ExportRows();
            for (var i = first; i < Math.Min(first + RowsPerMessage, options.Rows); i++)
            {
                rows.Rows.Add(Row(i, random));
            }

            await responseStream.WriteAsync(new ExportPersonsResponse { Rows = rows }, context.CancellationToken);
        }
    }

    private static ExportRow Row(int i, Random random)
    {
        string Pick(string[] words) => words[random.Next(words.Length)];
        var district = (440103 + random.Next(8)).ToString(CultureInfo.InvariantCulture);
        var required = random.Next(2, 6);
        return new ExportRow
        {
            Cells =
            {
                string.Create(CultureInfo.InvariantCulture, $"P01A2257F{i:D24}"),
                string.Create(CultureInfo.InvariantCulture, $"{district}********{random.Next(10000):D4}"),
                Pick(Surnames) + Pick(GivenNames),
                string.Create(CultureInfo.InvariantCulture, $"GZ{2005 + random.Next(20)}{i % 1_000_000:D6}"),
                district,
                Pick(Streets),
                Pick(Grades),
                Pick(Statuses),
                random.Next(required + 1).ToString(CultureInfo.InvariantCulture),
                required.ToString(CultureInfo.InvariantCulture),
            },
        };
    }
}

public sealed record StandInOptions(int Rows);

/// <summary>Runs the stand-in on a free loopback port (HTTP/2 without TLS, as the gateway's gRPC port) until stdin closes.</summary>
public static class StandInHub
{
    public static async Task ServeAsync(int rows)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.MaxSendMessageSize = 16 * 1024 * 1024);
        builder.Services.AddSingleton(new StandInOptions(rows));
        await using var app = builder.Build();
        app.MapGrpcService<StandInExportService>();
        await app.StartAsync();
        Console.WriteLine(app.Urls.Single());
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
    }
}
