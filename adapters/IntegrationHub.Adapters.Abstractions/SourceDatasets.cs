namespace IntegrationHub.Adapters;

/// <summary>The check every <see cref="ISourceAdapter"/> makes of the dataset a caller names.</summary>
public static class SourceDatasets
{
    /// <summary>Throws unless <paramref name="dataset"/> is one of <paramref name="datasets"/>.</summary>
    /// <param name="adapter">How messages name the adapter, e.g. <c>police</c>.</param>
    /// <exception cref="ArgumentException">Naming the dataset and the datasets the adapter reads.</exception>
    public static void ThrowIfUnknown(string dataset, IReadOnlyList<string> datasets, string adapter)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(datasets);
        if (!datasets.Contains(dataset, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The {adapter} adapter has no dataset \"{dataset}\"; it reads {string.Join(" and ", datasets.Select(d => $"\"{d}\""))}.",
                nameof(dataset));
        }
    }
}
