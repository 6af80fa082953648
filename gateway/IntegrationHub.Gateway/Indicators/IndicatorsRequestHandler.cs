using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Grpc;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Indicators;

/// <summary>ViewService.GetIndicators: checks the days asked for and maps the answer to the contract.</summary>
public sealed class IndicatorsRequestHandler(IndicatorQueries queries)
{
    public GetIndicatorsResponse Answer(GetIndicatorsRequest request, DateTimeOffset now)
    {
        var today = Timestamps.ChinaDay(now);
        var asOf = ParseDay(request.AsOf, "as_of") ?? today;
        if (asOf > today)
        {
            throw HubErrors.InvalidArgument("AS_OF_IN_FUTURE", "as_of", $"{Day(asOf)} is after today ({Day(today)}): the hub knows no future");
        }

        var windowEnd = ParseDay(request.WindowEnd, "window_end") ?? asOf;
        if (windowEnd > asOf)
        {
            throw HubErrors.InvalidArgument("WINDOW_AFTER_AS_OF", "window_end", $"{Day(windowEnd)} is after the as_of day {Day(asOf)}");
        }

        var window = ParseDay(request.WindowStart, "window_start") is { } start ? new DayWindow(start, windowEnd) : DayWindow.YearTo(windowEnd);
        if (window.From > window.To)
        {
            throw HubErrors.InvalidArgument("WINDOW_REVERSED", "window_start", $"{Day(window.From)} is after the window's end {Day(window.To)}");
        }

        var response = new GetIndicatorsResponse
        {
            AsOf = Timestamp.FromDateTimeOffset(asOf == today ? now : IndicatorQueries.StartOf(asOf.AddDays(1))),
            AsOfDay = Day(asOf),
            WindowStart = Day(window.From),
            WindowEnd = Day(window.To),
        };
        var district = string.IsNullOrWhiteSpace(request.District) ? null : request.District.Trim();
        response.Sets.AddRange(queries.Indicators(district, asOf, window).Select(ToContract));
        return response;
    }

    private static DateOnly? ParseDay(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw HubErrors.InvalidArgument("BAD_DAY", field, $"'{value}' is not a day in the form YYYY-MM-DD");
    }

    private static string Day(DateOnly day) => IndicatorLedger.Day(day);

    private static IndicatorSet ToContract(IndicatorRow row)
    {
        var set = new IndicatorSet
        {
            Scope = row.Scope,
            Area = row.Area,
            District = row.District,
            Registered = row.Registered,
            UnderCommunityControl = row.UnderCommunityControl,
            GradingRate = ToContract(row.Grading),
            GridEntryRate = ToContract(row.GridEntry),
            ControlRatioExtreme = ToContract(row.ControlExtreme),
            ControlRatioHigh = ToContract(row.ControlHigh),
            ControlRatioMedium = ToContract(row.ControlMedium),
            ControlRatioLow = ToContract(row.ControlLow),
            ExecutionRate = ToContract(row.Execution),
            Helped = new Contract.V1.HelpedCounts
            {
                Assistance = row.Helped.Assistance,
                MedicalInsurance = row.Helped.Insurance,
                Jobs = row.Helped.Jobs,
                Training = row.Helped.Training,
            },
        };
        set.Findings.AddRange(row.Findings.Select(f => new Contract.V1.RuleFindingStats
        {
            Rule = f.Rule,
            Opened = f.Opened,
            Reopened = f.Reopened,
            ClosedByData = f.ClosedByData,
            Resolved = f.Resolved,
            MedianDaysToClose = f.MedianDaysToClose ?? 0,
        }));
        return set;
    }

    private static Contract.V1.Ratio ToContract(Ratio ratio) => new() { Numerator = ratio.Numerator, Denominator = ratio.Denominator };
}
