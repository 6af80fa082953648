using IntegrationHub.Hubctl.Commands;

namespace IntegrationHub.Hubctl.Cli;

/// <summary>Every verb hubctl knows, in the order help lists them.</summary>
internal static class CommandCatalog
{
    public static readonly IReadOnlyList<CommandSpec> All =
    [
        PersonGetCommand.Spec,
        PersonTimelineCommand.Spec,
        PersonsSearchCommand.Spec,
        IndicatorsCommand.Spec,
        JobsListCommand.Spec,
        JobsRunsCommand.Spec,
        JobsRunCommand.Spec,
        JobsPauseCommand.PauseSpec,
        JobsPauseCommand.ResumeSpec,
        JobsScheduleCommand.Spec,
        JobsWatchCommand.Spec,
        JobsResetCommand.Spec,
        QuarantineListCommand.Spec,
        QuarantineReplayCommand.Spec,
        ReviewListCommand.Spec,
        ReviewResolveCommand.MergeSpec,
        ReviewResolveCommand.SeparateSpec,
        FindingsListCommand.Spec,
        FindingsShowCommand.Spec,
        FindingsActCommand.AckSpec,
        FindingsActCommand.ResolveSpec,
        ExportCommand.PersonsSpec,
        ExportCommand.FindingsSpec,
        ExportCommand.IndicatorsSpec,
        AuditVerifyCommand.Spec,
        AuditPersonCommand.Spec,
    ];

    public static CommandSpec? Find(IReadOnlyList<string> words) =>
        All.FirstOrDefault(c => c.Words.SequenceEqual(words, StringComparer.Ordinal));

    /// <summary>Whether the words are the start of a longer verb (e.g. <c>jobs</c>).</summary>
    public static bool IsGroup(IReadOnlyList<string> words) =>
        All.Any(c => c.Words.Count > words.Count && c.Words.Take(words.Count).SequenceEqual(words, StringComparer.Ordinal));

    public static IEnumerable<string> GroupVerbs(string group) =>
        All.Where(c => c.Words.Count > 1 && c.Words[0] == group).Select(c => c.Words[1]);
}
