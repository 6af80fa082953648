using System.Globalization;
using IntegrationHub.Gateway.Linkage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static IntegrationHub.Dashboard.BrowserTests.PageHelpers;
using static Microsoft.Playwright.Assertions;

namespace IntegrationHub.Dashboard.BrowserTests;

/// <summary>The findings and charts views as analysts and agencies use them, in headless Chromium against a real gateway.</summary>
[Collection(nameof(SharedDashboard))]
public sealed class DashboardFindingsBrowserServerTests(DashboardFixture hub) : IAsyncLifetime, IDisposable
{
    private const string Rule = "REPORT_IN_OVERDUE";
    private readonly HubHttp http = new(hub);

    public Task InitializeAsync() => hub.EnsureFindingsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task Findings_FilteredByAgencyAndRule_OneAcknowledgedWithANote_ShowTheNewStateAndHistoryAfterAReload()
    {
        var expected = await http.DashboardFindingsAsync(hub.AnalystKey, "analysis", $"agency=justice&rule={Rule}");
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page);
        await SignInAsync(page, hub.AnalystKey);

        await page.GetByRole(AriaRole.Link, new() { Name = "Findings" }).ClickAsync();
        await page.GetByLabel("Purpose of this session").SelectOptionAsync("analysis");
        await page.Locator("#f-agency").SelectOptionAsync("justice");
        await page.Locator("#f-rule").SelectOptionAsync(Rule);
        await page.Locator("#findings-filter").GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(page.Locator("#f-summary")).ToContainTextAsync($"of {expected.Count.ToString("N0", CultureInfo.InvariantCulture)} findings (open, acknowledged)");
        var rows = page.Locator("#findings tbody tr");
        await Expect(rows).ToHaveCountAsync(Math.Min(25, expected.Count));
        Assert.All(await page.Locator("#findings tbody td.target").AllTextContentsAsync(), t => Assert.Equal("justice", t));
        Assert.All(await page.Locator("#findings tbody .finding-link").AllTextContentsAsync(), t => Assert.Equal(Rule, t));

        var row = page.Locator("#findings tbody tr[data-state='open']").First;
        var id = long.Parse((await row.GetAttributeAsync("data-finding"))!, CultureInfo.InvariantCulture);
        var finding = expected.Single(f => f.GetProperty("id").GetInt64() == id);
        await row.Locator(".finding-link").ClickAsync();
        var panel = page.Locator("#finding");
        await Expect(page.Locator("#finding-title")).ToHaveTextAsync($"Finding {id}: {Rule}");
        await Expect(page.Locator("#finding-explanation")).ToHaveTextAsync(finding.GetProperty("explanation").GetString()!);
        await Expect(page.Locator("#finding-evidence tbody tr")).ToHaveCountAsync(finding.GetProperty("evidence").GetArrayLength());
        await Expect(page.Locator("#finding-evidence tbody")).ToContainTextAsync(finding.GetProperty("evidence")[0].GetProperty("sourceKey").GetString()!);
        await Expect(page.Locator("#finding-history li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#finding-history li").First).ToContainTextAsync("opened by data");

        await page.GetByLabel("Note").FillAsync("Called the person: report-in booked for Monday");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();

        await Expect(page.Locator("#finding-facts .badge")).ToHaveTextAsync("acknowledged");
        await Expect(page.Locator("#finding-history li")).ToHaveCountAsync(2);
        await page.ReloadAsync();
        Assert.EndsWith($"#findings/{id}", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("#finding-title")).ToHaveTextAsync($"Finding {id}: {Rule}");
        await Expect(page.Locator("#finding-facts .badge")).ToHaveTextAsync("acknowledged");
        var history = page.Locator("#finding-history li");
        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.Nth(1)).ToContainTextAsync("acknowledged by analyst-only");
        await Expect(history.Nth(1).Locator(".note")).ToHaveTextAsync("Called the person: report-in booked for Monday");
        await Expect(page.Locator($"#findings tbody tr[data-finding='{id}']")).ToHaveAttributeAsync("data-state", "acknowledged");
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" })).ToBeDisabledAsync();
        Assert.Equal(FindingStates.Acknowledged, hub.Services.GetRequiredService<FindingStore>().Get(id, null)!.Value.Finding.State);

        if (Screenshot("findings") is { } path)
        {
            await page.Mouse.MoveAsync(0, 0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task AnAction_WithoutANote_OrRefusedByTheHub_ShowsItsErrorInThePage()
    {
        var target = (await http.DashboardFindingsAsync(hub.AnalystKey, "analysis", "agency=police&states=open"))[0];
        var id = target.GetProperty("id").GetInt64();
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page, 409);
        await SignInAsync(page, hub.AnalystKey);
        await page.GetByLabel("Purpose of this session").SelectOptionAsync("case-work");
        await page.GotoAsync($"/#findings/{id}");
        await Expect(page.Locator("#finding-title")).ToHaveTextAsync($"Finding {id}: {target.GetProperty("rule").GetString()}");
        var acknowledge = page.Locator("#finding").GetByRole(AriaRole.Button, new() { Name = "Acknowledge" });
        var error = page.Locator("#f-action-error");

        await acknowledge.ClickAsync();
        await Expect(error).ToHaveTextAsync("Write a note first: say what was done or will be done.");
        Assert.Equal(FindingStates.Open, hub.Services.GetRequiredService<FindingStore>().Get(id, null)!.Value.Finding.State);

        // Someone else resolves it while this page still shows it open.
        hub.Services.GetRequiredService<FindingStore>().Resolve(id, "police-desk", "handled by phone", null);
        await page.GetByLabel("Note").FillAsync("on it");
        await acknowledge.ClickAsync();

        await Expect(error).ToContainTextAsync($"Could not acknowledge finding {id} (FINDING_STATE): finding {id} is resolved");
        await Expect(page.Locator("#finding-facts .badge")).ToHaveTextAsync("✓ resolved");
        await Expect(page.Locator("#finding-history li").Last).ToContainTextAsync("resolved by police-desk");
        await Expect(acknowledge).ToBeDisabledAsync();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task AnAgencyKey_SeesOnlyItsOwnWorklist_WithResidentIdsItMayNotSeeWithheld()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page);
        await SignInAsync(page, hub.JusticeKey);

        await Expect(page.Locator("#tab-charts")).ToBeHiddenAsync();
        await Expect(page.Locator("#tab-operations")).ToBeHiddenAsync();
        await page.GetByLabel("Purpose of this session").SelectOptionAsync("case-work");

        await Expect(page.Locator("#f-summary")).ToContainTextAsync("for justice only");
        await Expect(page.Locator("#f-agency")).ToBeDisabledAsync();
        await Expect(page.Locator("#f-agency")).ToHaveValueAsync("justice");
        var targets = await page.Locator("#findings tbody td.target").AllTextContentsAsync();
        Assert.NotEmpty(targets);
        Assert.All(targets, t => Assert.Equal("justice", t));
        await Expect(page.Locator("#findings tbody tr").First).ToContainTextAsync("ID withheld");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Charts_DrawABarPerDistrictAndADayPerDay_WithTablesEqualToTheApi()
    {
        var grades = (await http.JsonAsync("GET", "dashboard/api/charts/grades", hub.AnalystKey)).GetProperty("districts").EnumerateArray().ToList();
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page);
        await SignInAsync(page, hub.AnalystKey);

        await page.GetByRole(AriaRole.Link, new() { Name = "Charts" }).ClickAsync();

        var chart = page.Locator("#chart-grades svg");
        await Expect(chart.Locator("g.bar")).ToHaveCountAsync(grades.Count);
        await Expect(chart).ToHaveAttributeAsync("role", "img");
        var total = grades.Sum(d => d.GetProperty("underCommunityControl").GetInt64());
        await Expect(chart).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex($"{total.ToString("N0", CultureInfo.InvariantCulture)} in all"));
        Assert.Equal(
            grades.Select(d => (d.GetProperty("district").GetString(), string.Join(" ", GradeKeys.Select(k => d.GetProperty(k).GetInt64())))),
            await TableAsync(page, "#grades-table", "data-district"));
        Assert.True(grades.All(d => d.GetProperty("underCommunityControl").GetInt64() > 0));

        await ExpectFindingsChartAsync(page, 30, "");
        await page.Locator("#t-days").SelectOptionAsync("90");
        await ExpectFindingsChartAsync(page, 90, "");
        await page.Locator("#t-rule").SelectOptionAsync(Rule);
        await ExpectFindingsChartAsync(page, 90, Rule);

        if (Screenshot("charts") is { } path)
        {
            await page.Locator("#t-rule").SelectOptionAsync("");
            await page.Locator("#t-days").SelectOptionAsync("30");
            await ExpectFindingsChartAsync(page, 30, "");
            await page.Mouse.MoveAsync(0, 0);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static readonly string[] GradeKeys = ["extreme", "high", "medium", "low", "ungraded", "underCommunityControl"];

    private async Task ExpectFindingsChartAsync(IPage page, int days, string rule)
    {
        var data = await http.JsonAsync("GET", $"dashboard/api/charts/findings?days={days}&rule={rule}", hub.AnalystKey);
        await Expect(page.Locator("#chart-findings svg g.day")).ToHaveCountAsync(days);
        await Expect(page.Locator("#chart-findings svg")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex(rule.Length > 0 ? $"^{rule} findings" : "^Findings"));
        Assert.Equal(
            data.GetProperty("days").EnumerateArray().Select(d => (d.GetProperty("day").GetString(), $"{d.GetProperty("opened")} {d.GetProperty("resolved")} {d.GetProperty("closed")}")),
            await TableAsync(page, "#trend-table", "data-day"));
    }

    /// <summary>A figures table as the page shows it: each row's key, and its numbers without the thousands separators.</summary>
    private static async Task<List<(string?, string)>> TableAsync(IPage page, string table, string key)
    {
        var rows = new List<(string?, string)>();
        foreach (var row in await page.Locator($"{table} tbody tr").AllAsync())
        {
            var cells = await row.Locator("td").AllTextContentsAsync();
            rows.Add((await row.GetAttributeAsync(key), string.Join(" ", cells.Select(c => c.Replace(",", "", StringComparison.Ordinal)))));
        }

        return rows;
    }

    /// <summary>With <see cref="DashboardFixture.ScreenshotVariable"/> set to <c>docs/dashboard.png</c>: <c>docs/dashboard-NAME.png</c>.</summary>
    private static string? Screenshot(string name) =>
        Environment.GetEnvironmentVariable(DashboardFixture.ScreenshotVariable) is { Length: > 0 } main
            ? Path.Combine(Path.GetDirectoryName(main) ?? "", $"{Path.GetFileNameWithoutExtension(main)}-{name}{Path.GetExtension(main)}")
            : null;
}
