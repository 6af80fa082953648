namespace IntegrationHub.AgencySimulator.Police;

/// <summary>gkzt values (AGENCY-INTERFACES.md section 1).</summary>
internal static class ControlStatus
{
    public const string Community = "10";
    public const string Isolation = "20";
    public const string Detained = "30";
    public const string Lost = "40";
    public const string Deceased = "50";
    public const string Released = "60";
}
