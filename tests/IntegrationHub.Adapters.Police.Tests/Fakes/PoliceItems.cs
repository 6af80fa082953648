using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Adapters.Police.Tests.Fakes;

/// <summary>Synthetic <c>xdry</c> items shaped like AGENCY-INTERFACES.md section 1. No real personal data.</summary>
public static class PoliceItems
{
    /// <summary>A time in the police system's own format, e.g. 2026-11-28T09:15:02.431+08:00.</summary>
    public static readonly DateTimeOffset BaseTime = new(2026, 11, 28, 9, 15, 2, 431, TimeSpan.FromHours(8));

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A complete, valid item; change or remove fields on the result for the case at hand.</summary>
    public static JsonObject Item(string rybh, DateTimeOffset gxsj, int seed = 0) => new()
    {
        ["rybh"] = rybh,
        ["sfzh"] = SyntheticId(seed),
        ["xm"] = SyntheticName(seed),
        ["xb"] = "1",
        ["csrq"] = "19850307",
        ["hjdqh"] = "440104",
        ["jzdqh"] = "440105",
        ["jzjd"] = "江南中街道",
        ["wgbm"] = "440105003002011",
        ["fxdj"] = "3",
        ["pgrq"] = "2026-09-30",
        ["gkzt"] = "10",
        ["gkry"] = new JsonArray(
            new JsonObject { ["xm"] = "李明" + seed.ToString(CultureInfo.InvariantCulture), ["js"] = "MJ" },
            new JsonObject { ["xm"] = "陈芳" + seed.ToString(CultureInfo.InvariantCulture), ["js"] = "SG" },
            new JsonObject { ["xm"] = "王强" + seed.ToString(CultureInfo.InvariantCulture), ["js"] = "WGY" }),
        ["zjjcrq"] = "2026-10-12",
        ["zjjcjg"] = "阴性",
        ["cclrrq"] = "2017-03-02",
        ["gxsj"] = FormatTime(gxsj),
        ["scbz"] = "0",
    };

    /// <summary>
    /// <paramref name="count"/> items, <paramref name="perMillisecond"/> of them sharing each millisecond (the trap),
    /// with rybh numbered in order: GZ2017000001, GZ2017000002, ...
    /// </summary>
    public static List<JsonObject> Sequence(int count, int perMillisecond = 1, DateTimeOffset? start = null)
    {
        var first = start ?? BaseTime;
        return [.. Enumerable.Range(1, count).Select(i => Item(Rybh(i), first.AddMilliseconds((i - 1) / perMillisecond), i))];
    }

    public static string Rybh(int i) => "GZ2017" + i.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>A synthetic 18-character resident ID (not necessarily check-valid: the adapter must not care).</summary>
    public static string SyntheticId(int seed) => "44010419850307" + (1000 + (seed % 9000)).ToString(CultureInfo.InvariantCulture);

    public static string SyntheticName(int seed) => "测试" + "甲乙丙丁戊己庚辛壬癸"[seed % 10] + "某";

    public static string FormatTime(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>The item's JSON as the fake server sends it (Chinese left unescaped).</summary>
    public static string ToJson(JsonObject item) => item.ToJsonString(Relaxed);
}
