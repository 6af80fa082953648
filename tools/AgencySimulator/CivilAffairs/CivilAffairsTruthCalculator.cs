using IntegrationHub.AgencySimulator.Identity;
using IntegrationHub.AgencySimulator.Truth;

namespace IntegrationHub.AgencySimulator.CivilAffairs;

/// <summary>The lines of the newest complete roster file (header left out), read whole.</summary>
internal sealed record RosterSnapshot(DateOnly Day, List<string[]> Rows);

/// <summary>Reads the newest complete roster file back and splits its rows by what the hub may keep of them.</summary>
internal static class CivilAffairsTruthCalculator
{
    /// <summary>The newest day whose file is complete, or null when none is.</summary>
    public static RosterSnapshot? ReadNewest(string folder)
    {
        // Another process may re-send the newest file while it is read: its marker goes first, so a file whose
        // marker is still there after the read, unchanged in size, was read whole.
        for (var attempt = 1; ; attempt++)
        {
            if (RosterFiles.NewestComplete(folder) is not { } day)
            {
                return null;
            }

            var path = Path.Combine(folder, RosterFiles.FileName(day));
            try
            {
                var length = new FileInfo(path).Length;
                var rows = RosterFiles.Read(path);
                if ((RosterFiles.IsComplete(folder, day) && new FileInfo(path).Length == length) || attempt == 3)
                {
                    return new RosterSnapshot(day, rows);
                }
            }
            catch (Exception e) when ((e is IOException or InvalidDataException) && attempt < 3)
            {
                // Replaced while read: read it again.
            }
        }
    }

    public static CivilAffairsTruth Compute(RosterSnapshot? snapshot, DateOnly today, Scope scope) =>
        snapshot is null ? new CivilAffairsTruth(null, null, 0, 0, 0, 0, 0, 0, 0, [], []) : Count(snapshot.Day, snapshot.Rows, today, scope);

    private static CivilAffairsTruth Count(DateOnly day, List<string[]> rows, DateOnly today, Scope scope)
    {
        var file = RosterFiles.FileName(day);
        var (inScope, outOfScope, repeated) = (0, 0, 0);
        var unusable = new List<RosterLine>();
        var nameOnly = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var people = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var line = i + 2;
            var (served, name) = (rows[i][0], rows[i][1]);
            var id = ResidentId.Normalise(served, today, out var reason);
            if (!seen.Add(id ?? served.Trim()))
            {
                repeated++;
            }

            if (id is null)
            {
                unusable.Add(new RosterLine(line, reason!));
            }
            else if (scope.Contains(id))
            {
                inScope++;
                people.Add(id);
            }
            else if (scope.HasNamesake(name, ResidentId.BirthOf(id)))
            {
                nameOnly.Add(line);
            }
            else
            {
                outOfScope++;
            }
        }

        return new CivilAffairsTruth(day, file, rows.Count, inScope, outOfScope, unusable.Count, nameOnly.Count, repeated, people.Count, unusable, nameOnly);
    }
}
