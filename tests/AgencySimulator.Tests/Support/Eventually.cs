namespace IntegrationHub.AgencySimulator.Tests.Support;

internal static class Eventually
{
    /// <summary>Background work (the evolution loop) runs on the thread pool after the fake clock fires it:
    /// wait for its effect, in real time, with a bound.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var value = await read();
            if (condition(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
