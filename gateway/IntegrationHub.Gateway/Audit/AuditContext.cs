using Grpc.Core;
using IntegrationHub.Gateway.Identity;

namespace IntegrationHub.Gateway.Audit;

/// <summary>
/// How a service tells the audit which persons a call touched. Report before the data leaves: for a unary call any
/// time before returning, for a stream before writing the message that carries them (the
/// <see cref="AuditInterceptor"/> appends what was reported before each message is sent). What is reported here goes
/// into the call's audit record; nothing is written when the call is not audited.
/// </summary>
public static class AuditContext
{
    private const string StateKey = "integrationhub.audit";

    /// <summary>The call read, returned, changed or exported these persons (hub person IDs).</summary>
    public static void Touched(ServerCallContext context, IEnumerable<string> personIds)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        var state = StateOf(context);
        lock (state)
        {
            state.Persons.UnionWith(personIds.Where(p => !string.IsNullOrEmpty(p)));
        }
    }

    /// <summary>The call read, returned, changed or exported this person.</summary>
    public static void Touched(ServerCallContext context, string personId) => Touched(context, [personId]);

    /// <summary>
    /// The call looked for this resident ID and found nobody. The record keeps its keyed blind index, never the ID, so
    /// that <c>audit person</c> can still answer who looked for it.
    /// </summary>
    public static void LookedFor(ServerCallContext context, ResidentId residentId)
    {
        ArgumentNullException.ThrowIfNull(residentId);
        var state = StateOf(context);
        lock (state)
        {
            state.Lookups.Add(residentId.Value);
        }
    }

    /// <summary>Adds words to the record's detail, e.g. <c>review=12 merge</c>. Never personal data.</summary>
    public static void Describe(ServerCallContext context, string detail)
    {
        var state = StateOf(context);
        lock (state)
        {
            state.Details.Add(detail);
        }
    }

    internal static AuditCallState StateOf(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        lock (context.UserState)
        {
            if (context.UserState.TryGetValue(StateKey, out var existing) && existing is AuditCallState state)
            {
                return state;
            }

            var created = new AuditCallState();
            context.UserState[StateKey] = created;
            return created;
        }
    }
}

/// <summary>What a call reported so far, and what of it is already on record (streams append as they go). Lock it to use it.</summary>
internal sealed class AuditCallState
{
    public HashSet<string> Persons { get; } = new(StringComparer.Ordinal);

    /// <summary>Normalised resident IDs looked for in vain; kept in memory only, written as blind indexes.</summary>
    public HashSet<string> Lookups { get; } = new(StringComparer.Ordinal);

    public List<string> Details { get; } = [];

    /// <summary>Records appended for this call so far (a stream appends before each message that carries new persons).</summary>
    public int Appended { get; set; }

    /// <summary>Takes what was reported since the last append.</summary>
    public (List<string> Persons, List<string> Lookups, List<string> Details) Take()
    {
        var taken = (Persons.ToList(), Lookups.ToList(), Details.ToList());
        Persons.Clear();
        Lookups.Clear();
        Details.Clear();
        return taken;
    }

    public bool HasPending => Persons.Count > 0 || Lookups.Count > 0;
}
