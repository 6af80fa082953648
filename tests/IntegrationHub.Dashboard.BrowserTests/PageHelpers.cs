using Microsoft.Playwright;

namespace IntegrationHub.Dashboard.BrowserTests;

/// <summary>What every browser test does: sign in, and watch the page for what must never happen.</summary>
internal static class PageHelpers
{
    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Script errors, Content-Security-Policy violations and failed requests (except the statuses a test provokes).</summary>
    public static List<string> WatchForProblems(IPage page, params int[] expectedStatuses)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !expectedStatuses.Any(s => message.Text.Contains($"status of {s}", StringComparison.Ordinal)))
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !expectedStatuses.Contains(response.Status))
            {
                problems.Add($"{response.Status} {response.Url}");
            }
        };
        return problems;
    }
}
