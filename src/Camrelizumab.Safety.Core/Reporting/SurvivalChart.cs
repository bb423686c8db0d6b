using System.Globalization;
using System.Net;
using System.Text;

namespace Camrelizumab.Safety.Core.Reporting;

/// <summary>
/// An inline SVG of Kaplan–Meier curves (one per group), days on the x axis, with censoring marks and the numbers at
/// risk under each day tick.
/// </summary>
internal static class SurvivalChart
{
    private static readonly string[] Colours = ["#1f5fa8", "#b00020", "#2e7d32", "#6a1b9a"];

    /// <param name="series">Per group: its label and the observations (days from first dose, event or censored).</param>
    public static string Svg(string title, IReadOnlyList<(string Label, IReadOnlyList<(double Days, bool Event)> Observations)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        const int width = 560, plotHeight = 240, left = 48, right = 12, top = 12, axis = 40, riskRow = 14;
        var bottom = axis + 18 + (riskRow * series.Count);
        var height = plotHeight + bottom - axis;
        var maxDay = Math.Max(30, series.SelectMany(s => s.Observations).Select(o => o.Days).DefaultIfEmpty(30).Max());
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

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(maxDay / 2))}\" y=\"{height - bottom + 30}\" text-anchor=\"middle\">Days from first dose</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text transform=\"rotate(-90)\" x=\"{F(-Y(0.5))}\" y=\"11\" text-anchor=\"middle\">Proportion free of the event</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"{height - bottom + 46}\" font-weight=\"bold\">Number at risk</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var (label, observations) = series[i];
            var curve = KaplanMeier.Estimate(observations);
            var lastDay = observations.Count == 0 ? 0 : observations.Max(o => o.Days);
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

            // Censoring marks: a short vertical tick on the curve at each censored subject's last day.
            foreach (var censored in observations.Where(o => !o.Event).Select(o => o.Days).Distinct())
            {
                var y = Y(curve.LastOrDefault(p => p.Day <= censored).Survival);
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(censored))}\" x2=\"{F(X(censored))}\" y1=\"{F(y - 4)}\" y2=\"{F(y + 4)}\" stroke=\"{colour}\"/>");
            }

            var row = height - bottom + 46 + ((i + 1) * riskRow);
            for (var d = 0; d <= maxDay; d += step)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(d))}\" y=\"{row}\" text-anchor=\"middle\" fill=\"{colour}\">{observations.Count(o => o.Days >= d)}</text>");
            }

            // Legend in the lower left, where survival curves of a toxicity endpoint rarely reach.
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + 8}\" y=\"{height - bottom - 10 - ((series.Count - 1 - i) * 14)}\" fill=\"{colour}\">").Append(WebUtility.HtmlEncode(label)).Append("</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }
}
