using System.Globalization;

namespace IntegrationHub.Adapters.CivilAffairs;

/// <summary>A complete roster file: <c>MZ_JZ_YYYYMMDD.csv</c> with its <c>.ok</c> marker beside it.</summary>
/// <param name="Stamp">Size and last-write time, a cheap change detector: while it is unchanged the file is taken
/// to be unchanged and is not hashed again.</param>
internal sealed record RosterFile(string Name, string Path, DateOnly Day, string Stamp);

/// <summary>What a look at the drop folder found.</summary>
/// <param name="Marked">Complete files, in date order.</param>
/// <param name="Unmarked">Roster files without their marker: still being written, never opened.</param>
/// <param name="OrphanMarkers">Markers without their roster file.</param>
internal sealed record FolderScan(IReadOnlyList<RosterFile> Marked, int Unmarked, int OrphanMarkers);

/// <summary>The drop folder's naming convention (AGENCY-INTERFACES.md section 3) and a look at what it holds.</summary>
internal static class RosterFolder
{
    public const string Prefix = "MZ_JZ_";
    public const string Extension = ".csv";
    public const string MarkerExtension = ".ok";

    /// <summary>The file name of a day's roster, e.g. <c>MZ_JZ_20261128.csv</c>.</summary>
    public static string FileName(DateOnly day) =>
        Prefix + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + Extension;

    /// <summary>True for exactly <c>MZ_JZ_YYYYMMDD.csv</c> with a real date (ordinal, case-sensitive).</summary>
    public static bool TryParseFileName(string name, out DateOnly day)
    {
        day = default;
        return name.Length == Prefix.Length + 8 + Extension.Length
            && name.StartsWith(Prefix, StringComparison.Ordinal)
            && name.EndsWith(Extension, StringComparison.Ordinal)
            && !name.AsSpan(Prefix.Length, 8).ContainsAnyExceptInRange('0', '9')
            && DateOnly.TryParseExact(name.AsSpan(Prefix.Length, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    /// <summary>Lists the drop folder once. Reads no file content.</summary>
    /// <exception cref="AdapterException">The folder is missing or unreadable (Configuration), or the listing failed (Transient).</exception>
    public static FolderScan Scan(string folder)
    {
        HashSet<string> names;
        try
        {
            names = new HashSet<string>(
                Directory.EnumerateFiles(folder).Select(path => System.IO.Path.GetFileName(path)),
                StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(folder, "the folder", "list", e);
        }

        var marked = new List<RosterFile>();
        var unmarked = 0;
        var orphanMarkers = 0;
        foreach (var name in names)
        {
            if (TryParseFileName(name, out var day))
            {
                if (!names.Contains(name + MarkerExtension))
                {
                    unmarked++;
                    continue;
                }

                var path = System.IO.Path.Combine(folder, name);
                if (StampOf(path) is { } stamp)
                {
                    marked.Add(new RosterFile(name, path, day, stamp));
                }
            }
            else if (name.EndsWith(Extension + MarkerExtension, StringComparison.Ordinal)
                && TryParseFileName(name[..^MarkerExtension.Length], out _)
                && !names.Contains(name[..^MarkerExtension.Length]))
            {
                orphanMarkers++;
            }
        }

        marked.Sort((a, b) => a.Day.CompareTo(b.Day));
        return new FolderScan(marked, unmarked, orphanMarkers);
    }

    /// <summary>Checks that the folder exists and can be listed.</summary>
    /// <exception cref="AdapterException">As <see cref="Scan"/>.</exception>
    public static void CheckReadable(string folder)
    {
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(folder).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure(folder, "the folder", "list", e);
        }
    }

    /// <summary>The failure kind of an I/O error on the drop folder or on a file in it.</summary>
    /// <param name="folder">The drop folder.</param>
    /// <param name="target">What was being accessed: the folder, or a file's name.</param>
    /// <param name="action">What was being done, e.g. "list", "read".</param>
    /// <param name="error">The I/O error.</param>
    public static AdapterException Failure(string folder, string target, string action, Exception error) => error switch
    {
        DirectoryNotFoundException => new AdapterException(
            FailureKind.Configuration,
            $"The civil-affairs drop folder \"{folder}\" does not exist; check {CivilAffairsAdapterOptions.SectionName}:DropFolder",
            error),
        UnauthorizedAccessException => new AdapterException(
            FailureKind.Configuration,
            $"The hub may not {action} {target} in the civil-affairs drop folder \"{folder}\"; grant it read access",
            error),
        _ => new AdapterException(
            FailureKind.Transient,
            $"Could not {action} {target} in the civil-affairs drop folder \"{folder}\": {error.Message}",
            error),
    };

    private static string? StampOf(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            // Removed between the listing and now: as if it had not been listed.
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}");
    }
}
