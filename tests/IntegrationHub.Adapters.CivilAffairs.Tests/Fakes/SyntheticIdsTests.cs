namespace IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;

/// <summary>The test data's IDs are well-formed: GB 11643 check characters, distinct per person.</summary>
public sealed class SyntheticIdsTests
{
    [Theory]
    [InlineData("11010519491231002", 'X')]
    [InlineData("44010419850307123", '0')]
    public void CheckCharacter_StandardExamples_MatchGlossary(string first17, char expected)
    {
        Assert.Equal(expected, SyntheticIds.CheckCharacter(first17));
    }

    [Fact]
    public void Id_ManyPeople_AreDistinct18CharacterIdsWithValidCheckCharacters()
    {
        var ids = Enumerable.Range(0, 5000).Select(n => SyntheticIds.Id(n)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Equal(18, id.Length));
        Assert.All(ids, id => Assert.Equal(SyntheticIds.CheckCharacter(id[..17]), id[17]));
    }
}
