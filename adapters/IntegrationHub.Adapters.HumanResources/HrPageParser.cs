using System.Globalization;
using System.Xml;

namespace IntegrationHub.Adapters.HumanResources;

/// <summary>One page of <c>hrss/employment</c>: the set's size when it was answered, and each person's outer XML.</summary>
internal sealed record HrPage(int Total, int Page, int Size, IReadOnlyList<string> Persons)
{
    /// <summary>How many pages of <see cref="Size"/> the set had when this page was answered.</summary>
    public int PageCount => Total == 0 ? 0 : (int)(((long)Total + Size - 1) / Size);
}

/// <summary>
/// Reads an <c>hrss/employment</c> answer with <see cref="XmlReader"/>: no DTD (refused, so no entity expansion), no
/// resolver (nothing fetched), a bound on the document's size and on its depth. Each <c>&lt;person&gt;</c> is cut out
/// whole as outer XML for the mapper; anything that is not the documented shape is a System failure.
/// </summary>
/// <remarks>
/// Cutting an element out (<see cref="XmlReader.ReadOuterXml"/>) and loading it (<c>XElement.Load</c>) take time
/// quadratic in its depth: 40,000 nested elements, 280 KB, cost seconds, and a 16 MB answer could hold millions. So the
/// answer is read into memory first (one page, within the size bound) and scanned once, in linear time, for its depth;
/// one deeper than <see cref="MaxDepth"/> is refused before anything cuts or loads it.
/// </remarks>
internal static class HrPageParser
{
    /// <summary>The most characters one answer may have: 200 persons need well under a megabyte.</summary>
    public const long MaxCharactersInDocument = 16L * 1024 * 1024;

    /// <summary>The most bytes one answer may have: its characters' bound at the longest UTF-8 encoding.</summary>
    public const long MaxBytesInDocument = MaxCharactersInDocument * 4;

    /// <summary>
    /// The deepest node an answer may have, counted as <see cref="XmlReader.Depth"/> counts (the root element 0, an element's
    /// text one deeper than it): the documented shape needs 5 (a training's field's text, under response, person, pxjl, px).
    /// </summary>
    public const int MaxDepth = 32;

    public static async Task<HrPage> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharactersInDocument,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = false,
        };

        try
        {
            using var buffered = await BufferAsync(body, cancellationToken);
            using (var scan = XmlReader.Create(buffered, settings))
            {
                await CheckDepthAsync(scan, cancellationToken);
            }

            buffered.Position = 0;
            using var reader = XmlReader.Create(buffered, settings);
            if (await reader.MoveToContentAsync() != XmlNodeType.Element || reader.LocalName != "response" || reader.NamespaceURI.Length > 0)
            {
                throw NotDocumented("the root element is not <response>");
            }

            if (reader.IsEmptyElement)
            {
                throw NotDocumented("<response> is empty");
            }

            int? total = null, page = null, size = null;
            var persons = new List<string>();
            await reader.ReadAsync();
            while (reader.NodeType != XmlNodeType.EndElement)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element when reader.LocalName == "person":
                        persons.Add(await reader.ReadOuterXmlAsync());
                        break;
                    case XmlNodeType.Element when reader.LocalName is "total" or "page" or "size":
                        var name = reader.LocalName;
                        var value = await ReadNumberAsync(reader, name);
                        if (name == "total")
                        {
                            total = Once(total, value, name);
                        }
                        else if (name == "page")
                        {
                            page = Once(page, value, name);
                        }
                        else
                        {
                            size = Once(size, value, name);
                        }

                        break;
                    case XmlNodeType.Element:
                        // An element the interface does not document: later versions may add some; skip it.
                        await reader.SkipAsync();
                        break;
                    case XmlNodeType.None:
                        throw NotDocumented("the body ends inside <response>");
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        throw NotDocumented("text directly inside <response>");
                    default:
                        await reader.ReadAsync();
                        break;
                }
            }

            // Past </response>: the reader itself refuses a second root element or unclosed markup.
            while (await reader.ReadAsync())
            {
            }

            if (total is null || page is null || size is null)
            {
                throw NotDocumented("<total>, <page> or <size> is missing");
            }

            if (size < 1)
            {
                throw NotDocumented(Invariant($"<size> is {size}"));
            }

            if (persons.Count > size)
            {
                throw NotDocumented(Invariant($"{persons.Count} persons on a page of size {size}"));
            }

            return new HrPage(total.Value, page.Value, size.Value, persons);
        }
        catch (XmlException ex)
        {
            // The exception's own message may quote the document; only its position is shown.
            var what = ex.Message.Contains("DTD", StringComparison.Ordinal) ? "it declares a DTD, which is refused" : "not well-formed XML";
            throw NotDocumented(Invariant($"{what}, at line {ex.LineNumber}, position {ex.LinePosition}"));
        }
    }

    private static async Task<MemoryStream> BufferAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffered = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffered.Length + read > MaxBytesInDocument)
            {
                await buffered.DisposeAsync();
                throw NotDocumented(Invariant($"it is larger than {MaxBytesInDocument} bytes"));
            }

            buffered.Write(chunk, 0, read);
        }

        buffered.Position = 0;
        return buffered;
    }

    private static async Task CheckDepthAsync(XmlReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync())
        {
            if (reader.Depth > MaxDepth)
            {
                var line = (IXmlLineInfo)reader;
                throw NotDocumented(Invariant($"elements nested deeper than {MaxDepth} levels, at line {line.LineNumber}, position {line.LinePosition}"));
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static async Task<int> ReadNumberAsync(XmlReader reader, string name)
    {
        var text = await reader.ReadElementContentAsStringAsync();
        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw NotDocumented($"<{name}> is not a whole number");
        }

        return value;
    }

    private static int Once(int? existing, int value, string name) =>
        existing is null ? value : throw NotDocumented($"<{name}> appears twice");

    private static AdapterException NotDocumented(string reason) =>
        new(FailureKind.System, $"The HR system answered GET hrss/employment with a body that is not the documented XML ({reason}).");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
