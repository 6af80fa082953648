namespace IntegrationHub.AgencySimulator.Common;

/// <summary>
/// Draws categories without replacement from fixed counts, so that a streamed population hits its target
/// figures exactly (48 extreme-risk people at city scale, not "about 48") without holding the population.
/// </summary>
internal sealed class QuotaSampler
{
    private readonly int[] _remaining;
    private int _total;

    public QuotaSampler(IReadOnlyList<int> counts)
    {
        _remaining = [.. counts];
        _total = _remaining.Sum();
    }

    public int Draw(Random random)
    {
        if (_total == 0)
        {
            throw new InvalidOperationException("The quota is exhausted.");
        }

        var roll = random.Next(_total);
        for (var i = 0; ; i++)
        {
            if (roll < _remaining[i])
            {
                _remaining[i]--;
                _total--;
                return i;
            }

            roll -= _remaining[i];
        }
    }
}
