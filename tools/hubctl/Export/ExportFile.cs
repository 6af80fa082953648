namespace IntegrationHub.Hubctl.Export;

/// <summary>A file hubctl may not write: it exists (without <c>--force</c>), or its folder is missing or not writable.</summary>
internal sealed class ExportFileException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// An export's file: written under a temporary name beside its target (same folder, so the final move is a rename on
/// one file system) and moved into place only once complete. An export that fails or is interrupted deletes its
/// temporary file, so it never leaves half a file behind nor touches the target. The file is readable by its owner only:
/// it holds personal data.
/// </summary>
internal sealed class ExportFile : IAsyncDisposable
{
    private readonly string target;
    private readonly string display;
    private readonly bool replace;
    private readonly string temporary;
    private readonly FileStream stream;
    private bool committed;

    private ExportFile(string target, string display, bool replace, string temporary, FileStream stream)
    {
        this.target = target;
        this.display = display;
        this.replace = replace;
        this.temporary = temporary;
        this.stream = stream;
    }

    public Stream Stream => stream;

    /// <param name="path">The target as the user typed it.</param>
    /// <param name="replace">Whether an existing target may be replaced (<c>--force</c>).</param>
    /// <exception cref="ExportFileException">The target exists and may not be replaced, or its folder cannot take a file.</exception>
    public static ExportFile Create(string path, bool replace)
    {
        var target = Path.GetFullPath(path);
        if (!replace && File.Exists(target))
        {
            throw new ExportFileException($"{path} exists; use --force to replace it");
        }

        if (Directory.Exists(target))
        {
            throw new ExportFileException($"{path} is a folder");
        }

        var folder = Path.GetDirectoryName(target)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new ExportFile(target, path, replace, temporary, new FileStream(temporary, options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ExportFileException($"cannot write beside {path}: {e.Message}", e);
        }
    }

    /// <summary>Closes the complete file and moves it into place.</summary>
    /// <exception cref="ExportFileException">The target appeared meanwhile (without <c>--force</c>), or the move failed.</exception>
    public async Task CommitAsync()
    {
        await stream.DisposeAsync();
        try
        {
            File.Move(temporary, target, overwrite: replace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ExportFileException(
                !replace && File.Exists(target) ? $"{display} appeared while exporting; use --force to replace it" : $"cannot move the export into {display}: {e.Message}", e);
        }

        committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        if (!committed)
        {
            File.Delete(temporary);
        }
    }
}
