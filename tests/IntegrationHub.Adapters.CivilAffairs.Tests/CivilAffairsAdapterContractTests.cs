using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>
/// The shared adapter contract against a drop folder holding one day's roster of <see cref="SourceAdapterContractTests{TAdapter}.RecordCount"/>
/// distinct people, read five rows per batch; an unmarked later day beside it must not disturb anything.
/// </summary>
public sealed class CivilAffairsAdapterContractTests : SourceAdapterContractTests<CivilAffairsAdapter>, IDisposable
{
    private readonly RosterDropFolder _folder = new();

    public CivilAffairsAdapterContractTests()
    {
        _folder.WriteDay(CivilAffairsTestAdapters.Today.AddDays(-1), RosterRow.Range(0, RecordCount));
        _folder.WriteDay(CivilAffairsTestAdapters.Today, RosterRow.Range(1000, 3), marked: false);
    }

    public void Dispose() => _folder.Dispose();

    protected override Task<CivilAffairsAdapter> CreateAdapterAsync() =>
        Task.FromResult(CivilAffairsTestAdapters.Create(_folder, batchSize: 5));

    /// <summary>A read's message says on which line of the file it found the row; a replay, which has no file, names the day's file.</summary>
    protected override void AssertSameProblem(MappingProblem read, MappingProblem remapped) =>
        RosterReplayTests.AssertSameProblemElsewhere(read, remapped);
}
