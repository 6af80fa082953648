using IntegrationHub.Gateway.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static IntegrationHub.Dashboard.BrowserTests.PageHelpers;
using static Microsoft.Playwright.Assertions;

namespace IntegrationHub.Dashboard.BrowserTests;

/// <summary>The dashboard as an operator uses it, in headless Chromium against a real gateway.</summary>
[Collection(nameof(SharedDashboard))]
public sealed class DashboardBrowserServerTests(DashboardFixture hub)
{
    private static readonly LocatorAssertionsToContainTextOptions RunEnds = new() { Timeout = 90_000 };

    [Fact]
    public async Task RunNow_OnPolice_ShowsTheRunRunningThenEndingWithWarnings_AndTheQuarantinedRecord()
    {
        await hub.ResetPoliceAsync(); // the run reads everything: it lasts long enough to be seen running
        var truth = await hub.Simulator.GetTruthAsync(CancellationToken.None);
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page);

        await SignInAsync(page, hub.OperatorKey);
        var police = JobRow(page, "police");
        await Expect(police).ToBeVisibleAsync();
        await Expect(page.Locator("#who-name")).ToHaveTextAsync("ops-duty");

        await page.GetByRole(AriaRole.Button, new() { Name = "Run police now" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("police asked for");
        await Expect(police.Locator("td.state")).ToContainTextAsync("Running");
        await Expect(police.Locator("td.state .progress")).ToContainTextAsync("records read");
        await Expect(page.Locator("#runs tbody tr").First).ToHaveAttributeAsync("data-outcome", "running");

        await Expect(police.Locator("td.last-run")).ToContainTextAsync("succeeded with warnings", RunEnds);
        await Expect(police.Locator("td.state")).Not.ToContainTextAsync("Running");
        await Expect(police.Locator("td.last-run")).ToContainTextAsync($"{truth.Police.Malformed.Count} quarantined");
        await Expect(page.Locator("#runs tbody tr").First).ToHaveAttributeAsync("data-outcome", "succeeded with warnings");
        await Expect(page.Locator("#chart-records svg g.bar").First).ToBeVisibleAsync();

        // A planted malformed record waits in quarantine with its reason.
        var malformed = truth.Police.Malformed[0];
        var record = page.Locator("#quarantine tbody tr").Filter(new() { HasText = malformed.Rybh });
        await Expect(record).ToBeVisibleAsync();
        await Expect(record.Locator("code.reason")).ToContainTextAsync(malformed.Reason);
        await page.Locator("#q-agency").SelectOptionAsync("police"); // justice's planted records wait there too
        await page.Locator("#quarantine-filter").GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#q-summary")).ToContainTextAsync($"of {truth.Police.Malformed.Count} matching");

        if (Environment.GetEnvironmentVariable(DashboardFixture.ScreenshotVariable) is { Length: > 0 } screenshot)
        {
            await StageForScreenshotAsync(page);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task SignIn_WithAnUnknownKey_ShowsTheErrorAndNoData()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();

        await SignInAsync(page, "ih_not-a-key-this-hub-knows");

        await Expect(page.Locator("#sign-in-error")).ToContainTextAsync("UNKNOWN_KEY");
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        await Expect(page.Locator("#jobs tbody tr")).ToHaveCountAsync(0);
        await Expect(page.Locator("#quarantine tbody tr")).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('integrationhub.dashboard.key')"));
    }

    [Fact]
    public async Task SignIn_WithAnAnalystOnlyKey_OpensFindingsAndCharts_ButNotOperations()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page);

        await SignInAsync(page, hub.AnalystKey);

        await Expect(page.Locator("#who-name")).ToHaveTextAsync("analyst-only");
        await Expect(page.Locator("#tab-findings")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("#view-findings")).ToBeVisibleAsync();
        await Expect(page.Locator("#tab-charts")).ToBeVisibleAsync();
        await Expect(page.Locator("#tab-operations")).ToBeHiddenAsync();
        await Expect(page.Locator("#view-operations")).ToBeHiddenAsync();
        await page.GotoAsync("/#operations");
        await Expect(page.Locator("#view-findings")).ToBeVisibleAsync();
        await Expect(page.Locator("#jobs tbody tr")).ToHaveCountAsync(0);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems)); // it never asked for the jobs
    }

    [Fact]
    public async Task SignIn_WithAnAuditorOnlyKey_SaysWhichRolesTheDashboardNeeds()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();

        await SignInAsync(page, hub.AuditorKey);

        var error = page.Locator("#sign-in-error");
        await Expect(error).ToContainTextAsync("ROLE_REQUIRED");
        await Expect(error).ToContainTextAsync("requires the 'agency', 'analyst', 'operator' role");
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task PauseAndResume_ThroughTheButtons_ChangeTheStateShown_AndSurviveAReload()
    {
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, hub.OperatorKey);
        var state = JobRow(page, "police").Locator("td.state");
        await Expect(state).ToContainTextAsync("Scheduled");

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause police" }).ClickAsync();
        await Expect(state).ToContainTextAsync("Paused");
        await Expect(JobRow(page, "police")).ToContainTextAsync("no scheduled run while paused");
        await page.ReloadAsync();
        await Expect(state).ToContainTextAsync("Paused");
        await Expect(page.Locator("#sign-in")).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume police" }).ClickAsync();
        await Expect(state).ToContainTextAsync("Scheduled");
        await page.ReloadAsync();
        await Expect(state).ToContainTextAsync("Scheduled");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pause police" })).ToBeVisibleAsync();
        Assert.False(hub.Services.GetRequiredService<JobSettingsStore>().Get("police").Paused);
    }

    [Fact]
    public async Task RunNow_OnAnAgencyThatIsDown_ShowsTheFailureTheAlertAndTheOpenCircuit()
    {
        await hub.EnsurePoliceHasRunAsync();
        await using var context = await hub.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignInAsync(page, hub.OperatorKey);
        var hr = JobRow(page, "hr");
        await Expect(hr).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Run hr now" }).ClickAsync();

        await Expect(hr.Locator("td.last-run")).ToContainTextAsync("failed", RunEnds);
        await Expect(hr.Locator("td.health")).ToContainTextAsync("ALERT");
        await Expect(hr.Locator("td.health")).ToContainTextAsync("circuit open");
        var alert = page.Locator("#alerts li.onset").Filter(new() { HasText = "hr" }).First;
        await Expect(alert).ToContainTextAsync("ALERT");
        await Expect(alert).ToContainTextAsync("hr failing for");
        await Expect(JobRow(page, "police").Locator("td.health")).ToContainTextAsync("Healthy");
    }

    private static ILocator JobRow(IPage page, string job) => page.Locator($"#jobs tbody tr[data-job='{job}']");

    /// <summary>
    /// A realistic picture for README: a few more police runs over a changing population, HR down and alerting,
    /// police chosen again for the run history.
    /// </summary>
    private async Task StageForScreenshotAsync(IPage page)
    {
        var runs = hub.Services.GetRequiredService<SyncRunStore>();
        foreach (var changes in new[] { 40, 15, 60 })
        {
            await hub.Simulator.StepAsync(changes, CancellationToken.None);
            var before = runs.List("police", 0, 1)[0].RunId;
            await page.GetByRole(AriaRole.Button, new() { Name = "Run police now" }).ClickAsync();
            await Expect(page.Locator("#runs tbody tr").First).Not.ToHaveAttributeAsync("data-run", before);
            await Expect(page.Locator("#runs tbody tr").First).Not.ToHaveAttributeAsync("data-outcome", "running", new() { Timeout = 90_000 });
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Run hr now" }).ClickAsync();
        await Expect(JobRow(page, "hr").Locator("td.health")).ToContainTextAsync("ALERT", new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "police", Exact = true }).ClickAsync();
        await Expect(page.Locator("#history-title")).ToHaveTextAsync("Run history: police");
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(runs.List("police", 0, 30).Count, new() { Timeout = 10_000 });
        await page.Locator("#quarantine-filter").GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        var waiting = hub.Services.GetRequiredService<QuarantineQueries>().CountByAgency().Sum(a => a.Count);
        await Expect(page.Locator("#q-summary")).ToContainTextAsync($"of {waiting} matching");
        await Expect(page.Locator("#notice")).ToBeHiddenAsync();
        await page.Mouse.MoveAsync(0, 0);
    }
}
