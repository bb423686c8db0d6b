using System.Globalization;
using System.Net;
using System.Text;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>An inline SVG of Kaplan–Meier curves (one per arm), days on the x axis.</summary>
public static class SurvivalChart
{
    private static readonly string[] Colours = ["#1f5fa8", "#b00020", "#2e7d32", "#6a1b9a"];

    public static string Svg(string title, IReadOnlyList<(string Label, IReadOnlyList<(double Day, double Survival)> Curve, double LastDay)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        const int width = 560, height = 280, left = 48, right = 12, top = 12, bottom = 40;
        var maxDay = Math.Max(30, series.Select(s => s.LastDay).DefaultIfEmpty(30).Max());
        double X(double d) => left + (d / maxDay * (width - left - right));
        double Y(double s) => height - bottom - (s * (height - top - bottom));
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"")
            .Append(WebUtility.HtmlEncode(title)).Append("\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{width - left - right}\" height=\"{height - top - bottom}\" fill=\"#fff\" stroke=\"#999\"/>");
        foreach (var s in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{F(Y(s))}\" y2=\"{F(Y(s))}\" stroke=\"#eee\"/><text x=\"{left - 6}\" y=\"{F(Y(s) + 4)}\" text-anchor=\"end\">{s:0.00}</text>");
        }

        var step = maxDay <= 120 ? 30 : maxDay <= 400 ? 90 : 180;
        for (var d = 0; d <= maxDay; d += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(d))}\" y=\"{height - bottom + 14}\" text-anchor=\"middle\">{d}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(maxDay / 2))}\" y=\"{height - 6}\" text-anchor=\"middle\">Days from first dose</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var (label, curve, lastDay) = series[i];
            var path = new StringBuilder("M").Append(F(X(0))).Append(',').Append(F(Y(1)));
            var previous = 1.0;
            foreach (var (day, survival) in curve.Skip(1))
            {
                path.Append(" L").Append(F(X(day))).Append(',').Append(F(Y(previous))).Append(" L").Append(F(X(day))).Append(',').Append(F(Y(survival)));
                previous = survival;
            }

            path.Append(" L").Append(F(X(lastDay))).Append(',').Append(F(Y(previous)));
            var colour = Colours[i % Colours.Length];
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            // Legend in the lower left, where survival curves of a toxicity endpoint rarely reach.
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + 8}\" y=\"{height - bottom - 10 - ((series.Count - 1 - i) * 14)}\" fill=\"{colour}\">").Append(WebUtility.HtmlEncode(label)).Append("</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
