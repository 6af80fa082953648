namespace IntegrationHub.AgencySimulator.Police;

/// <summary>
/// Codes an agency started to send before the interface listed them (the "agency introduced a new code" story,
/// fault <c>newcode=N</c>). One is planted: control status (gkzt) <c>"70"</c>, which police use for a person back in
/// the community under control, so it stands for <c>"10"</c>. An operator who maps 70 to 10 and replays the
/// quarantined records gets the figures the ground truth gives, which counts these records as what they mean.
/// </summary>
internal static class UnknownCodes
{
    /// <summary>The field that carries the planted code.</summary>
    public const string Field = "gkzt";

    /// <summary>The planted value: not among the gkzt values of AGENCY-INTERFACES.md section 1.</summary>
    public const string ControlStatusValue = "70";

    /// <summary>The documented value it stands for: in the community under control.</summary>
    public const string ControlStatusMeaning = ControlStatus.Community;
}
