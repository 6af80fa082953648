using Microsoft.Extensions.Logging;

namespace IntegrationHub.AgencySimulator.Hosting;

/// <summary>Every message the simulator logs. None carries a resident ID or a name: only counts and addresses.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Generating the {Scale} police population: {People} people, seed {Seed}")]
    public static partial void Generating(ILogger logger, SimulationScale scale, int people, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated {Count} of {People} people")]
    public static partial void Generated(ILogger logger, int count, int people);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generating {Agency} ({Elapsed} ms so far)")]
    public static partial void GeneratingAgency(ILogger logger, string agency, long elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generated every agency in {Elapsed} ms")]
    public static partial void GeneratedAll(ILogger logger, long elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Planted {Count} cases of the linkage rules")]
    public static partial void PlantedLinkageCases(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Planted {Count} police records whose {Field} is the undocumented code {Value}")]
    public static partial void PlantedUnknownCodes(ILogger logger, int count, string field, string value);

    [LoggerMessage(Level = LogLevel.Information, Message = "The stored population predates justice, HR and civil affairs: generating them from its registry")]
    public static partial void Upgrading(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Continuing the stored {Scale} population (seed {Seed}, {Steps} changes so far); --scale and --seed apply only to a new population")]
    public static partial void Continuing(ILogger logger, SimulationScale scale, int seed, long steps);

    [LoggerMessage(Level = LogLevel.Information, Message = "Police API listening on {BaseUrl}")]
    public static partial void Listening(ILogger logger, Uri baseUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "HR service listening on {BaseUrl}")]
    public static partial void HrListening(ILogger logger, Uri baseUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outage of {Agency}: every request is answered 503 until the outage is ended")]
    public static partial void OutageStarted(ILogger logger, string agency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outage of {Agency} over; requests refused in outages since the simulator started: {Refused}")]
    public static partial void OutageEnded(ILogger logger, string agency, long refused);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Evolution tick: {Applied} of {Due} changes applied")]
    public static partial void Ticked(ILogger logger, int applied, int due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evolution tick failed; the next tick tries again")]
    public static partial void TickFailed(ILogger logger, Exception exception);
}
