namespace IntegrationHub.Adapters;

/// <summary>What kind of failure stopped a read, which decides what the hub does about it.</summary>
public enum FailureKind
{
    /// <summary>Our configuration is wrong (bad URL, rejected credential): retrying will not help.</summary>
    Configuration,

    /// <summary>The agency is unavailable or overloaded: retry later.</summary>
    Transient,

    /// <summary>The agency answered something we do not understand: a defect on one side.</summary>
    System,
}

/// <summary>A read failed; <see cref="Kind"/> says whether to fix configuration, wait, or investigate.</summary>
public sealed class AdapterException : Exception
{
    public AdapterException()
        : this(FailureKind.System, "adapter failure")
    {
    }

    public AdapterException(string message)
        : this(FailureKind.System, message)
    {
    }

    public AdapterException(string message, Exception innerException)
        : this(FailureKind.System, message, innerException)
    {
    }

    public AdapterException(FailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public FailureKind Kind { get; }
}
