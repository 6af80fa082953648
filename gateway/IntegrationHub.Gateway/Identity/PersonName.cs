using System.Text;

namespace IntegrationHub.Gateway.Identity;

/// <summary>Names as agencies type them: minority names' middle dot arrives as ·, •, ., ・ or ．; spacing varies.</summary>
public static class PersonName
{
    /// <summary>One form per name, for matching only (never shown).</summary>
    public static string Normalise(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            builder.Append(c is '•' or '.' or '・' or '．' or '‧' or '∙' ? '·' : c);
        }

        return builder.ToString();
    }
}
