using System.Globalization;
using IntegrationHub.Contract.V1;
using IntegrationHub.Hubctl.Cli;
using IntegrationHub.Hubctl.Hub;
using IntegrationHub.Hubctl.Output;
using Spectre.Console;

namespace IntegrationHub.Hubctl.Commands;

/// <summary><c>review list</c>: records held because they match a person in scope only by name and birth date.</summary>
internal sealed class ReviewListCommand(int limit) : IHubCommand
{
    public static readonly CommandSpec Spec = new(
        ["review", "list"],
        string.Empty,
        "records held for identity review, with the person each may be",
        [OptionSpec.Value("--limit", "N", "show at most N reviews (default 50)")],
        MinArguments: 0,
        MaxArguments: 0,
        command => new ReviewListCommand(command.PositiveInt("--limit") ?? 50));

    public int Limit { get; } = limit;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var (reviews, response) = await Pages.CollectAsync(
            async (token, size) => await context.Hub.Sync.ListIdentityReviewsAsync(new ListIdentityReviewsRequest { PageToken = token, PageSize = size }, context.Call()),
            r => r.Reviews,
            r => r.NextPageToken,
            Limit,
            500);
        if (context.Json)
        {
            var merged = new ListIdentityReviewsResponse { NextPageToken = response.NextPageToken, TotalSize = response.TotalSize };
            merged.Reviews.AddRange(reviews);
            context.WriteJson(merged);
            return ExitCodes.Success;
        }

        var table = new TableView("review", "agency", "record id", "record name", "reason", "candidate", "candidate id", "candidate name", "held", "purged after");
        foreach (var r in reviews)
        {
            table.Add(
                r.ReviewId.ToString(CultureInfo.InvariantCulture), Names.Of(r.Agency), Names.Text(r.ResidentIdMasked), Names.Text(r.Name),
                Names.Text(r.ReasonCode), Names.Text(r.CandidatePersonId), Names.Text(r.CandidateResidentIdMasked), Names.Text(r.CandidateName),
                TimeFormat.Format(r.HeldAt), TimeFormat.Format(r.PurgeAfter));
        }

        table.Write(context.Console);
        context.Console.Write(new Text(string.Create(CultureInfo.InvariantCulture, $"showing {reviews.Count} of {response.TotalSize}; decide with: hubctl review merge|separate REVIEW\n")));
        return ExitCodes.Success;
    }
}

/// <summary><c>review merge REVIEW</c> and <c>review separate REVIEW</c>: decide one identity review.</summary>
internal sealed class ReviewResolveCommand(long reviewId, ReviewResolution resolution) : IHubCommand
{
    public static readonly CommandSpec MergeSpec = Spec("merge", ReviewResolution.Merge, "the held record is the candidate person's: apply it and match its ID to them from now on");

    public static readonly CommandSpec SeparateSpec = Spec("separate", ReviewResolution.Separate, "the held record is about somebody else: forget it and keep its ID out of scope");

    public long ReviewId { get; } = reviewId;

    public ReviewResolution Resolution { get; } = resolution;

    public async Task<int> ExecuteAsync(CommandContext context)
    {
        var response = await context.Hub.Sync.ResolveIdentityReviewAsync(new ResolveIdentityReviewRequest { ReviewId = ReviewId, Resolution = Resolution }, context.Call());
        if (context.Json)
        {
            context.WriteJson(response);
        }
        else
        {
            context.Console.Write(new Text($"review {ReviewId}: {response.Outcome}\n"));
        }

        return ExitCodes.Success;
    }

    private static CommandSpec Spec(string verb, ReviewResolution resolution, string summary) => new(
        ["review", verb],
        "REVIEW",
        summary,
        [],
        MinArguments: 1,
        MaxArguments: 1,
        command => long.TryParse(command.Arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? new ReviewResolveCommand(id, resolution)
            : throw new UsageException($"REVIEW '{command.Arguments[0]}' is not a review number"));
}
