namespace IntegrationHub.Hubctl.Hub;

/// <summary>Follows a list RPC's page tokens until enough items are collected or the pages end.</summary>
internal static class Pages
{
    /// <summary>
    /// Calls <paramref name="fetch"/> with (page token, page size) until <paramref name="limit"/> items are
    /// collected, the last page is reached, or the hub repeats a token (which would loop forever).
    /// </summary>
    public static async Task<(List<TItem> Items, TResponse LastResponse)> CollectAsync<TResponse, TItem>(
        Func<string, int, Task<TResponse>> fetch, Func<TResponse, IEnumerable<TItem>> items, Func<TResponse, string> nextToken, int limit, int maxPageSize)
    {
        var collected = new List<TItem>();
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        var token = string.Empty;
        while (true)
        {
            var response = await fetch(token, Math.Min(limit - collected.Count, maxPageSize));
            collected.AddRange(items(response).Take(limit - collected.Count));
            token = nextToken(response);
            if (collected.Count >= limit || token.Length == 0 || !seenTokens.Add(token))
            {
                return (collected, response);
            }
        }
    }
}
