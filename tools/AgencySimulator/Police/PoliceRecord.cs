using System.Text.Json.Serialization;
using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator.Police;

/// <summary>
/// One record of the police drug-user control system exactly as it is served (AGENCY-INTERFACES.md
/// section 1): every value is the agency's string form, and the property order is the wire order.
/// </summary>
internal sealed class PoliceRecord
{
    public required string Rybh { get; init; }
    public required string Sfzh { get; init; }
    public required string Xm { get; init; }
    public required string Xb { get; init; }
    public required string Csrq { get; init; }
    public required string Hjdqh { get; init; }
    public required string Jzdqh { get; set; }
    public required string Jzjd { get; set; }
    public required string Wgbm { get; set; }
    public required string Fxdj { get; set; }
    public required string Pgrq { get; set; }
    public required string Gkzt { get; set; }
    public required IReadOnlyList<ResponsiblePerson> Gkry { get; set; }
    public required string Zjjcrq { get; set; }
    public required string Zjjcjg { get; set; }
    public required string Cclrrq { get; init; }

    [JsonConverter(typeof(ChinaTimestampJsonConverter))]
    public required DateTimeOffset Gxsj { get; set; }

    public required string Scbz { get; set; }

    [JsonIgnore]
    public bool Withdrawn => Scbz == Withdrawal.Withdrawn;
}

/// <summary>A responsible person (gkry): name and role code (MJ, ZG, SG, WGY, JS, GB).</summary>
internal sealed record ResponsiblePerson(string Xm, string Js);

/// <summary>scbz values.</summary>
internal static class Withdrawal
{
    public const string Active = "0";
    public const string Withdrawn = "1";
}
