using System.Globalization;
using IntegrationHub.Contract.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IntegrationHub.Hubctl.Output;

/// <summary>
/// One consolidated person, grouped by agency: identity, police registration, rehabilitation cases, assistance,
/// employment. Each group (each case, each assistance entry) ends with the provenance line of its source record.
/// </summary>
internal static class PersonView
{
    public static void Render(IAnsiConsole console, ConsolidatedPerson person)
    {
        var identity = person.Identity;
        var title = identity is null
            ? "person (no identity returned)"
            : $"{Names.Text(identity.Name)}  ·  person {Names.Text(identity.PersonId)}  ·  {Names.Text(identity.ResidentIdMasked)}";
        console.Write(new Text(title, new Style(decoration: Decoration.Bold)));
        console.WriteLine();

        Identity(console, identity);
        Police(console, person.Police);
        RehabCases(console, person.RehabCases);
        Assistance(console, person.Assistance);
        Employment(console, person.Employment);
    }

    private static void Identity(IAnsiConsole console, PersonIdentity? identity)
    {
        Heading(console, "Identity");
        if (identity is null)
        {
            Absent(console, "none returned");
            return;
        }

        Fields(console,
            ("person id", Names.Text(identity.PersonId)),
            ("resident id", Names.Text(identity.ResidentIdMasked)),
            ("name", Names.Text(identity.Name)),
            ("sex", Names.Of(identity.Sex)),
            ("birth date", Names.Date(identity.BirthDate)));
        Provenance(console, identity.Provenance);
    }

    private static void Police(IAnsiConsole console, PoliceRegistration? police)
    {
        Heading(console, "Police registration (police)");
        if (police is null)
        {
            Absent(console, "not registered");
            return;
        }

        var grade = Names.Of(police.Grade);
        if (police.GradedOn.Length > 0)
        {
            grade += $" (graded {police.GradedOn})";
        }

        var responsible = string.Create(CultureInfo.InvariantCulture, $"{police.ResponsiblePeople.Count} of {police.RequiredResponsiblePeople} required");
        if (police.ResponsiblePeople.Count > 0)
        {
            responsible += ": " + string.Join(", ", police.ResponsiblePeople.Select(p => $"{Names.Text(p.Name)} ({Names.Of(p.Role)})"));
        }

        var test = police.LatestTest is null
            ? "none known"
            : $"{Names.Of(police.LatestTest.Result)} on {Names.Date(police.LatestTest.Date)}";

        Fields(console,
            ("person number", Names.Text(police.PolicePersonNumber)),
            ("grade", grade),
            ("status", Names.Of(police.ControlStatus)),
            ("residence", $"{Names.Text(police.ResidenceDistrict)} / {Names.Text(police.ResidenceStreet)}"),
            ("registered district", Names.Text(police.RegisteredDistrict)),
            ("grid", police.GridCode.Length > 0 ? police.GridCode : "not assigned to a grid"),
            ("responsible", responsible),
            ("latest test", test),
            ("registered on", Names.Date(police.FirstRegisteredOn)));
        Provenance(console, police.Provenance);
    }

    private static void RehabCases(IAnsiConsole console, Google.Protobuf.Collections.RepeatedField<RehabCase> cases)
    {
        Heading(console, string.Create(CultureInfo.InvariantCulture, $"Rehabilitation cases (justice): {cases.Count}"));
        if (cases.Count == 0)
        {
            Absent(console, "none");
            return;
        }

        foreach (var c in cases)
        {
            Fields(console,
                ("case", $"{Names.Text(c.CaseNumber)}, {Names.Of(c.Type)}"),
                ("status", Names.Of(c.Status)),
                ("decided on", Names.Date(c.DecidedOn)),
                ("reported on", c.ReportedOn.Length > 0 ? c.ReportedOn : "not yet reported in"),
                ("term", $"{Names.Date(c.TermStart)} to {Names.Date(c.TermEnd)}"),
                ("executed in", $"{Names.Text(c.ExecutingDistrict)} / {Names.Text(c.ExecutingStreet)}"));
            Provenance(console, c.Provenance);
        }
    }

    private static void Assistance(IAnsiConsole console, Google.Protobuf.Collections.RepeatedField<Assistance> entries)
    {
        Heading(console, string.Create(CultureInfo.InvariantCulture, $"Assistance (civil-affairs): {entries.Count}"));
        if (entries.Count == 0)
        {
            Absent(console, "none");
            return;
        }

        foreach (var a in entries)
        {
            Fields(console,
                ("type", Names.Of(a.Type)),
                ("status", Names.Of(a.Status)),
                ("monthly amount", string.Create(CultureInfo.InvariantCulture, $"¥{a.MonthlyAmountFen / 100m:0.00}")),
                ("household size", a.HouseholdSize.ToString(CultureInfo.InvariantCulture)),
                ("head of household", Names.Text(a.HeadOfHouseholdMasked)),
                ("approved on", Names.Date(a.ApprovedOn)),
                ("suspended on", Names.Date(a.SuspendedOn)),
                ("area", $"{Names.Text(a.District)} / {Names.Text(a.Street)}"));
            Provenance(console, a.Provenance);
        }
    }

    private static void Employment(IAnsiConsole console, Employment? employment)
    {
        Heading(console, "Employment (hr)");
        if (employment is null)
        {
            Absent(console, "no record");
            return;
        }

        var trainings = employment.Trainings.Count == 0
            ? "none"
            : string.Join("; ", employment.Trainings.Select(t => $"{Names.Text(t.Course)} (completed {Names.Date(t.CompletedOn)}, {(t.Passed ? "passed" : "not passed")})"));
        var insurance = employment.MedicalInsuranceEnrolled
            ? $"enrolled since {Names.Date(employment.MedicalInsuranceSince)}"
            : "not enrolled";

        Fields(console,
            ("status", Names.Of(employment.Status)),
            ("employer", Names.Text(employment.Employer)),
            ("employed since", Names.Date(employment.EmployedSince)),
            ("hard to employ", Names.YesNo(employment.HardToEmploy)),
            ("medical insurance", insurance),
            ("training", trainings));
        Provenance(console, employment.Provenance);
    }

    private static void Heading(IAnsiConsole console, string text)
    {
        console.WriteLine();
        console.Write(new Text(text, new Style(foreground: Color.Aqua, decoration: Decoration.Bold)));
        console.WriteLine();
    }

    private static void Absent(IAnsiConsole console, string text)
    {
        console.Write(new Padder(new Text(text, new Style(decoration: Decoration.Italic)), new Padding(2, 0, 0, 0)));
    }

    private static void Fields(IAnsiConsole console, params (string Label, string Value)[] fields)
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadLeft(2).PadRight(2));
        grid.AddColumn(new GridColumn());
        foreach (var (label, value) in fields)
        {
            grid.AddRow(new IRenderable[] { new Text(label, new Style(foreground: Color.Grey)), new Text(value) });
        }

        console.Write(grid);
    }

    /// <summary>One line: agency, dataset, source key, agency time, hub time, run id.</summary>
    private static void Provenance(IAnsiConsole console, Provenance? provenance)
    {
        var line = provenance is null
            ? "provenance: none given"
            : $"provenance: {Names.Of(provenance.Agency)}, dataset {Names.Text(provenance.Dataset)}, source key {Names.Text(provenance.SourceKey)}, "
              + $"agency time {TimeFormat.Format(provenance.AgencyTime)}, hub time {TimeFormat.Format(provenance.HubTime)}, run {Names.Text(provenance.SyncRunId)}";
        console.Write(new Padder(new Text(line, new Style(foreground: Color.Grey, decoration: Decoration.Dim)), new Padding(2, 0, 0, 0)));
    }
}
