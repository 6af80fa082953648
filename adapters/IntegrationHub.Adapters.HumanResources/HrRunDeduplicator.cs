namespace IntegrationHub.Adapters.HumanResources;

/// <summary>
/// Recognises a version of a person read a second time in one run (same <c>aac002</c>, same <c>gxsj</c>, same
/// content), with memory bounded by the pages in flight rather than by the size of the city.
/// </summary>
/// <remarks>
/// Where a second read can come from, and what is kept for it:
/// <list type="bullet">
/// <item>A row read on a page shifts up into a page read later in the same backward pass, when rows in front of it
/// change. Each such change shifts it by one place, so it reappears within a few pages: the keys of the last
/// <see cref="RecentPages"/> pages are kept. To come back later than that, more than
/// (<see cref="RecentPages"/> - 1) × page size rows in front of it would have to change within as many requests.</item>
/// <item>Page 1 is read first (for the total) and again last: its first reading is <see cref="Pin"/>ned.</item>
/// <item>The follow-up pass re-reads rows changed since the first pass began: every row at or after that time is
/// pinned.</item>
/// </list>
/// A duplicate that slips through anyway is the same content; the hub counts it as unchanged.
/// </remarks>
internal sealed class HrRunDeduplicator
{
    public const int RecentPages = 4;

    private readonly HashSet<UInt128> _pinned = [];
    private readonly Queue<HashSet<UInt128>> _recent = new();
    private HashSet<UInt128> _current = [];

    public HrRunDeduplicator() => _recent.Enqueue(_current);

    /// <summary>Rows at or after this time are pinned; null pins nothing by time.</summary>
    public DateTimeOffset? PinFrom { get; set; }

    /// <summary>Starts a new page: the oldest of the recent pages is forgotten.</summary>
    public void BeginPage()
    {
        _current = [];
        _recent.Enqueue(_current);
        while (_recent.Count > RecentPages)
        {
            _recent.Dequeue();
        }
    }

    /// <summary>True when the version is new in this run (and now remembered); false when it was read before.</summary>
    /// <param name="pin">Remember it for the whole run (page 1's first reading).</param>
    public bool TryAdd(UInt128 versionKey, DateTimeOffset? gxsj, bool pin)
    {
        if (_pinned.Contains(versionKey) || _recent.Any(page => page.Contains(versionKey)))
        {
            return false;
        }

        _current.Add(versionKey);

        // A person whose gxsj cannot be read is pinned too: there are few, and their time says nothing.
        if (pin || gxsj is null || (PinFrom is { } from && gxsj >= from))
        {
            _pinned.Add(versionKey);
        }

        return true;
    }
}
