using System.Globalization;

namespace IntegrationHub.AgencySimulator.Police;

/// <summary>Police person numbers: "GZ", the year of first registration, a 6-digit sequence within that year.</summary>
internal static class Rybh
{
    public static string Prefix(int year) => "GZ" + year.ToString("D4", CultureInfo.InvariantCulture);

    public static string Format(int year, int sequence) =>
        Prefix(year) + sequence.ToString("D6", CultureInfo.InvariantCulture);

    public static int Sequence(string rybh) => int.Parse(rybh.AsSpan(6), CultureInfo.InvariantCulture);
}
