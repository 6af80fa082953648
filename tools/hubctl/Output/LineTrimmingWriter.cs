using System.Text;

namespace IntegrationHub.Hubctl.Output;

/// <summary>
/// For output that is not a terminal: drops the trailing spaces Spectre pads table and grid lines with, so that
/// files and pipes get clean lines. Holds back only the spaces at the end of the line being written.
/// </summary>
internal sealed class LineTrimmingWriter(TextWriter inner) : TextWriter
{
    private int pendingSpaces;

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override void Write(char value)
    {
        switch (value)
        {
            case ' ':
                pendingSpaces++;
                break;
            case '\n':
                pendingSpaces = 0;
                inner.Write(value);
                break;
            case '\r':
                pendingSpaces = 0;
                break;
            default:
                if (pendingSpaces > 0)
                {
                    inner.Write(new string(' ', pendingSpaces));
                    pendingSpaces = 0;
                }

                inner.Write(value);
                break;
        }
    }

    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        foreach (var c in value)
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        for (var i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();
}
