namespace IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;

/// <summary>One roster row in the documented column order; every value a string exactly as it will be written.</summary>
public sealed record RosterRow(
    string Id,
    string Name,
    string Head,
    string Type = "低保",
    string Status = "在保",
    string Amount = "1120.00",
    string Size = "3",
    string Approved = "2024-05-01",
    string Suspended = "",
    string Street = "北京街道",
    string District = "440104")
{
    /// <summary>A valid row for synthetic person <paramref name="n"/>, head of their own household.</summary>
    public static RosterRow For(int n)
    {
        var id = SyntheticIds.Id(n);
        return new RosterRow(id, SyntheticIds.Name(n), id);
    }

    /// <summary>Valid rows for persons <paramref name="first"/> .. first + count - 1.</summary>
    public static List<RosterRow> Range(int first, int count) => [.. Enumerable.Range(first, count).Select(For)];

    public IReadOnlyList<string> Fields => [Id, Name, Head, Type, Status, Amount, Size, Approved, Suspended, Street, District];
}
