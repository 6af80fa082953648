using System.Text;

namespace IntegrationHub.Adapters.Testing.Fuzzing;

/// <summary>Byte and text mutations for fuzz cases; every choice is drawn from the case's <see cref="Random"/>.</summary>
public static class Mutate
{
    /// <summary>Byte sequences that are not UTF-8: a stray continuation, a lone lead, an overlong form, an encoded
    /// surrogate, a code point past U+10FFFF, a truncated three-byte sequence, bytes UTF-8 never uses.</summary>
    public static IReadOnlyList<byte[]> InvalidUtf8 { get; } =
    [
        [0x80],
        [0xBF],
        [0xC3],
        [0xC0, 0x80],
        [0xC1, 0xBF],
        [0xE0, 0x80, 0x80],
        [0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80],
        [0xE4, 0xB8],
        [0xF0, 0x9F, 0x98],
        [0xFE],
        [0xFF],
        [0xFF, 0xFE],
    ];

    /// <summary>Characters that are valid but unusual in agency data: controls, separators, a BOM, non-characters
    /// allowed in text, CJK beyond the BMP (a surrogate pair), combining marks, full-width digits.</summary>
    public static IReadOnlyList<string> OddCharacters { get; } =
    [
        "\u0001", "\u0007", "\t", "\u000b", "\u000c", "\u001f", "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029",
        "\ufeff", "\u200b", "\u202e", "\ud840\udc00", "\ud83d\ude00", "\u0301", "\uff11\uff12", "\u3000", "\uff0c",
    ];

    public static T Pick<T>(this Random random, IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(items);
        return items[random.Next(items.Count)];
    }

    /// <summary>A proper prefix of <paramref name="bytes"/> (possibly empty).</summary>
    public static byte[] Truncate(Random random, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(bytes);
        return bytes[..random.Next(bytes.Length)];
    }

    /// <summary>A copy with 1..<paramref name="maxFlips"/> bytes replaced by random ones.</summary>
    public static byte[] FlipBytes(Random random, byte[] bytes, int maxFlips = 4)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(bytes);
        var copy = (byte[])bytes.Clone();
        if (copy.Length == 0)
        {
            return copy;
        }

        for (var i = random.Next(1, maxFlips + 1); i > 0; i--)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    /// <summary>A copy with <paramref name="inserted"/> placed at <paramref name="at"/>.</summary>
    public static byte[] Insert(byte[] bytes, int at, ReadOnlySpan<byte> inserted)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return [.. bytes.AsSpan(0, at), .. inserted, .. bytes.AsSpan(at)];
    }

    /// <summary>One structural mutation of any payload: truncate, flip, insert junk, delete or repeat a range, splice two.</summary>
    public static byte[] Any(Random random, byte[] bytes, byte[]? other = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            return RandomBytes(random, random.Next(1, 64));
        }

        switch (random.Next(7))
        {
            case 0:
                return Truncate(random, bytes);
            case 1:
                return FlipBytes(random, bytes, maxFlips: 8);
            case 2:
                return Insert(bytes, random.Next(bytes.Length + 1), random.Pick(InvalidUtf8));
            case 3:
                return Insert(bytes, random.Next(bytes.Length + 1), RandomBytes(random, random.Next(1, 32)));
            case 4:
            {
                var from = random.Next(bytes.Length);
                var length = random.Next(1, Math.Min(64, bytes.Length - from) + 1);
                return [.. bytes.AsSpan(0, from), .. bytes.AsSpan(from + length)];
            }

            case 5:
            {
                var from = random.Next(bytes.Length);
                var length = random.Next(1, Math.Min(64, bytes.Length - from) + 1);
                return Insert(bytes, from, bytes.AsSpan(from, length));
            }

            default:
            {
                var tail = other ?? bytes;
                return [.. bytes.AsSpan(0, random.Next(bytes.Length + 1)), .. tail.AsSpan(random.Next(tail.Length + 1))];
            }
        }
    }

    public static byte[] RandomBytes(Random random, int length)
    {
        ArgumentNullException.ThrowIfNull(random);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Random text of <paramref name="length"/> characters: ASCII, Chinese, digits, punctuation and odd characters mixed.</summary>
    public static string Text(Random random, int length)
    {
        ArgumentNullException.ThrowIfNull(random);
        var text = new StringBuilder(length + 2);
        while (text.Length < length)
        {
            switch (random.Next(6))
            {
                case 0:
                    text.Append((char)random.Next(0x20, 0x7f));
                    break;
                case 1:
                case 2:
                    text.Append((char)random.Next(0x4e00, 0x9fa6));
                    break;
                case 3:
                    text.Append((char)random.Next('0', '9' + 1));
                    break;
                case 4:
                    text.Append(random.Pick(OddCharacters));
                    break;
                default:
                    text.Append(random.Pick((string[])[" ", ",", "\"", "'", "<", ">", "&", "\\", "/", "-", ":", "."]));
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>A JSON string literal's content (without quotes) for <paramref name="text"/>, escaping what JSON requires.</summary>
    public static string JsonEscape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    escaped.Append("\\\"");
                    break;
                case '\\':
                    escaped.Append("\\\\");
                    break;
                case < ' ':
                    escaped.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
