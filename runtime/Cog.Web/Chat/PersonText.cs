using System.Text;
using System.Text.Encodings.Web;

namespace Cog.Web.Chat;

/// <summary>A person's message as the console shows it: one paragraph, the text escaped, lines kept. (Cog's replies are
/// rendered by <c>HtmlFormatter</c>.)</summary>
static class PersonText
{
    public static string Html(string text)
    {
        var html = new StringBuilder("<p>");
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
                html.Append("<br>");
            html.Append(HtmlEncoder.Default.Encode(lines[i].TrimEnd('\r')));
        }
        return html.Append("</p>").ToString();
    }
}
